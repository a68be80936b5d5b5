import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes to text in a named charset, falling back (never failing) when it is unknown or wrong.
public enum Charset {
    /// Decodes `data` in `charset`.
    ///
    /// - Missing charset, US-ASCII, or a name iconv does not know (`uft-8`, `fakescii`):
    ///   UTF-8 if the bytes are valid UTF-8, else windows-1252.
    /// - UTF-8 that is not valid: lossy UTF-8 when the bytes hold real multi-byte characters
    ///   (a few damaged ones), else windows-1252 (the label was wrong).
    /// - ISO-8859-1: read as windows-1252, as browsers do, since mailers label cp1252 text that way.
    /// - UTF-7: decoded here (`UTF7`), each base64 run ending at the first character outside it.
    /// - Anything else through iconv; an invalid sequence becomes U+FFFD and decoding goes on.
    public static func decode(_ data: Data, charset: String?) -> String {
        decode([UInt8](data), charset: charset)
    }

    /// Decodes bytes; see `decode(_:charset:)` for `Data`.
    public static func decode(_ bytes: [UInt8], charset: String?) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            // Every ASCII-compatible charset agrees on these bytes; UTF-7 and the ISO-2022 family do not.
            let name = charset.map(normalizedName) ?? ""
            if !(name.hasPrefix("UTF-7") || name.hasPrefix("ISO-2022") || name.hasPrefix("UTF-16") || name.hasPrefix("UTF-32")) {
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        guard let charset, !charset.trimmingCharacters(in: .whitespaces).isEmpty else { return guessed(bytes) }
        let name = normalizedName(charset)
        switch name {
        case "UTF-8":
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            return hasMultibyteUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : windows1252(bytes)
        case "UTF-7":
            return UTF7.decode(bytes)
        case "US-ASCII":
            return guessed(bytes)
        case "ISO-8859-1", "WINDOWS-1252":
            return windows1252(bytes)
        default:
            return iconvDecode(bytes, from: name) ?? guessed(bytes)
        }
    }

    /// Whether iconv (or the built-in decoders) can read this charset name.
    public static func isKnown(_ charset: String) -> Bool {
        let name = normalizedName(charset)
        if ["UTF-8", "US-ASCII", "ISO-8859-1", "WINDOWS-1252"].contains(name) { return true }
        return IconvConverter(from: name) != nil
    }

    /// UTF-8 when valid, else windows-1252 (which maps every byte).
    static func guessed(_ bytes: [UInt8]) -> String {
        String(validating: bytes, as: UTF8.self) ?? windows1252(bytes)
    }

    /// Maps a MIME charset label to the name iconv knows, resolving aliases and supersets.
    static func normalizedName(_ label: String) -> String {
        var name = label.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\n\"'")).lowercased()
        // RFC 2231 allows a language suffix on charsets in encoded words: "us-ascii*en".
        if let star = name.firstIndex(of: "*") { name = String(name[..<star]) }
        if let mapped = aliases[name] { return mapped }
        if name.hasPrefix("x-") {
            let bare = String(name.dropFirst(2))
            if let mapped = aliases[bare] { return mapped }
            name = bare
        }
        if name.hasPrefix("cp-") { name = "cp" + name.dropFirst(3) }
        if name.hasPrefix("windows") && !name.hasPrefix("windows-") { name = "windows-" + name.dropFirst(7) }
        if let mapped = aliases[name] { return mapped }
        return name.uppercased()
    }

    private static let aliases: [String: String] = [
        "utf8": "UTF-8", "utf-8": "UTF-8", "unicode-1-1-utf-8": "UTF-8",
        "utf7": "UTF-7", "utf-7": "UTF-7", "unicode-1-1-utf-7": "UTF-7",
        "us-ascii": "US-ASCII", "ascii": "US-ASCII", "ansi_x3.4-1968": "US-ASCII", "us": "US-ASCII", "646": "US-ASCII",
        "latin1": "ISO-8859-1", "latin-1": "ISO-8859-1", "iso-8859-1": "ISO-8859-1", "iso8859-1": "ISO-8859-1",
        "iso_8859-1": "ISO-8859-1", "l1": "ISO-8859-1", "iso-ir-100": "ISO-8859-1", "ibm819": "ISO-8859-1", "cp819": "ISO-8859-1",
        "cp1252": "WINDOWS-1252", "windows-1252": "WINDOWS-1252", "win-1252": "WINDOWS-1252",
        "gb2312": "GB18030", "gbk": "GB18030", "euc-cn": "GB18030", "cp936": "GB18030", "gb_2312-80": "GB18030",
        "chinese": "GB18030", "csgb2312": "GB18030", "gb18030": "GB18030",
        "big5": "BIG5-HKSCS", "big5-hkscs": "BIG5-HKSCS", "cn-big5": "BIG5-HKSCS",
        "ks_c_5601-1987": "CP949", "ks_c_5601": "CP949", "euc-kr": "CP949", "korean": "CP949",
        "shift_jis": "CP932", "shift-jis": "CP932", "sjis": "CP932", "ms_kanji": "CP932", "windows-31j": "CP932",
        "iso-8859-8-i": "ISO-8859-8", "iso-8859-6-i": "ISO-8859-6",
        "tis-620": "CP874", "windows-874": "CP874", "iso-8859-11": "CP874",
        "mac-roman": "MACINTOSH", "macroman": "MACINTOSH", "macintosh": "MACINTOSH",
        "koi8r": "KOI8-R", "koi8-r": "KOI8-R", "koi8u": "KOI8-U", "koi8-u": "KOI8-U",
    ]

    /// Counts on well-formed multi-byte UTF-8 sequences to tell damaged UTF-8 from mislabelled 8-bit text.
    static func hasMultibyteUTF8(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? (lead <= 0xEF ? 3 : 0) : lead >= 0xC2 ? 2 : 0
            if length > 0, i + length <= bytes.count, bytes[(i + 1)..<(i + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) {
                return true
            }
            i += 1
        }
        return false
    }

    /// windows-1252, with the five bytes it leaves undefined mapped to the C1 controls (so it never fails).
    static func windows1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte >= 0x80 && byte < 0xA0, let scalar = Unicode.Scalar(cp1252High[Int(byte - 0x80)]) {
                scalars.append(scalar)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Converts through iconv, or nil when iconv does not know the charset.
    static func iconvDecode(_ bytes: [UInt8], from name: String) -> String? {
        guard let converter = IconvConverter(from: name) else { return nil }
        return converter.convert(bytes)
    }
}

/// Owns one iconv conversion descriptor (to UTF-8) and closes it in `deinit`.
final class IconvConverter {
    private let descriptor: iconv_t

    init?(from name: String) {
        let descriptor = iconv_open("UTF-8", name)
        guard let descriptor, descriptor != iconv_t(bitPattern: -1) else { return nil }
        self.descriptor = descriptor
    }

    deinit { iconv_close(descriptor) }

    /// Converts all of `bytes`; each invalid or truncated input sequence becomes U+FFFD.
    func convert(_ bytes: [UInt8]) -> String {
        var input = bytes
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2 + 16)
        var chunk = [UInt8](repeating: 0, count: 4096)
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        input.withUnsafeMutableBufferPointer { inBuffer in
            chunk.withUnsafeMutableBufferPointer { outBuffer in
                guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return }
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var finished = false
                while !finished {
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count
                    let result: Int
                    if inLeft > 0 {
                        result = iconv(descriptor, &inPtr, &inLeft, &outPtr, &outLeft)
                    } else {
                        // Flush any shift state (stateful encodings such as UTF-7 or ISO-2022-JP).
                        result = iconv(descriptor, nil, nil, &outPtr, &outLeft)
                        finished = true
                    }
                    let produced = outBuffer.count - outLeft
                    output.append(contentsOf: UnsafeBufferPointer(start: outBase, count: produced))
                    if result == -1 {
                        let error = errno
                        if error == E2BIG { finished = false; continue }
                        if inLeft == 0 { break }
                        output.append(contentsOf: replacement)
                        if error == EINVAL {
                            // A truncated sequence at the end: nothing more can be read.
                            inLeft = 0
                            continue
                        }
                        inPtr = inPtr.map { $0 + 1 }
                        inLeft -= 1
                    }
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
