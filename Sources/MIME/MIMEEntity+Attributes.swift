import Foundation

/// A parsed `Content-Disposition`: lower-cased kind (`inline`, `attachment`) and parameters.
public struct ContentDisposition: Sendable, Equatable {
    public var kind: String
    public var parameters: [String: String]

    public init(kind: String, parameters: [String: String] = [:]) {
        self.kind = kind.lowercased(); self.parameters = parameters
    }

    /// Parses a header value; RFC 2231 parameters are decoded.
    public static func parse(_ value: String) -> ContentDisposition {
        let (token, parameters) = HeaderParameters.parse(value)
        return ContentDisposition(kind: token, parameters: parameters)
    }

    public var filename: String? { parameters["filename"] }
    public var isAttachment: Bool { kind == "attachment" }
}

extension MIMEEntity {
    /// The `Content-Disposition`, if the part has one.
    public var disposition: ContentDisposition? { header("Content-Disposition").map(ContentDisposition.parse) }

    /// The decoded file name: the disposition's `filename`, else the type's `name`.
    ///
    /// RFC 2231 forms are decoded by the parameter parser; RFC 2047 encoded words (which many
    /// mailers put in file names against the rules) are decoded here. Path parts are removed.
    public var filename: String? {
        let raw = disposition?.filename ?? contentType.parameters["name"]
        guard let raw else { return nil }
        var name = EncodedWords.decode(raw).trimmingCharacters(in: .whitespacesAndNewlines)
        if let slash = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) { name = String(name[name.index(after: slash)...]) }
        return name.isEmpty ? nil : name
    }

    /// A part shown as an attachment: a leaf with a file name or with `Content-Disposition: attachment`.
    public var isAttachment: Bool {
        guard !contentType.isMultipart || parts.isEmpty else { return false }
        return filename != nil || disposition?.isAttachment == true
    }

    /// An attached message: message/rfc822 (or message/global) with its parsed message as the one
    /// child, or a digest part without a Content-Type (whose default type is message/rfc822).
    public var isAttachedMessage: Bool {
        guard parts.count == 1 else { return false }
        let type = contentType
        if type.type == "message" { return type.subtype == "rfc822" || type.subtype == "global" }
        return header("Content-Type") == nil
    }

    /// The size in bytes of the decoded content: the body's, or `knownSize` when the body lives elsewhere.
    public var size: Int { body.isEmpty ? (knownSize ?? 0) : body.count }

    /// The body as text in the part's charset (with the fallbacks of `Charset.decode`).
    public var text: String { Charset.decode(body, charset: contentType.charset) }
}
