import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// The list as one continuous index: `j`, `k`, and `n`/`p` in the message view go on across pages.
@Suite struct ContinuousListTests {
    /// Page 1 (m1...m3, next "tok2") loaded.
    func firstPage() -> BrowserState { Fixture.loaded(Fixture.page(query: "in:inbox", next: "tok2", count: 3)) }

    static let second = Fixture.page(query: "in:inbox", token: "tok2", next: "tok3", count: 3, prefix: "n")

    @Test func gThenJLandsOnTheNextPagesFirstRow() {
        var s = firstPage()
        _ = s.update(.key(.character("G")))
        #expect(s.list.selection == 2)
        #expect(s.update(.key(.character("j"))) == [.fetchPage(query: "in:inbox", pageToken: "tok2", pageSize: 50)])
        let effects = s.update(.pageLoaded(Self.second))
        #expect(effects == [.prefetchPage(query: "in:inbox", pageToken: "tok3", pageSize: 50)])
        #expect(s.list.pageNumber == 2)
        #expect(s.list.selection == 0)
        #expect(s.list.page?.messages[s.list.selection].id == "n1")
        #expect(s.screen == .list)
    }

    @Test func kOnALaterPagesFirstRowLandsOnThePreviousPagesLastRow() {
        var s = firstPage()
        _ = s.update(.key(.character("G")))
        _ = s.update(.key(.down))
        _ = s.update(.pageLoaded(Self.second))
        #expect(s.update(.key(.up)) == [.fetchPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        _ = s.update(.pageLoaded(Fixture.page(query: "in:inbox", next: "tok2", count: 3)))
        #expect(s.list.pageNumber == 1)
        #expect(s.list.selection == 2)
        #expect(s.list.page?.messages[s.list.selection].id == "m3")
    }

    @Test func theEdgesOfTheWholeListStayPut() {
        var s = Fixture.loaded(Fixture.page(count: 3))   // one page only
        #expect(s.update(.key(.character("k"))) == [])
        #expect(s.list.selection == 0)
        _ = s.update(.key(.character("G")))
        #expect(s.update(.key(.character("j"))) == [])
        #expect(s.list.selection == 2)
        #expect(s.list.pending == nil)
    }

    @Test func jWithinAPageOnlyMoves() {
        var s = firstPage()
        #expect(s.update(.key(.character("j"))) == [])
        #expect(s.list.selection == 1)
        #expect(s.list.pending == nil)
    }

    @Test func nAndPOnTheListStillPage() {
        var s = firstPage()
        _ = s.update(.key(.character("j")))
        #expect(s.update(.key(.character("n"))) == [.fetchPage(query: "in:inbox", pageToken: "tok2", pageSize: 50)])
        _ = s.update(.pageLoaded(Self.second))
        #expect(s.list.selection == 0)
        #expect(s.update(.key(.character("p"))) == [.fetchPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        _ = s.update(.pageLoaded(Fixture.page(query: "in:inbox", next: "tok2", count: 3)))
        #expect(s.list.selection == 0, "p goes to the top of the previous page, as before")
    }

    @Test func nOnAPagesLastMessageOpensTheNextPagesFirst() {
        var s = firstPage()
        _ = s.update(.key(.character("G")))
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Fixture.detail("m3")))
        #expect(s.update(.key(.character("n"))) == [.fetchPage(query: "in:inbox", pageToken: "tok2", pageSize: 50)])
        #expect(s.screen == .message)
        #expect(s.message?.id == "m3", "the message stays until the next one is known")
        #expect(s.message?.notice == "Loading the next page…")
        #expect(s.update(.key(.character("n"))) == [], "a second n waits for the same page")
        let effects = s.update(.pageLoaded(Self.second))
        #expect(effects.first == .fetchMessage(id: "n1"))
        #expect(effects.contains(.prefetchPage(query: "in:inbox", pageToken: "tok3", pageSize: 50)))
        #expect(s.message?.id == "n1")
        #expect(s.message?.index == 0)
        #expect(s.list.selection == 0)
        #expect(s.list.pageNumber == 2)
    }

    @Test func pOnALaterPagesFirstMessageOpensThePreviousPagesLast() {
        var s = firstPage()
        _ = s.update(.key(.character("n")))
        _ = s.update(.pageLoaded(Self.second))
        _ = s.update(.key(.enter))
        #expect(s.message?.id == "n1")
        #expect(s.update(.key(.character("p"))) == [.fetchPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        let effects = s.update(.pageLoaded(Fixture.page(query: "in:inbox", next: "tok2", count: 3)))
        #expect(effects.first == .fetchMessage(id: "m3"))
        #expect(s.message?.id == "m3")
        #expect(s.message?.index == 2)
        #expect(s.list.selection == 2)
    }

    @Test func leavingTheMessageViewBeforeThePageArrivesOpensNothing() {
        var s = firstPage()
        _ = s.update(.key(.character("G")))
        _ = s.update(.key(.enter))
        _ = s.update(.key(.character("n")))
        _ = s.update(.key(.character("q")))
        let effects = s.update(.pageLoaded(Self.second))
        #expect(!effects.contains { if case .fetchMessage = $0 { return true } else { return false } })
        #expect(s.screen == .list)
        #expect(s.list.selection == 0)
    }

    @Test func nOnTheLastMessageOfTheLastPageSaysSo() {
        var s = Fixture.loaded(Fixture.page(count: 2))
        _ = s.update(.key(.character("G")))
        _ = s.update(.key(.enter))
        #expect(s.update(.key(.character("n"))) == [])
        #expect(s.message?.notice == "This is the last message on this page")
    }
}
