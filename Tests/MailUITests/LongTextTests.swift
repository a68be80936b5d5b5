import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// A 100 KB paste into either field: what the field keeps, what the screen shows, and that the keys
/// after it still act. The work is bounded by counting, not timed: the field holds at most its
/// capacity, and drawing it looks at no more characters than can show.
@Suite struct LongTextTests {
    /// 100 KB of text with a line break every 80 characters, as a pasted document would have.
    static let hundredKilobytes: String = {
        let line = String(repeating: "abcdefghij", count: 8)
        return Array(repeating: line, count: 1280).joined(separator: "\n")
    }()

    func authorizationScreen() -> BrowserState {
        var s = BrowserState(account: nil, now: Fixture.now, calendar: Fixture.calendar)
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        return s
    }

    @Test func aHundredKilobytePasteIntoTheAuthorizationFieldIsCutAndEscapeStillQuits() {
        #expect(Self.hundredKilobytes.utf8.count >= 100_000)
        var s = authorizationScreen()
        _ = s.update(.paste(Self.hundredKilobytes))
        let field = s.authorization?.field
        #expect(field?.count == TextField.defaultCapacity)
        #expect(field?.cursor == TextField.defaultCapacity)
        #expect(field?.text.hasPrefix("abcdefghij") == true)
        #expect(field?.text.contains("\n") == false)
        #expect(s.authorization?.notice == BrowserState.fieldFull)
        let lines = render(s, cols: 80, rows: 24).lines()
        #expect(lines[11].hasPrefix("Code or address: "))
        #expect(lines[12].hasPrefix("The field is full"))
        // More keys are taken (and dropped) without growing the field, and Escape still quits.
        s.type("xyz")
        #expect(s.authorization?.field.count == TextField.defaultCapacity)
        #expect(s.update(.key(.escape)) == [.quit])
    }

    @Test func aHundredKilobytePasteIntoTheQueryEditorIsCutAndEscapeThenQStillWork() {
        var s = Fixture.loaded(Fixture.mixedPage)
        _ = s.update(.key(.character("/")))
        _ = s.update(.key(.control("u")))
        _ = s.update(.paste(Self.hundredKilobytes))
        #expect(s.list.editor?.count == TextField.defaultCapacity)
        let g = render(s, cols: 80, rows: 24)
        let lines = g.lines()
        // The status row shows the end of what was kept, the cursor in the last column; the footer says why it stopped.
        #expect(lines[22].hasPrefix("Search: "))
        #expect(lines[22].count == 79)
        #expect(g[79, 22].style.reverse)
        #expect(lines[23] == " " + BrowserState.fieldFull)
        #expect(s.update(.key(.escape)) == [])
        #expect(s.list.editor == nil)
        #expect(s.list.query == "in:inbox")
        #expect(s.update(.key(.character("q"))) == [.quit])
    }

    @Test func ctrlCQuitsWithAFullFieldOnEitherScreen() {
        var auth = authorizationScreen()
        _ = auth.update(.paste(Self.hundredKilobytes))
        #expect(auth.update(.key(.control("c"))) == [.quit])
        var list = Fixture.loaded(Fixture.mixedPage)
        _ = list.update(.key(.character("/")))
        _ = list.update(.paste(Self.hundredKilobytes))
        #expect(list.update(.key(.control("c"))) == [.quit])
    }

    @Test func drawingAFullFieldLooksOnlyAtWhatShows() {
        var field = TextField(String(repeating: "ab日本", count: 4096))
        #expect(field.count == TextField.defaultCapacity)
        let width = 63
        for _ in 0..<3 {
            let window = FieldWindow(field, width: width)
            #expect(window.examined <= 2 * width + 2, "looked at \(window.examined) characters for \(width) columns")
            #expect(window.items.reduce(0) { $0 + $1.width } <= width)
            #expect(window.cursorColumn < width)
            // Half way back, then to the start.
            for _ in 0..<(TextField.defaultCapacity / 2) { _ = field.handle(.left) }
        }
        #expect(field.cursor == 0)
    }

    /// The one-pass window against the plain definition: drop characters from the left until the cursor's
    /// column fits, then draw up to the first cell that does not fit. Checked for every cursor position in text of mixed widths.
    @Test func theWindowIsTheSameAsDroppingFromTheLeftUntilTheCursorFits() {
        let text = "Grüße 日本語のテキスト 🎉 and some ASCII, then 한국어 too: " + String(repeating: "x日", count: 20)
        for width in [2, 5, 10, 17] {
            var field = TextField(text)
            _ = field.handle(.end)
            while true {
                let window = FieldWindow(field, width: width)
                let expected = Self.reference(field, width: width)
                #expect(window.items == expected.items, "width \(width), cursor \(field.cursor)")
                #expect(window.cursorColumn == expected.cursorColumn, "width \(width), cursor \(field.cursor)")
                if field.cursor == 0 { break }
                _ = field.handle(.left)
            }
        }
    }

    /// The straightforward (and slow) way to scroll a field.
    static func reference(_ f: TextField, width: Int) -> (items: [TextLayout.Item], cursorColumn: Int) {
        var items = TextLayout.cells(f.text, tabs: .singleSpace)
        var cursor = TextLayout.cells(String(f.characters.prefix(f.cursor)), tabs: .singleSpace).count
        func column() -> Int { items.prefix(cursor).reduce(0) { $0 + $1.width } }
        while column() >= width, !items.isEmpty, cursor > 0 { items.removeFirst(); cursor -= 1 }
        var shown: [TextLayout.Item] = []
        var used = 0
        for item in items {
            if used + item.width > width { break }
            shown.append(item); used += item.width
        }
        return (shown, column())
    }

    @Test func typingIntoAFullFieldSaysItIsFull() {
        var field = TextField(String(repeating: "q", count: 10), capacity: 10)
        let fittedMore = field.insert("more")
        #expect(!fittedMore)
        #expect(field.text == String(repeating: "q", count: 10))
        _ = field.handle(.home)
        _ = field.handle(.delete)
        let fittedXY = field.insert("xy")
        #expect(!fittedXY)
        #expect(field.text == "x" + String(repeating: "q", count: 9))
        #expect(field.cursor == 1)
    }

    @Test func ctrlWDeletesTheWordBeforeTheCursor() {
        var field = TextField("from:ada subject:engine  ")
        _ = field.handle(.control("w"))
        #expect(field.text == "from:ada ")
        _ = field.handle(.control("w"))
        #expect(field.text == "")
    }
}
