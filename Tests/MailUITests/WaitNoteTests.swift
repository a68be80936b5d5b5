import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// While Gmail is slow, the spinner line says why instead of spinning in silence.
@Suite struct WaitNoteTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theWordsFollowTheWait() {
        #expect(WaitNote.text(waitingSince: nil, serverAskedWait: nil, now: start) == nil)
        #expect(WaitNote.text(waitingSince: start, serverAskedWait: nil, now: start.addingTimeInterval(1)) == nil)
        #expect(WaitNote.text(waitingSince: start, serverAskedWait: nil, now: start.addingTimeInterval(12.4)) == "waiting for Gmail (12 s)")
        #expect(WaitNote.text(waitingSince: start, serverAskedWait: .seconds(20), now: start.addingTimeInterval(1)) == "Gmail asked to wait 20 s")
        #expect(WaitNote.text(waitingSince: nil, serverAskedWait: .milliseconds(1500), now: start) == "Gmail asked to wait 2 s")
    }

    @Test func theNoteReplacesLoadingOnTheSpinnerLine() {
        var s = BrowserState(account: "me@example.com", query: "is:unread", cols: 60, rows: 12, now: start)
        _ = s.start()
        #expect(s.isBusy)
        _ = s.update(.waitNote("waiting for Gmail (12 s)"))
        let lines = render(s, cols: 60, rows: 12).lines()
        #expect(lines[10].hasSuffix("waiting for Gmail (12 s)"), "\(lines[10])")
        _ = s.update(.waitNote("Gmail asked to wait 20 s"))
        #expect(render(s, cols: 60, rows: 12).lines()[10].hasSuffix("Gmail asked to wait 20 s"))
        _ = s.update(.waitNote(nil))
        #expect(render(s, cols: 60, rows: 12).lines()[10].hasSuffix("Loading…"))
    }

    @Test func theMessageViewSaysItToo() throws {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.enter))
        #expect(s.screen == .message)
        _ = s.update(.waitNote("waiting for Gmail (5 s)"))
        let lines = render(s, cols: 80, rows: 24).lines()
        #expect(lines[2].hasSuffix("waiting for Gmail (5 s)"), "\(lines[2])")
    }

    @Test func newServiceErrorsReadInPlainWords() {
        #expect(BrowserState.describe(.loggedOutElsewhere(email: "a@example.com"), retry: "r to retry").contains("logged out in another gmail-tui"))
        #expect(BrowserState.describe(.badAnswer("Gmail sent an answer that is not JSON", detail: "x"), retry: "r to retry")
                == "Gmail sent an answer that is not JSON (r to retry)")
    }
}
