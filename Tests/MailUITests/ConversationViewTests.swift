import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// The conversation view as a state machine: opening, expanding, `n`/`p` within and across conversations
/// and pages, `H`, `v`, `q`, marking read, errors and stale answers.
@Suite struct ConversationViewTests {
    static func key(_ c: Character) -> BrowserEvent { .key(.character(c)) }

    /// The conversation list with c1 open and loaded.
    static func reading(cols: Int = 80, rows: Int = 24, canModify: Bool = true) -> (BrowserState, [BrowserEffect]) {
        var s = Fixture.conversations(cols: cols, rows: rows, canModify: canModify)
        _ = s.update(.key(.enter))
        let effects = s.update(.conversationLoaded(Fixture.lunch))
        return (s, effects)
    }

    @Test func enterOpensTheConversation() {
        var s = Fixture.conversations()
        #expect(s.update(.key(.enter)) == [.fetchConversation(id: "c1")])
        #expect(s.screen == .conversation)
        #expect(s.isBusy)
        #expect(s.render().lines()[2].contains("Loading conversation…"))
        #expect(s.update(.conversationLoaded(Conversation(id: "c2", messages: []))) == [], "another conversation's answer")
        #expect(s.conversation?.conversation == nil)
    }

    @Test func readMessagesCollapseAndTheUnreadAndTheLastExpand() {
        let (s, effects) = Self.reading()
        let v = s.conversation
        #expect(v?.expanded == ["c1m3"])
        #expect(v?.cursor == 2, "the cursor starts on the first unread message")
        let change = MailChange(serial: 1, action: .markRead, ids: ["c1"], target: .conversations)
        #expect(effects == [.changeMail(change), .prefetchConversation(id: "c2")])
        #expect(s.list.page?.messages.first?.isUnread == false, "the row shows read at once")
        #expect(s.triage.undo == nil, "quietly: no undo")
    }

    @Test func openingDoesNotMarkReadWithoutThePermissionOrTheSetting() {
        let (s, effects) = Self.reading(canModify: false)
        #expect(effects == [.prefetchConversation(id: "c2")])
        #expect(s.list.page?.messages.first?.isUnread == true)
        var off = Fixture.conversations()
        off.markReadOnOpen = false
        _ = off.update(.key(.enter))
        #expect(off.update(.conversationLoaded(Fixture.lunch)) == [.prefetchConversation(id: "c2")])
    }

    @Test func aRefusedMarkReadPutsTheRowBack() {
        var (s, _) = Self.reading()
        let change = MailChange(serial: 1, action: .markRead, ids: ["c1"], target: .conversations)
        _ = s.update(.mailChangeFailed(change, .network("offline")))
        #expect(s.list.page?.messages.first?.isUnread == true)
    }

    @Test func enterTogglesTheCursorMessage() {
        var (s, _) = Self.reading()
        #expect(s.update(.key(.enter)) == [])
        #expect(s.conversation?.expanded == [])
        #expect(s.conversation?.lineCount == 3, "three one-line messages")
        _ = s.update(Self.key("p"))
        _ = s.update(.key(.enter))
        #expect(s.conversation?.expanded == ["c1m2"])
        #expect(s.conversation?.cursor == 1)
    }

    @Test func nAndPMoveBetweenMessagesThenConversations() {
        var (s, _) = Self.reading()
        #expect(s.update(Self.key("p")) == [])
        #expect(s.conversation?.cursor == 1)
        _ = s.update(Self.key("p"))
        #expect(s.conversation?.cursor == 0)
        // Before the first message: the conversation before it on the list; there is none.
        #expect(s.update(Self.key("p")) == [])
        #expect(s.conversation?.notice == "This is the first conversation")
        _ = s.update(Self.key("n")); _ = s.update(Self.key("n"))
        #expect(s.update(Self.key("n")) == [.fetchConversation(id: "c2")])
        #expect(s.conversation?.id == "c2")
        #expect(Fixture.selectedID(s) == "c2")
        let two = Conversation(id: "c2", messages: [Fixture.mail("c2m1", from: Fixture.taro, body: "写真"),
                                                    Fixture.mail("c2m2", from: Fixture.hanako, body: "ありがとう")])
        _ = s.update(.conversationLoaded(two))
        #expect(s.conversation?.cursor == 1, "a conversation with nothing unread opens at its last message")
        // p from the first message of c2 opens c1 at its last message.
        _ = s.update(Self.key("p"))
        #expect(s.update(Self.key("p")) == [.fetchConversation(id: "c1")])
        _ = s.update(.conversationLoaded(Fixture.lunch))
        #expect(s.conversation?.cursor == 2)
    }

    @Test func nOnThePagesLastConversationGoesOnToTheNextPage() {
        var s = Fixture.conversations()
        _ = s.update(Self.key("G"))
        _ = s.update(.key(.enter))
        _ = s.update(.conversationLoaded(Conversation(id: "c5", messages: [Fixture.mail("c5m1", from: Fixture.me, body: "milk")])))
        #expect(s.update(Self.key("n")) == [.fetchConversationPage(query: "in:inbox", pageToken: "tok2", pageSize: 50)])
        #expect(s.conversation?.notice == "Loading the next page…")
        #expect(s.update(Self.key("n")) == [], "a second n waits for the same page")
        let effects = s.update(.conversationPageLoaded(Fixture.conversationPage2))
        #expect(effects.first == .fetchConversation(id: "d1"))
        #expect(s.conversation?.id == "d1")
        #expect(s.screen == .conversation)
        _ = s.update(.conversationLoaded(Conversation(id: "d1", messages: [Fixture.mail("d1m1", from: Fixture.bob, body: "two")])))
        #expect(s.update(Self.key("p")) == [.fetchConversationPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        _ = s.update(.conversationPageLoaded(Fixture.conversationPage))
        #expect(s.conversation?.id == "c5")
        #expect(s.conversation?.atEnd == true)
    }

    @Test func jAndKScrollAndTheCursorFollows() {
        var (s, _) = Self.reading(rows: 10)
        let top = s.conversation?.scroll ?? -1
        _ = s.update(Self.key("j"))
        #expect(s.conversation?.scroll == top + 1)
        _ = s.update(Self.key("g"))
        #expect(s.conversation?.scroll == 0)
        #expect(s.conversation?.cursor == 2, "the cursor message still shows")
        _ = s.update(Self.key("G"))
        _ = s.update(Self.key("k"))
        #expect((s.conversation?.scroll ?? 0) > 0)
    }

    @Test func hAndVActOnTheCursorMessage() {
        var (s, _) = Self.reading()
        _ = s.update(Self.key("H"))
        #expect(s.conversation?.allHeaders == ["c1m3"])
        #expect(s.render().lines().joined().contains("X-Mailer: 📮 Mailer 日本"))
        _ = s.update(Self.key("H"))
        #expect(s.conversation?.allHeaders == [])
        #expect(s.update(Self.key("v")) == [])
        #expect(s.screen == .attachments)
        #expect(s.render().lines().joined().contains("菜单 menu.pdf"))
        let effects = s.update(Self.key("s"))
        #expect(effects == [.fetchAttachment(messageID: "c1m3", attachment: Fixture.lunch.messages[2].attachments[0], action: .save)])
        _ = s.update(Self.key("q"))
        #expect(s.screen == .conversation)
        _ = s.update(Self.key("p"))
        _ = s.update(Self.key("v"))
        #expect(s.screen == .conversation)
        #expect(s.conversation?.notice == "This message has no attachments")
    }

    @Test func qAndEscGoBackToTheSameConversation() {
        var s = Fixture.conversations()
        _ = s.update(.key(.down))
        _ = s.update(.key(.enter))
        _ = s.update(Self.key("n"))   // not loaded yet: the next conversation
        #expect(s.conversation?.id == "c3")
        _ = s.update(.key(.escape))
        #expect(s.screen == .list)
        #expect(s.conversation == nil)
        #expect(Fixture.selectedID(s) == "c3")
        _ = s.update(.key(.enter))
        _ = s.update(Self.key("q"))
        #expect(s.screen == .list)
    }

    @Test func aFailureShowsAndRRetries() {
        var s = Fixture.conversations()
        _ = s.update(.key(.enter))
        _ = s.update(.conversationFailed(id: "c9", error: .network("x")))
        #expect(s.conversation?.error == nil, "another conversation's failure")
        _ = s.update(.conversationFailed(id: "c1", error: .network("no route to host")))
        #expect(s.conversation?.error?.hasPrefix("Offline: this conversation is not stored") == true)
        #expect(s.render().lines()[2].hasPrefix("Offline: this conversation"))
        #expect(s.update(Self.key("r")) == [.fetchConversation(id: "c1")])
        #expect(s.conversation?.error == nil)
    }

    @Test func keysWithNoMeaningSaySoAndHelpListsTheViewsKeys() {
        var (s, _) = Self.reading()
        _ = s.update(Self.key("w"))
        #expect(s.conversation?.notice == "w does nothing here; ? for help")
        _ = s.update(.clock(Fixture.now.addingTimeInterval(5)))
        _ = s.update(Self.key("?"))
        let help = s.render().lines().joined(separator: "\n")
        #expect(help.contains("Keys: conversation"))
        #expect(help.contains("Enter       expand / collapse "))
        #expect(help.contains("next message"))
    }

    @Test func triageKeysActOnTheOpenConversation() {
        var (s, _) = Self.reading()
        _ = s.update(.mailChanged(MailChange(serial: 1, action: .markRead, ids: ["c1"], target: .conversations)))
        #expect(s.update(Self.key("s")) == [.changeMail(MailChange(serial: 2, action: .star, ids: ["c1"], target: .conversations))])
        #expect(s.screen == .conversation)
        #expect(s.conversation?.notice == "Starred 1 · z undo")
        #expect(s.list.page?.messages.first?.isStarred == true)
        let archive = MailChange(serial: 3, action: .archive, ids: ["c1"], target: .conversations)
        #expect(s.update(Self.key("e")) == [.changeMail(archive)])
        #expect(s.screen == .list, "the conversation left the list: back to it")
        #expect(s.conversation == nil)
        #expect(Fixture.selectedID(s) == "c2")
        #expect(s.list.notice == "Archived 1 · z undo")
        _ = s.update(.mailChangeFailed(archive, .network("offline")))
        #expect(s.list.page?.messages.first?.id == "c1")
    }

    @Test func aResizeWrapsTheMessagesAgain() {
        var (s, _) = Self.reading()
        let wide = s.conversation?.lineCount ?? 0
        _ = s.update(.resize(cols: 40, rows: 24))
        #expect((s.conversation?.lineCount ?? 0) > wide, "the To and Cc lines wrap at 40 columns")
        let lines = s.render().lines()
        #expect(lines.allSatisfy { TextLayout.width($0) <= 40 })
        #expect(s.conversation?.starts.count == 3)
    }

    @Test func tCanBeRebound() throws {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 3))
        s.configure(keymap: try Keymap(overrides: ["toggle_threads": [.character("T")]]), history: [])
        #expect(s.update(.key(.character("T"))) == [.fetchConversationPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
    }
}
