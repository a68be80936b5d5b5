import Foundation

/// Turns raw RFC 822 bytes into a `MIMEEntity` tree.
///
/// The tree it builds:
/// - Headers are unfolded (line breaks removed, the whitespace after them kept) and trimmed,
///   but not decoded: encoded words stay as written. Header bytes are read as UTF-8 when valid,
///   else as ISO-8859-1. A leading mbox `From ` line is skipped.
/// - A header section that ends without a blank line ends at the first line that is neither a
///   header field nor a continuation; that line starts the body. An indented first line that
///   holds a field is read as that field.
/// - A multipart with its boundary present has `parts` (preamble and epilogue dropped) and an
///   empty `body`. A missing final boundary ends the last part at the end of the input. A
///   multipart whose boundary is missing or never appears is a leaf whose `body` is the raw text.
/// - A `message/rfc822` (or `message/global`) part is a leaf whose `body` is the raw inner
///   message bytes (transfer encoding removed) AND has exactly one child in `parts`: the inner
///   message, parsed.
///   In a multipart/digest, a part with no Content-Type header is such a message too (RFC 2046's
///   default there); it keeps its headers as written, so check `isAttachedMessage` rather than
///   the content type.
/// - Any other leaf has its transfer encoding (base64, quoted-printable) removed from `body`;
///   unknown encodings leave the bytes as they are.
/// - Below `maximumDepth` levels of nesting, entities become leaves, so hostile input cannot
///   exhaust the stack.
public enum MIMEParser {
    /// Nesting depth past which multiparts and attached messages are not opened.
    public static let maximumDepth = 32

    /// Parses anything: malformed input gives the best tree it can, never an error.
    public static func parse(_ raw: Data) -> MIMEEntity {
        parse(bytes: [UInt8](raw), depth: 0, skipMboxLine: true)
    }

    /// Parses raw bytes; see `parse(_:)`.
    public static func parse(bytes: [UInt8]) -> MIMEEntity {
        parse(bytes: bytes, depth: 0, skipMboxLine: true)
    }

    static func parse(bytes: [UInt8], depth: Int, skipMboxLine: Bool = false, inDigest: Bool = false) -> MIMEEntity {
        let (headers, bodyStart) = parseHeaders(bytes, skipMboxLine: skipMboxLine)
        let raw = Array(bytes[bodyStart...])
        var entity = MIMEEntity(headers: headers)
        let type = entity.contentType
        let encoding = entity.header("Content-Transfer-Encoding")
        if type.isMultipart, depth < maximumDepth, let boundary = type.boundary, !boundary.isEmpty,
           let ranges = splitMultipart(raw, boundary: boundary) {
            let digest = type.subtype == "digest"
            entity.parts = ranges.map { parse(bytes: Array(raw[$0]), depth: depth + 1, inDigest: digest) }
            return entity
        }
        let decoded = TransferEncoding.decode(raw, encoding: encoding)
        entity.body = Data(decoded)
        // In a digest, a part without a Content-Type is a message/rfc822 (RFC 2046 5.1.5).
        let isMessage = (type.type == "message" && (type.subtype == "rfc822" || type.subtype == "global"))
            || (inDigest && entity.header("Content-Type") == nil)
        if isMessage, depth < maximumDepth {
            entity.parts = [parse(bytes: decoded, depth: depth + 1, skipMboxLine: true)]
        }
        return entity
    }

    /// The header fields and the offset where the body starts.
    static func parseHeaders(_ bytes: [UInt8], skipMboxLine: Bool) -> ([MIMEHeader], Int) {
        var fields: [(name: [UInt8], value: [UInt8])] = []
        var pos = 0
        let n = bytes.count
        var bodyStart = n
        var firstLine = true
        while pos < n {
            let lineEnd = bytes[pos...].firstIndex(of: 0x0A) ?? n
            var contentEnd = lineEnd
            if contentEnd > pos, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let next = min(lineEnd + 1, n)
            defer { firstLine = false }
            if contentEnd == pos {
                bodyStart = next
                break
            }
            let first = bytes[pos]
            if first == 0x20 || first == 0x09 {
                if fields.isEmpty {
                    // Stray indentation before the first field: read the field if there is one.
                    var start = pos
                    while start < contentEnd, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
                    if let colon = headerColon(bytes, from: start, to: contentEnd) {
                        fields.append((Array(bytes[start..<colon]), Array(bytes[(colon + 1)..<contentEnd])))
                        pos = next
                        continue
                    }
                    bodyStart = pos
                    break
                }
                fields[fields.count - 1].value += bytes[pos..<contentEnd]
                pos = next
                continue
            }
            if let colon = headerColon(bytes, from: pos, to: contentEnd) {
                var nameEnd = colon
                while nameEnd > pos, bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09 { nameEnd -= 1 }
                fields.append((Array(bytes[pos..<nameEnd]), Array(bytes[(colon + 1)..<contentEnd])))
                pos = next
                continue
            }
            if firstLine, skipMboxLine, bytes[pos..<contentEnd].starts(with: Array("From ".utf8)) {
                pos = next
                continue
            }
            // Neither a field nor a continuation: the blank line is missing and the body starts here.
            bodyStart = pos
            break
        }
        if pos >= n { bodyStart = min(bodyStart, n) }
        let headers = fields.map { MIMEHeader(name: headerText($0.name).trimmingCharacters(in: .whitespaces), value: headerText($0.value).trimmingCharacters(in: .whitespacesAndNewlines)) }
        return (headers, bodyStart)
    }

    /// The colon ending a field name (printable ASCII, optionally followed by whitespace), if the line is a field.
    private static func headerColon(_ bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        var i = start
        while i < end, bytes[i] > 0x20, bytes[i] < 0x7F, bytes[i] != UInt8(ascii: ":") { i += 1 }
        guard i > start else { return nil }
        while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        return i < end && bytes[i] == UInt8(ascii: ":") ? i : nil
    }

    /// Header bytes as text: UTF-8 if valid, else ISO-8859-1 (every byte maps to a character).
    static func headerText(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// The byte ranges of the parts between boundary lines, or nil when no boundary line appears.
    ///
    /// The line break before a boundary line belongs to the boundary (RFC 2046 5.1.1). Boundary
    /// lines may carry trailing whitespace; a line that merely starts with the boundary and goes on
    /// with other text (a longer, similar boundary) is not a boundary line.
    static func splitMultipart(_ bytes: [UInt8], boundary: String) -> [Range<Int>]? {
        let delimiter = Array(("--" + boundary).utf8)
        let n = bytes.count
        var ranges: [Range<Int>] = []
        var partStart: Int?
        var sawDelimiter = false
        var pos = 0
        while pos < n {
            let lineEnd = bytes[pos...].firstIndex(of: 0x0A) ?? n
            var contentEnd = lineEnd
            if contentEnd > pos, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd - pos >= delimiter.count, bytes[pos] == UInt8(ascii: "-"),
               bytes[pos..<(pos + delimiter.count)].elementsEqual(delimiter) {
                var rest = bytes[(pos + delimiter.count)..<contentEnd]
                let isClose = rest.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")])
                if isClose { rest = rest.dropFirst(2) }
                if rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                    sawDelimiter = true
                    if let start = partStart {
                        var end = pos
                        if end > start, bytes[end - 1] == 0x0A { end -= 1 }
                        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                        ranges.append(start..<end)
                    }
                    if isClose { return ranges }
                    partStart = min(lineEnd + 1, n)
                }
            }
            pos = lineEnd + 1
        }
        guard sawDelimiter else { return nil }
        if let start = partStart { ranges.append(start..<n) }
        return ranges
    }
}
