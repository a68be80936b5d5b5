import Foundation
import MIME

/// Reads address and date headers as Gmail hands them over.
public enum HeaderParsing {
    /// The addresses of a From/To/Cc value, display names RFC 2047-decoded.
    ///
    /// The list is split before decoding, since a decoded name may contain a comma.
    public static func addresses(_ value: String) -> [MailAddress] {
        splitList(value).compactMap(address)
    }

    /// One address: `Name <a@b>`, `"Name" <a@b>`, `<a@b>`, `a@b (Name)` or `a@b`.
    public static func address(_ raw: String) -> MailAddress? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            let email = text[text.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            let name = displayName(String(text[..<open]))
            return MailAddress(name: name, email: email)
        }
        if let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close {
            let email = text[..<open].trimmingCharacters(in: .whitespaces)
            let name = displayName(String(text[text.index(after: open)..<close]))
            return MailAddress(name: name, email: email)
        }
        return MailAddress(name: nil, email: text)
    }

    /// A display name unquoted, unescaped and decoded; nil when empty.
    static func displayName(_ raw: String) -> String? {
        var name = raw.trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
            name = String(name.dropFirst().dropLast())
            name = name.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
        }
        name = EncodedWords.decode(name).trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    /// Splits on commas outside quotes, angle brackets and comments.
    static func splitList(_ value: String) -> [String] {
        var items: [String] = []
        var current = ""
        var inQuotes = false, escaped = false
        var angle = 0, comment = 0
        for c in value {
            if escaped { current.append(c); escaped = false; continue }
            switch c {
            case "\\" where inQuotes: escaped = true
            case "\"" where comment == 0: inQuotes.toggle()
            case "<" where !inQuotes && comment == 0: angle += 1
            case ">" where !inQuotes && comment == 0: angle = max(0, angle - 1)
            case "(" where !inQuotes: comment += 1
            case ")" where !inQuotes: comment = max(0, comment - 1)
            case "," where !inQuotes && angle == 0 && comment == 0:
                items.append(current); current = ""; continue
            default: break
            }
            current.append(c)
        }
        items.append(current)
        return items.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    private static let dateFormats = [
        "EEE, d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm Z", "d MMM yyyy HH:mm Z",
        "EEE, d MMM yy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm:ss zzz",
    ]

    /// An RFC 5322 date (`Tue, 13 Feb 2024 14:31:55 +0700`, a trailing `(UTC)` comment allowed).
    public static func date(_ value: String) -> Date? {
        var text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if let open = text.lastIndex(of: "("), text.hasSuffix(")") {
            text = text[..<open].trimmingCharacters(in: .whitespaces)
        }
        text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        for format in dateFormats {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
