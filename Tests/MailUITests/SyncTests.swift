import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// Warm start from the local store, sync on `r` and every minute, new mail, and what happens offline.
extension Fixture {
    /// `page` as the store answers it: listed by Gmail `ago` seconds before `now`.
    static func stored(_ page: MessagePage, ago: TimeInterval) -> MessagePage {
        var p = page
        p.storedAt = now.addingTimeInterval(-ago)
        return p
    }

    /// A browser started on a stored page, its first sync in flight.
    static func warm(_ page: MessagePage, ago: TimeInterval = 120) -> BrowserState {
        var s = BrowserState(account: account, query: page.query, pageSize: 50, now: now, calendar: calendar)
        _ = s.start(stored: stored(page, ago: ago))
        return s
    }

    static func ids(_ s: BrowserState) -> [String] { s.list.page?.messages.map(\.id) ?? [] }

    static func selectedID(_ s: BrowserState) -> String? {
        guard let m = s.list.page?.messages, m.indices.contains(s.list.selection) else { return nil }
        return m[s.list.selection].id
    }

    /// A page with the messages `ids` in that order.
    static func page(ids: [String], query: String = "") -> MessagePage {
        MessagePage(query: query, pageToken: nil, messages: ids.map { summary($0, from: "From \($0)", subject: "Subject \($0)") },
                    nextPageToken: nil, resultSizeEstimate: ids.count)
    }
}

@Suite struct WarmStartStateTests {
    @Test func theStoredPageShowsAtOnceAndASyncIsAskedFor() {
        var s = BrowserState(account: Fixture.account, query: "is:unread", pageSize: 50, now: Fixture.now, calendar: Fixture.calendar)
        let effects = s.start(stored: Fixture.stored(Fixture.page(query: "is:unread", count: 3), ago: 120))
        #expect(effects == [.sync(query: "is:unread", pageToken: nil, pageSize: 50)])
        #expect(Fixture.ids(s) == ["m1", "m2", "m3"])
        #expect(s.list.pending == nil)
        #expect(!s.isBusy, "a sync nobody asked for runs without a spinner")
        let lines = s.render().lines()
        #expect(lines[0].hasSuffix("│ synced 2 min ago"))
        #expect(!lines.contains { $0.contains("Loading") })
    }

    @Test func withNothingStoredTheFirstPageIsFetched() {
        var s = BrowserState(account: Fixture.account, query: "is:unread", pageSize: 50, now: Fixture.now, calendar: Fixture.calendar)
        #expect(s.start(stored: nil) == [.fetchPage(query: "is:unread", pageToken: nil, pageSize: 50)])
        #expect(s.list.page == nil)
    }

    @Test func aStoredPageOfAnotherQueryOrPageIsNotShown() {
        var s = BrowserState(account: Fixture.account, query: "is:unread", pageSize: 50, now: Fixture.now, calendar: Fixture.calendar)
        #expect(s.start(stored: Fixture.stored(Fixture.page(query: "in:inbox"), ago: 60)) == [.fetchPage(query: "is:unread", pageToken: nil, pageSize: 50)])
        var t = BrowserState(account: Fixture.account, query: "", pageSize: 50, now: Fixture.now, calendar: Fixture.calendar)
        #expect(t.start(stored: Fixture.stored(Fixture.page(token: "tok2"), ago: 60)) == [.fetchPage(query: "", pageToken: nil, pageSize: 50)])
    }

    @Test func theFirstSyncReplacesTheStoredPageAndTheHeaderStopsSayingItsAge() {
        var s = Fixture.warm(Fixture.page(count: 3))
        #expect(s.freshness == "synced 2 min ago")
        _ = s.update(.synced(SyncResult(page: Fixture.page(count: 4))))
        #expect(Fixture.ids(s) == ["m1", "m2", "m3", "m4"])
        #expect(s.list.page?.storedAt == nil)
        #expect(s.freshness == nil)
        #expect(!s.render().lines()[0].contains("synced"))
    }

    @Test func freshnessIsSaidInTheCoarsestUnit() {
        let now = Fixture.now
        #expect(DisplayFormat.ago(from: now.addingTimeInterval(-20), to: now) == "just now")
        #expect(DisplayFormat.ago(from: now.addingTimeInterval(-60), to: now) == "1 min ago")
        #expect(DisplayFormat.ago(from: now.addingTimeInterval(-59 * 60), to: now) == "59 min ago")
        #expect(DisplayFormat.ago(from: now.addingTimeInterval(-3 * 3600 - 5), to: now) == "3 h ago")
        #expect(DisplayFormat.ago(from: now.addingTimeInterval(-86_400), to: now) == "1 day ago")
        #expect(DisplayFormat.ago(from: now.addingTimeInterval(-9 * 86_400), to: now) == "9 days ago")
        #expect(DisplayFormat.ago(from: now.addingTimeInterval(30), to: now) == "just now", "a clock that went back")
    }

    @Test func theAgeGrowsWithTheClock() {
        var s = Fixture.warm(Fixture.page(count: 3), ago: 120)
        _ = s.update(.clock(Fixture.now.addingTimeInterval(180)))
        #expect(s.freshness == "synced 5 min ago")
    }
}

@Suite struct SyncInPlaceTests {
    @Test func theSelectionStaysOnTheSameMessageWhenMailArrivesAbove() {
        var s = Fixture.loaded(Fixture.page(ids: ["m1", "m2", "m3", "m4", "m5"]))
        _ = s.feed(.key(.character("j")), .key(.character("j")))
        #expect(s.update(.key(.character("r"))) == [.sync(query: "", pageToken: nil, pageSize: 50)])
        _ = s.update(.synced(SyncResult(page: Fixture.page(ids: ["n1", "n2", "m1", "m2", "m3", "m4", "m5"]), newMessageIDs: ["n1", "n2"])))
        #expect(Fixture.ids(s).prefix(2) == ["n1", "n2"])
        #expect(Fixture.selectedID(s) == "m3")
        #expect(s.list.selection == 4)
        #expect(s.list.notice == "2 new messages")
        #expect(s.render().lines()[22] == "2 new messages")
        // The next key clears the notice.
        _ = s.update(.key(.character("k")))
        #expect(s.list.notice == nil)
        #expect(Fixture.selectedID(s) == "m2")
    }

    @Test func aSelectedMessageThatIsGoneHandsTheSelectionToItsNearestNeighbour() {
        var s = Fixture.loaded(Fixture.page(ids: ["m1", "m2", "m3", "m4", "m5"]))
        _ = s.feed(.key(.character("j")), .key(.character("j")))
        _ = s.update(.key(.character("r")))
        _ = s.update(.synced(SyncResult(page: Fixture.page(ids: ["m1", "m2", "m4", "m5"]))))
        #expect(Fixture.selectedID(s) == "m4", "the one after it, as after a deletion")
        _ = s.update(.key(.character("G")))
        _ = s.update(.key(.character("r")))
        _ = s.update(.synced(SyncResult(page: Fixture.page(ids: ["x1", "m1", "m2", "m4"]))))
        #expect(Fixture.selectedID(s) == "m4", "the last one is gone: the one before it")
        _ = s.update(.key(.character("r")))
        _ = s.update(.synced(SyncResult(page: Fixture.page(ids: ["y1", "y2"]))))
        #expect(s.list.selection == 1, "nothing left of the old list: the same row, kept on the list")
        #expect(s.list.notice == nil, "no message was said to be new")
    }

    @Test func theNoticeCountsOnlyNewMailOnThisPageNotShownBefore() {
        var s = Fixture.loaded(Fixture.page(ids: ["m1", "m2"]))
        _ = s.update(.key(.character("r")))
        _ = s.update(.synced(SyncResult(page: Fixture.page(ids: ["n1", "m1", "m2"]), newMessageIDs: ["n1", "m1", "elsewhere", "n1"])))
        #expect(s.list.notice == "1 new message")
    }

    @Test func aSyncWhileReadingAMessageKeepsTheViewAndItsPlaceForNAndP() {
        var s = Fixture.loaded(Fixture.page(ids: ["m1", "m2", "m3"]))
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Fixture.detail("m2")))
        _ = s.update(.clock(Fixture.now.addingTimeInterval(60)))
        _ = s.update(.synced(SyncResult(page: Fixture.page(ids: ["n1", "m1", "m2", "m3"]), newMessageIDs: ["n1"])))
        #expect(s.screen == .message)
        #expect(s.message?.detail?.id == "m2")
        #expect(s.message?.index == 2)
        #expect(s.message?.notice == "1 new message")
        #expect(s.update(.key(.character("n"))) == [.fetchMessage(id: "m3")])
    }

    @Test func rWhileASyncRunsAsksForNothingMoreButShowsIt() {
        var s = Fixture.warm(Fixture.page(count: 3))
        #expect(!s.isBusy)
        #expect(s.update(.key(.character("r"))) == [])
        #expect(s.isBusy)
        #expect(s.render().lines()[22] == "⠋ Syncing with Gmail…")
        _ = s.update(.synced(SyncResult(page: Fixture.page(count: 3))))
        #expect(!s.isBusy)
    }

    @Test func aLateAnswerForAPageNoLongerShownIsDropped() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 3))
        _ = s.update(.key(.character("r")))
        _ = s.update(.key(.character("n")))
        _ = s.update(.pageLoaded(Fixture.page(token: "tok2", count: 3, prefix: "b")))
        #expect(s.update(.synced(SyncResult(page: Fixture.page(next: "tok2", count: 3, prefix: "x")))) == [])
        #expect(Fixture.ids(s) == ["b1", "b2", "b3"])
        #expect(s.sync.pending == nil)
        #expect(s.update(.key(.character("r"))) == [.sync(query: "", pageToken: "tok2", pageSize: 50)])
    }

    @Test func aLostGrantDuringASyncAuthorizesAndSendsTheSyncAgain() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.character("r")))
        let lost = MailServiceError.reauthorizationRequired(email: Fixture.account, reason: .grantRevoked)
        #expect(s.update(.syncFailed(query: "", pageToken: nil, error: lost)) == [.startAuthorization(loginHint: Fixture.account)])
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: Fixture.account, reason: .grantRevoked))
        #expect(s.update(.authorizationSucceeded(email: Fixture.account)) == [.sync(query: "", pageToken: nil, pageSize: 50)])
        _ = s.update(.synced(SyncResult(page: Fixture.page(ids: ["n1", "m1", "m2", "m3"]), newMessageIDs: ["n1"])))
        #expect(Fixture.ids(s).first == "n1")
        #expect(s.list.notice == "1 new message")
    }
}

@Suite struct PeriodicSyncTests {
    @Test func theListSyncsEveryMinuteWhileOpen() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(59))) == [])
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(60))) == [.sync(query: "", pageToken: nil, pageSize: 50)])
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(75))) == [], "one at a time")
        #expect(!s.isBusy)
        _ = s.update(.synced(SyncResult(page: Fixture.page(count: 3))))
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(134))) == [])
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(135))) == [.sync(query: "", pageToken: nil, pageSize: 50)])
    }

    @Test func theIntervalIsTheStates() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        #expect(s.syncInterval == 60)
        s.syncInterval = 300
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(60))) == [])
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(300))) == [.sync(query: "", pageToken: nil, pageSize: 50)])
        var off = Fixture.loaded(Fixture.page(count: 3))
        off.syncInterval = 0
        #expect(off.update(.clock(Fixture.now.addingTimeInterval(86_400))) == [], "0 syncs only on r")
        #expect(off.update(.key(.character("r"))) == [.sync(query: "", pageToken: nil, pageSize: 50)])
    }

    @Test func noPeriodicSyncWhileAPageLoadsOrOnTheAuthorizationScreen() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 3))
        _ = s.update(.key(.character("n")))
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(61))) == [])
        _ = s.update(.pageFailed(query: "", pageToken: "tok2", error: .reauthorizationRequired(email: Fixture.account, reason: .grantRevoked)))
        #expect(s.screen == .authorization)
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(120))) == [])
    }

    @Test func aPageFromGmailPutsTheNextSyncAMinuteAfterIt() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 3))
        _ = s.update(.clock(Fixture.now.addingTimeInterval(50)))
        _ = s.update(.key(.character("n")))
        _ = s.update(.pageLoaded(Fixture.page(token: "tok2", count: 3, prefix: "b")))
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(100))) == [])
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(110))) == [.sync(query: "", pageToken: "tok2", pageSize: 50)])
    }
}

@Suite struct OfflineTests {
    static let down = MailServiceError.network("connection to gmail.googleapis.com refused")

    @Test func aNetworkFailureSaysOfflineAndRetriesWithBackoffUntilGmailAnswers() {
        var s = Fixture.warm(Fixture.page(count: 3), ago: 300)
        var t: TimeInterval = 0
        var waits: [TimeInterval] = []
        for _ in 0..<9 {
            #expect(s.update(.syncFailed(query: "", pageToken: nil, error: Self.down)) == [])
            #expect(s.sync.offline)
            // The next retry is the first second at which the clock asks for a sync.
            var wait: TimeInterval = 1
            while s.update(.clock(Fixture.now.addingTimeInterval(t + wait))).isEmpty { wait += 1 }
            waits.append(wait)
            t += wait
        }
        #expect(waits == [5, 10, 20, 40, 80, 160, 300, 300, 300])
        #expect(s.list.error == nil, "a sync nobody asked for fails quietly: the header says it")
        #expect(s.render().lines()[0].contains("offline"))
        _ = s.update(.synced(SyncResult(page: Fixture.page(count: 3))))
        #expect(!s.sync.offline)
        #expect(!s.render().lines()[0].contains("offline"), "the header changes when the network is back")
        // The backoff starts over: the next failure retries after 5 s.
        _ = s.update(.clock(Fixture.now.addingTimeInterval(t + 60)))
        _ = s.update(.syncFailed(query: "", pageToken: nil, error: Self.down))
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(t + 64))) == [])
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(t + 65))) == [.sync(query: "", pageToken: nil, pageSize: 50)])
    }

    @Test func rOfflineSaysWhyInTheStatusLine() {
        var s = Fixture.warm(Fixture.page(count: 3))
        _ = s.update(.syncFailed(query: "", pageToken: nil, error: Self.down))
        #expect(s.update(.key(.character("r"))) == [.sync(query: "", pageToken: nil, pageSize: 50)])
        _ = s.update(.syncFailed(query: "", pageToken: nil, error: Self.down))
        #expect(s.list.error == "Network problem: connection to gmail.googleapis.com refused (r to retry)")
        #expect(Fixture.ids(s) == ["m1", "m2", "m3"], "the stored page stays")
    }

    @Test func aStoredPageAnsweredBecauseGmailIsUnreachableSaysOffline() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 3))
        _ = s.update(.key(.character("n")))
        #expect(s.update(.pageLoaded(Fixture.stored(Fixture.page(token: "tok2", count: 2, prefix: "b"), ago: 600))) == [])
        #expect(Fixture.ids(s) == ["b1", "b2"])
        #expect(s.freshness == "offline, synced 10 min ago")
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(5))) == [.sync(query: "", pageToken: "tok2", pageSize: 50)])
        _ = s.update(.synced(SyncResult(page: Fixture.page(token: "tok2", count: 2, prefix: "b"))))
        #expect(s.freshness == nil)
    }

    @Test func aPageNotStoredSaysSoOffline() {
        var s = Fixture.warm(Fixture.page(next: "tok2", count: 3))
        _ = s.update(.syncFailed(query: "", pageToken: nil, error: Self.down))
        _ = s.update(.key(.character("n")))
        _ = s.update(.pageFailed(query: "", pageToken: "tok2", error: Self.down))
        #expect(s.list.error == "Offline, not stored: connection to gmail.googleapis.com refused (r to retry)")
        #expect(s.list.pageNumber == 1)
    }

    @Test func aMessageNotStoredSaysSoOfflineAndOneStoredOpens() {
        var s = Fixture.warm(Fixture.page(count: 3))
        _ = s.update(.key(.enter))
        _ = s.update(.messageFailed(id: "m1", error: Self.down))
        #expect(s.sync.offline)
        let text = s.render().lines().joined(separator: " ")
        #expect(text.contains("Offline: this message is not stored on this computer, and Gmail cannot be reached"))
        #expect(text.contains("connection to gmail.googleapis.com refused"))
        _ = s.update(.key(.character("q")))
        _ = s.update(.key(.character("j")))
        #expect(s.update(.key(.enter)) == [.fetchMessage(id: "m2")])
        _ = s.update(.messageLoaded(Fixture.detail("m2", body: "Stored body.")))
        #expect(s.render().lines().contains("Stored body."))
    }

    @Test func aStartWithNothingStoredAndNoNetworkRetriesInTheBackground() {
        var s = BrowserState(account: Fixture.account, query: "is:unread", pageSize: 50, now: Fixture.now, calendar: Fixture.calendar)
        _ = s.start(stored: nil)
        _ = s.update(.pageFailed(query: "is:unread", pageToken: nil, error: Self.down))
        #expect(s.render().lines()[0].hasSuffix("│ offline"))
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(5))) == [.sync(query: "is:unread", pageToken: nil, pageSize: 50)])
        _ = s.update(.synced(SyncResult(page: Fixture.page(query: "is:unread", count: 2))))
        #expect(Fixture.ids(s) == ["m1", "m2"])
        #expect(s.list.error == nil)
        #expect(!s.render().lines()[0].contains("offline"))
    }

    @Test func otherFailuresRetryQuietlyAndTheHeaderSaysHowOldTheListIs() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.clock(Fixture.now.addingTimeInterval(60)))
        _ = s.update(.syncFailed(query: "", pageToken: nil, error: .rateLimited))
        #expect(!s.sync.offline)
        #expect(s.list.error == nil)
        #expect(s.freshness == "synced 1 min ago")
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(65))) == [.sync(query: "", pageToken: nil, pageSize: 50)])
    }

    @Test func loggedOutElsewhereStopsSyncing() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.clock(Fixture.now.addingTimeInterval(60)))
        _ = s.update(.syncFailed(query: "", pageToken: nil, error: .loggedOutElsewhere(email: Fixture.account)))
        #expect(s.list.error?.contains("logged out in another gmail-tui") == true)
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(3600))) == [])
    }
}

@Suite struct FreshnessScreenTests {
    /// The mixed page, second row selected, as `ScreenTests.listState()` shows it.
    func rows() -> [String] { Array(Screens.list80x24.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().map(String.init)) }

    @Test func warmStartAt80x24SaysHowFreshTheStoredListIs() {
        var s = Fixture.warm(Fixture.mixedPage, ago: 120)
        _ = s.update(.key(.down))
        expectScreen(render(s, cols: 80, rows: 24),
                     ([" demo@gmail-tui.example │ in:inbox │ page 1 │ 1-6 of ~1,234 │ synced 2 min ago"] + rows()).joined(separator: "\n"))
    }

    @Test func offlineAt80x24SaysOfflineAndHowOldTheListIsShorteningTheQueryFirst() {
        var s = Fixture.warm(Fixture.mixedPage, ago: 300)
        _ = s.update(.key(.down))
        _ = s.update(.syncFailed(query: "in:inbox", pageToken: nil, error: OfflineTests.down))
        expectScreen(render(s, cols: 80, rows: 24),
                     ([" demo@gmail-tui.exa… │ in:… │ page 1 │ 1-6 of ~1,234 │ offline, synced 5 min ago"] + rows()).joined(separator: "\n"))
    }
}
