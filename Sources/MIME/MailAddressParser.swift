import Foundation

/// Splits address-list headers (`From`, `To`, `Cc`) into display names and addresses.
public enum MailAddressParser {
    /// Parses `"A, B" <a@b>, c@d (Comment)` into `[("A, B", "a@b"), (nil, "c@d")]`.
    ///
    /// Commas inside quotes, angle brackets and comments do not split; group syntax
    /// (`Team: a@b, c@d;`) gives its members; encoded words in names are decoded; an old-style
    /// `addr (Name)` comment becomes the name, and pipermail's `user at host (Name)` reads as `user@host`.
    /// Never fails: an entry without `@` is kept as the address so nothing the sender wrote disappears,
    /// except a display name with no address (several words, quoted, or encoded words), which is
    /// returned as the name with an empty address.
    public static func parse(_ value: String) -> [(name: String?, email: String)] {
        var result: [(name: String?, email: String)] = []
        for entry in split(value) {
            if let parsed = parseOne(entry) { result.append(parsed) }
        }
        return result
    }

    /// Splits at commas (and group-ending semicolons) outside quotes, comments and angle brackets.
    private static func split(_ value: String) -> [String] {
        var entries: [String] = []
        var current = ""
        var inQuotes = false, escaped = false
        var commentDepth = 0, angleDepth = 0
        for ch in value {
            if escaped { current.append(ch); escaped = false; continue }
            switch ch {
            case "\\" where inQuotes || commentDepth > 0: escaped = true
            case "\"" where commentDepth == 0: inQuotes.toggle()
            case "(" where !inQuotes: commentDepth += 1
            case ")" where !inQuotes && commentDepth > 0: commentDepth -= 1
            case "<" where !inQuotes && commentDepth == 0: angleDepth += 1
            case ">" where !inQuotes && commentDepth == 0 && angleDepth > 0: angleDepth -= 1
            case ":" where !inQuotes && commentDepth == 0 && angleDepth == 0:
                // A group name: drop it and keep the members.
                current = ""
                continue
            case ",", ";":
                if !inQuotes && commentDepth == 0 && angleDepth == 0 {
                    entries.append(current); current = ""
                    continue
                }
            default: break
            }
            current.append(ch)
        }
        entries.append(current)
        return entries
    }

    private static func parseOne(_ raw: String) -> (name: String?, email: String)? {
        let entry = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !entry.isEmpty else { return nil }
        var phrase = ""
        var comment = ""
        var angle: String?
        var bare = ""
        var inQuotes = false, escaped = false
        var commentDepth = 0
        var inAngle = false
        for ch in entry {
            if escaped {
                if commentDepth > 0 { comment.append(ch) } else { phrase.append(ch) }
                escaped = false
                continue
            }
            if inAngle {
                if ch == ">" { inAngle = false } else { angle?.append(ch) }
                continue
            }
            if commentDepth > 0 {
                if ch == "\\" { escaped = true } else if ch == "(" { commentDepth += 1; comment.append(ch) } else if ch == ")" {
                    commentDepth -= 1
                    if commentDepth > 0 { comment.append(ch) }
                } else { comment.append(ch) }
                continue
            }
            if inQuotes {
                if ch == "\\" { escaped = true } else if ch == "\"" { inQuotes = false } else { phrase.append(ch) }
                continue
            }
            switch ch {
            case "\"": inQuotes = true
            case "(": commentDepth = 1; if !comment.isEmpty { comment.append(" ") }
            case "<": inAngle = true; angle = ""
            default: phrase.append(ch); bare.append(ch)
            }
        }
        let cleanedComment = clean(comment)
        if let angle {
            // Whitespace inside the brackets is folding or obsolete syntax (`<a @ b>`), never part of the address.
            let email = angle.split(whereSeparator: \.isWhitespace).joined()
            let name = clean(phrase)
            return (name.isEmpty ? (cleanedComment.isEmpty ? nil : cleanedComment) : name, email)
        }
        // No angle brackets: the address is the bare text; a comment is the old way to give a name.
        let words = bare.split(whereSeparator: \.isWhitespace).map(String.init)
        let commentName = cleanedComment.isEmpty ? nil : cleanedComment
        if let email = obfuscatedAddress(words) { return (commentName, email) }
        if !words.joined().contains("@"), words.count > 1 || bare.contains("=?") || (words.isEmpty && !phrase.isEmpty) {
            // A display name with no address at all (`=?koi8-r?B?...?=`, `"Jane Doe"`): a name, not an address.
            let name = clean(phrase)
            if !name.isEmpty { return (name, "") }
        }
        let email = words.joined()
        guard !email.isEmpty else { return nil }
        return (commentName, email)
    }

    /// Pipermail's `user at host` (list archives spell addresses out so harvesters miss them), as `user@host`.
    private static func obfuscatedAddress(_ words: [String]) -> String? {
        guard words.count == 3, words[1].lowercased() == "at", !words[0].contains("@"), !words[2].contains("@"),
              words[2].contains(".") else { return nil }
        return words[0] + "@" + words[2]
    }

    private static func clean(_ text: String) -> String {
        MessageRenderer.displayHeader(text).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
