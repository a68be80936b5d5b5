import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

@Suite struct KeymapTests {
    func rebound(_ overrides: [String: [Key]]) throws -> BrowserState {
        var s = Fixture.loaded(Fixture.page(count: 30))
        s.configure(keymap: try Keymap(overrides: overrides), history: [])
        return s
    }

    @Test func aReboundKeyActsAndTheOldOneSaysItIsUnbound() throws {
        var s = try rebound(["quit": [.character("Q")], "down": [.character("J")]])
        _ = s.update(.key(.character("J")))
        #expect(s.list.selection == 1)
        #expect(s.update(.key(.character("j"))) == [])
        #expect(s.list.selection == 1)
        #expect(s.list.notice == "j is unbound (down is on J in config.toml); ? for help")
        #expect(s.update(.key(.character("q"))) == [])
        #expect(s.list.notice?.hasPrefix("q is unbound (quit is on Q") == true)
        #expect(s.update(.key(.character("Q"))) == [.quit])
    }

    @Test func swappedKeysSwapTheirActions() throws {
        var s = try rebound(["down": [.character("k")], "up": [.character("j")]])
        _ = s.update(.key(.character("k")))
        _ = s.update(.key(.character("k")))
        _ = s.update(.key(.character("j")))
        #expect(s.list.selection == 1)
    }

    @Test func aKeyWithNoMeaningSaysSoInsteadOfSilence() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        #expect(s.update(.key(.character("w"))) == [])
        #expect(s.list.notice == "w does nothing here; ? for help")
        _ = s.update(.clock(Fixture.now.addingTimeInterval(2)))
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Fixture.detail("m1")))
        _ = s.update(.key(.tab))
        #expect(s.message?.notice == "Tab does nothing here; ? for help")
        // A key of the table that acts on another screen only is no exception.
        _ = s.update(.clock(Fixture.now.addingTimeInterval(4)))
        _ = s.update(.key(.character("L")))
        #expect(s.message?.notice == "L does nothing here; ? for help")
    }

    @Test func strayTypingOfUnboundKeysIsSwallowedTogether() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 30))
        var effects: [BrowserEffect] = []
        for c in "whoo" { effects += s.update(.key(.character(c))) }
        #expect(effects == [])
        #expect(s.list.selection == 0 && s.list.scroll == 0 && s.list.pending == nil)
        #expect(s.screen == .list)
        #expect(s.list.notice == "\"whoo\" is not a command here: / searches, ? lists the keys.")
        // After a pause, keys are commands again.
        _ = s.update(.clock(Fixture.now.addingTimeInterval(2)))
        _ = s.update(.key(.character("j")))
        #expect(s.list.selection == 1)
    }

    @Test func strayTypingNeverChangesMailButOtherBoundKeysAct() {
        var s = Fixture.loaded(Fixture.page(next: "tok2", count: 30))
        _ = s.update(.modifyPermission(true))
        var effects: [BrowserEffect] = []
        // "hello" typed into the wrong window: e (archive) and l (labels) are swallowed with the rest.
        for c in "hello" { effects += s.update(.key(.character(c))) }
        #expect(effects == [])
        #expect(s.list.page?.messages.count == 30)
        #expect(s.list.notice == "\"hello\" is not a command here: / searches, ? lists the keys.")
        // A bound key that changes nothing acts at once: w (nothing), then j moves.
        _ = s.update(.clock(Fixture.now.addingTimeInterval(2)))
        _ = s.update(.key(.character("w")))
        _ = s.update(.key(.character("j")))
        #expect(s.list.selection == 1)
    }

    @Test func halfPagesFirstAndLastOnTheListAndInAMessage() {
        var s = Fixture.loaded(Fixture.page(count: 50), rows: 24)  // 21 message rows
        _ = s.update(.key(.control("d")))
        #expect(s.list.selection == 10)
        _ = s.update(.key(.control("u")))
        #expect(s.list.selection == 0)
        _ = s.update(.key(.character(" ")))
        #expect(s.list.selection == 21)
        _ = s.update(.key(.character("b")))
        #expect(s.list.selection == 0)
        _ = s.update(.key(.end))
        #expect(s.list.selection == 49)
        _ = s.update(.key(.home))
        #expect(s.list.selection == 0)
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Fixture.detail("m1", body: (1...100).map { "line \($0)" }.joined(separator: "\n"))))
        _ = s.update(.key(.control("d")))
        #expect(s.message?.scroll == 11)
        _ = s.update(.key(.control("u")))
        #expect(s.message?.scroll == 0)
        #expect(s.update(.key(.control("z"))) == [.suspend])
    }

    @Test func helpListsExactlyTheKeysOfTheScreenWithTheirBindings() throws {
        var s = try rebound(["search": [.character("f")], "archive": [.character("a")]])
        _ = s.update(.key(.character("?")))
        let list = s.render().lines().joined(separator: "\n")
        #expect(list.contains("Keys: message list"))
        #expect(list.contains("f           search: edit the query"))
        #expect(list.contains("Ctrl-D      half a page down"))
        #expect(list.contains("Space") && list.contains("Home") && list.contains("Ctrl-Z"))
        #expect(!list.contains("next message"))
        #expect(list.contains("a           archive"), "a rebound action is listed on its new key")
        // Actions without a handler yet are left out, rebound or not.
        #expect(list.contains("t           messages ⇄ conversations"))
        #expect(list.contains("A           the account list"))
        _ = s.update(.key(.character("x")))
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Fixture.detail("m1")))
        _ = s.update(.key(.character("?")))
        let message = s.render().lines().joined(separator: "\n")
        #expect(message.contains("Keys: message"))
        #expect(message.contains("back to the list") && message.contains("next message"))
        #expect(!message.contains("next page") && !message.contains("edit the query"))
        #expect(Set(s.keys.keymap.help(for: .message).map(\.summary)) == Set(Keymap.actions.filter { $0.live && $0.screens.contains(.message) }.map(\.summary)))
    }

    @Test func nothingActsBehindTerminalTooSmall() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.resize(cols: 30, rows: 8))
        for key: Key in [.enter, .character("j"), .character("/"), .character("r"), .character("?"), .control("z")] {
            #expect(s.update(.key(key)) == [])
        }
        #expect(s.screen == .list && s.list.selection == 0 && s.list.editor == nil && !s.showingHelp)
        #expect(s.update(.key(.character("q"))) == [.quit])
    }

    @Test func quitAsksFirstWhileAChangeIsBeingSentOrRowsAreSelected() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.modifyPermission(true))
        let sent = s.update(.key(.character("s")))
        guard case .changeMail(let change)? = sent.first else { Issue.record("s sent \(sent)"); return }
        #expect(s.update(.key(.character("q"))) == [])
        #expect(s.list.notice == "1 change is still being sent to Gmail. Quit anyway? (y/n)")
        #expect(s.update(.key(.character("n"))) == [])
        #expect(s.list.notice == "Not quitting.")
        _ = s.update(.key(.character("q")))
        #expect(s.update(.key(.character("y"))) == [.quit])
        _ = s.update(.mailChanged(change))
        #expect(s.update(.key(.character("q"))) == [.quit], "answered: nothing to lose")
        _ = s.update(.key(.character("x")))
        #expect(s.update(.key(.character("q"))) == [])
        #expect(s.list.notice == "1 row is selected. Quit anyway? (y/n)")
    }
}

@Suite struct QueryFieldTests {
    func editing(history: [String]) -> BrowserState {
        var s = Fixture.loaded(Fixture.page(query: "is:unread", count: 3))
        s.configure(keymap: Keymap(), history: history)
        _ = s.update(.key(.character("/")))
        return s
    }

    @Test func upAndDownRecallEarlierQueriesAndComeBackToTheDraft() {
        var s = editing(history: ["from:ann", "label:work"])
        _ = s.update(.key(.control("u")))
        s.type("draft")
        _ = s.update(.key(.up))
        #expect(s.list.editor?.text == "label:work")
        _ = s.update(.key(.up)); _ = s.update(.key(.up))
        #expect(s.list.editor?.text == "from:ann")
        _ = s.update(.key(.down)); _ = s.update(.key(.down))
        #expect(s.list.editor?.text == "draft")
    }

    @Test func aRunQueryBecomesTheNewestEntryOnceAndIsKept() {
        var s = editing(history: ["from:ann", "label:work"])
        _ = s.update(.key(.up)); _ = s.update(.key(.up))
        let effects = s.update(.key(.enter))
        #expect(effects == [.fetchPage(query: "from:ann", pageToken: nil, pageSize: 50), .rememberQuery("from:ann")])
        #expect(s.keys.history == ["label:work", "from:ann"])
    }

    @Test func readlineKeysEditTheQuery() {
        var s = editing(history: [])
        _ = s.update(.key(.control("u")))
        s.type("from:ann label:work")
        _ = s.update(.key(.control("w")))
        #expect(s.list.editor?.text == "from:ann ")
        _ = s.update(.key(.control("a")))
        _ = s.update(.key(.control("k")))
        #expect(s.list.editor?.text == "")
        s.type("is:starred")
        _ = s.update(.key(.control("a"))); s.type("in:inbox ")
        _ = s.update(.key(.control("e"))); s.type(" x")
        #expect(s.list.editor?.text == "in:inbox is:starred x")
        // Typed text is never taken for commands or stray typing.
        #expect(s.list.notice == nil)
    }
}
