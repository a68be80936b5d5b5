import Foundation

/// `application/x-www-form-urlencoded` and URL query encoding (RFC 3986 unreserved set kept, all else escaped).
public enum FormEncoding {
    private static let unreserved: CharacterSet = {
        var set = CharacterSet()
        set.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return set
    }()

    /// Percent-encodes everything outside the unreserved set (a space becomes `%20`).
    public static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }

    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// Decodes `a=b&c=d`, treating `+` as a space. Keys without `=` get an empty value.
    public static func decode(_ s: String) -> [(String, String)] {
        s.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func unescape(_ x: Substring) -> String {
                let spaced = x.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (unescape(parts[0]), parts.count > 1 ? unescape(parts[1]) : "")
        }
    }

    /// The first value of `name` in a decoded form.
    public static func value(_ name: String, in fields: [(String, String)]) -> String? {
        fields.first { $0.0 == name }?.1
    }

    /// `base` with `query` appended (repeated keys stay repeated, as Google wants `labelIds=A&labelIds=B`).
    public static func url(_ base: URL, query: [(String, String)]) -> URL {
        guard !query.isEmpty else { return base }
        let separator = base.absoluteString.contains("?") ? "&" : "?"
        return URL(string: base.absoluteString + separator + encode(query)) ?? base
    }
}
