import Foundation
import TerminalCells

/// One line of a message body as rows of the message view.
///
/// Lines are wrapped at spaces (`TextLayout.wrap`), so a URL that fits the width is never cut: it moves to
/// the next row whole. One wider than the screen is cut only at the screen's edge, with nothing added
/// around it, and the rows on either side of each such cut are marked `continues`: the terminal is then
/// made to wrap them itself, so that a selection copies the URL as one line.
enum BodyRows {
    static func rows(_ line: String, width: Int, style: Style) -> [MessageDocument.Line] {
        let rows = TextLayout.wrap(line, width: width)
        var out = rows.map { MessageDocument.Line(items: $0, style: style) }
        guard rows.count > 1 else { return out }
        // Walk the line's cells beside the rows: a row followed by a non-space cell was cut inside a word.
        let items = TextLayout.cells(line, tabs: .expand(startColumn: 0))
        var position = 0
        for (index, row) in rows.enumerated() where index < rows.count - 1 {
            // Spaces dropped at a break come before the row's first cell.
            while position < items.count, items[position].character == " ", row.first?.character != " " { position += 1 }
            position += row.count
            let cutInsideAWord = position < items.count && items[position].character != " "
                && row.last.map { $0.character != " " } == true
            let full = row.reduce(0) { $0 + $1.width } == width
            out[index].continues = cutInsideAWord && full
        }
        return out
    }
}
