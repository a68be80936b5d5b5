import Foundation
import Testing
import GmailSandbox
import TestSupport

/// The browser on its local mail store: the real `gmail-tui` in tmux at 80x24 against the sandbox on a
/// loopback port, started a second time after a first run left the store behind.
@Suite(.serialized) struct StoreBrowserEndToEndTests {
    /// A sandbox serving `TestMailbox`, its default user authorized (credentials stored), and a workspace;
    /// the store goes in the default place, `$HOME/.cache/gmail-tui`, inside the workspace.
    func withAuthorizedSandbox(_ body: (SandboxServer, Workspace) async throws -> Void) async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        try TestMailbox.write(to: workspace.mailbox)
        var options = SandboxOptions()
        options.mailboxDirectory = workspace.mailbox.path
        let server = try await SandboxServer.start(options)
        var outcome: Result<Void, any Error> = .success(())
        do {
            try workspace.writeClientSecrets(server)
            try workspace.storeMintedAccount(server)
            try await body(server, workspace)
        } catch {
            outcome = .failure(error)
        }
        await server.stop()
        try outcome.get()
    }

    func start(_ workspace: Workspace, _ server: SandboxServer, _ extra: [String] = []) throws -> TmuxSession {
        try TmuxSession(command: workspace.command(workspace.arguments(server) + extra), cols: 80, rows: 24)
    }

    /// Waits for the unread list with message `first` on its first row, the same on two captures in a row
    /// (a capture can catch a redraw half way), and for `header` to hold of its header.
    @discardableResult
    func untilList(_ tmux: TmuxSession, first: Int = 1, _ what: String, header: @escaping (String) -> Bool = { _ in true }) async throws -> String {
        var previous: String?
        return try await tmux.until(what, timeout: .seconds(40)) { screen in
            defer { previous = screen }
            let lines = Screen.lines(screen)
            return screen == previous && lines.first.map { $0.contains("│ page 1 │") && header($0) } == true
                && Screen.listRows(screen).first?.contains(TestMailbox.subject(first)) == true
        }
    }

    /// Waits for the message view of unread message `i`, its body on screen.
    func untilMessage(_ tmux: TmuxSession, _ i: Int) async throws {
        try await tmux.until("the body of \(TestMailbox.subject(i))", timeout: .seconds(40)) { s in
            Screen.lines(s).contains { $0.trimmingCharacters(in: .whitespaces) == TestMailbox.bodyLine(i) }
        }
    }

    /// A first run: the unread list from Gmail, the third message opened and read, quit. It leaves the store
    /// holding the first page and that body.
    func firstRun(_ workspace: Workspace, _ server: SandboxServer) async throws {
        let tmux = try start(workspace, server)
        try await untilList(tmux, "the first run's list") { !$0.contains("synced") }
        try tmux.send("j")
        try tmux.send("j")
        try await tmux.untilSelected("the third row highlighted") { $0 == 3 }
        try tmux.send("Enter")
        try await untilMessage(tmux, TestMailbox.unread[2])
        try tmux.send("q")
        try await untilList(tmux, "the list again")
        try tmux.send("q")
        try await quit(tmux)
    }

    func quit(_ tmux: TmuxSession) async throws {
        let screen = try await tmux.until(text: Screen.exitLine)
        #expect(screen.contains("\(Screen.exitLine) 0, terminal modes restored"), "screen after quitting:\n\(screen)")
        try tmux.send("Enter")
        _ = try await tmux.untilDead()
    }

    /// Requests for Gmail's API served after the first `skip`, by kind.
    static func apiRequests(_ server: SandboxServer, after skip: Int) -> (history: Int, lists: Int, metadata: [String], other: [String]) {
        var history = 0, lists = 0
        var metadata: [String] = [], other: [String] = []
        for entry in server.sandbox.requestLog().dropFirst(skip) where entry.path.hasPrefix("/gmail/v1/users/me/") {
            let path = entry.path.dropFirst("/gmail/v1/users/me/".count)
            if path.hasPrefix("history?") { history += 1 }
            else if path.hasPrefix("messages?") { lists += 1 }
            else if path.hasPrefix("messages/"), path.contains("format=metadata") { metadata.append(String(path.dropFirst(9).prefix { $0 != "?" })) }
            else { other.append(entry.path) }
        }
        return (history, lists, metadata, other)
    }

    /// With Gmail slow (10 s a request), a second start draws the stored list, saying how fresh it is,
    /// while no request has been answered; the sync then makes it live. Mail delivered afterwards shows at
    /// the top after `r`, with a notice, for one `history.list`, one `messages.list` and one metadata request,
    /// the selection staying on the same message.
    @Test func aSecondStartDrawsTheStoredListAtOnceAndRBringsNewMailToTheTop() async throws {
        try await withAuthorizedSandbox { server, workspace in
            try await firstRun(workspace, server)

            server.sandbox.setLatency(.seconds(10))
            let before = server.sandbox.requestLog().count
            let tmux = try start(workspace, server)
            let stored = try await untilList(tmux, "the stored list") { $0.contains("synced") }
            #expect(server.sandbox.requestLog().count == before, "the list on screen came from the store, not from Gmail")
            #expect(Screen.lines(stored)[0].hasSuffix("│ synced just now") || Screen.lines(stored)[0].hasSuffix("│ synced 1 min ago"),
                    "\(Screen.lines(stored)[0])")
            #expect(!stored.contains("Loading"))

            // The sync answers (its first request still waits out the 10 s): the header no longer says the age.
            server.sandbox.setLatency(.zero)
            try await untilList(tmux, "the synced list") { !$0.contains("synced") }

            // Mail arrives; `r` brings it to the top, and the selection stays on message 1.
            try await tmux.untilSelected("the first row highlighted") { $0 == 1 }
            let delivery = try server.sandbox.deliver(subject: "Fresh otter sighting", from: "Ranger <ranger@e2e.example>")
            let beforeSync = server.sandbox.requestLog().count
            try tmux.send("r")
            let screen = try await tmux.until("the new message at the top, with a notice", timeout: .seconds(40)) { s in
                Screen.listRows(s).first?.contains("Fresh otter sighting") == true && s.contains("1 new message")
            }
            #expect(Screen.listRows(screen).dropFirst().first?.contains(TestMailbox.subject(1)) == true)
            try await tmux.untilSelected("message 1 still highlighted, now on the second row") { $0 == 2 }
            let requests = Self.apiRequests(server, after: beforeSync)
            #expect(requests.history == 1)
            #expect(requests.lists == 1)
            #expect(requests.metadata == [delivery.id], "metadata only for the message the store lacks")
            #expect(!requests.other.contains { $0.contains("/profile") }, "a sync from history, not a resync: \(requests.other)")

            try tmux.send("q")
            try await quit(tmux)
        }
    }

    /// With the sandbox stopped, a start browses the stored page and opens the body read before; the
    /// header says `offline`, and a message never opened says it is not stored.
    @Test func anOfflineStartBrowsesTheStoredPageAndAnOpenedBody() async throws {
        try await withAuthorizedSandbox { server, workspace in
            try await firstRun(workspace, server)
            await server.stop()

            let tmux = try start(workspace, server)
            try await untilList(tmux, "the stored list") { $0.contains("synced") }
            try await untilList(tmux, "the list marked offline once the sync fails") { $0.contains("offline") }

            try tmux.send("j")
            try tmux.send("j")
            try await tmux.untilSelected("the third row highlighted") { $0 == 3 }
            try tmux.send("Enter")
            try await untilMessage(tmux, TestMailbox.unread[2])
            try tmux.send("q")
            try await untilList(tmux, "the list again") { $0.contains("offline") }

            // Row 12 was never opened nor prefetched: not stored, and it says so.
            for _ in 0..<9 { try tmux.send("j") }
            try await tmux.untilSelected("the twelfth row highlighted") { $0 == 12 }
            try tmux.send("Enter")
            let screen = try await tmux.until("the message view saying the message is not stored", timeout: .seconds(40)) { s in
                s.replacingOccurrences(of: "\n", with: " ").contains("not stored on this computer")
            }
            #expect(screen.contains("Offline"))
            #expect(screen.contains("r to retry"))
            try tmux.send("q")
            try await untilList(tmux, "the list again") { $0.contains("offline") }
            try tmux.send("q")
            try await quit(tmux)
        }
    }

    /// A store that is not a database is moved aside, never deleted; the browser says so and lists from Gmail.
    @Test func anUnreadableStoreIsMovedAsideAndTheBrowserSaysSo() async throws {
        try await withAuthorizedSandbox { server, workspace in
            let cache = workspace.folder.appendingPathComponent(".cache/gmail-tui")
            try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let database = cache.appendingPathComponent("\(Sandbox.defaultUserId).sqlite")
            try Data(repeating: 0x41, count: 8192).write(to: database)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: database.path)

            let tmux = try start(workspace, server)
            try await untilList(tmux, "the list from Gmail") { !$0.contains("synced") }
            try await tmux.until(text: "The local mail store was moved aside and is rebuilt from Gmail")
            let kept = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.contains(".unreadable") }
            #expect(kept.count == 1, "the unreadable file is kept beside the new store")
            try tmux.send("q")
            try await quit(tmux)
        }
    }

    /// Gmail silent for longer than `--network-timeout`: the sync fails as a network failure and the header
    /// says `offline`; once Gmail answers again, a retry (5 s after the failure) makes the list live again.
    @Test func theHeaderSaysOfflineWhileGmailCannotBeReachedAndChangesWhenItCanAgain() async throws {
        try await withAuthorizedSandbox { server, workspace in
            try await firstRun(workspace, server)
            server.sandbox.setLatency(.seconds(5))
            let tmux = try start(workspace, server, ["--network-timeout", "1"])
            try await untilList(tmux, "the stored list") { $0.contains("synced") }
            try await untilList(tmux, "the list marked offline") { $0.contains("offline") }
            server.sandbox.setLatency(.zero)
            try await untilList(tmux, "the list live again") { !$0.contains("offline") && !$0.contains("synced") }
            try tmux.send("q")
            try await quit(tmux)
        }
    }
}
