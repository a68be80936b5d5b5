import Foundation

/// Content-Transfer-Encoding decoders (RFC 2045), tolerant of what real mailers send.
public enum TransferEncoding {
    /// Removes a transfer encoding by name; unknown names and identity encodings return the bytes unchanged.
    public static func decode(_ bytes: [UInt8], encoding: String?) -> [UInt8] {
        switch encoding?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "base64": return base64(bytes)
        case "quoted-printable": return quotedPrintable(bytes)
        default: return bytes
        }
    }

    /// Decodes base64, skipping anything outside the alphabet (line breaks, junk) and accepting missing padding.
    ///
    /// Both the standard and the URL-safe alphabets are accepted, so Gmail's `data` fields decode here too.
    public static func base64(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 4)
        var accumulator: UInt32 = 0
        var count = 0
        for byte in bytes {
            guard let value = sextet(byte) else { continue }
            accumulator = accumulator << 6 | UInt32(value)
            count += 1
            if count == 4 {
                out.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                out.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                out.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator = 0
                count = 0
            }
        }
        // A trailing group of 2 or 3 sextets still carries 1 or 2 whole bytes; a lone sextet carries none.
        if count == 2 {
            out.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        } else if count == 3 {
            out.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            out.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        }
        return out
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): return 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): return 63
        default: return nil
        }
    }

    /// Decodes quoted-printable: soft line breaks removed, hex escapes in either case, bad escapes kept literally.
    ///
    /// Trailing spaces and tabs before a line break are transport padding (RFC 2045 6.7 rule 3) and are dropped.
    /// Line endings are kept as written (CRLF or LF).
    public static func quotedPrintable(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte == UInt8(ascii: "=") {
                // Soft line break: "=" then optional whitespace then LF or CRLF (or the end of the body).
                var j = i + 1
                while j < n, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                if j == n { i = j; continue }
                if bytes[j] == 0x0A { i = j + 1; continue }
                if bytes[j] == 0x0D, j + 1 < n, bytes[j + 1] == 0x0A { i = j + 2; continue }
                if i + 2 < n, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                    out.append(hi << 4 | lo)
                    i += 3
                    continue
                }
                out.append(byte)
                i += 1
            } else if byte == 0x20 || byte == 0x09 {
                var j = i
                while j < n, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                let atLineEnd = j == n || bytes[j] == 0x0A || (bytes[j] == 0x0D && j + 1 < n && bytes[j + 1] == 0x0A)
                if !atLineEnd { out.append(contentsOf: bytes[i..<j]) }
                i = j
            } else {
                out.append(byte)
                i += 1
            }
        }
        return out
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
