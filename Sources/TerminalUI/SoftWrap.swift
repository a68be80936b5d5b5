import TerminalCells

/// Makes the terminal itself wrap a row into the next one (`CellGrid.softWrapped`).
///
/// ncurses moves the cursor to the start of every row it draws, so to the terminal each row ends with a
/// hard line break and a selection across two rows copies a newline into the middle of a long URL. A
/// terminal marks a row as wrapped only when text runs past its last column. So after ncurses has drawn,
/// each such row's last cell is written again, followed by the next row's first cell: the terminal wraps
/// (the cells are the ones already there, so the screen does not change) and joins the two rows for
/// selection. A row no longer continued gets a line feed, which clears the mark (tmux keeps it otherwise).
/// The cursor and attributes ncurses expects are saved and restored around it (DECSC/DECRC).
public enum SoftWrap {
    public static func sequence(_ grid: CellGrid, previously: Set<Int>) -> String {
        let rows = grid.softWrapped.filter { $0 >= 0 && $0 + 1 < grid.rows }.sorted()
        let cleared = previously.subtracting(grid.softWrapped).filter { $0 >= 0 && $0 + 1 < grid.rows }.sorted()
        guard grid.cols > 0, !rows.isEmpty || !cleared.isEmpty else { return "" }
        var out = ""
        for y in cleared { out += "\u{1b}[\(y + 1);1H\n" }
        for y in rows {
            let last = grid[grid.cols - 1, y], next = grid[0, y + 1]
            // A wide character across the edge cannot be written in the last column alone; colours are the
            // terminal's choice (ncurses set them up), so only plain rows are rewritten.
            guard last.width == 1, next.width > 0, last.style.role == .normal, next.style.role == .normal else { continue }
            out += "\u{1b}[\(y + 1);\(grid.cols)H" + sgr(last.style) + String(last.character) + sgr(next.style) + String(next.character)
        }
        return out.isEmpty ? "" : "\u{1b}7" + out + "\u{1b}[0m\u{1b}8"
    }

    static func sgr(_ style: Style) -> String {
        var codes = ["0"]
        if style.bold { codes.append("1") }
        if style.dim { codes.append("2") }
        if style.underline { codes.append("4") }
        if style.reverse { codes.append("7") }
        return "\u{1b}[" + codes.joined(separator: ";") + "m"
    }
}
