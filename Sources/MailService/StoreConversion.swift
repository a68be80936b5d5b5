import Foundation
import GmailAPI
import MailStore

// Between the values the UI sees and the ones the local store keeps. The store has its own types so
// that it depends on nothing but GRDB; each maps to one here without loss.
extension MailService {
    /// A summary to store, from the same metadata answer `summary(_:)` reads (so that reading it back
    /// gives the same row), with the size and attachment hint the row itself does not carry.
    static func storedSummary(_ message: Message) -> StoredSummary {
        let row = summary(message)
        // `format=metadata` has no parts: a multipart/mixed top level is the best hint of an attachment.
        return StoredSummary(id: row.id, threadID: row.threadID, labelIDs: row.labelIDs,
                             from: StoredAddress(name: row.from.name, email: row.from.email), subject: row.subject,
                             date: row.date, snippet: row.snippet, sizeEstimate: message.sizeEstimate ?? 0, hasAttachment: row.hasAttachment)
    }

    static func messageSummary(_ stored: StoredSummary) -> MessageSummary {
        MessageSummary(id: stored.id, threadID: stored.threadID, from: MailAddress(name: stored.from.name, email: stored.from.email),
                       subject: stored.subject, date: stored.date, snippet: stored.snippet,
                       isUnread: stored.labelIDs.contains("UNREAD"), labelIDs: stored.labelIDs, hasAttachment: stored.hasAttachment)
    }

    /// A page as the UI sees it, from a stored one and its summaries; `storedAt` says it is not live.
    /// A page as the UI sees it, from a stored one. Not `live`, its rows whose labels now contradict the
    /// query are left out (`LabelQuery`).
    static func messagePage(_ content: StoredPageContent, pageToken: String?, live: Bool) -> MessagePage {
        let filter = LabelQuery(query: content.page.query)
        let rows = live ? content.summaries : content.summaries.filter { filter.keeps($0.labelIDs) }
        return MessagePage(query: content.page.query, pageToken: pageToken, messages: rows.map(messageSummary),
                    nextPageToken: content.page.nextPageToken, resultSizeEstimate: content.page.resultSizeEstimate,
                    storedAt: live ? nil : content.page.fetchedAt)
    }

    // MARK: Bodies

    /// A rendered message as stored: `BodyFormat.rendered`, JSON of this.
    private struct RenderedBody: Codable {
        struct Address: Codable { var name: String?; var email: String }
        struct Attachment: Codable { var filename: String; var mimeType: String; var size: Int; var partID: String?; var attachmentID: String? }
        struct Header: Codable { var name: String; var value: String }
        var threadID: String
        var from: Address
        var to: [Address]
        var cc: [Address]
        var date: Date?
        var subject: String
        var body: String
        var attachments: [Attachment]
        var labelIDs: [String]
        /// Every header (`H`); absent in bodies stored before it was kept, which then show the usual ones only.
        var headers: [Header]?
    }

    static func storedBody(_ detail: MessageDetail) -> StoredBody? {
        func address(_ a: MailAddress) -> RenderedBody.Address { .init(name: a.name, email: a.email) }
        let rendered = RenderedBody(
            threadID: detail.threadID, from: address(detail.from), to: detail.to.map(address), cc: detail.cc.map(address),
            date: detail.date, subject: detail.subject, body: detail.body,
            attachments: detail.attachments.map {
                .init(filename: $0.filename, mimeType: $0.mimeType, size: $0.size, partID: $0.partID, attachmentID: $0.attachmentID)
            },
            labelIDs: detail.labelIDs, headers: detail.headers.map { .init(name: $0.name, value: $0.value) })
        guard let data = try? JSONEncoder().encode(rendered) else { return nil }
        return StoredBody(messageID: detail.id, format: .rendered, content: data)
    }

    /// The message from its stored body; its labels from the stored summary when there is one, since
    /// history keeps those current and not the body's copy.
    static func messageDetail(_ body: StoredBody, summary: StoredSummary?) -> MessageDetail? {
        guard let r = try? JSONDecoder().decode(RenderedBody.self, from: body.content) else { return nil }
        func address(_ a: RenderedBody.Address) -> MailAddress { MailAddress(name: a.name, email: a.email) }
        let labels = summary?.labelIDs ?? r.labelIDs
        return MessageDetail(id: body.messageID, threadID: r.threadID, from: address(r.from), to: r.to.map(address),
                             cc: r.cc.map(address), date: r.date, subject: r.subject, body: r.body,
                             attachments: r.attachments.map {
                                 AttachmentSummary(filename: $0.filename, mimeType: $0.mimeType, size: $0.size, partID: $0.partID, attachmentID: $0.attachmentID)
                             },
                             isUnread: labels.contains("UNREAD"), labelIDs: labels,
                             headers: (r.headers ?? []).map { MailHeader(name: $0.name, value: $0.value) })
    }
}
