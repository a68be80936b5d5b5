import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// `z` after a change of conversations: Gmail's answer names the messages the change altered, and the undo
/// sends the inverse for exactly those (`.messages`), rows and label counts following.
@Suite struct ConversationUndoStateTests {
    static func key(_ c: Character) -> BrowserEvent { .key(.character(c)) }
    static func row(_ s: BrowserState, _ id: String) -> MessageSummary? { s.list.page?.messages.first { $0.id == id } }
    static func inbox(_ s: BrowserState) -> (Int?, Int?) {
        let label = s.labels.all?.first { $0.id == "INBOX" }
        return (label?.messagesTotal, label?.messagesUnread)
    }

    @Test func undoOfAThreadUnstarStarsAgainOnlyTheMessageThatWasStarred() {
        var s = Fixture.conversations()
        _ = s.update(.key(.down))
        let unstar = MailChange(serial: 1, action: .unstar, ids: ["c2"], target: .conversations)
        #expect(s.update(Self.key("s")) == [.changeMail(unstar)])
        #expect(Self.row(s, "c2")?.isStarred == false)
        _ = s.update(.mailChanged(unstar, altered: [ChangedMessage(id: "c2m2", threadID: "c2", change: .unstar, labels: ["INBOX", "Label_1"])]))
        #expect(s.update(Self.key("z")) == [.changeMail(MailChange(serial: 2, action: .star, ids: ["c2m2"], target: .messages))])
        #expect(Self.row(s, "c2")?.isStarred == true, "the row as it was")
        #expect(s.list.notice == "Undone: Unstarred 1")
        _ = s.update(.mailChanged(MailChange(serial: 2, action: .star, ids: ["c2m2"], target: .messages)))
        #expect(s.update(Self.key("z")) == [], "an undo is not undone")
    }

    @Test func undoOfAThreadArchiveLeavesOutTheMessageThatWasNotInTheInbox() {
        var s = Fixture.conversations()
        #expect(Self.inbox(s) == (9, 2))
        let archive = MailChange(serial: 1, action: .archive, ids: ["c1"], target: .conversations)
        #expect(s.update(Self.key("e")) == [.changeMail(archive)])
        #expect(Self.row(s, "c1") == nil)
        // c1m2, the account's own message, was never in the inbox: Gmail's threads.modify left it alone.
        _ = s.update(.mailChanged(archive, altered: [
            ChangedMessage(id: "c1m1", threadID: "c1", change: .archive, labels: []),
            ChangedMessage(id: "c1m3", threadID: "c1", change: .archive, labels: ["UNREAD"]),
        ]))
        #expect(Self.inbox(s) == (7, 1), "the counts follow the two messages that left the inbox")
        let undo = MailChange(serial: 2, action: .moveToInbox, ids: ["c1m1", "c1m3"], target: .messages)
        #expect(s.update(Self.key("z")) == [.changeMail(undo)])
        #expect(Self.row(s, "c1") != nil && s.list.selection == 0, "the row is back where it was")
        #expect(Self.inbox(s) == (9, 2))

        // Gmail refuses the undo: the row leaves again, and the counts go back with it.
        _ = s.update(.mailChangeFailed(undo, .network("offline")))
        #expect(Self.row(s, "c1") == nil)
        #expect(Self.inbox(s) == (7, 1))
        #expect(s.list.error?.hasPrefix("Not done (Undone: Archived 1)") == true)
    }

    @Test func aThreadChangeThatAlteredNothingHasNothingToUndo() {
        var s = Fixture.conversations()
        // c2 is read already on screen: nothing is sent.
        _ = s.update(.key(.down))
        #expect(s.update(Self.key("I")) == [])
        #expect(s.list.notice == "Nothing to change: already read")
        // c1 shows unread, but was read elsewhere meanwhile: Gmail reports no message changed.
        _ = s.update(.key(.up))
        let read = MailChange(serial: 1, action: .markRead, ids: ["c1"], target: .conversations)
        #expect(s.update(Self.key("I")) == [.changeMail(read)])
        _ = s.update(.mailChanged(read, altered: []))
        #expect(s.update(Self.key("z")) == [])
        #expect(s.list.notice == "Nothing to undo: the last change changed nothing")
        #expect(Self.inbox(s) == (9, 2))
    }
}
