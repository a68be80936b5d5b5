import Foundation

// PUBLIC INTERFACE (fixed; other modules build on it). Implementations are
// placeholders until the MIME work lands.

/// One header field of a message or part: the name as written, the value unfolded but not decoded.
public struct MIMEHeader: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) { self.name = name; self.value = value }
}

/// A parsed `Content-Type`: lower-cased type and subtype, parameters with lower-cased names.
public struct ContentType: Sendable, Equatable {
    public var type: String
    public var subtype: String
    public var parameters: [String: String]
    public init(type: String, subtype: String, parameters: [String: String] = [:]) {
        self.type = type.lowercased(); self.subtype = subtype.lowercased(); self.parameters = parameters
    }
    /// `type/subtype`.
    public var mimeType: String { "\(type)/\(subtype)" }
    public var charset: String? { parameters["charset"] }
    public var boundary: String? { parameters["boundary"] }
    public var isMultipart: Bool { type == "multipart" }
    /// `text/plain; charset=us-ascii`, RFC 2045's default.
    public static let `default` = ContentType(type: "text", subtype: "plain", parameters: ["charset": "us-ascii"])
    /// Parses a header value; never fails (an unreadable value gives the default).
    public static func parse(_ value: String) -> ContentType {
        let pieces = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = pieces.first, let slash = first.firstIndex(of: "/") else { return .default }
        var parameters: [String: String] = [:]
        for p in pieces.dropFirst() {
            guard let eq = p.firstIndex(of: "=") else { continue }
            var v = String(p[p.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            parameters[p[..<eq].trimmingCharacters(in: .whitespaces).lowercased()] = v
        }
        return ContentType(type: String(first[..<slash]), subtype: String(first[first.index(after: slash)...]), parameters: parameters)
    }
}

/// A message or one of its parts, as a tree.
///
/// `body` holds the *decoded* bytes of a leaf (transfer encoding removed, charset
/// not yet applied); it is empty for multiparts. When only the size of a leaf is
/// known (Gmail keeps large parts behind an `attachmentId`), `body` is empty and
/// `knownSize` carries the size.
public struct MIMEEntity: Sendable, Equatable {
    public var headers: [MIMEHeader]
    public var body: Data
    public var parts: [MIMEEntity]
    public var knownSize: Int?

    public init(headers: [MIMEHeader], body: Data = Data(), parts: [MIMEEntity] = [], knownSize: Int? = nil) {
        self.headers = headers; self.body = body; self.parts = parts; self.knownSize = knownSize
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var contentType: ContentType { header("Content-Type").map(ContentType.parse) ?? .default }
}

/// Turns raw RFC 822 bytes into a `MIMEEntity` tree.
public enum MIMEParser {
    /// Parses anything: malformed input gives the best tree it can, never an error.
    public static func parse(_ raw: Data) -> MIMEEntity {
        // Placeholder: headers up to the first blank line, the rest as one body.
        let text = String(decoding: raw, as: UTF8.self)
        let split = text.range(of: "\r\n\r\n") ?? text.range(of: "\n\n")
        let head = split.map { String(text[..<$0.lowerBound]) } ?? text
        let body = split.map { String(text[$0.upperBound...]) } ?? ""
        var headers: [MIMEHeader] = []
        for line in head.components(separatedBy: .newlines) {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                headers.append(MIMEHeader(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return MIMEEntity(headers: headers, body: Data(body.utf8))
    }
}

/// What a person reads: the body as text, and the attachments.
public struct RenderedMessage: Sendable, Equatable {
    public struct Attachment: Sendable, Equatable {
        public var filename: String
        public var mimeType: String
        public var size: Int
        public init(filename: String, mimeType: String, size: Int) { self.filename = filename; self.mimeType = mimeType; self.size = size }
    }
    public var text: String
    public var attachments: [Attachment]
    public init(text: String, attachments: [Attachment]) { self.text = text; self.attachments = attachments }
}

/// Picks and decodes the readable body of a message tree.
public enum MessageRenderer {
    /// text/plain preferred, HTML converted to text, charsets applied; attachments listed.
    public static func render(_ entity: MIMEEntity) -> RenderedMessage {
        RenderedMessage(text: String(decoding: entity.body, as: UTF8.self), attachments: [])
    }
}

/// RFC 2047 encoded words (`=?charset?B|Q?...?=`) in header values.
public enum EncodedWords {
    public static func decode(_ value: String) -> String { value }
}

/// Bytes to text in a named charset, falling back (never failing) when it is unknown or wrong.
public enum Charset {
    public static func decode(_ data: Data, charset: String?) -> String { String(decoding: data, as: UTF8.self) }
}

/// HTML to readable plain text.
public enum HTMLText {
    public static func render(_ html: String) -> String { html }
}
