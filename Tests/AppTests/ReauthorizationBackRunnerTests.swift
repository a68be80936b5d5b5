import Foundation
import Testing
import HTTPCore
import GoogleOAuth
import MailService
import MailUI
import GmailSandbox
import TestSupport
@testable import App

/// A switch to an account whose grant Google revoked, then Esc on its authorization screen, as the browser's
/// loop performs it against the sandbox: the runner serves the first account again and the listener closes.
@Suite struct ReauthorizationBackRunnerTests {
    static let second = "bob@gmail-tui.example"

    @Test func escOnTheRevokedAccountServesTheFirstAgain() async throws {
        try await withRunner { _, services, sandbox, events in
            let first = try WarmStartTests().mintAccount(services, sandbox)
            sandbox.server.sandbox.addUser(email: Self.second)
            let scopes = [SandboxScope.readonly]
            let box = sandbox.server.sandbox, client = services.secrets.clientID
            try services.store.save(Credentials(
                userID: "200", email: Self.second,
                refreshToken: box.issueRefreshToken(email: Self.second, scopes: scopes, clientId: client),
                accessToken: box.issueAccessToken(email: Self.second, scopes: scopes, clientId: client),
                expiresAt: Date().addingTimeInterval(3000), scopes: scopes, clientID: client))
            box.revokeGrants(email: Self.second)

            let runner = EffectRunner(services: services, account: first, events: events.add)
            defer { runner.stop() }
            let tests = AccountSwitchTests()
            var state = BrowserState(account: first.email, query: "in:inbox", pageSize: 5, cols: 80, rows: 24)
            var queue = state.start()
            while !queue.isEmpty {
                if let answer = await runner.run(queue.removeFirst()) { queue += state.update(answer) }
            }
            _ = state.update(.key(.character("j")))
            let firstRow = try #require(state.list.page?.messages[1].id)

            await tests.settle(&state, .key(.character("A")), runner)
            tests.select(Self.second, &state)
            let switching = await tests.settle(&state, .key(.enter), runner)
            #expect(switching.contains(.startAuthorization(loginHint: Self.second)), "\(switching)")
            #expect(state.account == Self.second)
            #expect(state.screen == .authorization)
            #expect(state.authorization?.reason == .grantRevoked)
            let url = try #require(state.authorization?.url)
            #expect(state.render().lines()[23].contains("Esc back to \(first.email)"))

            let leaving = await tests.settle(&state, .key(.escape), runner)
            #expect(leaving.first == .cancelAuthorization)
            #expect(leaving.contains(.switchAccount(email: first.email, query: "in:inbox", pageToken: nil, pageSize: 5)))
            #expect(!leaving.contains(.quit))
            #expect(state.account == first.email)
            #expect(state.screens == [.list])
            #expect(state.list.page?.messages[state.list.selection].id == firstRow, "the row the user left")
            #expect(state.list.error == nil)
            #expect(try services.store.load().lastUsed == first.userID)
            // The runner serves the first account: a page of it loads from Gmail.
            let page = await runner.run(.fetchPage(query: "in:inbox", pageToken: nil, pageSize: 5, reload: true))
            guard case .pageLoaded(let loaded)? = page else { Issue.record("got \(String(describing: page))"); return }
            #expect(loaded.messages.map(\.id).contains(firstRow))
            // The attempt's loopback listener is closed: a browser coming back finds nobody.
            let redirect = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems?
                .first { $0.name == "redirect_uri" }?.value.flatMap(URL.init(string:)))
            if let answer = try? await services.transport.send(HTTPRequest(url: redirect.appendingPathComponent("late"))) {
                Issue.record("the listener at \(redirect) still answers: \(answer.status)")
            }
        }
    }
}
