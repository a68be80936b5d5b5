import TerminalCells

/// A single-line text field with a cursor (the query editor and the authorization paste field).
///
/// The text is kept as an array of characters, so that moving the cursor, editing at it and drawing
/// the part around it (`window(width:)`) cost the same however long the text is; and it holds at most
/// `capacity` characters, so that a huge paste cannot make every later key slow.
public struct TextField: Sendable, Equatable {
    /// What a field holds by default: far more than a Gmail query or an authorization redirect address.
    public static let defaultCapacity = 8192

    /// The text's characters (grapheme clusters), with no line breaks or controls.
    public private(set) var characters: [Character]
    /// The cursor, as a count of characters from the start (0...count).
    public private(set) var cursor: Int
    /// The most characters the field holds; what does not fit is dropped.
    public let capacity: Int

    public init(_ text: String = "", capacity: Int = TextField.defaultCapacity) {
        self.capacity = max(1, capacity)
        characters = TextField.singleLine(text, limit: self.capacity)
        cursor = characters.count
    }

    /// The text.
    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }
    public var count: Int { characters.count }

    /// Inserts `string` at the cursor; line breaks and tabs become spaces, other controls vanish.
    ///
    /// Returns false when not all of it fitted (the field was full): the rest was dropped.
    @discardableResult
    public mutating func insert(_ string: String) -> Bool {
        let room = capacity - characters.count
        guard room > 0 else { return string.isEmpty }
        var clean = TextField.singleLine(string, limit: room + 1)
        let fitted = clean.count <= room
        if !fitted { clean.removeLast(clean.count - room) }
        guard !clean.isEmpty else { return fitted }
        // A combining mark typed after a letter joins it: segment the inserted text together with its
        // neighbours, and count what the part before the cursor became, not what was typed.
        let lower = max(0, cursor - 1), upper = min(characters.count, cursor + 1)
        var head = String(characters[lower..<cursor])
        head.append(contentsOf: String(clean))
        let joined = Array(head + String(characters[cursor..<upper]))
        characters.replaceSubrange(lower..<upper, with: joined)
        cursor = lower + min(head.count, joined.count)
        return fitted
    }

    /// Applies an editing key; returns false when the key is not an editing key.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c): insert(String(c))
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .backspace, .control("h"):
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1); cursor -= 1
        case .delete, .control("d"):
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .control("u"):
            characters.removeSubrange(0..<cursor); cursor = 0
        case .control("k"):
            characters.removeSubrange(cursor...)
        case .control("w"):
            // The word before the cursor, and the spaces after it.
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor); cursor = start
        default:
            return false
        }
        return true
    }

    /// At most `limit` characters of `s` as one line: line breaks and tabs as spaces, controls dropped.
    static func singleLine(_ s: String, limit: Int) -> [Character] {
        var out: [Character] = []
        for ch in s {
            if out.count >= limit { break }
            if ch.isNewline || ch == "\t" { out.append(" ") }
            else if let f = ch.unicodeScalars.first, TerminalWidth.isControl(f) { continue }
            else { out.append(ch) }
        }
        return out
    }
}
