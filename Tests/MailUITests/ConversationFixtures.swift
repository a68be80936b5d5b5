import Foundation
import MailModels
@testable import MailUI

/// Conversations with the awkward cases: CJK and emoji in senders and subjects, the account's own messages,
/// many senders, stars, attachments and user labels.
extension Fixture {
    static let ann = MailAddress(name: "Ann Smith", email: "ann@example.com")
    static let bob = MailAddress(name: "Bob Jones", email: "bob@example.com")
    static let me = MailAddress(name: "Demo User", email: account)
    static let taro = MailAddress(name: "山田太郎", email: "taro@example.jp")
    static let hanako = MailAddress(name: "佐藤 花子", email: "hanako@example.jp")
    static let bot = MailAddress(name: "Party Bot 🎉", email: "bot@example.com")

    static func conversation(_ id: String, senders: [MailAddress], subject: String, snippet: String = "", unread: Int = 0,
                             labels: [String] = ["INBOX"], date: Date? = nil, attachment: Bool = false) -> ConversationSummary {
        ConversationSummary(id: id, subject: subject, snippet: snippet, senders: senders,
                            messageIDs: senders.indices.map { "\(id)m\($0 + 1)" }, date: date,
                            unreadCount: unread, labelIDs: labels + (unread > 0 ? ["UNREAD"] : []), hasAttachment: attachment)
    }

    /// The first page of conversations of `in:inbox` (next page "tok2").
    static let conversationPage = ConversationPage(query: "in:inbox", pageToken: nil, conversations: [
        conversation("c1", senders: [taro, me, bob], subject: "Lunch on Friday? 🍜 ランチ", snippet: "Sounds good, see you at noon",
                     unread: 1, date: date(2026, 11, 21, 9, 5)),
        conversation("c2", senders: [taro, hanako], subject: "京都の写真 📷", snippet: "写真はこちらです 🎉",
                     labels: ["INBOX", "STARRED", "Label_1"], date: date(2026, 11, 3, 18, 0), attachment: true),
        conversation("c3", senders: [bot], subject: "🎂 Birthday party 🎈 on Friday 👨‍👩‍👧", snippet: "Bring 🍰 and 🎁",
                     unread: 1, date: date(2026, 3, 15, 12, 0)),
        conversation("c4", senders: [ann, bob, taro, bot, hanako, ann], subject: "Plans for the trip", snippet: "Everyone agrees",
                     date: date(2025, 12, 31, 23, 59)),
        conversation("c5", senders: [me, me], subject: "Notes to self", snippet: "remember the milk", date: nil),
    ], nextPageToken: "tok2", resultSizeEstimate: 1234)

    static let conversationPage2 = ConversationPage(query: "in:inbox", pageToken: "tok2", conversations: [
        conversation("d1", senders: [bob], subject: "Page two", date: date(2025, 1, 2, 3, 4)),
        conversation("d2", senders: [ann, bob], subject: "Page two again", date: date(2025, 1, 1, 3, 4)),
    ], nextPageToken: "tok3", resultSizeEstimate: 1234)

    /// The labels the rows' tags are named from.
    static let conversationLabels = [LabelSummary(id: "INBOX", name: "INBOX", isSystem: true, messagesTotal: 9, messagesUnread: 2),
                                     LabelSummary(id: "Label_1", name: "家族/旅行 ✈️", isSystem: false, messagesTotal: 2, messagesUnread: 0)]

    /// A browser on the conversation list of `in:inbox`, its first page loaded.
    static func conversations(cols: Int = 80, rows: Int = 24, canModify: Bool = true) -> BrowserState {
        var s = loaded(page(query: "in:inbox", count: 3), cols: cols, rows: rows)
        _ = s.update(.modifyPermission(canModify))
        _ = s.update(.key(.character("t")))
        _ = s.update(.conversationPageLoaded(conversationPage))
        _ = s.update(.labelsLoaded(conversationLabels))
        return s
    }

    static func mail(_ id: String, from: MailAddress, body: String, unread: Bool = false, date: Date? = nil,
                     to: [MailAddress] = [me], cc: [MailAddress] = [], attachments: [AttachmentSummary] = []) -> MessageDetail {
        MessageDetail(id: id, threadID: "c1", from: from, to: to, cc: cc, date: date, subject: "Lunch on Friday? 🍜 ランチ", body: body,
                      attachments: attachments, isUnread: unread, labelIDs: unread ? ["INBOX", "UNREAD"] : ["INBOX"],
                      headers: [MailHeader(name: "Message-ID", value: "<\(id)@example.com>"), MailHeader(name: "X-Mailer", value: "📮 Mailer 日本")])
    }

    /// Conversation c1: read, read (the account's own), unread.
    static let lunch = Conversation(id: "c1", messages: [
        mail("c1m1", from: taro, body: "Shall we have lunch on Friday? 🍜\n\n> earlier quoted text\n", date: date(2026, 11, 20, 9, 0)),
        mail("c1m2", from: me, body: "Yes! Where?\n", date: date(2026, 11, 20, 10, 30), to: [ann, bob]),
        mail("c1m3", from: bob, body: "The ramen place on 3rd street, 拉麺 is great.\nSee https://example.com/ramen\n> Yes! Where?\n",
             unread: true, date: date(2026, 11, 21, 9, 5), to: [ann, me], cc: [taro],
             attachments: [AttachmentSummary(filename: "菜单 menu.pdf", mimeType: "application/pdf", size: 48_213)]),
    ])
}
