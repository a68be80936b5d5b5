import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

extension Fixture {
    static let second = "张伟@例子.中国"
    /// Stored accounts in the credential store's order (by email), the fixture's own among them.
    static let accounts: [AccountEntry] = [
        AccountEntry(userID: "104", email: "a.very.long.address.that.does.not.fit.before.the.permission.column@example.com",
                     canModify: false),
        AccountEntry(userID: "101", email: account, canModify: false),
        AccountEntry(userID: "102", email: second, canModify: true),
        AccountEntry(userID: "103", email: "🦊fox@example.org", canModify: false, authorized: false),
    ]
}

@Suite struct AccountListTests {
    /// The browser on `in:inbox` with the account list open and loaded.
    func opened() -> BrowserState {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 5))
        #expect(s.update(.key(.character("A"))) == [.loadAccounts])
        #expect(s.screen == .accounts)
        #expect(s.isBusy)
        #expect(s.update(.accountsLoaded(Fixture.accounts)) == [])
        #expect(!s.isBusy)
        return s
    }

    /// Switches from the list to `email`, answered with `stored`; returns the effects after the answer.
    func switchTo(_ email: String, _ s: inout BrowserState, canModify: Bool = false,
                  stored: (String, String?) -> MessagePage? = { _, _ in nil }) -> [BrowserEffect] {
        _ = s.update(.key(.character("A")))
        _ = s.update(.accountsLoaded(Fixture.accounts))
        let index = Fixture.accounts.firstIndex { $0.email == email }!
        _ = s.update(.key(.character("g")))
        for _ in 0..<index { _ = s.update(.key(.character("j"))) }
        let effects = s.update(.key(.enter))
        guard case .switchAccount(let to, let query, let token, let size) = effects.first, effects.count == 1 else {
            Issue.record("Enter did not switch: \(effects)")
            return []
        }
        #expect(to == email && size == 50)
        #expect(s.screen == .accounts && s.isBusy, "the list stays until the runner serves the account")
        _ = s.update(.modifyPermission(canModify))
        return s.update(.accountSwitched(AccountSwitch(email: email, stored: stored(query, token))))
    }

    @Test func aListsTheAccountsWithTheOneInUseSelected() {
        let s = opened()
        #expect(s.accounts.entries == Fixture.accounts)
        #expect(s.accounts.selection == 1, "the account in use")
    }

    @Test func jAndKMoveAndEscapeOrQGoesBack() {
        var s = opened()
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.character("j")))
        #expect(s.accounts.selection == 3, "the last row stops the selection")
        _ = s.update(.key(.character("k")))
        #expect(s.accounts.selection == 2)
        #expect(s.update(.key(.escape)) == [])
        #expect(s.screen == .list)
        #expect(s.account == Fixture.account)
        _ = s.update(.key(.character("A")))
        #expect(s.update(.key(.character("q"))) == [])
        #expect(s.screen == .list)
        #expect(s.list.query == "in:inbox")
    }

    @Test func enterOnTheAccountInUseGoesBackWithoutSwitching() {
        var s = opened()
        #expect(s.update(.key(.enter)) == [])
        #expect(s.screen == .list)
        #expect(s.list.notice?.contains("in use") == true)
    }

    @Test func enterSwitchesAndTheNewAccountShowsItsStoredPageThenSyncs() {
        var s = opened()
        _ = s.update(.key(.escape))
        _ = s.update(.key(.character("x")))
        #expect(!s.triage.selected.isEmpty)
        let stored = Fixture.page(query: "in:inbox", count: 2, prefix: "z")
        let effects = switchTo(Fixture.second, &s, canModify: true) { query, token in
            #expect(query == "in:inbox" && token == nil, "a new account starts on the query the browser started with")
            return stored
        }
        #expect(effects == [.sync(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.screen == .list)
        #expect(s.account == Fixture.second)
        #expect(s.list.page == stored)
        #expect(s.triage.canModify, "the grant is the new account's")
        #expect(s.triage.selected.isEmpty, "rows selected in the other account are not carried over")
        #expect(s.labels.all == nil, "labels are the account's own")
        #expect(s.render().lines()[0].contains(Fixture.second), "the header shows the account")
    }

    @Test func aSwitchBackRestoresQueryPageAndRow() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", next: "tok2", count: 5))
        // On account 1: `label:Work`, page 2, the third row.
        _ = s.update(.key(.character("/")))
        for _ in 0..<8 { _ = s.update(.key(.backspace)) }
        s.type("label:Work")
        _ = s.update(.key(.enter))
        _ = s.update(.pageLoaded(Fixture.page(query: "label:Work", next: "tok2", count: 5)))
        #expect(s.update(.key(.character("n"))) == [.fetchPage(query: "label:Work", pageToken: "tok2", pageSize: 50)])
        _ = s.update(.pageLoaded(Fixture.page(query: "label:Work", token: "tok2", count: 5, prefix: "w")))
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.character("j")))
        #expect(s.list.page?.messages[s.list.selection].id == "w3")

        // Account 2 has nothing stored: its first page is fetched, on the start query.
        #expect(switchTo(Fixture.second, &s) == [.fetchPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.list.query == "in:inbox", "account 2 starts on the query the browser started with")
        _ = s.update(.pageLoaded(Fixture.page(query: "in:inbox", count: 4, prefix: "b")))
        _ = s.update(.key(.character("G")))

        // Back on account 1: its stored page 2, where w3 has moved down one row, shows at once; then it syncs.
        var moved = Fixture.page(query: "label:Work", token: "tok2", count: 5, prefix: "w")
        moved.messages.insert(Fixture.summary("new", from: "New", subject: "New"), at: 0)
        moved.storedAt = Fixture.now
        let back = switchTo(Fixture.account, &s) { query, token in
            #expect(query == "label:Work" && token == "tok2")
            return moved
        }
        #expect(back == [.sync(query: "label:Work", pageToken: "tok2", pageSize: 50)])
        #expect(s.account == Fixture.account)
        #expect(s.list.page == moved)
        #expect(s.list.pageNumber == 2)
        #expect(s.list.page?.messages[s.list.selection].id == "w3", "the same message stays selected")
        #expect(!s.triage.canModify)

        // And account 2 kept its own last row.
        let again = switchTo(Fixture.second, &s) { query, token in Fixture.page(query: query, token: token, count: 4, prefix: "b") }
        #expect(again.first == .sync(query: "in:inbox", pageToken: nil, pageSize: 50))
        #expect(s.list.selection == 3)
    }

    @Test func aListOfConversationsComesBackAsConversationsAndStoredLabelsNameTheTags() {
        var s = Fixture.conversations()
        #expect(s.list.conversations != nil)
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.character("j")))
        #expect(Fixture.selectedID(s) == "c3")
        let stored = LabelList(labels: [LabelSummary(id: "Label_9", name: "旅行 ✈️", isSystem: false, messagesTotal: 4, messagesUnread: 1)],
                               storedAt: Fixture.now.addingTimeInterval(-120))
        // To the second account: its messages from the store, its own labels before any request.
        _ = s.update(.key(.character("A")))
        _ = s.update(.accountsLoaded(Fixture.accounts))
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.enter))
        _ = s.update(.accountSwitched(AccountSwitch(email: Fixture.second, stored: Fixture.page(query: "in:inbox", count: 2),
                                                    labels: stored)))
        #expect(s.list.conversations == nil, "a new account starts on messages")
        #expect(s.conversation == nil)
        #expect(s.labels.all == stored.labels)
        // Back to the first: it was showing conversations, so conversations are fetched (the store's first
        // frame is a page of messages).
        _ = s.update(.key(.character("A")))
        _ = s.update(.accountsLoaded(Fixture.accounts))
        _ = s.update(.key(.character("k")))
        _ = s.update(.key(.enter))
        let effects = s.update(.accountSwitched(AccountSwitch(email: Fixture.account, stored: Fixture.page(query: "in:inbox", count: 2))))
        #expect(effects == [.fetchConversationPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.list.conversations != nil)
        #expect(s.labels.all == nil, "the first account's labels are not the second's")
        _ = s.update(.conversationPageLoaded(Fixture.conversationPage))
        #expect(Fixture.selectedID(s) == "c3", "back on the conversation it was on")
    }

    @Test func plusAddsAnAccountAndSwitchesToIt() {
        var s = opened()
        #expect(s.update(.key(.character("+"))) == [.addAccount])
        #expect(s.screen == .authorization)
        #expect(s.authorization?.addingAccount == true)
        #expect(s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil)) == [])
        #expect(s.render().lines()[0].contains("Add a Google account"))
        #expect(s.render().lines()[23].contains("Esc back"))
        let effects = s.update(.authorizationSucceeded(email: "new@example.com"))
        #expect(effects == [.switchAccount(email: "new@example.com", query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.screen == .accounts)
        _ = s.update(.modifyPermission(false))
        #expect(s.update(.accountSwitched(AccountSwitch(email: "new@example.com", stored: nil)))
                == [.fetchPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.account == "new@example.com")
        #expect(s.screens == [.list])
    }

    @Test func escapeOnTheAddScreenGoesBackWithNothingChanged() {
        var s = opened()
        let before = s.list
        _ = s.update(.key(.character("+")))
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        s.type("4/0Ab")
        #expect(s.update(.key(.escape)) == [.cancelAuthorization])
        #expect(s.screen == .accounts)
        #expect(s.authorization == nil)
        #expect(s.account == Fixture.account)
        #expect(s.list == before)
        _ = s.update(.key(.escape))
        #expect(s.screen == .list)
    }

    @Test func addingTheAccountInUseAgainGoesBackToItsList() {
        var s = opened()
        _ = s.update(.key(.character("+")))
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        #expect(s.update(.authorizationSucceeded(email: Fixture.account.uppercased())) == [])
        #expect(s.screens == [.list])
        #expect(s.list.page?.messages.count == 5)
    }

    @Test func aFailedSwitchKeepsTheAccountAndSaysWhy() {
        var s = opened()
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.enter))
        #expect(s.update(.accountSwitchFailed(email: Fixture.second, message: "gone")) == [])
        #expect(s.account == Fixture.account)
        #expect(s.screen == .accounts)
        #expect(s.accounts.error == "gone")
        #expect(!s.isBusy)
        #expect(s.update(.accountSwitched(AccountSwitch(email: Fixture.second, stored: nil))) == [], "a late answer is dropped")
        #expect(s.account == Fixture.account)
    }

    @Test func accountListAt80x24() {
        var s = opened()
        _ = s.update(.key(.character("j")))
        let g = render(s, cols: 80, rows: 24)
        expectScreen(g, ViewScreens.accounts80x24)
        #expect((0..<80).allSatisfy { g[$0, 4].style.reverse }, "the CJK address is selected")
        #expect(!g[0, 3].style.reverse)
    }
}
