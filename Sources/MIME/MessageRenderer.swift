import Foundation

/// Picks and decodes the readable body of a message tree.
///
/// - multipart/alternative: the first non-empty text/plain alternative, else the richest other
///   alternative (the last one that gives text), HTML converted to text.
/// - multipart/related: its root part (the `start` parameter, else the first part).
/// - other multiparts (mixed, signed, report, digest...): the readable parts in order, separated
///   by a blank line.
/// - message/rfc822: a separator line, its From, Date and Subject, a blank line, then its body;
///   whether the inner message is the one child part or still the raw bytes of a leaf (as Gmail
///   sometimes sends it).
/// - encrypted bodies (PGP/MIME, S/MIME enveloped data): one line saying so (`encryptedPGP`,
///   `encryptedSMIME`); their parts are still listed as attachments.
/// - attachments: leaves with a file name or `Content-Disposition: attachment`, listed with
///   their decoded size (body bytes, else `knownSize`); their content is not shown, except for
///   text/plain and text/html files marked `Content-Disposition: inline`, which are also shown,
///   and a small text/plain attachment when the message has no other text (`fallbackTextAttachment`).
/// - the text has LF line endings, no control characters but tab, and no blank lines at either
///   end; a message with no readable text reads "(no text content)".
public enum MessageRenderer {
    /// What a message with no readable text shows.
    public static let noTextContent = "(no text content)"

    /// Whether a leaf of this type is text a person reads in place (text, delivery reports, a multipart
    /// whose boundary never appeared); images, signatures and other binaries are not.
    public static func isReadable(_ type: ContentType) -> Bool {
        type.type == "text" || type.isMultipart
            || (type.type == "message" && ["delivery-status", "disposition-notification", "rfc822-headers"].contains(type.subtype))
    }

    /// Whether `render` shows the text of this leaf: a readable type that is not an attachment, or a plain
    /// or HTML text file marked inline (meant to be read in place, as mail clients show it).
    public static func showsText(_ leaf: MIMEEntity) -> Bool {
        let type = leaf.contentType
        guard isReadable(type) else { return false }
        guard leaf.isAttachment else { return true }
        return leaf.disposition?.kind == "inline" && type.type == "text" && (type.subtype == "plain" || type.subtype == "html")
    }

    /// Separator line above an attached message's headers.
    public static let attachedMessageSeparator = "---------- Attached message ----------"

    /// text/plain preferred, HTML converted to text, charsets applied; attachments listed.
    public static func render(_ entity: MIMEEntity) -> RenderedMessage {
        var walk = RenderWalk()
        var text = withoutControlCharacters(walk.render(entity, depth: 0))
        if text.isEmpty, let path = fallbackTextAttachment(in: entity), let leaf = entity.descendant(at: path), looksLikeText(leaf.body) {
            text = withoutControlCharacters(walk.leafText(leaf))
        }
        return RenderedMessage(text: text.isEmpty ? noTextContent : text, attachments: walk.attachments)
    }

    /// Removes control characters other than line feed and tab (and byte order marks), so a body
    /// cannot send escape sequences to the terminal that shows it.
    static func withoutControlCharacters(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v == 0x0A || v == 0x09 || (v >= 0x20 && v < 0x7F) || (v > 0x9F && v != 0xFEFF) { scalars.append(scalar) }
        }
        return String(scalars).trimmingCharacters(in: .newlines)
    }

    /// Header values decoded for display: encoded words decoded, whitespace runs collapsed.
    public static func displayHeader(_ value: String) -> String {
        EncodedWords.decode(value).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).joined(separator: " ")
    }
}

/// One pass over a tree: returns the text of each part and gathers the attachments on the way.
struct RenderWalk {
    var attachments: [RenderedMessage.Attachment] = []

    mutating func render(_ entity: MIMEEntity, depth: Int) -> String {
        guard depth <= MIMEParser.maximumDepth + 1 else { return "" }
        let type = entity.contentType
        if let encryption = MessageRenderer.encryption(of: entity) {
            // What can be read is only that it is encrypted; its parts stay listed so they can be saved.
            if entity.isAttachment { addAttachment(entity) }
            for part in entity.parts { _ = render(part, depth: depth + 1) }
            return encryption
        }
        if entity.isAttachedMessage {
            if entity.isAttachment { addAttachment(entity) }
            return attachedMessage(entity.parts[0], depth: depth)
        }
        if MessageRenderer.isMessageLeaf(entity) {
            // A forwarded message as one part: open its bytes; without them (left on Gmail's side) list it.
            if entity.isAttachment || entity.body.isEmpty { addAttachment(entity) }
            guard !entity.body.isEmpty else { return "" }
            return attachedMessage(MIMEParser.parse(bytes: [UInt8](entity.body), depth: depth + 1, skipMboxLine: true), depth: depth)
        }
        if entity.isAttachment {
            addAttachment(entity)
            return MessageRenderer.showsText(entity) ? leafText(entity) : ""
        }
        if type.isMultipart, !entity.parts.isEmpty {
            switch type.subtype {
            case "alternative": return alternative(entity.parts, depth: depth)
            case "related": return related(entity, depth: depth)
            default: return joined(entity.parts.map { render($0, depth: depth + 1) })
            }
        }
        return leafText(entity)
    }

    /// The text of a leaf that a person reads inline; other leaves (images, signatures) give none.
    func leafText(_ entity: MIMEEntity) -> String {
        let type = entity.contentType
        guard MessageRenderer.isReadable(type), !entity.body.isEmpty else { return "" }
        if type.subtype == "html" {
            // An HTML part without a charset parameter may declare one in a <meta> tag.
            let charset = type.charset ?? HTMLText.declaredCharset(entity.body)
            let text = Charset.decode(entity.body, charset: charset)
            return Self.looksLikeHTML(text) ? HTMLText.render(text) : Self.tidy(text)
        }
        let text = entity.text
        return Self.tidy(type.parameters["format"]?.lowercased() == "flowed"
            ? Self.unflow(text, delSp: type.parameters["delsp"]?.lowercased() == "yes") : text)
    }

    private mutating func alternative(_ parts: [MIMEEntity], depth: Int) -> String {
        for part in parts where part.contentType.mimeType == "text/plain" && !part.isAttachment {
            let text = render(part, depth: depth + 1)
            if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return text }
        }
        // Richest last (RFC 2046 5.1.4): try from the end, keep the first that gives text.
        for part in parts.reversed() {
            var trial = RenderWalk()
            let text = trial.render(part, depth: depth + 1)
            if !text.isEmpty {
                attachments += trial.attachments
                return text
            }
        }
        return ""
    }

    private mutating func related(_ entity: MIMEEntity, depth: Int) -> String {
        var root = 0
        if let start = entity.contentType.parameters["start"]?.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")),
           let index = entity.parts.firstIndex(where: { $0.header("Content-ID")?.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")) == start }) {
            root = index
        }
        var text = ""
        for (index, part) in entity.parts.enumerated() {
            if index == root {
                text = render(part, depth: depth + 1)
            } else if part.isAttachment {
                addAttachment(part)
            }
        }
        return text
    }

    private mutating func attachedMessage(_ inner: MIMEEntity, depth: Int) -> String {
        var lines = [MessageRenderer.attachedMessageSeparator]
        for name in ["From", "Date", "Subject"] {
            if let value = inner.header(name) { lines.append("\(name): \(MessageRenderer.displayHeader(value))") }
        }
        let body = render(inner, depth: depth + 1)
        return lines.joined(separator: "\n") + (body.isEmpty ? "" : "\n\n" + body)
    }

    private mutating func addAttachment(_ entity: MIMEEntity) {
        let type = entity.contentType
        let name = entity.filename ?? (type.type == "message" ? "message.eml" : "noname")
        attachments.append(RenderedMessage.Attachment(filename: name, mimeType: type.mimeType, size: entity.size, partID: entity.partID))
    }

    /// Whether "HTML" holds any markup; some mailers label plain text as text/html.
    static func looksLikeHTML(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        for i in bytes.indices.dropLast() where bytes[i] == UInt8(ascii: "<") {
            let next = bytes[i + 1] | 0x20
            if (next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z")) || bytes[i + 1] == UInt8(ascii: "/") || bytes[i + 1] == UInt8(ascii: "!") {
                return true
            }
        }
        return false
    }

    private func joined(_ texts: [String]) -> String {
        texts.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// LF line endings, trailing whitespace-only lines and leading blank lines removed.
    static func tidy(_ text: String) -> String {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
        while let first = lines.first, first.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeFirst() }
        return lines.joined(separator: "\n")
    }

    /// Joins the soft line breaks of format=flowed text (RFC 3676): a line ending in a space continues.
    static func unflow(_ text: String, delSp: Bool) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        var current: String?
        for var line in lines {
            // Space-stuffing: a leading space was added by the sender; "-- " is the signature separator.
            if line.hasPrefix(" ") { line = line.dropFirst() }
            let isSoft = line.hasSuffix(" ") && line != "-- " && !line.hasPrefix(">")
            var piece = String(line)
            if isSoft && delSp { piece.removeLast() }
            current = (current ?? "") + piece
            if !isSoft {
                out.append(current ?? "")
                current = nil
            }
        }
        if let current { out.append(current) }
        return out.joined(separator: "\n")
    }
}
