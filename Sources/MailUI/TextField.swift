/// A single-line text field with a cursor (the query editor and the authorization paste field).
public struct TextField: Sendable, Equatable {
    /// The text, with no line breaks.
    public private(set) var text: String
    /// The cursor, as a count of characters from the start (0...text.count).
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = TextField.singleLine(text)
        cursor = self.text.count
    }

    /// Inserts `string` at the cursor; line breaks and other controls become spaces or vanish.
    public mutating func insert(_ string: String) {
        let clean = TextField.singleLine(string)
        let index = text.index(text.startIndex, offsetBy: cursor)
        // A combining mark typed after a letter joins it: count what the prefix became, not what was typed.
        let prefix = String(text[..<index]) + clean
        text = prefix + String(text[index...])
        cursor = min(prefix.count, text.count)
    }

    /// Applies an editing key; returns false when the key is not an editing key.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c): insert(String(c))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = text.count
        case .backspace, .control("h"):
            guard cursor > 0 else { return true }
            let i = text.index(text.startIndex, offsetBy: cursor - 1)
            text.remove(at: i); cursor -= 1
        case .delete, .control("d"):
            guard cursor < text.count else { return true }
            text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        case .control("u"):
            text.removeSubrange(text.startIndex..<text.index(text.startIndex, offsetBy: cursor)); cursor = 0
        case .control("k"):
            text.removeSubrange(text.index(text.startIndex, offsetBy: cursor)...)
        default:
            return false
        }
        return true
    }

    static func singleLine(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch.isNewline || ch == "\t" { out.append(" ") }
            else if let f = ch.unicodeScalars.first, TerminalWidth.isControl(f) { continue }
            else { out.append(ch) }
        }
        return out
    }
}
