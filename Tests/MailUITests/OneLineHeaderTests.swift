import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// Headers as old list software writes them (a subject folded with a TAB, a CR left behind) and a
/// sender that is only a display name: each stays on its line, the TAB and CR shown as one space.
@Suite struct OneLineHeaderTests {
    static let subject = "[Python-Dev]\tRe: folded\rhere"

    func state() -> BrowserState {
        let messages = [
            MessageSummary(id: "p1", threadID: "p1", from: MailAddress(name: "Test User", email: "test@example.com"), subject: Self.subject,
                           date: Fixture.date(2026, 11, 21, 9, 0), snippet: "", isUnread: false, labelIDs: ["INBOX"]),
            MessageSummary(id: "k1", threadID: "k1", from: MailAddress(name: "Иван Петров", email: ""), subject: "Привет",
                           date: Fixture.date(2026, 11, 21, 8, 0), snippet: "", isUnread: false, labelIDs: ["INBOX"]),
        ]
        return Fixture.loaded(MessagePage(query: "", pageToken: nil, messages: messages, nextPageToken: nil, resultSizeEstimate: 2))
    }

    @Test func listRowsShowTabAndCRAsSpaces() {
        let lines = render(state(), cols: 100, rows: 10).lines()
        #expect(lines[1].contains("Test User"), "\(lines[1])")
        #expect(lines[1].contains("[Python-Dev] Re: folded here"), "\(lines[1])")
        #expect(lines[2].contains("Иван Петров"), "\(lines[2])")
    }

    @Test func messageViewHeaderLinesShowTabAndCRAsSpaces() {
        var s = state()
        _ = s.update(.key(.enter))
        var detail = Fixture.detail("p1", subject: Self.subject)
        detail.from = MailAddress(name: "Иван Петров", email: "")
        _ = s.update(.messageLoaded(detail))
        let lines = render(s, cols: 100, rows: 12).lines()
        // The sender with no address reads as the name alone, not "Name <>".
        #expect(lines.contains("From: Иван Петров"), "\(lines)")
        #expect(lines.contains("Subject: [Python-Dev] Re: folded here"), "\(lines)")
    }
}
