import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

@Suite struct ListKeyTests {
    @Test func startRequestsTheFirstPage() {
        var s = BrowserState(account: Fixture.account, query: "is:unread", pageSize: 50, now: Fixture.now, calendar: Fixture.calendar)
        #expect(s.start() == [.fetchPage(query: "is:unread", pageToken: nil, pageSize: 50)])
        #expect(s.isBusy)
        #expect(s.screen == .list)
    }

    @Test func movementKeysMoveAndClampTheSelection() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        #expect(s.update(.key(.character("j"))) == [])
        #expect(s.list.selection == 1)
        _ = s.update(.key(.down))
        _ = s.update(.key(.down))
        #expect(s.list.selection == 2)
        _ = s.update(.key(.character("k")))
        #expect(s.list.selection == 1)
        _ = s.update(.key(.up)); _ = s.update(.key(.up))
        #expect(s.list.selection == 0)
        _ = s.update(.key(.character("G")))
        #expect(s.list.selection == 2)
        _ = s.update(.key(.character("g")))
        #expect(s.list.selection == 0)
    }

    @Test func pageDownAndUpMoveByAScreenAndKeepTheSelectionVisible() {
        var s = Fixture.loaded(Fixture.page(count: 50), rows: 24)  // 21 message rows
        _ = s.update(.key(.pageDown))
        #expect(s.list.selection == 21)
        #expect(s.list.scroll == 21)
        _ = s.update(.key(.pageDown)); _ = s.update(.key(.pageDown))
        #expect(s.list.selection == 49)
        #expect(s.list.scroll == 29)
        _ = s.update(.key(.pageUp))
        #expect(s.list.selection == 28)
        #expect(s.list.scroll == 8)
        _ = s.update(.key(.character("g")))
        #expect(s.list.scroll == 0)
    }

    @Test func enterOpensTheSelectedMessage() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.character("j")))
        #expect(s.update(.key(.enter)) == [.fetchMessage(id: "m2")])
        #expect(s.screen == .message)
        #expect(s.message?.id == "m2")
        #expect(s.message?.index == 1)
    }

    @Test func enterOnAnEmptyPageDoesNothing() {
        var s = Fixture.loaded(Fixture.page(query: "is:unread", count: 0))
        #expect(s.update(.key(.enter)) == [])
        #expect(s.screen == .list)
    }

    @Test func rSyncsTheSamePageAndKeepsTheSelection() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.character("j")))
        #expect(s.update(.key(.character("r"))) == [.sync(query: "", pageToken: nil, pageSize: 50)])
        _ = s.update(.synced(SyncResult(page: Fixture.page(count: 3))))
        #expect(s.list.selection == 1)
    }

    @Test func questionMarkShowsHelpAndAnyKeyClosesIt() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.character("?")))
        #expect(s.showingHelp)
        #expect(s.update(.key(.character("j"))) == [])
        #expect(!s.showingHelp)
        #expect(s.list.selection == 0)
    }

    @Test func qQuitsAndCtrlCQuitsEverywhere() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        #expect(s.update(.key(.character("q"))) == [.quit])
        _ = s.update(.key(.enter))
        #expect(s.update(.key(.control("c"))) == [.quit])
    }

    @Test func keysStillWorkWhileAPageLoads() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 3))
        _ = s.update(.key(.character("n")))
        #expect(s.isBusy)
        _ = s.update(.key(.character("j")))
        #expect(s.list.selection == 1)
        #expect(s.update(.key(.enter)) == [.fetchMessage(id: "m2")])
    }
}

@Suite struct PagingTests {
    @Test func forwardAndBackThroughAStackOfTokens() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 3))
        #expect(s.update(.key(.character("n"))) == [.fetchPage(query: "", pageToken: "tok2", pageSize: 50)])
        #expect(s.list.pageNumber == 1)  // until the page arrives
        _ = s.update(.pageLoaded(Fixture.page(token: "tok2", next: "tok3", count: 3, prefix: "b")))
        #expect(s.list.pageNumber == 2)
        #expect(s.list.pageTokens == [nil, "tok2"])
        #expect(s.list.page?.messages.first?.id == "b1")

        #expect(s.update(.key(.character("n"))) == [.fetchPage(query: "", pageToken: "tok3", pageSize: 50)])
        _ = s.update(.pageLoaded(Fixture.page(token: "tok3", next: nil, count: 2, prefix: "c")))
        #expect(s.list.pageTokens == [nil, "tok2", "tok3"])

        #expect(s.update(.key(.character("n"))) == [])
        #expect(s.list.notice == "This is the last page")

        #expect(s.update(.key(.character("p"))) == [.fetchPage(query: "", pageToken: "tok2", pageSize: 50)])
        _ = s.update(.pageLoaded(Fixture.page(token: "tok2", next: "tok3", count: 3, prefix: "b")))
        #expect(s.list.pageTokens == [nil, "tok2"])
        #expect(s.update(.key(.character("p"))) == [.fetchPage(query: "", pageToken: nil, pageSize: 50)])
        _ = s.update(.pageLoaded(Fixture.page(token: nil, next: "tok2", count: 3)))
        #expect(s.list.pageNumber == 1)
        #expect(s.update(.key(.character("p"))) == [])
        #expect(s.list.notice == "This is the first page")
    }

    @Test func aNewPageStartsAtItsTop() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 3))
        _ = s.update(.key(.character("G")))
        _ = s.update(.key(.character("n")))
        #expect(s.list.selection == 2)
        _ = s.update(.pageLoaded(Fixture.page(token: "tok2", count: 3, prefix: "b")))
        #expect(s.list.selection == 0)
    }

    @Test func staleAnswersAreDropped() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 3))
        _ = s.update(.key(.character("n")))
        _ = s.update(.key(.character("/")))
        _ = s.update(.key(.control("u")))
        s.type("label:work")
        #expect(s.update(.key(.enter)) == [.fetchPage(query: "label:work", pageToken: nil, pageSize: 50), .rememberQuery("label:work")])
        // The answer to the superseded "n" arrives late: ignored.
        _ = s.update(.pageLoaded(Fixture.page(token: "tok2", count: 3, prefix: "b")))
        #expect(s.list.page?.messages.first?.id == "m1")
        _ = s.update(.pageFailed(query: "", pageToken: "tok2", error: .network("timeout")))
        #expect(s.list.error == nil)
        _ = s.update(.pageLoaded(Fixture.page(query: "label:work", count: 2, prefix: "w")))
        #expect(s.list.page?.messages.first?.id == "w1")
        #expect(s.list.pageTokens == [nil])
        #expect(!s.isBusy)
    }

    @Test func networkFailureShowsWhatToDoAndRRetries() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 3))
        _ = s.update(.key(.character("n")))
        _ = s.update(.pageFailed(query: "", pageToken: "tok2", error: .network("could not connect")))
        #expect(s.list.error == "Offline, not stored: could not connect (r to retry)")
        #expect(s.list.pageNumber == 1)
        #expect(s.update(.key(.character("r"))) == [.sync(query: "", pageToken: nil, pageSize: 50)])
        #expect(s.list.error == nil)
    }
}

@Suite struct QueryEditorTests {
    @Test func editsWithCursorKeysAndRunsOnEnter() {
        var s = Fixture.loaded(Fixture.page(query: "is:unread", next: "tok2", count: 3))
        _ = s.update(.key(.character("n")))
        _ = s.update(.pageLoaded(Fixture.page(query: "is:unread", token: "tok2", count: 3, prefix: "b")))
        #expect(s.update(.key(.character("/"))) == [])
        #expect(s.list.editor?.text == "is:unread")
        #expect(s.list.editor?.cursor == 9)
        // Keys are text now, not commands.
        #expect(s.update(.key(.character("q"))) == [])
        _ = s.update(.key(.backspace))
        _ = s.update(.key(.home))
        s.type("from:ada ")
        #expect(s.list.editor?.text == "from:ada is:unread")
        _ = s.update(.key(.end)); _ = s.update(.key(.left)); _ = s.update(.key(.delete))
        #expect(s.list.editor?.text == "from:ada is:unrea")
        _ = s.update(.key(.left)); _ = s.update(.key(.left)); _ = s.update(.key(.right))
        _ = s.update(.key(.control("u")))
        #expect(s.list.editor?.text == "a")
        _ = s.update(.paste("has:attachment\n"))
        #expect(s.list.editor?.text == "has:attachment a")
        let effects = s.update(.key(.enter))
        #expect(effects == [.fetchPage(query: "has:attachment a", pageToken: nil, pageSize: 50), .rememberQuery("has:attachment a")])
        #expect(s.list.editor == nil)
        _ = s.update(.pageLoaded(Fixture.page(query: "has:attachment a", count: 1, prefix: "h")))
        #expect(s.list.pageTokens == [nil])
        #expect(s.list.query == "has:attachment a")
    }

    @Test func escapeCancelsWithoutChangingTheQuery() {
        var s = Fixture.loaded(Fixture.page(query: "is:unread", count: 3))
        _ = s.update(.key(.character("/")))
        s.type("xyz")
        #expect(s.update(.key(.escape)) == [])
        #expect(s.list.editor == nil)
        #expect(s.list.query == "is:unread")
    }
}

@Suite struct MessageViewKeyTests {
    func opened(body: String = "Hello.", rows: Int = 24) -> BrowserState {
        var s = Fixture.loaded(Fixture.page(count: 3), rows: rows)
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Fixture.detail("m2", body: body)))
        return s
    }

    @Test func scrollingKeysStayWithinTheText() {
        let body = (1...60).map { "line \($0)" }.joined(separator: "\n")
        var s = opened(body: body)   // 4 header rows + blank + 60 = 65 rows, 22 visible
        _ = s.update(.key(.character("j")))
        #expect(s.message?.scroll == 1)
        _ = s.update(.key(.character(" ")))
        #expect(s.message?.scroll == 23)
        _ = s.update(.key(.character("G")))
        #expect(s.message?.scroll == 43)
        _ = s.update(.key(.pageDown))
        #expect(s.message?.scroll == 43)
        _ = s.update(.key(.pageUp))
        #expect(s.message?.scroll == 21)
        _ = s.update(.key(.character("k")))
        #expect(s.message?.scroll == 20)
        _ = s.update(.key(.character("g")))
        #expect(s.message?.scroll == 0)
        _ = s.update(.key(.up))
        #expect(s.message?.scroll == 0)
    }

    @Test func qAndEscapeReturnToTheSameListPosition() {
        var s = opened()
        #expect(s.update(.key(.character("q"))) == [])
        #expect(s.screen == .list)
        #expect(s.list.selection == 1)
        _ = s.update(.key(.enter))
        #expect(s.update(.key(.escape)) == [])
        #expect(s.screen == .list)
        #expect(s.list.selection == 1)
    }

    @Test func nAndPOpenTheNeighboursAndStopAtThePageEdges() {
        var s = opened()
        #expect(s.update(.key(.character("n"))) == [.fetchMessage(id: "m3")])
        #expect(s.message?.id == "m3")
        #expect(s.message?.detail == nil)
        #expect(s.list.selection == 2)
        #expect(s.update(.key(.character("n"))) == [])
        #expect(s.message?.notice == "This is the last message on this page")
        #expect(s.update(.key(.character("p"))) == [.fetchMessage(id: "m2")])
        #expect(s.update(.key(.character("p"))) == [.fetchMessage(id: "m1")])
        #expect(s.update(.key(.character("p"))) == [])
        _ = s.update(.key(.character("q")))
        #expect(s.list.selection == 0)
    }

    @Test func aLateAnswerForAnotherMessageIsDropped() {
        var s = opened()
        _ = s.update(.key(.character("n")))
        _ = s.update(.messageLoaded(Fixture.detail("m2", subject: "old")))
        #expect(s.message?.detail == nil)
        _ = s.update(.messageLoaded(Fixture.detail("m3", subject: "new")))
        #expect(s.message?.detail?.subject == "new")
    }

    /// A 404 for a list (a server that is not Gmail's API, a wrong account) is no deleted message.
    @Test func aListAnswered404SaysSoAsAList() {
        var s = BrowserState(account: Fixture.account, query: "is:unread")
        _ = s.start()
        _ = s.update(.pageFailed(query: "is:unread", pageToken: nil, error: .notFound))
        #expect(s.list.error?.hasPrefix("Gmail answered 404 Not found for the list: no list of \"is:unread\"") == true)
        #expect(s.list.error?.hasSuffix("(r to retry)") == true)
        #expect(s.list.error?.contains("deleted") == false)
        _ = s.update(.key(.character("t")))
        _ = s.update(.conversationPageFailed(query: "is:unread", pageToken: nil, error: .notFound))
        #expect(s.list.error?.hasPrefix("Gmail answered 404 Not found for the list") == true, "the conversation list too")
        // And `r`, a sync the user asked for, on a list shown from the store.
        var stored = Fixture.loaded(Fixture.page(query: "is:unread", count: 3))
        #expect(stored.update(.key(.character("r"))) == [.sync(query: "is:unread", pageToken: nil, pageSize: 50)])
        _ = stored.update(.syncFailed(query: "is:unread", pageToken: nil, error: .notFound))
        #expect(stored.list.error?.hasPrefix("Gmail answered 404 Not found for the list") == true)
    }

    @Test func aFailedMessageSaysWhyAndRRetries() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.enter))
        _ = s.update(.messageFailed(id: "m1", error: .notFound))
        #expect(s.message?.error == "Not found: it may have been deleted (r to retry, q back)")
        #expect(s.update(.key(.character("r"))) == [.fetchMessage(id: "m1")])
        #expect(s.message?.error == nil)
    }
}

@Suite struct AuthorizationKeyTests {
    func screen() -> BrowserState {
        var s = BrowserState(account: nil, now: Fixture.now, calendar: Fixture.calendar)
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        return s
    }

    @Test func cAndOActOnTheURLWhileTheFieldIsEmpty() {
        var s = screen()
        #expect(s.screen == .authorization)
        #expect(s.update(.key(.character("c"))) == [.copyToClipboard(Fixture.authURL.absoluteString)])
        // Nothing is claimed before the terminal says what the copy did.
        #expect(s.authorization?.notice == nil)
        _ = s.update(.copiedToClipboard(.terminal))
        #expect(s.authorization?.notice?.contains("OSC 52") == true)
        #expect(s.update(.key(.character("o"))) == [.openURL(Fixture.authURL)])
        #expect(s.authorization?.notice == nil)
        s.type("4/0Ac")
        #expect(s.authorization?.field.text == "4/0Ac")
        #expect(s.update(.key(.character("o"))) == [])
        #expect(s.authorization?.field.text == "4/0Aco")
    }

    @Test func enterSubmitsTheTrimmedCodeAndIgnoresAnEmptyField() {
        var s = screen()
        #expect(s.update(.key(.enter)) == [])
        _ = s.update(.paste("  http://127.0.0.1:8765/?state=xyz&code=4/0AcQ \n"))
        #expect(s.update(.key(.enter)) == [.submitCode("http://127.0.0.1:8765/?state=xyz&code=4/0AcQ")])
        #expect(s.authorization?.exchanging == true)
        #expect(s.isBusy)
        // Keys are ignored while the exchange runs.
        #expect(s.update(.key(.enter)) == [])
    }

    @Test func aRejectedCodeLeavesTheUserOnTheScreenToTryAgain() {
        var s = screen()
        s.type("bad")
        _ = s.update(.key(.enter))
        _ = s.update(.authorizationFailed("Google rejected the code (it may have been used already). Open the URL again for a new one."))
        #expect(s.screen == .authorization)
        #expect(s.authorization?.exchanging == false)
        #expect(s.authorization?.field.text == "")
        #expect(s.authorization?.error?.hasPrefix("Google rejected the code") == true)
        s.type("x")
        #expect(s.authorization?.error == nil)
    }

    @Test func escapeQuits() {
        var s = screen()
        #expect(s.update(.key(.escape)) == [.quit])
    }

    @Test func theLoopbackListenerCompletesTheFlowByItself() {
        var s = screen()
        _ = s.update(.authorizationExchangeStarted)
        #expect(s.authorization?.exchanging == true)
        let effects = s.update(.authorizationSucceeded(email: Fixture.account))
        #expect(effects == [.fetchPage(query: "", pageToken: nil, pageSize: 50)])
        #expect(s.screen == .list)
        #expect(s.account == Fixture.account)
        #expect(s.authorization == nil)
    }
}

@Suite struct ReauthorizationTests {
    @Test func a401OnAPageGoesToAuthorizationThenReturnsAndRetries() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 3))
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.character("n")))
        let effects = s.update(.pageFailed(query: "", pageToken: "tok2", error: .reauthorizationRequired(email: Fixture.account, reason: .grantRevoked)))
        #expect(effects == [.startAuthorization(loginHint: Fixture.account)])
        #expect(s.screen == .authorization)
        #expect(s.authorization?.reason == .grantRevoked)
        #expect(s.authorization?.email == Fixture.account)
        #expect(s.authorization?.url == nil)
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: Fixture.account, reason: .grantRevoked))
        #expect(s.authorization?.url == Fixture.authURL)
        s.type("4/code")
        #expect(s.update(.key(.enter)) == [.submitCode("4/code")])
        #expect(s.update(.authorizationSucceeded(email: Fixture.account)) == [.fetchPage(query: "", pageToken: "tok2", pageSize: 50)])
        #expect(s.screen == .list)
        #expect(s.list.selection == 1)
        _ = s.update(.pageLoaded(Fixture.page(token: "tok2", count: 3, prefix: "b")))
        #expect(s.list.pageNumber == 2)
        // Nothing is retried twice.
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        #expect(s.update(.authorizationSucceeded(email: Fixture.account)) == [])
    }

    @Test func a401InTheMessageViewReturnsToTheMessageAndRetries() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.enter))
        #expect(s.update(.messageFailed(id: "m1", error: .reauthorizationRequired(email: Fixture.account, reason: .rejectedAfterRefresh)))
                == [.startAuthorization(loginHint: Fixture.account)])
        #expect(s.screens == [.list, .message, .authorization])
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: Fixture.account, reason: .rejectedAfterRefresh))
        #expect(s.update(.authorizationSucceeded(email: Fixture.account)) == [.fetchMessage(id: "m1")])
        #expect(s.screen == .message)
        _ = s.update(.messageLoaded(Fixture.detail("m1")))
        #expect(s.message?.detail?.id == "m1")
    }

    @Test func twoFailuresShowOneScreenAndRetryBoth() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.character("r")))
        _ = s.update(.key(.enter))
        let lost = MailServiceError.reauthorizationRequired(email: Fixture.account, reason: .grantRevoked)
        #expect(s.update(.messageFailed(id: "m1", error: lost)) == [.startAuthorization(loginHint: Fixture.account)])
        #expect(s.update(.syncFailed(query: "", pageToken: nil, error: lost)) == [])
        #expect(s.screens == [.list, .message, .authorization])
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: Fixture.account, reason: .grantRevoked))
        #expect(s.update(.authorizationSucceeded(email: Fixture.account))
                == [.fetchMessage(id: "m1"), .sync(query: "", pageToken: nil, pageSize: 50)])
        #expect(s.screen == .message)
    }
}

@Suite struct ResizeAndTickTests {
    @Test func resizeKeepsTheSelectionVisible() {
        var s = Fixture.loaded(Fixture.page(count: 50), rows: 40)
        _ = s.update(.key(.character("G")))
        #expect(s.list.scroll == 13)   // 37 rows
        #expect(s.update(.resize(cols: 100, rows: 24)) == [])
        #expect(s.cols == 100 && s.rows == 24)
        #expect(s.list.scroll == 29)   // 21 rows, selection 49 at the bottom
        _ = s.update(.resize(cols: 100, rows: 60))
        #expect(s.list.scroll == 0)
    }

    @Test func resizeClampsTheMessageScroll() {
        let body = (1...60).map { "line \($0)" }.joined(separator: "\n")
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Fixture.detail("m1", body: body)))
        _ = s.update(.key(.character("G")))
        #expect(s.message?.scroll == 43)   // 65 rows, 22 visible
        _ = s.update(.resize(cols: 80, rows: 50))
        #expect(s.message?.scroll == 17)   // 48 visible
    }

    @Test func tickAdvancesTheSpinner() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.tick)
        #expect(s.spinnerFrame == 1)
        for _ in 0..<9 { _ = s.update(.tick) }
        #expect(s.spinnerFrame == 0)
    }
}

@Suite struct InputRobustnessTests {
    @Test func combiningMarkTypedAfterALetterKeepsTheCursorInside() {
        var field = TextField()
        _ = field.handle(.character("ก"))
        _ = field.handle(.character("\u{0E34}"))  // joins the previous letter: still one character
        #expect(field.text == "กิ")
        #expect(field.cursor == 1)
        _ = field.handle(.backspace)
        _ = field.handle(.character("x"))
        #expect(field.text == "x")
        #expect(field.cursor == 1)
    }

    @Test func wideCharactersWrapEvenInOneColumn() {
        let rows = TextLayout.wrap("日本 📎", width: 1)
        #expect(rows.map { $0.map(\.character) } == [["日"], ["本"], ["📎"]])
    }
}
