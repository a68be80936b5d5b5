import Foundation
import MailModels
@testable import MailUI
@testable import TerminalCells

/// Shared fixtures: a fixed clock and calendar, and mailbox values.
enum Fixture {
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? c.timeZone
        return c
    }()

    /// Sat 21 Nov 2026 14:30 UTC.
    static let now = date(2026, 11, 21, 14, 30)

    static func date(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ min: Int = 0) -> Date {
        calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: min)) ?? Date(timeIntervalSince1970: 0)
    }

    static let account = "demo@gmail-tui.example"
    static let authURL = URL(string: "https://accounts.google.com/o/oauth2/v2/auth?client_id=123-abc.apps.googleusercontent.com&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2F&response_type=code&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly&state=xyz")!

    static func summary(_ id: String, from: String, email: String = "x@example.com", subject: String,
                        snippet: String = "", date: Date? = nil, unread: Bool = false) -> MessageSummary {
        MessageSummary(id: id, threadID: "t" + id, from: MailAddress(name: from, email: email), subject: subject,
                       date: date, snippet: snippet, isUnread: unread, labelIDs: ["INBOX"])
    }

    /// A page of `count` plain messages with ids "<prefix>1"...
    static func page(query: String = "", token: String? = nil, next: String? = nil, count: Int = 3,
                     prefix: String = "m", estimate: Int = 120) -> MessagePage {
        let messages = (1...max(1, count)).map { i in
            summary("\(prefix)\(i)", from: "Sender \(i)", subject: "Subject \(i)", snippet: "snippet \(i)",
                    date: date(2026, 11, 21, 9, i))
        }
        return MessagePage(query: query, pageToken: token, messages: count == 0 ? [] : messages,
                           nextPageToken: next, resultSizeEstimate: estimate)
    }

    /// A browser on the list, with `page` loaded.
    static func loaded(_ page: MessagePage, cols: Int = 80, rows: Int = 24) -> BrowserState {
        var s = BrowserState(account: account, query: page.query, pageSize: 50, cols: cols, rows: rows, now: now, calendar: calendar)
        _ = s.start()
        _ = s.update(.pageLoaded(MessagePage(query: page.query, pageToken: nil, messages: page.messages,
                                             nextPageToken: page.nextPageToken, resultSizeEstimate: page.resultSizeEstimate)))
        return s
    }

    static func detail(_ id: String, subject: String = "Subject", body: String = "Hello.", attachments: [AttachmentSummary] = []) -> MessageDetail {
        MessageDetail(id: id, threadID: "t" + id, from: MailAddress(name: "Ada Lovelace", email: "ada@example.com"),
                      to: [MailAddress(name: nil, email: account)], cc: [], date: date(2026, 11, 20, 8, 15),
                      subject: subject, body: body, attachments: attachments, isUnread: false, labelIDs: [])
    }
}

extension BrowserState {
    /// Feeds several events, returning all effects.
    mutating func feed(_ events: BrowserEvent...) -> [BrowserEffect] {
        events.flatMap { update($0) }
    }

    mutating func type(_ text: String) {
        for c in text { _ = update(.key(.character(c))) }
    }
}

extension Fixture {
    /// A mailbox page with the awkward cases: CJK, emoji, RTL, combining marks, controls, very long names.
    static let mixedPage = MessagePage(query: "in:inbox", pageToken: nil, messages: [
        summary("a1", from: "Ada Lovelace", subject: "Notes on the Analytical Engine", snippet: "The engine might compose elaborate pieces of music",
                date: date(2026, 11, 21, 9, 5), unread: true),
        summary("a2", from: "山田太郎", subject: "会議の議事録について", snippet: "お疲れ様です。本日の会議の議事録を送ります",
                date: date(2026, 11, 3, 18, 0), unread: true),
        summary("a3", from: "Party Bot 🎉", subject: "🎂 Birthday party 🎈 on Friday 👨‍👩‍👧", snippet: "Bring 🍰 and 🎁",
                date: date(2026, 3, 15, 12, 0)),
        summary("a4", from: "דוד כהן", subject: "שלום עולם: פגישה מחר", snippet: "מה שלומך? נתראה מחר",
                date: date(2025, 12, 31, 23, 59)),
        summary("a5", from: "Bartholomew Maximilian Fitzgerald-Worthington III (Accounts Receivable)", email: "bart@example.com",
                subject: "Invoice\t2024-03\r\nfinal", snippet: "Please find\u{7}attached",
                date: date(2024, 3, 15, 8, 0)),
        summary("a6", from: "Zoë Ångström", subject: "Cafe\u{301} au lait", snippet: "",
                date: nil, unread: true),
    ], nextPageToken: "tok2", resultSizeEstimate: 1234)
}

extension Fixture {
    /// A Japanese message with tabs, a long line, an emoji sequence, RTL text and attachments.
    static let japaneseDetail = MessageDetail(
        id: "a2", threadID: "ta2", from: MailAddress(name: "山田太郎", email: "taro@example.jp"),
        to: [MailAddress(name: nil, email: account), MailAddress(name: "Ada Lovelace", email: "ada@example.com")],
        cc: [MailAddress(name: "Charles Babbage", email: "charles@example.com")], date: date(2026, 11, 3, 18, 0),
        subject: "会議の議事録について",
        body: "お疲れ様です。\n\n本日の会議の議事録を送ります。長い行はここで折り返されるべきです。日本語の文章にはスペースがありません。\n"
            + "\tIndented\twith tabs.\nA very long English line that should wrap at the edge of the screen by words, not in the middle of words, when possible.\n"
            + "👨‍👩‍👧 family and שלום RTL.\r\nBell\u{7} and escape\u{1b}[31m shown, not sent.\n",
        attachments: [AttachmentSummary(filename: "議事録.pdf", mimeType: "application/pdf", size: 12595),
                      AttachmentSummary(filename: "photo 🎉.jpg", mimeType: "image/jpeg", size: 2_400_000)],
        isUnread: true, labelIDs: [])
}
