import Foundation

/// Parts the renderer names or opens instead of showing their bytes: encrypted bodies, forwarded
/// messages sent as one part, and the text attachment that stands in for a missing body.
extension MessageRenderer {
    /// What an encrypted PGP/MIME body (RFC 3156) shows.
    public static let encryptedPGP = "encrypted message (PGP)"
    /// What an encrypted S/MIME body (RFC 8551 enveloped data) shows.
    public static let encryptedSMIME = "encrypted message (S/MIME)"
    /// What an opaque S/MIME signature shows: the text is inside the signed data, which is not read here.
    public static let signedSMIME = "signed message (S/MIME)"

    /// Largest text/plain attachment shown as the body of a message that has no other text.
    public static let fallbackTextLimit = 256 * 1024

    /// The line naming an encrypted (or opaquely signed) part, or nil for any other part.
    public static func encryption(of entity: MIMEEntity) -> String? {
        let type = entity.contentType
        if type.mimeType == "multipart/encrypted" {
            return type.parameters["protocol"]?.lowercased().contains("pkcs7") == true ? encryptedSMIME : encryptedPGP
        }
        guard type.type == "application", type.subtype == "pkcs7-mime" || type.subtype == "x-pkcs7-mime" else { return nil }
        switch type.parameters["smime-type"]?.lowercased() {
        case "signed-data": return signedSMIME
        default: return encryptedSMIME
        }
    }

    /// A forwarded message whose inner message was not parsed into a child part: `message/rfc822`
    /// (or `message/global`) holding the raw message bytes in its body, or only their size.
    public static func isMessageLeaf(_ entity: MIMEEntity) -> Bool {
        let type = entity.contentType
        return type.type == "message" && (type.subtype == "rfc822" || type.subtype == "global") && entity.parts.isEmpty
    }

    /// Whether `render` needs this leaf's bytes to show it: text it shows in place, or a forwarded
    /// message sent as one part. (A client fetches such bodies when Gmail keeps them behind an attachmentId.)
    public static func needsBody(_ leaf: MIMEEntity) -> Bool {
        showsText(leaf) || isMessageLeaf(leaf)
    }

    /// The path (child indexes from the root) of the text/plain attachment that `render` shows when the
    /// message has no other text: the first one of at most `fallbackTextLimit` bytes. Nil when the
    /// message has text of its own (a readable part with content, a forwarded message, an encrypted
    /// body) or no such attachment.
    ///
    /// A part whose bytes are elsewhere counts by its `knownSize`, so the answer is the same before and
    /// after a client fetches those bytes.
    public static func fallbackTextAttachment(in entity: MIMEEntity) -> [Int]? {
        var candidate: [Int]?
        var hasText = false
        func walk(_ e: MIMEEntity, _ path: [Int]) {
            guard !hasText, path.count <= MIMEParser.maximumDepth + 1 else { return }
            if encryption(of: e) != nil || e.isAttachedMessage || isMessageLeaf(e) {
                hasText = true
                return
            }
            if e.contentType.isMultipart, !e.parts.isEmpty {
                for (i, part) in e.parts.enumerated() { walk(part, path + [i]) }
                return
            }
            if showsText(e) {
                let hasContent = e.body.isEmpty ? (e.knownSize ?? 0) > 0 : e.body.contains { !isASCIIWhitespace($0) }
                if hasContent { hasText = true }
                return
            }
            if candidate == nil, e.isAttachment, e.contentType.mimeType == "text/plain", e.size > 0, e.size <= fallbackTextLimit {
                candidate = path
            }
        }
        walk(entity, [])
        return hasText ? nil : candidate
    }

    /// Whether bytes labelled text/plain are text: no NUL and hardly any other control bytes. Files
    /// are mislabelled (an image sent as `text/plain; name=x.txt`), and a body of noise is worse than none.
    static func looksLikeText(_ bytes: Data) -> Bool {
        var controls = 0
        for byte in bytes {
            if byte == 0 { return false }
            if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C) || byte == 0x7F { controls += 1 }
        }
        return controls * 100 <= bytes.count
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x0B
    }
}

extension MIMEEntity {
    /// The part at `path` (child indexes from this entity), or nil when the path leads nowhere.
    public func descendant(at path: [Int]) -> MIMEEntity? {
        var node = self
        for index in path {
            guard node.parts.indices.contains(index) else { return nil }
            node = node.parts[index]
        }
        return node
    }
}
