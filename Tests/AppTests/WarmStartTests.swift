import Foundation
import Testing
import GoogleOAuth
import MailService
import MailUI
import GmailSandbox
@testable import App

/// The browser's start on the local store, as `BrowserLoop` performs it, against the sandbox on a loopback port.
@Suite struct WarmStartTests {
    /// The sandbox's default user, authorized as if just now, saved where the services keep credentials.
    func mintAccount(_ services: Services, _ sandbox: DemoSandbox) throws -> Credentials {
        let scopes = [SandboxScope.readonly]
        let account = Credentials(userID: Sandbox.defaultUserId, email: Sandbox.defaultUserEmail,
                                  refreshToken: sandbox.server.sandbox.issueRefreshToken(scopes: scopes, clientId: services.secrets.clientID),
                                  accessToken: sandbox.server.sandbox.issueAccessToken(scopes: scopes, clientId: services.secrets.clientID),
                                  expiresAt: Date().addingTimeInterval(3000), scopes: scopes, clientID: services.secrets.clientID)
        try services.store.save(account)
        return account
    }

    @Test func theFirstFrameShowsTheStoredPageWithoutARequestAndItsSyncBringsNewMail() async throws {
        try await withRunner { _, services, sandbox, _ in
            let account = try mintAccount(services, sandbox)
            #expect(services.config.cacheDirectory.path.hasPrefix(sandbox.folder.url.path + "/"), "the demo's store stays in its own folder")
            // Nothing stored yet: the start fetches the page, as before there was a store.
            let earlier = EffectRunner(services: services, account: account, events: { _ in })
            var cold = BrowserState(account: account.email, query: "", pageSize: 5)
            #expect(BrowserLoop.warmStart(&cold, runner: earlier) == nil)
            guard case .synced(let listed)? = await earlier.run(.sync(query: "", pageToken: nil, pageSize: 5)) else {
                Issue.record("the first sync failed"); return
            }
            earlier.stop()

            // The next start: the stored page is drawn before anything goes to Gmail.
            let before = sandbox.requests()
            let runner = EffectRunner(services: services, account: account, events: { _ in })
            defer { runner.stop() }
            var state = BrowserState(account: account.email, query: "", pageSize: 5, cols: 80, rows: 24)
            let effects = try #require(BrowserLoop.warmStart(&state, runner: runner))
            let frame = state.render().lines()
            #expect(sandbox.requests() == before, "no request before the first frame")
            #expect(state.list.page?.messages.map(\.id) == listed.page.messages.map(\.id))
            #expect(frame[0].hasSuffix("│ synced just now"))
            #expect(frame[1].contains(String(listed.page.messages[0].subject.prefix(10))))
            #expect(effects == [.sync(query: "", pageToken: nil, pageSize: 5)])

            // Mail arrives; the sync the start asked for brings it to the top, with a notice.
            let delivery = try sandbox.server.sandbox.deliver(subject: "Arrived while the browser was closed")
            guard let effect = effects.first, case .synced(let result)? = await runner.run(effect) else {
                Issue.record("the sync failed"); return
            }
            #expect(result.newMessageIDs == [delivery.id])
            _ = state.update(.synced(result))
            #expect(state.list.page?.messages.first?.id == delivery.id)
            #expect(state.list.notice == "1 new message")
            #expect(!state.render().lines()[0].contains("synced"), "the list is as Gmail lists it now")
        }
    }

    @Test func withoutAGrantASyncAsksForAuthorizationAndNothingIsStored() async throws {
        try await withRunner { runner, _, sandbox, _ in
            var state = BrowserState(account: nil, query: "", pageSize: 5)
            #expect(BrowserLoop.warmStart(&state, runner: runner) == nil)
            let before = sandbox.requests()
            #expect(await runner.run(.sync(query: "", pageToken: nil, pageSize: 5))
                    == .syncFailed(query: "", pageToken: nil, error: .reauthorizationRequired(email: "", reason: .noRefreshToken)))
            #expect(sandbox.requests() == before)
        }
    }
}
