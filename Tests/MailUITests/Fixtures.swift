import Foundation
import MailService
@testable import MailUI

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
