import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// The prefetch effects: the next page after a page arrives, the selected message once the selection rests.
@Suite struct PrefetchEffectTests {
    @Test func aPageWithANextTokenAsksForTheNextPageAhead() {
        var s = BrowserState(account: Fixture.account, query: "is:unread", pageSize: 50, now: Fixture.now, calendar: Fixture.calendar)
        _ = s.start()
        let effects = s.update(.pageLoaded(Fixture.page(query: "is:unread", next: "tok2")))
        #expect(effects == [.prefetchPage(query: "is:unread", pageToken: "tok2", pageSize: 50)])
        // `n` then asks for exactly the prefetched page, which the service answers from memory.
        #expect(s.update(.key(.character("n"))) == [.fetchPage(query: "is:unread", pageToken: "tok2", pageSize: 50)])
    }

    @Test func theLastPageAsksForNothingAhead() {
        var s = BrowserState(account: Fixture.account, query: "", pageSize: 50, now: Fixture.now, calendar: Fixture.calendar)
        _ = s.start()
        #expect(s.update(.pageLoaded(Fixture.page(next: nil))) == [])
    }

    @Test func aStaleOrUnaskedPageAsksForNothing() {
        var s = Fixture.loaded(Fixture.page(next: "tok2"))
        // Nothing pending: an answer nobody asked for is dropped without a prefetch.
        #expect(s.update(.pageLoaded(Fixture.page(token: "tok9", next: "tok10"))) == [])
    }

    @Test func aRestingSelectionPrefetchesItsMessageOnce() {
        var s = Fixture.loaded(Fixture.page(count: 5))
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.character("j")))
        #expect(s.wantsTick)
        s.now = Fixture.now.addingTimeInterval(0.2)
        #expect(s.update(.tick) == [], "not rested long enough")
        s.now = Fixture.now.addingTimeInterval(0.35)
        #expect(s.update(.tick) == [.prefetchMessage(id: "m3")])
        #expect(!s.wantsTick)
        s.now = Fixture.now.addingTimeInterval(1)
        #expect(s.update(.tick) == [], "only once per rest")
    }

    @Test func movingAgainRestartsTheWait() {
        var s = Fixture.loaded(Fixture.page(count: 5))
        s.now = Fixture.now.addingTimeInterval(0.25)
        _ = s.update(.key(.character("j")))
        s.now = Fixture.now.addingTimeInterval(0.4)
        #expect(s.update(.tick) == [], "the selection moved 0.15 s ago")
        s.now = Fixture.now.addingTimeInterval(0.6)
        #expect(s.update(.tick) == [.prefetchMessage(id: "m2")])
    }

    @Test func theFirstMessageOfANewPageIsPrefetchedWhenTheSelectionRestsThere() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        s.now = Fixture.now.addingTimeInterval(0.5)
        #expect(s.update(.tick) == [.prefetchMessage(id: "m1")])
    }

    @Test func noPrefetchWhileTheMessageIsOpenOrTheSearchIsEdited() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.enter))
        s.now = Fixture.now.addingTimeInterval(1)
        #expect(s.update(.tick) == [])
        #expect(!s.wantsTick)
        _ = s.update(.key(.character("q")))
        _ = s.update(.key(.character("/")))
        #expect(!s.wantsTick, "no timer while the search is edited")
        #expect(s.update(.tick) == [])
        _ = s.update(.key(.escape))
        #expect(s.wantsTick)
        #expect(s.update(.tick) == [.prefetchMessage(id: "m1")])
    }

    @Test func readingAMessagePrefetchesTheNextOneOnThePage() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.enter))
        #expect(s.update(.messageLoaded(Fixture.detail("m1"))) == [.prefetchMessage(id: "m2")])
        #expect(s.update(.key(.character("n"))) == [.fetchMessage(id: "m2")])
        #expect(s.update(.messageLoaded(Fixture.detail("m2"))) == [.prefetchMessage(id: "m3")])
        _ = s.update(.key(.character("n")))
        #expect(s.update(.messageLoaded(Fixture.detail("m3"))) == [], "the last message on the page")
        // A late answer for a message no longer shown asks for nothing.
        #expect(s.update(.messageLoaded(Fixture.detail("m1"))) == [])
    }

    @Test func rSyncsAndPagingAfterItMayBeAnsweredFromMemory() {
        var s = Fixture.loaded(Fixture.page(next: "tok2"))
        #expect(s.update(.key(.character("r"))) == [.sync(query: "", pageToken: nil, pageSize: 50)])
        #expect(s.list.pending == nil, "the page stays shown while it syncs")
        _ = s.update(.synced(SyncResult(page: Fixture.page(next: "tok2"))))
        _ = s.update(.key(.character("n")))
        #expect(s.list.pending?.isReload == false, "paging may be answered from memory")
    }
}
