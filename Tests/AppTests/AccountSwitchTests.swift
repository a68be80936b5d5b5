import Foundation
import Testing
import GoogleOAuth
import MailService
import MailUI
import GmailSandbox
import TestSupport
@testable import App

/// `A`, `+` and `Enter` on the account list as the browser's loop performs them: the state machine's effects
/// run by the effect runner against the sandbox on a loopback port.
@Suite struct AccountSwitchTests {
    static let second = "second@gmail-tui.example"

    /// Folds `event` into `state` and runs the effects that follow, folding their answers in too, until none
    /// is left (the silent prefetches are run and have no answer). Returns the effects performed.
    @discardableResult
    func settle(_ state: inout BrowserState, _ event: BrowserEvent, _ runner: EffectRunner) async -> [BrowserEffect] {
        var performed: [BrowserEffect] = []
        var queue = state.update(event)
        while !queue.isEmpty {
            let effect = queue.removeFirst()
            performed.append(effect)
            if let answer = await runner.run(effect) { queue += state.update(answer) }
        }
        return performed
    }

    /// Moves the account list's selection onto `email`.
    func select(_ email: String, _ state: inout BrowserState) {
        _ = state.update(.key(.character("g")))
        while let entries = state.accounts.entries, entries.indices.contains(state.accounts.selection),
              entries[state.accounts.selection].email != email, state.accounts.selection < entries.count - 1 {
            _ = state.update(.key(.character("j")))
        }
    }

    /// Adds the sandbox's second user through `+` (the chooser picks it), as the browser does.
    func addSecond(_ state: inout BrowserState, _ runner: EffectRunner, _ services: Services, _ sandbox: DemoSandbox,
                   _ events: EventRecorder) async throws {
        sandbox.server.sandbox.addUser(email: Self.second, name: "二号 🦊")
        #expect(sandbox.server.sandbox.chooseAccount(email: Self.second))
        await settle(&state, .key(.character("A")), runner)
        #expect(state.screen == .accounts)
        let effects = state.update(.key(.character("+")))
        #expect(effects == [.addAccount])
        guard case .authorizationNeeded(let url, nil, nil)? = await runner.run(.addAccount) else {
            Issue.record("no authorization URL"); return
        }
        let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        #expect(query.first { $0.name == "prompt" }?.value == "select_account consent")
        #expect(!query.contains { $0.name == "login_hint" })
        _ = state.update(.authorizationNeeded(url: url, email: nil, reason: nil))
        try await followRedirects(from: url, services.transport)
        let succeeded = await events.next { $0 == .authorizationSucceeded(email: Self.second) }
        #expect(succeeded != nil)
        // The loop folds the listener's events in the order they came: the grant, then the success.
        await settle(&state, .modifyPermission(false), runner)
        await settle(&state, .authorizationSucceeded(email: Self.second), runner)
    }

    @Test func addingThenSwitchingKeepsEachAccountsOwnStoreListAndRow() async throws {
        try await withRunner { _, services, sandbox, events in
            let first = try WarmStartTests().mintAccount(services, sandbox)
            let runner = EffectRunner(services: services, account: first, events: events.add)
            defer { runner.stop() }
            var state = BrowserState(account: first.email, query: "in:inbox", pageSize: 5, cols: 80, rows: 24)
            var queue = state.start()
            while !queue.isEmpty {
                if let answer = await runner.run(queue.removeFirst()) { queue += state.update(answer) }
            }
            _ = state.update(.key(.character("j")))
            _ = state.update(.key(.character("j")))
            let firstRow = try #require(state.list.page?.messages[2].id)

            try await addSecond(&state, runner, services, sandbox, events)
            #expect(state.account == Self.second)
            #expect(state.screens == [.list])
            #expect(state.list.page?.messages.isEmpty == false, "the second account's first page, fetched")
            let stored = try services.store.load()
            let secondID = try #require(stored.accounts.first { $0.email == Self.second }?.userID)
            #expect(stored.accounts.count == 2)
            #expect(stored.lastUsed == secondID, "the account added is the default of the next run")
            #expect(secondID != first.userID)
            let folder = services.config.cacheDirectory
            for id in [first.userID, secondID] {
                #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(id).sqlite").path), "a store of its own")
            }

            // Back to the first account: its stored page and row show before any request, then it syncs.
            await settle(&state, .key(.character("A")), runner)
            #expect(state.accounts.entries?.map(\.email) == [first.email, Self.second])
            select(first.email, &state)
            let enter = state.update(.key(.enter))
            #expect(enter == [.switchAccount(email: first.email, query: "in:inbox", pageToken: nil, pageSize: 5)])
            let before = sandbox.requests()
            let answer = try #require(await runner.run(enter[0]))
            #expect(sandbox.requests() == before, "switching reads the store only")
            _ = state.update(.modifyPermission(false))
            let performed = state.update(answer)
            // Its sync only: the labels its rows' tags are named from came from its own store with the switch.
            #expect(performed == [.sync(query: "in:inbox", pageToken: nil, pageSize: 5)])
            #expect(state.labels.all?.isEmpty == false)
            #expect(state.account == first.email)
            #expect(state.list.page?.messages[state.list.selection].id == firstRow, "the same row as it was left")
            let frame = state.render().lines()
            #expect(frame[0].contains(first.email))
            #expect(frame[0].hasSuffix("synced just now"), "the stored page, shown before its sync")
            #expect(try services.store.load().lastUsed == first.userID)
            guard case .synced? = await runner.run(performed[0]) else { Issue.record("the sync failed"); return }
        }
    }

    @Test func anAnswerForTheAccountLeftIsDropped() async throws {
        let sandbox = try await DemoSandbox.start()
        var outcome: Result<Void, any Error> = .success(())
        do {
            // Every request waits at the gate until the test lets it go.
            let gate = WaveGate()
            gate.inner = SandboxTransport(sandbox.server.sandbox, rootURL: sandbox.server.rootURL)
            gate.isHolding = false
            let config = sandbox.configure(try Configuration(GlobalOptions.parse([]), environment: ["HOME": sandbox.folder.url.path]))
            let services = try Services.make(config, transport: gate)
            let first = try WarmStartTests().mintAccount(services, sandbox)
            sandbox.server.sandbox.addUser(email: Self.second)
            let scopes = [SandboxScope.readonly, SandboxScope.modify]
            try services.store.save(Credentials(
                userID: "200", email: Self.second,
                refreshToken: sandbox.server.sandbox.issueRefreshToken(email: Self.second, scopes: scopes, clientId: services.secrets.clientID),
                accessToken: sandbox.server.sandbox.issueAccessToken(email: Self.second, scopes: scopes, clientId: services.secrets.clientID),
                expiresAt: Date().addingTimeInterval(3000), scopes: scopes, clientID: services.secrets.clientID))
            let events = EventRecorder()
            let runner = EffectRunner(services: services, account: first, events: events.add)
            defer { runner.stop() }

            // The second account's store is unreadable: moved aside and rebuilt, and the switch says so.
            try FileManager.default.createDirectory(at: config.cacheDirectory, withIntermediateDirectories: true)
            let storePath = config.cacheDirectory.appendingPathComponent("200.sqlite").path
            #expect(FileManager.default.createFile(atPath: storePath, contents: Data(String(repeating: "no SQLite here; ", count: 400).utf8)))

            gate.isHolding = true
            async let old = runner.run(.fetchPage(query: "", pageToken: nil, pageSize: 5))
            await gate.waitUntilHolding(1, timeout: 60)
            let switched = await runner.run(.switchAccount(email: Self.second, query: "", pageToken: nil, pageSize: 5))
            var answer: AccountSwitch?
            if case .accountSwitched(let a)? = switched { answer = a }
            #expect(answer?.email == Self.second && answer?.stored == nil, "\(String(describing: switched))")
            #expect(answer?.storeNotice?.contains("moved aside") == true)
            #expect(await events.next(waiting: .zero) { $0 == .modifyPermission(true) } != nil, "the second account may modify")
            gate.isHolding = false
            #expect(await old == nil, "the first account's page never reaches the second account's list")
            let page = await runner.run(.fetchPage(query: "", pageToken: nil, pageSize: 5))
            if case .pageLoaded = page {} else { Issue.record("the second account's page did not load: \(String(describing: page))") }
            #expect(FileManager.default.fileExists(atPath: config.cacheDirectory.appendingPathComponent("200.sqlite").path))
        } catch {
            outcome = .failure(error)
        }
        await sandbox.stop()
        try outcome.get()
    }
}
