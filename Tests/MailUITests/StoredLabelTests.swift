import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// The label counts: the stored ones first, Gmail's after `L` or a sync, moved at once by triage.
@Suite struct StoredLabelTests {
    static let storedAt = Fixture.now.addingTimeInterval(-300)

    /// Unread messages in Inbox, one with the user label Work.
    static func page() -> MessagePage {
        var page = Fixture.page(query: "in:inbox", count: 3)
        for i in page.messages.indices {
            page.messages[i].isUnread = true
            page.messages[i].labelIDs = ["INBOX", "UNREAD", "CATEGORY_PERSONAL"] + (i == 0 ? ["Label_1"] : [])
        }
        return page
    }

    /// A browser started on a stored page and the stored labels, as the first frame has them.
    static func warm() -> BrowserState {
        var s = BrowserState(account: Fixture.account, query: "in:inbox", pageSize: 50, cols: 80, rows: 24,
                             now: Fixture.now, calendar: Fixture.calendar)
        s.useStoredLabels(LabelList(labels: Fixture.labels, storedAt: storedAt))
        var stored = page()
        stored.storedAt = storedAt
        _ = s.start(stored: stored)
        _ = s.update(.modifyPermission(true))
        return s
    }

    func unread(_ s: BrowserState, _ id: String) -> Int? { s.labels.all?.first { $0.id == id }?.messagesUnread }
    func total(_ s: BrowserState, _ id: String) -> Int? { s.labels.all?.first { $0.id == id }?.messagesTotal }

    @Test func theRowsTagsAreNamedFromTheStoredLabelsWithNoRequest() {
        var s = BrowserState(account: Fixture.account, query: "in:inbox", pageSize: 50, cols: 80, rows: 24,
                             now: Fixture.now, calendar: Fixture.calendar)
        s.useStoredLabels(LabelList(labels: Fixture.labels, storedAt: Self.storedAt))
        var stored = Self.page()
        stored.storedAt = Self.storedAt
        // The sync of the page only: the tags need no labels request.
        #expect(s.start(stored: stored) == [.sync(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.render().lines()[1].contains("[Work]"), "\(s.render().lines()[1])")
    }

    @Test func lShowsTheStoredListAtOnceMarkedThenGmailsCounts() {
        var s = Self.warm()
        #expect(s.update(.key(.character("L"))) == [.fetchLabels])
        var lines = s.render().lines()
        #expect(lines[0].hasPrefix(" Labels · \(Fixture.account) │ synced 5 min ago"), "\(lines[0])")
        #expect(lines[2].hasPrefix("  Inbox") && lines[2].hasSuffix("37    1,234"), "\(lines[2])")
        #expect(lines[22].contains("Updating the counts"), "\(lines[22])")
        var fresh = Fixture.labels
        fresh[2].messagesUnread = 40
        _ = s.update(.labelsLoaded(fresh))
        lines = s.render().lines()
        #expect(lines[0].trimmingCharacters(in: .whitespaces) == "Labels · \(Fixture.account)", "\(lines[0])")
        #expect(lines[2].hasSuffix("40    1,234"), "\(lines[2])")
    }

    @Test func offlineTheStoredListStaysBrowsable() {
        var s = Self.warm()
        _ = s.update(.key(.character("L")))
        #expect(s.update(.labelsFailed(.network("could not connect"))) == [])
        #expect(!s.isBusy)
        let lines = s.render().lines()
        #expect(lines[0].contains("offline, synced 5 min ago"), "\(lines[0])")
        #expect(lines[2].hasSuffix("37    1,234"), "\(lines[2])")
        #expect(s.labels.error == nil)
        #expect(lines[22].contains("stored counts"), "\(lines[22])")
        // Still a list to move in and pick from.
        _ = s.update(.key(.character("j")))
        #expect(s.update(.key(.enter)) == [.fetchPage(query: "is:starred", pageToken: nil, pageSize: 50)])
    }

    @Test func markReadMovesTheCountsAtOnceAndARefusalTakesThemBack() {
        var s = Self.warm()
        let effects = s.update(.key(.character("I")))
        guard case .changeMail(let change) = effects.first else { Issue.record("\(effects)"); return }
        #expect(unread(s, "INBOX") == 36)
        #expect(unread(s, "CATEGORY_PERSONAL") == 19)
        #expect(unread(s, "Label_1") == 2)
        #expect(total(s, "UNREAD") == 129)
        #expect(total(s, "INBOX") == 1234, "reading moves no total")
        _ = s.update(.mailChangeFailed(change, .api(status: 500, message: "backend error")))
        #expect(s.labels.all == Fixture.labels)
    }

    @Test func archiveAndItsUndoMoveTheTotals() {
        var s = Self.warm()
        guard case .changeMail(let change) = s.update(.key(.character("e"))).first else { Issue.record("no change"); return }
        #expect(total(s, "INBOX") == 1233)
        #expect(unread(s, "INBOX") == 36)
        #expect(total(s, "Label_1") == 40, "the message keeps its other labels")
        _ = s.update(.mailChanged(change))
        _ = s.update(.key(.character("z")))
        #expect(total(s, "INBOX") == 1234)
        #expect(unread(s, "INBOX") == 37)
    }

    @Test func gmailsCountsReplaceTheMovedOnesAndARefusalThenChangesNothing() {
        var s = Self.warm()
        guard case .changeMail(let change) = s.update(.key(.character("I"))).first else { Issue.record("no change"); return }
        var fresh = Fixture.labels
        fresh[2].messagesUnread = 36
        let result = SyncResult(page: Self.page(), labels: fresh)
        _ = s.update(.synced(result))
        #expect(s.labels.all == fresh)
        _ = s.update(.mailChangeFailed(change, .api(status: 500, message: "backend error")))
        // Gmail's counts never included the refused change: nothing to take back from them.
        #expect(s.labels.all == fresh)
    }

    @Test func aSyncWithNewCountsUpdatesTheOpenLabelList() {
        var s = Self.warm()
        _ = s.update(.key(.character("L")))
        _ = s.update(.labelsLoaded(Fixture.labels))
        var fresh = Fixture.labels
        fresh[2].messagesUnread = 38
        fresh[2].messagesTotal = 1235
        _ = s.update(.synced(SyncResult(page: Self.page(), newMessageIDs: [], labels: fresh)))
        #expect(s.render().lines()[2].hasSuffix("38    1,235"))
    }
}
