import Foundation

/// Text that came from a server, made safe to show or log.
///
/// A server may echo what it was sent (a 400 that quotes the request's `Authorization` header, a token
/// endpoint that repeats the refresh token) or send terminal escape sequences. Every piece of server
/// text that becomes an error message goes through `ServerText.safe` first: secrets are replaced by
/// `<redacted>`, control characters by spaces, and the length is capped.
public enum ServerText {
    /// What a secret is replaced with.
    public static let mask = "<redacted>"

    /// `text` with every secret masked, control characters (escape sequences included) turned into
    /// spaces, runs of white space folded, and at most `limit` characters kept (then `…`).
    ///
    /// `secrets` are exact values the caller sent (its access token, for example): they are masked
    /// wherever they appear, whatever their shape.
    public static func safe(_ text: String, secrets: [String] = [], limit: Int = 300) -> String {
        var s = redact(text, secrets: secrets)
        s = String(String.UnicodeScalarView(s.unicodeScalars.map { isControl($0) ? " " : $0 }))
        s = s.split(whereSeparator: { $0 == " " }).joined(separator: " ")
        if s.count > limit { s = String(s.prefix(limit)) + "…" }
        return s
    }

    /// `text` with secrets masked, otherwise unchanged.
    ///
    /// Masked: the exact `secrets`; anything after `Bearer` or `Basic`; the value of an `Authorization`
    /// header line; Google's token shapes (`ya29.` access tokens, `1//` refresh tokens, `4/` codes,
    /// `GOCSPX-` client secrets); and the values of fields named like secrets (`access_token`,
    /// `refresh_token`, `code`, `client_secret`, `code_verifier`, `password`, ...) in JSON, forms and queries.
    public static func redact(_ text: String, secrets: [String] = []) -> String {
        var s = text
        for secret in secrets where secret.count >= 4 {
            s = s.replacingOccurrences(of: secret, with: mask)
        }
        for (pattern, template) in rules {
            let range = NSRange(s.startIndex..., in: s)
            s = pattern.stringByReplacingMatches(in: s, options: [], range: range, withTemplate: template)
        }
        return s
    }

    /// Secret-looking field names; `code` and `token` only as whole names.
    static let secretFields = "access_token|refresh_token|id_token|client_secret|code_verifier|password|passwd|secret|assertion|api_key|apikey|code|token|accesstoken|refreshtoken|authorization"

    /// Applied in order; each template keeps what names the secret and masks the value.
    static let ruleCount = 8

    nonisolated(unsafe) static let rules: [(NSRegularExpression, String)] = {
        let token = "[A-Za-z0-9._~+/=-]"
        let specs: [(String, String)] = [
            // `Authorization: anything` (a header echoed in a body or a header dump).
            ("(?i)(authorization\\s*[:=]\\s*)[^\\r\\n\"',;&<>]+", "$1\(mask)"),
            // `Bearer xyz`, `Basic xyz`, however quoted or placed.
            ("(?i)\\b(bearer|basic)(\\s+|%20|\\+)\(token)+", "$1 \(mask)"),
            // JSON: "access_token": "xyz" (also with escaped quotes inside a JSON string).
            ("(?i)(\\\\?\"(?:\(secretFields))\\\\?\"\\s*:\\s*\\\\?\")(?:[^\"\\\\]|\\\\[^\"])*", "$1\(mask)"),
            // Forms, queries, `key=value` and `key: value` in prose.
            // A bare number ("error code: 400") is not a secret.
            ("(?i)(\\b(?:\(secretFields))\\s*[=:]\\s*)(?![\\s\"]|\\d+\\b|\(NSRegularExpression.escapedPattern(for: mask)))[^\\s&\"',;<>]+", "$1\(mask)"),
            // Google's token shapes, wherever they stand.
            ("\\bya29\\.\(token)+", mask),
            ("(^|[^A-Za-z0-9])1//\(token)+", "$1\(mask)"),
            ("(^|[^A-Za-z0-9/])4/[0-9A-Za-z][0-9A-Za-z_-]{8,}", "$1\(mask)"),
            ("\\bGOCSPX-[A-Za-z0-9_-]+", mask),
        ]
        // The patterns are constants: a test checks that every one compiles.
        return specs.compactMap { spec in (try? NSRegularExpression(pattern: spec.0)).map { ($0, spec.1) } }
    }()

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7f..<0xa0: return true
        // Bidirectional overrides and isolates can disguise text on screen.
        case 0x202a...0x202e, 0x2066...0x2069: return true
        default: return false
        }
    }
}
