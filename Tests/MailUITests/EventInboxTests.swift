import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// What reaches the state only as events now: the time, notices, and the reason for re-authorization.
@Suite struct EventInboxTests {
    @Test func theClockMovesNowAndARestedSelectionIsPrefetchedFromIt() {
        var s = Fixture.loaded(Fixture.page(count: 5))
        _ = s.update(.key(.character("j")))
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(0.1))) == [], "the clock alone asks for nothing")
        #expect(s.now == Fixture.now.addingTimeInterval(0.1))
        #expect(s.update(.tick) == [])
        _ = s.update(.clock(Fixture.now.addingTimeInterval(BrowserState.prefetchDelay + 0.05)))
        #expect(s.update(.tick) == [.prefetchMessage(id: "m2")])
    }

    @Test func theClockChangesWhatTheListSaysOfDates() {
        var s = Fixture.loaded(Fixture.page(count: 1))
        let before = s.render().lines()
        _ = s.update(.clock(Fixture.date(2027, 6, 1, 9, 0)))
        #expect(s.render().lines() != before, "a message from today is shown with its time, one from last year with its date")
    }

    @Test func aNoticeShowsOnTheAuthorizationScreenAndTheNextKeyClearsIt() {
        var s = BrowserState(account: nil, query: "", now: Fixture.now, calendar: Fixture.calendar)
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        #expect(s.update(.notice("The credential file was kept as /tmp/x.")) == [])
        #expect(s.authorization?.notice == "The credential file was kept as /tmp/x.")
        #expect(s.render().lines().contains { $0.contains("The credential file was kept as /tmp/x.") })
        _ = s.update(.key(.character("a")))
        #expect(s.authorization?.notice == nil)
    }

    @Test func aNoticeOnTheListGoesToItsStatusLine() {
        var s = Fixture.loaded(Fixture.page(count: 2))
        _ = s.update(.notice("2 new messages"))
        #expect(s.list.notice == "2 new messages")
        #expect(s.authorization == nil)
    }

    @Test func theReasonForReauthorizationStaysInTheStateUntilTheURLArrives() {
        var s = Fixture.loaded(Fixture.page(next: "tok2"))
        let effects = s.update(.key(.character("n")))
        #expect(effects == [.fetchPage(query: "", pageToken: "tok2", pageSize: 50)])
        let asked = s.update(.pageFailed(query: "", pageToken: "tok2",
                                         error: .reauthorizationRequired(email: Fixture.account, reason: .grantRevoked)))
        #expect(asked == [.startAuthorization(loginHint: Fixture.account)])
        // The runner's answer carries no reason: the screen keeps the one the failure gave.
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: Fixture.account, reason: nil))
        #expect(s.authorization?.reason == .grantRevoked)
        #expect(s.render().lines().contains { $0.contains("no longer accepts the saved authorization") })
    }
}
