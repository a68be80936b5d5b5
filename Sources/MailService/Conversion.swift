import Foundation
import GmailAPI
import MIME

// Gmail's messages as the values the UI shows.
extension MailService {
    static func summary(_ message: Message) -> MessageSummary { summary(message, header: message.header) }

    /// The list row of a message, reading its headers through `header`.
    static func summary(_ message: Message, header: (String) -> String?) -> MessageSummary {
        let labels = message.labelIds ?? []
        // Gmail's metadata answers carry the top-level type as `payload.mimeType`; a `Content-Type` header,
        // when asked for, stands in where that is missing.
        let mimeType = message.payload?.mimeType
            ?? header("Content-Type").map { String($0.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces) }
        return MessageSummary(id: message.id, threadID: message.threadId ?? message.id,
                              from: header("From").flatMap(HeaderParsing.address) ?? MailAddress(name: nil, email: ""),
                              subject: header("Subject").map(EncodedWords.decode) ?? "",
                              date: header("Date").flatMap(HeaderParsing.date) ?? message.internalDateValue,
                              snippet: message.snippet ?? "", isUnread: labels.contains("UNREAD"), labelIDs: labels,
                              hasAttachment: mimeType?.lowercased() == "multipart/mixed")
    }

    static func detail(_ message: Message) -> MessageDetail {
        let entity = message.mimeEntity()
        let rendered = entity.map(MessageRenderer.render) ?? RenderedMessage(text: "", attachments: [])
        // A `format=raw` message has no payload headers: read them from the parsed message.
        func header(_ name: String) -> String? { message.header(name) ?? entity?.header(name) }
        let row = summary(message, header: header)
        return MessageDetail(
            id: row.id, threadID: row.threadID, from: row.from,
            to: header("To").map(HeaderParsing.addresses) ?? [],
            cc: header("Cc").map(HeaderParsing.addresses) ?? [],
            date: row.date, subject: row.subject, body: rendered.text,
            attachments: rendered.attachments.map { a in
                AttachmentSummary(filename: a.filename, mimeType: a.mimeType, size: a.size, partID: a.partID,
                                  attachmentID: a.partID.flatMap { message.payload?.part(withID: $0)?.body?.attachmentId })
            },
            isUnread: row.isUnread, labelIDs: row.labelIDs,
            headers: (message.payload?.headers.map { $0.map { MIMEHeader(name: $0.name, value: $0.value) } } ?? entity?.headers ?? [])
                .map { MailHeader(name: $0.name, value: MessageRenderer.displayHeader($0.value)) })
    }
}

extension MessagePart {
    /// The part with Gmail's `partId` `id`, anywhere below (or at) this one.
    func part(withID id: String) -> MessagePart? {
        if partId == id { return self }
        for child in parts ?? [] { if let found = child.part(withID: id) { return found } }
        return nil
    }
}
