import Foundation
import Testing
import TerminalCells
@testable import TerminalUI

@Suite struct SoftWrapTests {
    func grid(_ rows: [String], cols: Int) -> CellGrid {
        var g = CellGrid(cols: cols, rows: rows.count)
        for (y, text) in rows.enumerated() { g.put(text, x: 0, y: y) }
        return g
    }

    @Test func aContinuedRowIsRewrittenAtItsEdgeSoTheTerminalWraps() {
        var g = grid(["https://exa", "mple.com/x", "next"], cols: 11)
        g.softWrapped = [0]
        // Cursor saved, row 1 column 11 written, then row 2's first cell runs on from it; attributes reset, cursor back.
        #expect(SoftWrap.sequence(g, previously: []) == "\u{1b}7\u{1b}[1;11H\u{1b}[0ma\u{1b}[0mm\u{1b}[0m\u{1b}8")
    }

    @Test func nothingIsWrittenWhenNoRowGoesOn() {
        #expect(SoftWrap.sequence(grid(["a", "b"], cols: 4), previously: []) == "")
    }

    @Test func aRowNoLongerContinuedGetsALineFeedThatClearsTheMark() {
        var g = grid(["abc", "def", "ghi"], cols: 3)
        g.softWrapped = [1]
        #expect(SoftWrap.sequence(g, previously: [0, 1]) == "\u{1b}7\u{1b}[1;1H\n\u{1b}[2;3H\u{1b}[0mf\u{1b}[0mg\u{1b}[0m\u{1b}8")
    }

    @Test func theLastRowAndWideOrColouredEdgesAreLeftAlone() {
        var g = CellGrid(cols: 4, rows: 3)
        g.put("ab漢", x: 0, y: 0)
        g.put("xyzw", x: 0, y: 1, style: Style(role: .url))
        g.softWrapped = [0, 1, 2]
        #expect(SoftWrap.sequence(g, previously: []) == "")
    }

    @Test func styledCellsKeepTheirAttributes() {
        var g = CellGrid(cols: 2, rows: 2)
        g.put("ab", x: 0, y: 0, style: Style(dim: true))
        g.put("cd", x: 0, y: 1, style: Style(bold: true, reverse: true))
        g.softWrapped = [0]
        #expect(SoftWrap.sequence(g, previously: []) == "\u{1b}7\u{1b}[1;2H\u{1b}[0;2mb\u{1b}[0;1;7mc\u{1b}[0m\u{1b}8")
    }
}
