import Foundation

/// RFC 2047 encoded words (`=?charset?B|Q?...?=`) in header values.
public enum EncodedWords {
    /// Decodes every well-formed encoded word in `value`; malformed ones are left as written.
    ///
    /// Whitespace between two adjacent encoded words is dropped (RFC 2047 section 6.2), and
    /// adjacent words in the same charset are joined as bytes before decoding, so a multi-byte
    /// character split across two words (a common mailer bug) still comes out whole.
    public static func decode(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        let scalars = Array(value.unicodeScalars)
        var out = String.UnicodeScalarView()
        // Pending decoded bytes of a run of encoded words in one charset.
        var pending: (charset: String, bytes: [UInt8])?
        // Whitespace seen after an encoded word, written only if plain text follows.
        var gap = String.UnicodeScalarView()
        var i = 0

        func flush() {
            if let run = pending { out.append(contentsOf: Charset.decode(run.bytes, charset: run.charset).unicodeScalars) }
            pending = nil
        }

        while i < scalars.count {
            if scalars[i] == "=", i + 1 < scalars.count, scalars[i + 1] == "?", let word = parseWord(scalars, at: i) {
                if let run = pending, Charset.normalizedName(run.charset) == Charset.normalizedName(word.charset) {
                    pending = (run.charset, run.bytes + word.bytes)
                } else {
                    flush()
                    pending = (word.charset, word.bytes)
                }
                gap = String.UnicodeScalarView()
                i = word.end
                continue
            }
            let scalar = scalars[i]
            if pending != nil, scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" {
                gap.append(scalar)
                i += 1
                continue
            }
            flush()
            out.append(contentsOf: gap)
            gap = String.UnicodeScalarView()
            out.append(scalar)
            i += 1
        }
        flush()
        out.append(contentsOf: gap)
        return String(out)
    }

    /// One encoded word starting at `start`: its charset, decoded bytes, and the index just past `?=`.
    private static func parseWord(_ s: [Unicode.Scalar], at start: Int) -> (charset: String, bytes: [UInt8], end: Int)? {
        var i = start + 2
        var charset = String.UnicodeScalarView()
        while i < s.count, s[i] != "?" {
            if s[i] == " " || s[i] == "\t" || s[i] == "\n" || charset.count > 64 { return nil }
            charset.append(s[i]); i += 1
        }
        guard i + 2 < s.count, !charset.isEmpty, s[i + 2] == "?" else { return nil }
        let encoding = s[i + 1]
        i += 3
        let textStart = i
        while i + 1 < s.count, !(s[i] == "?" && s[i + 1] == "=") {
            // Encoded text holds no whitespace; a space means this was not an encoded word.
            if s[i] == " " || s[i] == "\t" || s[i] == "\n" || s[i] == "\r" || s[i].value > 0x7E { return nil }
            i += 1
        }
        guard i + 1 < s.count else { return nil }
        let text = s[textStart..<i].map { UInt8(truncatingIfNeeded: $0.value) }
        let bytes: [UInt8]
        switch encoding {
        case "B", "b": bytes = TransferEncoding.base64(text)
        case "Q", "q": bytes = qDecode(text)
        default: return nil
        }
        return (String(charset), bytes, i + 2)
    }

    /// The "Q" encoding: quoted-printable with `_` for space.
    static func qDecode(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < text.count {
            let byte = text[i]
            if byte == UInt8(ascii: "_") {
                out.append(0x20); i += 1
            } else if byte == UInt8(ascii: "="), i + 2 < text.count,
                      let hi = TransferEncoding.hexValue(text[i + 1]), let lo = TransferEncoding.hexValue(text[i + 2]) {
                out.append(hi << 4 | lo); i += 3
            } else {
                out.append(byte); i += 1
            }
        }
        return out
    }
}
