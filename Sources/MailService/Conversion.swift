import Foundation
import GmailAPI
import MIME

// Gmail's messages as the values the UI shows.
extension MailService {
    static func summary(_ message: Message) -> MessageSummary { summary(message, header: message.header) }

    /// The list row of a message, reading its headers through `header`.
    static func summary(_ message: Message, header: (String) -> String?) -> MessageSummary {
        let labels = message.labelIds ?? []
        return MessageSummary(id: message.id, threadID: message.threadId ?? message.id,
                              from: header("From").flatMap(HeaderParsing.address) ?? MailAddress(name: nil, email: ""),
                              subject: header("Subject").map(EncodedWords.decode) ?? "",
                              date: header("Date").flatMap(HeaderParsing.date) ?? message.internalDateValue,
                              snippet: message.snippet ?? "", isUnread: labels.contains("UNREAD"), labelIDs: labels)
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
            attachments: rendered.attachments.map { AttachmentSummary(filename: $0.filename, mimeType: $0.mimeType, size: $0.size) },
            isUnread: row.isUnread, labelIDs: row.labelIDs)
    }
}
