import TerminalCells

/// The part of a text field that shows in `width` columns, scrolled so that the cursor shows.
///
/// Worked out in one pass from the cursor outwards: it looks at the characters that can show and no
/// others, so drawing a field costs the same whether it holds ten characters or its full capacity.
struct FieldWindow: Equatable {
    /// The cells to draw, left to right, fitting the width.
    var items: [TextLayout.Item]
    /// The cursor's column within the window.
    var cursorColumn: Int
    /// The width of the cell under the cursor (1 past the end of the text).
    var cursorWidth: Int
    /// How many characters of the field were looked at (at most about twice the width).
    var examined: Int

    init(_ field: TextField, width: Int) {
        let chars = field.characters
        let cursor = field.cursor
        guard width > 0 else {
            self.init(items: [], cursorColumn: 0, cursorWidth: 1, examined: 0)
            return
        }
        // Zero-width characters take no column, so a run of them could otherwise keep either walk going.
        let budget = 2 * width + 2
        var examined = 0
        // Back from the cursor: as much text as fits to its left, keeping the cursor's cell on screen.
        var start = cursor, before = 0
        while start > 0, examined < budget {
            let w = TerminalWidth.of(chars[start - 1])
            if before + w > width - 1 { break }
            before += w; start -= 1; examined += 1
        }
        // On from the cursor, to the right edge.
        var end = cursor, after = 0
        while end < chars.count, before + after < width, examined < budget {
            after += TerminalWidth.of(chars[end]); end += 1; examined += 1
        }
        let left = TextLayout.cells(String(chars[start..<cursor]), tabs: .singleSpace)
        let right = TextLayout.cells(String(chars[cursor..<end]), tabs: .singleSpace)
        var shown: [TextLayout.Item] = []
        var used = 0
        // Up to the first cell that does not fit: a wide character cut at the edge ends the row.
        for item in left + right {
            if used + item.width > width { break }
            shown.append(item); used += item.width
        }
        self.init(items: shown, cursorColumn: left.reduce(0) { $0 + $1.width },
                  cursorWidth: right.first?.width ?? 1, examined: examined)
    }

    private init(items: [TextLayout.Item], cursorColumn: Int, cursorWidth: Int, examined: Int) {
        self.items = items; self.cursorColumn = cursorColumn; self.cursorWidth = cursorWidth; self.examined = examined
    }
}
