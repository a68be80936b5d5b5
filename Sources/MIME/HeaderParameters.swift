import Foundation

/// Parses structured header values such as `Content-Type` and `Content-Disposition` (RFC 2045, RFC 2231).
public enum HeaderParameters {
    /// Splits `value; name=value; ...` into the leading token and the parameters.
    ///
    /// Quoted strings may contain `;` and backslash escapes. Parameter names are lower-cased;
    /// the first occurrence of a name wins. RFC 2231 continuations (`name*0=`, `name*1*=`) are
    /// joined and extended values (`name*=charset'lang'%XX`) are decoded through `Charset`.
    public static func parse(_ value: String) -> (token: String, parameters: [String: String]) {
        let pieces = split(value)
        let token = pieces.first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        var raw: [(name: String, value: String, quoted: Bool)] = []
        for piece in pieces.dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<eq].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            guard !name.isEmpty else { continue }
            let (v, quoted) = unquote(piece[piece.index(after: eq)...].trimmingCharacters(in: .whitespacesAndNewlines))
            raw.append((name, v, quoted))
        }
        return (token, combine(raw))
    }

    /// Splits at `;` outside quoted strings.
    private static func split(_ value: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        for ch in value {
            if escaped { current.append(ch); escaped = false; continue }
            if inQuotes && ch == "\\" { current.append(ch); escaped = true; continue }
            if ch == "\"" { inQuotes.toggle() }
            if ch == ";" && !inQuotes { pieces.append(current); current = ""; continue }
            current.append(ch)
        }
        pieces.append(current)
        return pieces
    }

    /// Removes surrounding quotes and backslash escapes; an unclosed quote keeps the rest of the value.
    private static func unquote(_ v: String) -> (String, Bool) {
        guard v.hasPrefix("\"") else { return (v, false) }
        var out = ""
        var escaped = false
        for ch in v.dropFirst() {
            if escaped { out.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "\"" { break }
            out.append(ch)
        }
        return (out, true)
    }

    private struct Segment { var index: Int; var extended: Bool; var value: String }

    /// Joins RFC 2231 segments and decodes extended values; plain parameters pass through.
    private static func combine(_ raw: [(name: String, value: String, quoted: Bool)]) -> [String: String] {
        var plain: [String: String] = [:]
        var segmented: [String: [Segment]] = [:]
        for (name, value, _) in raw {
            guard let star = name.firstIndex(of: "*") else {
                if plain[name] == nil { plain[name] = value }
                continue
            }
            let base = String(name[..<star])
            let rest = name[name.index(after: star)...]
            var segment = Segment(index: 0, extended: rest.isEmpty || rest.hasSuffix("*"), value: value)
            let digits = rest.hasSuffix("*") ? rest.dropLast() : rest
            if !digits.isEmpty {
                guard let index = Int(digits) else { continue }
                segment.index = index
            }
            segmented[base, default: []].append(segment)
        }
        var result = plain
        for (base, segments) in segmented {
            let sorted = segments.sorted { $0.index < $1.index }
            var charset: String?
            var bytes: [UInt8] = []
            for (position, segment) in sorted.enumerated() {
                guard segment.extended else { bytes += Array(segment.value.utf8); continue }
                var encoded = Substring(segment.value)
                if position == 0 {
                    // charset'language'value; both may be empty.
                    let parts = segment.value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if parts.count == 3 {
                        charset = parts[0].isEmpty ? nil : String(parts[0])
                        encoded = parts[2]
                    }
                }
                bytes += percentDecode(encoded)
            }
            // An RFC 2231 value is preferred over a plain one of the same name (it is the precise form).
            result[base] = Charset.decode(bytes, charset: charset)
        }
        return result
    }

    private static func percentDecode(_ s: Substring) -> [UInt8] {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let hi = TransferEncoding.hexValue(bytes[i + 1]), let lo = TransferEncoding.hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo); i += 3
            } else {
                out.append(bytes[i]); i += 1
            }
        }
        return out
    }
}
