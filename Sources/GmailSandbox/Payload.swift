import Foundation
import MIME

/// A message's parsed form, built on the first `get` and cached: the payload tree, the snippet, the attachments.
struct ParsedMessage: Sendable {
    /// The `payload` of `format=full`.
    var payload: JSON
    var snippet: String
    /// attachmentId → decoded bytes.
    var attachments: [String: Data]
    var hasAttachment: Bool
    /// Lower-cased text for word search.
    var searchText: String
}

/// Turns a MIME tree into Gmail's `MessagePart` JSON.
enum PayloadBuilder {
    /// Leaves larger than this (decoded) go behind an attachmentId, as Gmail does.
    static let inlineLimit = 16 * 1024

    static func parse(_ message: StoredMessage) -> ParsedMessage {
        let entity = MIMEParser.parse(message.raw)
        var attachments: [String: Data] = [:]
        var texts: [String] = []
        var hasAttachment = false
        let payload = part(entity, partId: "", messageId: message.id, topHeaders: message.headers, attachments: &attachments, texts: &texts, hasAttachment: &hasAttachment)
        var text = texts.first ?? ""
        if text.isEmpty { text = MessageRenderer.render(entity).text }
        let snippet = makeSnippet(text)
        let searchText = (message.subject + "\n" + message.from + "\n" + message.to + "\n" + message.cc + "\n" + texts.joined(separator: "\n")).lowercased()
        return ParsedMessage(payload: payload, snippet: snippet, attachments: attachments, hasAttachment: hasAttachment, searchText: searchText)
    }

    private static func part(_ e: MIMEEntity, partId: String, messageId: String, topHeaders: [MIMEHeader]?, attachments: inout [String: Data], texts: inout [String], hasAttachment: inout Bool) -> JSON {
        let headers = topHeaders ?? e.headers
        let ct = e.contentType
        let filename = filenameOf(e)
        // A digest's parts have no Content-Type and are messages (RFC 2046 5.1.5), as Gmail labels them.
        let mimeType = e.isAttachedMessage && e.header("Content-Type") == nil ? "message/rfc822" : ct.mimeType
        var members: [(String, JSON)] = [
            ("partId", .string(partId)),
            ("mimeType", .string(mimeType)),
            ("filename", .string(filename)),
            ("headers", .array(headers.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })),
        ]
        // A multipart whose boundary never appears has no parts: it is served as a leaf, so its text is not lost.
        if !e.parts.isEmpty {
            members.append(("body", .object([("size", .int(0))])))
            var children: [JSON] = []
            for (i, child) in e.parts.enumerated() {
                let childId = partId.isEmpty ? "\(i)" : "\(partId).\(i)"
                children.append(part(child, partId: childId, messageId: messageId, topHeaders: nil, attachments: &attachments, texts: &texts, hasAttachment: &hasAttachment))
            }
            if !children.isEmpty { members.append(("parts", .array(children))) }
            return .object(members)
        }
        let size = e.knownSize ?? e.body.count
        // A multipart that reached here has no parts (its boundary never appeared): its bytes are text to read.
        let isText = ct.type == "text" || ct.isMultipart
        if isText, filename.isEmpty {
            let decoded = Charset.decode(e.body, charset: ct.charset)
            texts.append(ct.subtype == "html" ? HTMLText.render(decoded) : decoded)
        }
        if !filename.isEmpty || size > inlineLimit || !isText {
            if !filename.isEmpty { hasAttachment = true }
            let attachmentId = AttachmentID.make(messageId: messageId, partId: partId)
            attachments[attachmentId] = e.body
            members.append(("body", .object([("attachmentId", .string(attachmentId)), ("size", .int(size))])))
        } else if size == 0 {
            members.append(("body", .object([("size", .int(0))])))
        } else {
            members.append(("body", .object([("size", .int(size)), ("data", .string(SandboxBase64.encode(e.body)))])))
        }
        return .object(members)
    }

    /// The decoded file name (the MIME module's rules), or "" as Gmail writes it.
    static func filenameOf(_ e: MIMEEntity) -> String { e.filename ?? "" }

    /// About 200 characters of text with runs of whitespace made one space.
    static func makeSnippet(_ text: String) -> String {
        var out = ""
        var lastSpace = true
        for ch in text {
            if ch.isWhitespace || ch.isNewline {
                if !lastSpace { out.append(" "); lastSpace = true }
            } else {
                out.append(ch)
                lastSpace = false
            }
            if out.count >= 200 { break }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }
}

/// Attachment ids that carry their part: opaque to clients, stable across restarts.
enum AttachmentID {
    static func make(messageId: String, partId: String) -> String {
        "ANGjdJ" + SandboxBase64.encode(Data("\(messageId):\(partId):sandbox-attachment".utf8), padded: false)
    }
}
