import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

extension Fixture {
    static let longURL = "https://example.com/trips/2026/kyoto/photos?album=%E4%BA%AC%E9%83%BD&token=3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a&view=grid#day-2"

    /// A reply with quoted lines, a URL wider than the screen, CJK and emoji, every header fetched.
    static let replyDetail = MessageDetail(
        id: "r1", threadID: "tr1", from: MailAddress(name: "佐藤花子", email: "hanako@example.jp"),
        to: [MailAddress(name: nil, email: account)], cc: [], date: date(2026, 11, 20, 23, 45),
        subject: "Re: 旅行の写真 📷",
        body: "写真はこちらです 🎉: \(longURL) (two days)\n\nShort link: https://example.com/a\n\n"
            + "On Fri, Ada wrote:\n> Could you send the photos?\n> > 京都 was lovely\n",
        attachments: [], isUnread: false, labelIDs: ["INBOX"],
        headers: [MailHeader(name: "Received", value: "from mx.example.jp by mx.google.com; Fri, 20 Nov 2026 23:45:10 +0000"),
                  MailHeader(name: "From", value: "佐藤花子 <hanako@example.jp>"),
                  MailHeader(name: "To", value: account),
                  MailHeader(name: "Subject", value: "Re: 旅行の写真 📷"),
                  MailHeader(name: "Date", value: "Sat, 21 Nov 2026 08:45:00 +0900"),
                  MailHeader(name: "Message-ID", value: "<r1@example.jp>"),
                  MailHeader(name: "X-Mailer", value: "📮 Mailer 日本 2.0")])
}

@Suite struct MessageViewExtrasTests {
    func reading(_ detail: MessageDetail = Fixture.replyDetail, cols: Int = 80, rows: Int = 24) -> BrowserState {
        var page = Fixture.page(count: 1)
        page.messages[0].id = detail.id
        var s = Fixture.loaded(page, cols: cols, rows: rows)
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(detail))
        return s
    }

    @Test func aMessageWithALongURLAt80x24() {
        expectScreen(render(reading(), cols: 80, rows: 24), ViewScreens.reply80x24)
    }

    @Test func aLongURLIsCutOnlyAtTheEdgeAndItsRowsGoOnIntoEachOther() {
        let s = reading()
        let lines = MessageDocument.lines(for: Fixture.replyDetail, width: 80, state: s)
        let text = lines.map { String($0.items.map(\.character)) }
        // The URL starts its own row (it does not fit after the text), runs over full rows from column 0,
        // and its text read across the cut rows is the URL exactly.
        let start = text.firstIndex { $0.hasPrefix("https://example.com/trips") }!
        #expect(text[start - 1] == "写真はこちらです 🎉:")
        let joined = text[start] + text[start + 1]
        #expect(joined.hasPrefix(Fixture.longURL))
        #expect(lines[start].continues)
        #expect(!lines[start + 1].continues)
        #expect(!lines[start - 1].continues, "a break at a space is a real break")
        #expect(lines.filter(\.continues).count == 1)
        // A URL that fits is never cut.
        #expect(text.contains("Short link: https://example.com/a"))
    }

    @Test func quotedLinesAreDimmed() {
        let s = reading()
        let g = render(s, cols: 80, rows: 24)
        let lines = g.lines()
        let quoted = lines.indices.filter { lines[$0].hasPrefix(">") }
        #expect(quoted.count == 2)
        for y in quoted { #expect(g[0, y].style.dim && g[2, y].style.dim) }
        let intro = lines.firstIndex { $0.hasPrefix("On Fri") }!
        #expect(!g[0, intro].style.dim)
    }

    @Test func hShowsEveryHeaderAndBack() {
        var s = reading()
        #expect(s.update(.key(.character("H"))) == [])
        #expect(s.message?.allHeaders == true)
        expectScreen(render(s, cols: 80, rows: 24), ViewScreens.replyAllHeaders80x24)
        _ = s.update(.key(.character("H")))
        expectScreen(render(s, cols: 80, rows: 24), ViewScreens.reply80x24)
    }

    @Test func hWithNoHeadersFetchedSaysSo() {
        var s = reading(Fixture.detail("m1"))
        _ = s.update(.key(.character("H")))
        #expect(s.message?.notice == "No other headers were fetched for this message")
        #expect(render(s, cols: 80, rows: 24).lines()[1].hasPrefix("From: Ada Lovelace"))
    }

    @Test func theDateSaysItsTimeZone() {
        var calendar = Fixture.calendar
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo") ?? calendar.timeZone
        let text = DisplayFormat.fullDate(Fixture.date(2026, 11, 20, 23, 45), calendar: calendar)
        #expect(text == "Sat 21 Nov 2026 08:45 +0900")
    }
}

@Suite struct AttachmentListTests {
    static let detail: MessageDetail = {
        var d = Fixture.japaneseDetail
        d.attachments[0].partID = "1"; d.attachments[0].attachmentID = "ANGjdJ_1"
        d.attachments.append(AttachmentSummary(filename: "a-very-long-file-name-for-the-quarterly-report-of-2026-final-v2.xlsx",
                                               mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", size: 512, partID: "3"))
        return d
    }()

    func listing() -> BrowserState {
        var s = Fixture.loaded(Fixture.mixedPage)
        _ = s.update(.key(.down))
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Self.detail))
        #expect(s.update(.key(.character("v"))) == [])
        return s
    }

    @Test func vShowsTheAttachmentList() {
        var s = listing()
        #expect(s.screen == .attachments)
        _ = s.update(.key(.character("j")))
        expectScreen(render(s, cols: 80, rows: 24), ViewScreens.attachments80x24)
    }

    @Test func enterOpensAndSSavesTheSelectedOne() {
        var s = listing()
        #expect(s.update(.key(.enter)) == [.fetchAttachment(messageID: "a2", attachment: Self.detail.attachments[0], action: .open)])
        #expect(s.isBusy)
        _ = s.update(.attachmentHandled(.opened(filename: "議事録.pdf")))
        #expect(!s.isBusy)
        #expect(s.attachmentList?.notice == "Opened 議事録.pdf")
        _ = s.update(.key(.character("3")))
        #expect(s.update(.key(.character("s"))) == [.fetchAttachment(messageID: "a2", attachment: Self.detail.attachments[2], action: .save)])
        _ = s.update(.attachmentHandled(.saved(path: "/home/u/Downloads/report (1).xlsx")))
        let lines = render(s, cols: 80, rows: 24).lines()
        #expect(lines[22] == "Saved as /home/u/Downloads/report (1).xlsx")
    }

    @Test func aFailureShowsOnTheStatusRowAndQGoesBack() {
        var s = listing()
        _ = s.update(.key(.character("s")))
        _ = s.update(.attachmentHandled(.failed("Network problem: timed out")))
        let g = render(s, cols: 80, rows: 24)
        #expect(g.lines()[22] == "Network problem: timed out")
        #expect(g[0, 22].style.bold)
        #expect(s.update(.key(.character("q"))) == [])
        #expect(s.screen == .message)
        #expect(s.attachmentList == nil)
    }

    @Test func vWithoutAttachmentsSaysSo() {
        var s = Fixture.loaded(Fixture.page(count: 1))
        _ = s.update(.key(.enter))
        #expect(s.update(.key(.character("v"))) == [])
        #expect(s.message?.notice == "The message is still loading")
        _ = s.update(.messageLoaded(Fixture.detail("m1")))
        _ = s.update(.key(.character("v")))
        #expect(s.screen == .message)
        #expect(s.message?.notice == "This message has no attachments")
    }
}

@Suite struct RowMarkerTests {
    @Test func starsAttachmentsAndLabelTagsAt80x24() {
        var page = Fixture.mixedPage
        page.messages[0].labelIDs = ["INBOX", "STARRED", "Label_1"]
        page.messages[1].hasAttachment = true
        page.messages[1].labelIDs = ["INBOX", "Label_3", "Label_2"]
        page.messages[2].labelIDs = ["STARRED"]
        page.messages[2].hasAttachment = true
        var s = Fixture.loaded(page)
        _ = s.update(.labelsLoaded(Fixture.labels))
        expectScreen(render(s, cols: 80, rows: 24), ViewScreens.markedList80x24)
    }
}
