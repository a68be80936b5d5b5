import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

extension Fixture {
    static func label(_ id: String, _ name: String? = nil, user: Bool = false, total: Int? = nil, unread: Int? = nil) -> LabelSummary {
        LabelSummary(id: id, name: name ?? id, isSystem: !user, messagesTotal: total, messagesUnread: unread)
    }

    /// Labels in Gmail's order (system first, as `labels.list` gives them), with CJK, emoji and nested names.
    static let labels: [LabelSummary] = [
        label("CHAT", total: 0, unread: 0), label("SENT", total: 210, unread: 0), label("INBOX", total: 1234, unread: 37),
        label("IMPORTANT", total: 88, unread: 5), label("TRASH", total: 12, unread: 0), label("DRAFT", total: 3, unread: 0),
        label("SPAM", total: 41, unread: 41), label("CATEGORY_FORUMS", total: 7, unread: 1),
        label("CATEGORY_UPDATES", total: 300, unread: 12), label("CATEGORY_PERSONAL", total: 900, unread: 20),
        label("CATEGORY_PROMOTIONS", total: 450, unread: 400), label("CATEGORY_SOCIAL", total: 60, unread: 2),
        label("STARRED", total: 9, unread: 1), label("UNREAD", total: 130, unread: 130),
        label("Label_1", "Work", user: true, total: 40, unread: 3),
        label("Label_2", "Work/Projects 🚀", user: true, total: 12, unread: 0),
        label("Label_3", "家族/旅行 ✈️", user: true, total: 5, unread: 5),
        label("Label_4", "Receipts", user: true),
        label("Label_5", "A very long label name that goes on and on past where the counts are", user: true, total: 1, unread: 1),
    ]
}

@Suite struct LabelListTests {
    func opened() -> BrowserState {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 3))
        #expect(s.update(.key(.character("L"))) == [.fetchLabels])
        return s
    }

    @Test func lShowsTheLabelScreenAndFetchesTheCounts() {
        var s = opened()
        #expect(s.screen == .labels)
        #expect(s.isBusy)
        #expect(s.update(.labelsLoaded(Fixture.labels)) == [])
        #expect(!s.isBusy)
        #expect(s.labels.rows.map(\.title) == [
            "Inbox", "Starred", "Sent", "Drafts", "Important", "Spam", "Trash",
            "Primary", "Social", "Promotions", "Updates", "Forums",
            "A very long label name that goes on and on past where the counts are", "Receipts", "Work", "Projects 🚀",
            "家族", "旅行 ✈️",
        ])
        #expect(s.labels.rows.map(\.depth).suffix(6) == [0, 0, 0, 1, 0, 1])
        #expect(s.labels.rows.first { $0.title == "家族" }?.label == nil, "a parent known only from its child's name")
    }

    @Test func enterShowsThatLabelsList() {
        var s = opened()
        _ = s.update(.labelsLoaded(Fixture.labels))
        #expect(s.update(.key(.enter)) == [.fetchPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.screen == .list)
        _ = s.update(.key(.character("L")))
        _ = s.update(.labelsLoaded(Fixture.labels))
        // The selection stays on Inbox; go down to "Projects 🚀".
        for _ in 0..<15 { _ = s.update(.key(.character("j"))) }
        #expect(s.labels.rows[s.labels.selection].title == "Projects 🚀")
        #expect(s.update(.key(.enter)) == [.fetchPage(query: "label:Work-Projects-🚀", pageToken: nil, pageSize: 50)])
        #expect(s.list.query == "label:Work-Projects-🚀")
        #expect(s.screen == .list)
        // A parent known only from its child's name lists nothing: Enter says so and stays.
        _ = s.update(.key(.character("L")))
        _ = s.update(.labelsLoaded(Fixture.labels))
        while s.labels.rows[s.labels.selection].title != "家族" { _ = s.update(.key(.character("j"))) }
        #expect(s.update(.key(.enter)) == [])
        #expect(s.screen == .labels)
        #expect(s.labels.notice == "家族 is not a label of its own: its labels are below it")
    }

    @Test func systemLabelsAndCategoriesUseGmailsOwnQueries() {
        let rows = LabelRow.rows(Fixture.labels)
        func query(_ title: String) -> String? { rows.first { $0.title == title }?.query }
        #expect(query("Inbox") == "in:inbox")
        #expect(query("Starred") == "is:starred")
        #expect(query("Primary") == "category:primary")
        #expect(query("Trash") == "in:trash")
        #expect(LabelRow.query(forUserLabel: "Family & Friends") == "label:Family-&-Friends")
    }

    @Test func escapeGoesBackWithoutFetching() {
        var s = opened()
        _ = s.update(.labelsLoaded(Fixture.labels))
        _ = s.update(.key(.character("j")))
        #expect(s.update(.key(.escape)) == [])
        #expect(s.screen == .list)
        #expect(s.list.query == "in:inbox")
    }

    @Test func aFailureSaysWhatToDoAndRRetries() {
        var s = opened()
        _ = s.update(.labelsFailed(.network("timed out")))
        #expect(s.labels.error?.contains("r to retry") == true)
        #expect(!s.isBusy)
        #expect(s.update(.key(.character("r"))) == [.fetchLabels])
        #expect(s.labels.error == nil)
    }

    @Test func aLostGrantAuthorizesAndFetchesAgain() {
        var s = opened()
        let effects = s.update(.labelsFailed(.reauthorizationRequired(email: Fixture.account, reason: .grantRevoked)))
        #expect(effects == [.startAuthorization(loginHint: Fixture.account)])
        #expect(s.update(.authorizationSucceeded(email: Fixture.account)) == [.fetchLabels])
        #expect(s.screen == .labels)
    }

    @Test func aPageWithUserLabelsFetchesTheLabelsOnceForItsTags() {
        var s = BrowserState(account: Fixture.account, query: "", pageSize: 50, now: Fixture.now, calendar: Fixture.calendar)
        _ = s.start()
        var page = Fixture.page(count: 2)
        page.messages[1].labelIDs = ["INBOX", "Label_1"]
        #expect(s.update(.pageLoaded(page)) == [.fetchLabels])
        _ = s.update(.labelsLoaded(Fixture.labels))
        _ = s.update(.key(.character("r")))
        #expect(s.update(.pageLoaded(page)) == [], "the labels are kept")
        #expect(LabelTags.tags(["INBOX", "Label_2", "STARRED", "Label_1"], labels: s.labels.all) == ["Projects 🚀", "Work"])
    }

    @Test func labelListAt80x24() {
        var s = opened()
        _ = s.update(.labelsLoaded(Fixture.labels))
        _ = s.update(.key(.character("j")))
        expectScreen(render(s, cols: 80, rows: 24), ViewScreens.labels80x24)
        let g = render(s, cols: 80, rows: 24)
        #expect((0..<80).allSatisfy { g[$0, 3].style.reverse }, "Starred is selected")
        #expect(g[2, 2].style.bold, "Inbox has unread mail")
        #expect(!g[2, 4].style.bold, "Sent has none")
    }

    @Test func labelListWhileLoading() {
        let s = opened()
        let lines = render(s, cols: 80, rows: 24).lines()
        #expect(lines[3].contains("Loading labels…"))
    }
}
