/// UTF-7 (RFC 2152), decoded by hand rather than through iconv.
///
/// iconv stays in a base64 run after an invalid byte, so one stray `+` (in a PGP signature line, in a
/// URL) turned the rest of a message into noise. Here a run ends at the first character outside modified
/// base64, a line break included, and damage stays within the run.
enum UTF7 {
    /// Decodes UTF-7 text.
    ///
    /// - `+-` is a plus sign; `+` followed by a character that cannot start a run is kept as written.
    /// - A run that is not well formed (bits left over that do not make a UTF-16 unit and are not zero
    ///   padding, or a lone surrogate) was not UTF-7 at all: its characters are kept as written.
    /// - Bytes above 0x7F cannot occur in UTF-7; text holding any is mislabelled and is read as UTF-8
    ///   if valid, else windows-1252.
    static func decode(_ bytes: [UInt8]) -> String {
        if bytes.contains(where: { $0 >= 0x80 }) { return Charset.guessed(bytes) }
        var out = String.UnicodeScalarView()
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            guard byte == UInt8(ascii: "+") else {
                out.append(Unicode.Scalar(byte))
                i += 1
                continue
            }
            var end = i + 1
            while end < n, sextet(bytes[end]) != nil { end += 1 }
            let run = bytes[(i + 1)..<end]
            if run.isEmpty {
                // "+-" is a plus sign; a "+" that starts no run stands for itself.
                out.append("+")
                i = end < n && bytes[end] == UInt8(ascii: "-") ? end + 1 : end
                continue
            }
            if let decoded = decodeRun(run) {
                out.append(contentsOf: decoded)
                // The "-" that closes a run is absorbed; any other terminator is ordinary text.
                i = end < n && bytes[end] == UInt8(ascii: "-") ? end + 1 : end
            } else {
                out.append("+")
                for b in run { out.append(Unicode.Scalar(b)) }
                i = end
            }
        }
        return String(out)
    }

    /// The characters of one base64 run, or nil when the run is not well-formed UTF-7.
    private static func decodeRun(_ run: ArraySlice<UInt8>) -> String.UnicodeScalarView? {
        var units: [UInt16] = []
        units.reserveCapacity(run.count * 6 / 16)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in run {
            guard let value = sextet(byte) else { return nil }
            accumulator = (accumulator << 6 | UInt32(value)) & 0xFF_FFFF
            bits += 6
            if bits >= 16 {
                bits -= 16
                units.append(UInt16(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // RFC 2152: what is left must be fewer than six bits, all zero.
        if bits >= 6 || accumulator & ((1 << UInt32(bits)) - 1) != 0 { return nil }
        var scalars = String.UnicodeScalarView()
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        return scalars
    }

    /// The value of a modified base64 character (no `=`: UTF-7 has no padding).
    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
