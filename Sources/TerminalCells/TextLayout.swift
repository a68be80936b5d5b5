/// Measuring, truncating and wrapping text by terminal columns.
public enum TextLayout {
    /// One drawable cluster and its width (1 or 2).
    public struct Item: Equatable, Sendable {
        public var character: Character
        public var width: Int
        public init(character: Character, width: Int) { self.character = character; self.width = width }
    }

    public enum Tabs: Sendable { case singleSpace, expand(startColumn: Int) }

    /// `text` as drawable clusters: controls replaced (line breaks become spaces on single lines), zero-width clusters joined to the previous one (or dropped).
    public static func cells(_ text: String, tabs: Tabs) -> [Item] {
        var out: [Item] = []
        var column = 0
        if case .expand(let start) = tabs { column = start }
        for ch in text {
            if ch == "\t" {
                switch tabs {
                case .singleSpace: out.append(Item(character: " ", width: 1)); column += 1
                case .expand:
                    let n = 8 - column % 8
                    for _ in 0..<n { out.append(Item(character: " ", width: 1)) }
                    column += n
                }
                continue
            }
            if ch.isNewline, case .singleSpace = tabs {
                out.append(Item(character: " ", width: 1)); column += 1
                continue
            }
            let w = TerminalWidth.of(ch)
            if w == 0 {
                // Bidi controls and lone joiners are dropped; combining marks attach to the previous cluster.
                if let last = out.last, last.character != " ", !isFormat(ch) {
                    var s = String(last.character); s.append(ch)
                    if s.count == 1, let joined = s.first { out[out.count - 1].character = joined }
                }
                continue
            }
            out.append(Item(character: TerminalWidth.displayed(ch), width: w))
            column += w
        }
        return out
    }

    private static func isFormat(_ ch: Character) -> Bool {
        ch.unicodeScalars.first?.properties.generalCategory == .format
    }

    /// The columns of `text` after sanitizing (tabs as one space).
    public static func width(_ text: String) -> Int {
        cells(text, tabs: .singleSpace).reduce(0) { $0 + $1.width }
    }

    /// `text` cut to at most `width` columns, ending with "…" when cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        let items = cells(text, tabs: .singleSpace)
        let total = items.reduce(0) { $0 + $1.width }
        if total <= width { return String(items.map(\.character)) }
        guard width > 0 else { return "" }
        var out = "", used = 0
        for item in items {
            if used + item.width > width - 1 { break }
            out.append(item.character); used += item.width
        }
        while used < width - 1 { out.append(" "); used += 1 }
        return out + "…"
    }

    /// `text` padded with spaces (or truncated) to exactly `width` columns.
    public static func pad(_ text: String, to width: Int) -> String {
        let t = truncate(text, to: width)
        let w = self.width(t)
        return w < width ? t + String(repeating: " ", count: width - w) : t
    }

    /// Splits one line of text into rows of at most `width` columns, breaking at spaces where possible.
    ///
    /// Tabs expand to the next multiple of 8; a word longer than the width is
    /// broken where it reaches the edge.
    public static func wrap(_ line: String, width: Int) -> [[Item]] {
        guard width > 0 else { return [] }
        let items = cells(line, tabs: .expand(startColumn: 0))
        if items.isEmpty { return [[]] }
        var rows: [[Item]] = []
        var current: [Item] = []
        var used = 0
        var i = 0
        while i < items.count {
            let item = items[i]
            // An item wider than the whole row (a wide character in one column) still takes a row of its
            // own: otherwise the loop would emit empty rows forever.
            if used + item.width <= width || current.isEmpty {
                current.append(item); used += item.width; i += 1
                continue
            }
            // Overflow: break at the last space in the row, if any past the start.
            if item.character == " " {
                rows.append(current); current = []; used = 0
                while i < items.count, items[i].character == " " { i += 1 }
                continue
            }
            if let space = current.lastIndex(where: { $0.character == " " }), space > 0 {
                let carried = Array(current[(space + 1)...])
                var head = Array(current[..<space])
                while head.last?.character == " " { head.removeLast() }
                rows.append(head)
                current = carried; used = carried.reduce(0) { $0 + $1.width }
            } else {
                rows.append(current); current = []; used = 0
            }
        }
        rows.append(current)
        return rows
    }
}
