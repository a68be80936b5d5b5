import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// Esc on the authorization screen of an account switched to, whose grant Google no longer accepts.
@Suite struct ReauthorizationBackTests {
    let second = Fixture.second

    /// On `in:inbox` of the first account, row 3 selected, then switched to the second account, which has
    /// `stored` in its store; returns the effects of the switch's answer.
    func switched(_ s: inout BrowserState, stored: MessagePage?) -> [BrowserEffect] {
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.character("j")))
        _ = s.update(.key(.character("A")))
        _ = s.update(.accountsLoaded(Fixture.accounts))
        _ = s.update(.key(.character("j")))
        #expect(s.update(.key(.enter)) == [.switchAccount(email: second, query: "in:inbox", pageToken: nil, pageSize: 50)])
        _ = s.update(.modifyPermission(true))
        return s.update(.accountSwitched(AccountSwitch(email: second, stored: stored)))
    }

    func revoked(_ email: String) -> MailServiceError { .reauthorizationRequired(email: email, reason: .grantRevoked) }

    func footer(_ s: BrowserState) -> String { s.render().lines()[23] }

    @Test func escOnALostGrantAfterASwitchGoesBackToTheAccountLeftOnItsList() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 5))
        let first = s.list.page
        let effects = switched(&s, stored: Fixture.page(query: "in:inbox", count: 2, prefix: "b"))
        #expect(effects == [.sync(query: "in:inbox", pageToken: nil, pageSize: 50)])
        // Google refuses the second account's grant: its sync asks for authorization.
        #expect(s.update(.syncFailed(query: "in:inbox", pageToken: nil, error: revoked(second)))
                == [.startAuthorization(loginHint: second)])
        #expect(s.update(.authorizationNeeded(url: Fixture.authURL, email: second, reason: nil)) == [])
        #expect(s.screen == .authorization)
        #expect(!s.pendingRetries.isEmpty)
        #expect(s.render().lines().joined(separator: " ").contains("no longer accepts the saved authorization"))
        #expect(footer(s).contains("Esc back to \(Fixture.account)"))
        #expect(!footer(s).contains("Esc quit"))

        // Esc: the attempt stops, the second account's retries go, and the first is asked for on its list.
        #expect(s.update(.key(.escape)) == [.cancelAuthorization,
                                            .switchAccount(email: Fixture.account, query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.screens == [.list])
        #expect(s.authorization == nil)
        #expect(s.pendingRetries.isEmpty)
        #expect(s.isBusy, "the switch back is under way")
        // A late failure of the account left does not bring its authorization screen back.
        #expect(s.update(.pageFailed(query: "in:inbox", pageToken: nil, error: revoked(second))) == [])
        #expect(s.update(.syncFailed(query: "in:inbox", pageToken: nil, error: revoked(second))) == [])
        #expect(s.screen == .list)

        _ = s.update(.modifyPermission(false))
        let back = s.update(.accountSwitched(AccountSwitch(email: Fixture.account, stored: first)))
        #expect(back == [.sync(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.account == Fixture.account)
        #expect(s.list.page == first)
        #expect(s.list.selection == 2, "the row the user left")
        #expect(s.screens == [.list])
        #expect(!s.triage.canModify, "the first account's own grant")

        // The account left is not offered again: a lost grant of the first account now quits on Esc.
        _ = s.update(.syncFailed(query: "in:inbox", pageToken: nil, error: revoked(Fixture.account)))
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: Fixture.account, reason: nil))
        #expect(footer(s).contains("Esc quit"))
        #expect(s.update(.key(.escape)) == [.quit])
    }

    @Test func authorizingTheAccountSwitchedToStillLandsOnItsList() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 5))
        #expect(switched(&s, stored: nil) == [.fetchPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.update(.pageFailed(query: "in:inbox", pageToken: nil, error: revoked(second))) == [.startAuthorization(loginHint: second)])
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: second, reason: nil))
        #expect(s.update(.key(.character("o"))) == [.openURL(Fixture.authURL)])
        #expect(s.update(.authorizationSucceeded(email: second)) == [.fetchPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.screen == .list)
        #expect(s.account == second)
        _ = s.update(.pageLoaded(Fixture.page(query: "in:inbox", count: 4, prefix: "b")))
        #expect(s.list.page?.messages.first?.id == "b1")

        // The grant is lost again later, while the second account is shown: Esc still goes back.
        _ = s.update(.key(.character("r")))
        #expect(s.update(.syncFailed(query: "in:inbox", pageToken: nil, error: revoked(second))) == [.startAuthorization(loginHint: second)])
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: second, reason: nil))
        #expect(footer(s).contains("Esc back to \(Fixture.account)"))
        #expect(s.update(.key(.escape)).last == .switchAccount(email: Fixture.account, query: "in:inbox", pageToken: nil, pageSize: 50))
    }

    @Test func escWhileTheCodeIsExchangedWaits() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 5))
        _ = switched(&s, stored: nil)
        _ = s.update(.pageFailed(query: "in:inbox", pageToken: nil, error: revoked(second)))
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: second, reason: nil))
        s.type("4/0Ab")
        #expect(s.update(.key(.enter)) == [.submitCode("4/0Ab")])
        #expect(s.update(.key(.escape)) == [])
        #expect(s.screen == .authorization)
    }

    @Test func withOneAccountEscOnALostGrantStillQuits() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 5))
        #expect(s.update(.key(.character("r"))) == [.sync(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.update(.syncFailed(query: "in:inbox", pageToken: nil, error: revoked(Fixture.account)))
                == [.startAuthorization(loginHint: Fixture.account)])
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: Fixture.account, reason: nil))
        #expect(footer(s).contains("Esc quit"))
        #expect(!footer(s).contains("Esc back"))
        #expect(s.update(.key(.escape)) == [.quit])
    }

    @Test func addingAnAccountStillGoesBackToTheAccountList() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 5))
        _ = switched(&s, stored: nil)
        _ = s.update(.key(.character("A")))
        _ = s.update(.accountsLoaded(Fixture.accounts))
        _ = s.update(.key(.character("+")))
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        #expect(!footer(s).contains("Esc back to"))
        #expect(s.update(.key(.escape)) == [.cancelAuthorization])
        #expect(s.screen == .accounts)
    }
}
