import Foundation

// The parser, renderer and decoders that build on these values live in their own
// files: MIMEParser, MessageRenderer, EncodedWords, Charset, HTMLText.

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
    ///
    /// Quoted parameter values may hold `;`; RFC 2231 continuations and charsets are decoded.
    /// A value with no `/` (`text; charset=koi8-r`) is read as `text/plain`, keeping its parameters.
    public static func parse(_ value: String) -> ContentType {
        let (token, parameters) = HeaderParameters.parse(value)
        let pieces = token.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty, !pieces[1].contains(where: \.isWhitespace) else {
            var fallback = ContentType.default
            if !parameters.isEmpty { fallback.parameters = parameters }
            if fallback.parameters["charset"] == nil { fallback.parameters["charset"] = "us-ascii" }
            return fallback
        }
        return ContentType(type: pieces[0], subtype: pieces[1], parameters: parameters)
    }
}

/// A message or one of its parts, as a tree.
///
/// `body` holds the *decoded* bytes of a leaf (transfer encoding removed, charset
/// not yet applied); it is empty for multiparts. When only the size of a leaf is
/// known (Gmail keeps large parts behind an `attachmentId`), `body` is empty and
/// `knownSize` carries the size.
///
/// An attached `message/rfc822` part is both: a leaf whose `body` holds the raw
/// inner message bytes, and a node whose `parts` hold one child, the inner
/// message parsed (headers and tree). Gmail's payload has that shape (the inner
/// message as the single child part, the body possibly empty) or sends the inner
/// message's bytes as a leaf's body with no child, which `MessageRenderer` opens itself.
public struct MIMEEntity: Sendable, Equatable {
    public var headers: [MIMEHeader]
    public var body: Data
    public var parts: [MIMEEntity]
    public var knownSize: Int?
    /// Where the part's bytes can be asked for again (Gmail's `partId`), when the tree came from a service
    /// that addresses parts; nil for a tree parsed from bytes.
    public var partID: String?

    public init(headers: [MIMEHeader], body: Data = Data(), parts: [MIMEEntity] = [], knownSize: Int? = nil, partID: String? = nil) {
        self.headers = headers; self.body = body; self.parts = parts; self.knownSize = knownSize; self.partID = partID
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var contentType: ContentType { header("Content-Type").map(ContentType.parse) ?? .default }
}

/// What a person reads: the body as text, and the attachments.
public struct RenderedMessage: Sendable, Equatable {
    public struct Attachment: Sendable, Equatable {
        public var filename: String
        public var mimeType: String
        public var size: Int
        /// The attached part's `MIMEEntity.partID`.
        public var partID: String?
        public init(filename: String, mimeType: String, size: Int, partID: String? = nil) {
            self.filename = filename; self.mimeType = mimeType; self.size = size; self.partID = partID
        }
    }
    public var text: String
    public var attachments: [Attachment]
    public init(text: String, attachments: [Attachment]) { self.text = text; self.attachments = attachments }
}

