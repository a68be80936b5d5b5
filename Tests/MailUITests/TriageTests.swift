import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// The triage keys as a state machine: what each key shows at once, what it sends, and what happens
/// when Gmail accepts, refuses, or the grant lacks `gmail.modify`.
@Suite struct TriageTests {
    /// A list of three unread inbox messages, the grant allowing changes.
    static func list(query: String = "in:inbox", canModify: Bool = true) -> BrowserState {
        var page = Fixture.page(query: query, count: 3)
        for i in page.messages.indices { page.messages[i].labelIDs = ["INBOX", "UNREAD"]; page.messages[i].isUnread = true }
        var s = Fixture.loaded(page)
        _ = s.update(.modifyPermission(canModify))
        return s
    }

    static func key(_ c: Character) -> BrowserEvent { .key(.character(c)) }
    static func ids(_ s: BrowserState) -> [String] { s.list.page?.messages.map(\.id) ?? [] }
    static func row(_ s: BrowserState, _ id: String) -> MessageSummary? { s.list.page?.messages.first { $0.id == id } }

    @Test func inAllMailAnArchivedRowStaysAndANoOpSaysSo() {
        var s = Self.list(query: "")
        let effects = s.update(Self.key("e"))
        #expect(effects == [.changeMail(MailChange(serial: 1, action: .archive, ids: ["m1"]))])
        #expect(Self.ids(s) == ["m1", "m2", "m3"], "All Mail still holds it")
        #expect(Self.row(s, "m1")?.labelIDs.contains("INBOX") == false)
        #expect(s.list.notice == "Archived 1 · z undo")
        // Archived already: nothing is sent, and the status line says why.
        #expect(s.update(Self.key("e")) == [])
        #expect(s.list.notice == "Nothing to change: not in the Inbox")
        #expect(s.list.page?.resultSizeEstimate == 120)
    }

    @Test func archiveRemovesTheRowAtOnceAndSendsOneChange() {
        var s = Self.list()
        _ = s.update(.key(.down))
        let effects = s.update(Self.key("e"))
        #expect(effects == [.changeMail(MailChange(serial: 1, action: .archive, ids: ["m2"]))])
        #expect(Self.ids(s) == ["m1", "m3"])
        #expect(s.list.selection == 1, "the selection moves to the row that took its place")
        #expect(s.list.page?.resultSizeEstimate == 119)
        #expect(s.list.notice == "Archived 1 · z undo")
        let screen = s.render().lines().joined(separator: "\n")
        #expect(!screen.contains("Subject 2"))
        #expect(screen.contains("Archived 1 · z undo"))
        // Gmail accepts: nothing moves.
        #expect(s.update(.mailChanged(MailChange(serial: 1, action: .archive, ids: ["m2"]))) == [])
        #expect(Self.ids(s) == ["m1", "m3"])
    }

    @Test func trashRemovesTheRow() {
        var s = Self.list()
        #expect(s.update(Self.key("#")) == [.changeMail(MailChange(serial: 1, action: .trash, ids: ["m1"]))])
        #expect(Self.ids(s) == ["m2", "m3"])
        #expect(s.list.notice == "Moved to Trash 1 · z undo")
    }

    @Test func starTogglesAndKeepsTheRow() {
        var s = Self.list()
        #expect(s.update(Self.key("s")) == [.changeMail(MailChange(serial: 1, action: .star, ids: ["m1"]))])
        #expect(Self.row(s, "m1")?.labelIDs.contains("STARRED") == true)
        _ = s.update(.mailChanged(MailChange(serial: 1, action: .star, ids: ["m1"])))
        #expect(s.update(Self.key("s")) == [.changeMail(MailChange(serial: 2, action: .unstar, ids: ["m1"]))])
        #expect(Self.row(s, "m1")?.labelIDs.contains("STARRED") == false)
        #expect(Self.ids(s) == ["m1", "m2", "m3"])
    }

    @Test func readInAnUnreadListKeepsTheRowShownRead() {
        // As Gmail's web UI: the row stays until the list is loaded again.
        var s = Self.list(query: "is:unread")
        #expect(s.update(Self.key("I")) == [.changeMail(MailChange(serial: 1, action: .markRead, ids: ["m1"]))])
        #expect(Self.ids(s) == ["m1", "m2", "m3"])
        #expect(Self.row(s, "m1")?.isUnread == false)
        #expect(!s.render().lines()[1].hasPrefix("●"))
        _ = s.update(.mailChanged(MailChange(serial: 1, action: .markRead, ids: ["m1"])))
        #expect(s.update(Self.key("U")) == [.changeMail(MailChange(serial: 2, action: .markUnread, ids: ["m1"]))])
        #expect(Self.row(s, "m1")?.isUnread == true)
        #expect(s.render().lines()[1].hasPrefix("●"))
    }

    @Test func selectedRowsActTogetherInOneChange() {
        var s = Self.list()
        _ = s.update(Self.key("x"))
        #expect(s.list.selection == 1, "x moves on to the next row")
        _ = s.update(Self.key("x"))
        _ = s.update(Self.key("x"))
        #expect(s.triage.selected == ["m1", "m2", "m3"])
        #expect(s.render().lines()[1...3].allSatisfy { $0.dropFirst().hasPrefix("✓") })
        let effects = s.update(Self.key("s"))
        #expect(effects == [.changeMail(MailChange(serial: 1, action: .star, ids: ["m1", "m2", "m3"]))])
        #expect(s.list.page?.messages.allSatisfy { $0.labelIDs.contains("STARRED") } == true)
        #expect(s.triage.selected.isEmpty, "the selection is used up by the action")
        #expect(s.list.notice == "Starred 3 · z undo")
    }

    @Test func xAgainUnselectsAndEscClearsTheSelection() {
        var s = Self.list()
        _ = s.update(Self.key("x"))
        _ = s.update(.key(.up))
        _ = s.update(Self.key("x"))
        #expect(s.triage.selected.isEmpty)
        _ = s.update(Self.key("x"))
        _ = s.update(.key(.escape))
        #expect(s.triage.selected.isEmpty)
        #expect(s.list.notice == "Selection cleared")
    }

    @Test func undoPutsArchivedRowsBackWhereTheyWere() {
        var s = Self.list()
        _ = s.update(.key(.down))
        _ = s.update(Self.key("x"))
        _ = s.update(Self.key("x"))
        let archive = MailChange(serial: 1, action: .archive, ids: ["m2", "m3"])
        #expect(s.update(Self.key("e")) == [.changeMail(archive)])
        #expect(Self.ids(s) == ["m1"])
        #expect(s.update(Self.key("z")) == [], "no undo while the change is on its way")
        _ = s.update(.mailChanged(archive))
        let undo = s.update(Self.key("z"))
        #expect(undo == [.changeMail(MailChange(serial: 2, action: .moveToInbox, ids: ["m2", "m3"]))])
        #expect(Self.ids(s) == ["m1", "m2", "m3"])
        #expect(s.list.selection == 1, "on the first row that came back")
        #expect(Self.row(s, "m2")?.labelIDs == ["INBOX", "UNREAD"])
        #expect(s.list.notice == "Undone: Archived 2")
        #expect(s.update(Self.key("z")) == [])
        #expect(s.list.notice == "Nothing to undo")
    }

    @Test func undoRevertsOnlyWhatTheChangeChanged() {
        var s = Self.list()
        _ = s.update(.key(.down))
        _ = s.update(Self.key("s"))
        _ = s.update(.mailChanged(MailChange(serial: 1, action: .star, ids: ["m2"])))
        _ = s.update(.key(.up))
        _ = s.update(Self.key("x")); _ = s.update(Self.key("x"))
        // m1 unstarred, m2 starred: `s` stars both; undo unstars only m1.
        #expect(s.update(Self.key("s")) == [.changeMail(MailChange(serial: 2, action: .star, ids: ["m1", "m2"]))])
        _ = s.update(.mailChanged(MailChange(serial: 2, action: .star, ids: ["m1", "m2"])))
        #expect(s.update(Self.key("z")) == [.changeMail(MailChange(serial: 3, action: .unstar, ids: ["m1"]))])
        #expect(Self.row(s, "m1")?.labelIDs.contains("STARRED") == false)
        #expect(Self.row(s, "m2")?.labelIDs.contains("STARRED") == true)
    }

    @Test func aRefusedChangeIsRolledBackWithItsReason() {
        var s = Self.list()
        let archive = MailChange(serial: 1, action: .archive, ids: ["m1"])
        _ = s.update(Self.key("e"))
        #expect(Self.ids(s) == ["m2", "m3"])
        _ = s.update(.mailChangeFailed(archive, .api(status: 400, message: "Invalid label: INBOX")))
        #expect(Self.ids(s) == ["m1", "m2", "m3"])
        #expect(s.list.page?.resultSizeEstimate == 120)
        let error = s.list.error ?? ""
        #expect(error.contains("Not done (Archived 1)") && error.contains("Invalid label: INBOX"))
        #expect(s.render().lines().joined().contains("Invalid label: INBOX"))
        #expect(s.update(Self.key("z")) == [], "a refused change leaves nothing to undo")
    }

    @Test func aRollbackKeepsLaterChangesStillOnTheirWay() {
        var s = Self.list()
        let archive = MailChange(serial: 1, action: .archive, ids: ["m1"])
        _ = s.update(Self.key("e"))
        #expect(s.update(Self.key("s")) == [.changeMail(MailChange(serial: 2, action: .star, ids: ["m2"]))])
        _ = s.update(.mailChangeFailed(archive, .network("timed out")))
        #expect(Self.ids(s) == ["m1", "m2", "m3"])
        #expect(Self.row(s, "m2")?.labelIDs.contains("STARRED") == true)
    }

    @Test func theMessageViewActsOnTheOpenMessage() {
        var s = Self.list()
        _ = s.update(.key(.enter))
        var detail = Fixture.detail("m1")
        detail.labelIDs = ["INBOX"]
        _ = s.update(.messageLoaded(detail))
        #expect(s.update(Self.key("s")) == [.changeMail(MailChange(serial: 1, action: .star, ids: ["m1"]))])
        #expect(s.message?.detail?.labelIDs.contains("STARRED") == true)
        #expect(s.message?.notice == "Starred 1 · z undo")
        // Archive goes back to the list, on the row that took its place.
        #expect(s.update(Self.key("e")) == [.changeMail(MailChange(serial: 2, action: .archive, ids: ["m1"]))])
        #expect(s.screen == .list)
        #expect(Self.ids(s) == ["m2", "m3"])
    }

    @Test func openingAnUnreadMessageMarksItReadWhenAllowed() {
        var s = Self.list(query: "is:unread")
        _ = s.update(.key(.enter))
        var detail = Fixture.detail("m1")
        detail.labelIDs = ["INBOX", "UNREAD"]; detail.isUnread = true
        let effects = s.update(.messageLoaded(detail))
        #expect(effects.first == .changeMail(MailChange(serial: 1, action: .markRead, ids: ["m1"])))
        #expect(s.message?.detail?.isUnread == false)
        #expect(Self.row(s, "m1")?.isUnread == false)
        #expect(s.message?.notice == nil, "quiet: no confirmation")
        // Not the user's action: nothing to undo.
        _ = s.update(.mailChanged(MailChange(serial: 1, action: .markRead, ids: ["m1"])))
        #expect(s.update(Self.key("z")) == [])
    }

    @Test func withoutPermissionOpeningLeavesItUnreadAndAsksNothing() {
        var s = Self.list(query: "is:unread", canModify: false)
        _ = s.update(.key(.enter))
        var detail = Fixture.detail("m1")
        detail.labelIDs = ["INBOX", "UNREAD"]; detail.isUnread = true
        #expect(!s.update(.messageLoaded(detail)).contains { if case .changeMail = $0 { true } else { false } })
        #expect(s.message?.detail?.isUnread == true)
        #expect(s.screen == .message)
    }

    @Test func markReadOnOpenCanBeTurnedOff() {
        var s = Self.list(query: "is:unread")
        s.markReadOnOpen = false
        _ = s.update(.key(.enter))
        var detail = Fixture.detail("m1")
        detail.labelIDs = ["INBOX", "UNREAD"]; detail.isUnread = true
        _ = s.update(.messageLoaded(detail))
        #expect(s.message?.detail?.isUnread == true)
    }

    @Test func aKeyWithoutPermissionAsksForGmailModifyThenDoesTheChange() {
        var s = Self.list(query: "is:unread", canModify: false)
        let effects = s.update(Self.key("I"))
        #expect(effects == [.requestModifyPermission(loginHint: Fixture.account)])
        #expect(s.screen == .authorization)
        #expect(s.pendingRetries == [.changeMail(MailChange(serial: 1, action: .markRead, ids: ["m1"]))])
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: Fixture.account, reason: nil))
        let screen = s.render().lines().joined(separator: "\n")
        #expect(screen.contains("gmail.modify"))
        #expect(screen.contains("Esc back, read-only"))
        // Consent: the change is sent, and the user is back on the list with it shown.
        _ = s.update(.modifyPermission(true))
        #expect(s.update(.authorizationSucceeded(email: Fixture.account)) == [.changeMail(MailChange(serial: 1, action: .markRead, ids: ["m1"]))])
        #expect(s.screen == .list)
        #expect(Self.row(s, "m1")?.isUnread == false)
        #expect(s.triage.canModify)
    }

    @Test func escOnThePermissionScreenGoesBackReadOnly() {
        var s = Self.list(canModify: false)
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Fixture.detail("m1")))
        _ = s.update(Self.key("s"))
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: Fixture.account, reason: nil))
        #expect(s.update(.key(.escape)) == [.cancelAuthorization])
        #expect(s.screen == .message)
        #expect(s.pendingRetries.isEmpty)
        #expect(s.message?.detail?.labelIDs.contains("STARRED") == false)
        #expect(s.message?.notice == "Nothing changed: the account stays read-only")
        // A first authorization still quits on Esc.
        var first = BrowserState(account: nil)
        _ = first.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        #expect(first.update(.key(.escape)) == [.quit])
    }

    @Test func gmailRefusingForScopeAsksForPermissionAndRetriesAfterConsent() {
        var s = Self.list()
        let trash = MailChange(serial: 1, action: .trash, ids: ["m1"])
        _ = s.update(Self.key("#"))
        let effects = s.update(.mailChangeFailed(trash, .modifyPermissionRequired(email: Fixture.account)))
        #expect(effects == [.requestModifyPermission(loginHint: Fixture.account)])
        #expect(!s.triage.canModify)
        #expect(Self.ids(s) == ["m2", "m3"], "shown as done while permission is asked for")
        #expect(s.update(.authorizationSucceeded(email: Fixture.account)) == [.changeMail(trash)])
        _ = s.update(.mailChanged(trash))
        #expect(Self.ids(s) == ["m2", "m3"])
    }

    @Test func labelChecklistAddsAndRemovesUserLabels() {
        var s = Self.list()
        s.list.page?.messages[0].labelIDs.append("Label_2")
        _ = s.update(Self.key("x")); _ = s.update(Self.key("x"))
        #expect(s.update(Self.key("l")) == [.loadLabelChoices])
        #expect(s.render().lines().joined().contains("Loading labels"))
        _ = s.update(.labelChoicesLoaded([
            LabelSummary(id: "INBOX", name: "INBOX", isSystem: true, messagesTotal: nil, messagesUnread: nil),
            LabelSummary(id: "Label_1", name: "Field notes", isSystem: false, messagesTotal: nil, messagesUnread: nil),
            LabelSummary(id: "Label_2", name: "Otters", isSystem: false, messagesTotal: nil, messagesUnread: nil),
        ]))
        let screen = s.render().lines().joined(separator: "\n")
        #expect(screen.contains("[ ] Field notes"))
        #expect(screen.contains("[-] Otters"), "one of the two carries it")
        #expect(!screen.contains("] INBOX"))
        _ = s.update(.key(.character(" ")))        // check Field notes
        _ = s.update(Self.key("j"))
        _ = s.update(.key(.character(" ")))        // Otters: some → all
        _ = s.update(.key(.character(" ")))        // all → none
        let effects = s.update(.key(.enter))
        #expect(effects == [.changeMail(MailChange(serial: 1, action: .relabel(add: ["Label_1"], remove: ["Label_2"]), ids: ["m1", "m2"]))])
        #expect(s.triage.labelPicker == nil)
        #expect(Self.row(s, "m1")?.labelIDs.contains("Label_1") == true)
        #expect(Self.row(s, "m1")?.labelIDs.contains("Label_2") == false)
        // The labels are kept: the next checklist opens without fetching them.
        #expect(s.update(Self.key("l")) == [])
        #expect(s.update(.key(.escape)) == [])
        #expect(s.triage.labelPicker == nil)
    }

    @Test func triageKeysDoNothingWhileTheQueryIsEdited() {
        var s = Self.list()
        _ = s.update(Self.key("/"))
        #expect(s.update(Self.key("e")) == [])
        #expect(Self.ids(s) == ["m1", "m2", "m3"])
    }
}


/// MailAction's label arithmetic.
@Suite struct MailActionTests {
    @Test func inverseAndApplied() {
        #expect(MailAction.archive.applied(to: ["INBOX", "UNREAD"]) == ["UNREAD"])
        #expect(MailAction.archive.inverse == .moveToInbox)
        #expect(MailAction.relabel(add: ["A"], remove: ["B"]).inverse == .relabel(add: ["B"], remove: ["A"]))
        #expect(MailAction.star.effective(on: ["STARRED"]) == nil)
        #expect(MailAction.relabel(add: ["A", "B"], remove: ["C"]).effective(on: ["A", "C"]) == .relabel(add: ["B"], remove: ["C"]))
    }
}
