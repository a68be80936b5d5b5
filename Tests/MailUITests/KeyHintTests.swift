import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

@Suite struct KeyHintTests {
    @Test func theFootersShowTheDefaultKeys() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        #expect(s.render().lines()[23] == " j/k move · Enter open · n/p page · / search · r sync · ? help · q quit")
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Fixture.detail("m1")))
        #expect(s.render().lines()[23].hasPrefix(" q back · n/p next/previous · j/k scroll"))
    }

    @Test func theFootersFollowTheBindingsOfConfigToml() throws {
        var s = Fixture.loaded(Fixture.page(count: 3))
        s.configure(keymap: try Keymap(overrides: [
            "quit": [.character("Q")], "down": [.character("J"), .down], "sync": [.control("r")], "search": [],
            "back": [.escape], "next_message": [.character("N")],
        ]), history: [])
        #expect(s.render().lines()[23] == " J/k move · Enter open · n/p page · Ctrl-R sync · ? help · Q quit",
                "an action left with no key has no hint")
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Fixture.detail("m1")))
        #expect(s.render().lines()[23].hasPrefix(" Esc back · N/p next/previous · J/k scroll"))
    }

    @Test func aBoundKeyRightAfterAnUnboundOneActs() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        #expect(s.update(.key(.character("w"))) == [])
        #expect(s.list.notice == "w does nothing here; ? for help")
        // Within the stray-typing pause: q still quits, j still moves.
        #expect(s.update(.key(.character("j"))) == [])
        #expect(s.list.selection == 1)
        _ = s.update(.key(.character("w")))
        #expect(s.update(.key(.character("q"))) == [.quit])
    }

    @Test func onlyUnboundKeysAreSwallowedAsStrayTyping() {
        var s = Fixture.loaded(Fixture.page(count: 3))
        _ = s.update(.key(.character("w")))
        _ = s.update(.key(.character("h")))
        #expect(s.list.notice == "\"wh\" is not a command here: / searches, ? lists the keys.")
        #expect(s.update(.key(.character("j"))) == [])
        #expect(s.list.selection == 1)
        // The typing after the bound key starts again.
        _ = s.update(.key(.character("o")))
        #expect(s.list.notice == "o does nothing here; ? for help")
    }
}

@Suite struct PickerHelpTests {
    /// `?` on the label, account and attachment lists shows their own keys under their own title.
    @Test func helpOnEachPickerNamesItsScreenAndItsKeys() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 3))
        _ = s.update(.key(.character("L")))
        _ = s.update(.labelsLoaded([LabelSummary(id: "INBOX", name: "INBOX", isSystem: true, messagesTotal: 3, messagesUnread: 1)]))
        _ = s.update(.key(.character("?")))
        var screen = s.render().lines().joined(separator: "\n")
        #expect(screen.contains("Keys: label list"))
        #expect(screen.contains("show this label's messages"))
        #expect(!screen.contains("archive"), "the message list's keys do not work here")
        _ = s.update(.key(.character("x")))  // closes help
        _ = s.update(.key(.escape))
        _ = s.update(.key(.character("A")))
        _ = s.update(.accountsLoaded([AccountEntry(userID: "1", email: Fixture.account, canModify: true)]))
        _ = s.update(.key(.character("?")))
        screen = s.render().lines().joined(separator: "\n")
        #expect(screen.contains("Keys: account list"))
        #expect(screen.contains("add an account"))
        // Every key named works: + on the account list starts adding one.
        _ = s.update(.key(.character("x")))
        #expect(s.update(.key(.character("+"))).isEmpty == false)
    }
}
