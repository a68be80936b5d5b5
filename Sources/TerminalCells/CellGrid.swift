/// What a cell's colour means; the terminal picks actual colours (or none under `NO_COLOR`).
public enum ColorRole: Sendable, Equatable, Hashable {
    case normal, accent, error, url
}

/// How a cell is drawn.
public struct Style: Sendable, Equatable, Hashable {
    public var bold = false
    public var reverse = false
    public var dim = false
    public var underline = false
    public var role = ColorRole.normal
    public init(bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false, role: ColorRole = .normal) {
        self.bold = bold; self.reverse = reverse; self.dim = dim; self.underline = underline; self.role = role
    }
    public static let plain = Style()
}

/// One terminal cell.
///
/// A wide character occupies its own cell (`width` 2) and the next one, a
/// continuation cell with `width` 0 whose character is ignored.
public struct Cell: Sendable, Equatable {
    public var character: Character
    public var width: Int
    public var style: Style
    public init(character: Character, width: Int, style: Style) {
        self.character = character; self.width = width; self.style = style
    }
    public static let blank = Cell(character: " ", width: 1, style: .plain)
}

/// A finished screen: `rows` lines of `cols` cells, ready to copy to a terminal.
public struct CellGrid: Sendable, Equatable {
    public let cols: Int
    public let rows: Int
    public private(set) var cells: [Cell]
    /// Rows whose text goes on in the next row (a word cut at the screen's edge, such as a long URL): the
    /// terminal is made to wrap them itself, so that a selection copies the word whole.
    public var softWrapped: Set<Int> = []

    /// A grid of blank cells.
    public init(cols: Int, rows: Int) {
        self.cols = max(0, cols); self.rows = max(0, rows)
        cells = Array(repeating: .blank, count: self.cols * self.rows)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * cols + x]
    }

    /// The grid as text, one string per row, wide characters once and trailing spaces trimmed (for tests).
    public func lines() -> [String] {
        (0..<rows).map { y in
            var line = ""
            for x in 0..<cols where self[x, y].width > 0 { line.append(self[x, y].character) }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// Fills columns `x..<x+width` of row `y` with blanks in `style`.
    public mutating func fill(y: Int, x: Int = 0, width: Int? = nil, style: Style) {
        guard y >= 0, y < rows else { return }
        let end = min(cols, x + (width ?? cols - x))
        var i = max(0, x)
        while i < end { cells[y * cols + i] = Cell(character: " ", width: 1, style: style); i += 1 }
    }

    /// Writes `text` at (`x`, `y`) within `maxWidth` columns (default: to the right edge).
    ///
    /// Text that does not fit ends with "…"; a wide character is never split
    /// (a space stands in). Controls show as visible symbols, tabs as one
    /// space, zero-width clusters join the previous cell. Returns the column
    /// after the last one written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, maxWidth: Int? = nil, style: Style = .plain) -> Int {
        guard y >= 0, y < rows, x < cols else { return x }
        let limit = min(cols, x + (maxWidth ?? cols - x))
        guard limit > x else { return x }
        let items = TextLayout.cells(text, tabs: .singleSpace)
        let total = items.reduce(0) { $0 + $1.width }
        let truncate = x + total > limit
        let room = truncate ? limit - x - 1 : limit - x
        var col = x
        for item in items {
            if col + item.width > x + room { break }
            set(x: col, y: y, item.character, width: item.width, style: style)
            col += item.width
        }
        if truncate {
            while col < limit - 1 { set(x: col, y: y, " ", width: 1, style: style); col += 1 }
            set(x: col, y: y, "…", width: 1, style: style)
            col += 1
        }
        return col
    }

    /// Writes pre-measured cells at (`x`, `y`) without truncation marks (the caller already fitted them).
    public mutating func put(cells items: [TextLayout.Item], x: Int, y: Int, style: Style) {
        var col = x
        for item in items where col + item.width <= cols {
            set(x: col, y: y, item.character, width: item.width, style: style)
            col += item.width
        }
    }

    /// Sets one cell (and the continuation cell for a wide character).
    public mutating func set(x: Int, y: Int, _ character: Character, width: Int, style: Style) {
        guard y >= 0, y < rows, x >= 0, x + width <= cols, width > 0 else { return }
        // Overwriting half of a wide character leaves a blank in its other half.
        if cells[y * cols + x].width == 0, x > 0 { cells[y * cols + x - 1] = Cell(character: " ", width: 1, style: cells[y * cols + x - 1].style) }
        if x + width < cols, cells[y * cols + x + width].width == 0 { cells[y * cols + x + width] = Cell(character: " ", width: 1, style: cells[y * cols + x + width].style) }
        if width == 1, cells[y * cols + x].width == 2, x + 1 < cols { cells[y * cols + x + 1] = Cell(character: " ", width: 1, style: cells[y * cols + x + 1].style) }
        cells[y * cols + x] = Cell(character: character, width: width, style: style)
        if width == 2 { cells[y * cols + x + 1] = Cell(character: " ", width: 0, style: style) }
    }

    /// Sets the style of columns `x..<x+width` on row `y`, keeping their characters.
    public mutating func restyle(y: Int, x: Int, width: Int, _ change: (inout Style) -> Void) {
        guard y >= 0, y < rows else { return }
        for i in max(0, x)..<min(cols, x + width) { change(&cells[y * cols + i].style) }
    }
}
