import Foundation
import Testing
import GmailAPI
import GmailSandbox
import GmailSandboxClient
import GoogleOAuth
import TestSupport

/// The label list's counts in the real binary in tmux, against the sandbox: Gmail's, one fewer after `I`,
/// and the stored ones when Gmail cannot be reached.
@Suite(.serialized) struct LabelsEndToEndTests {
    static let query = "is:unread in:inbox"

    /// The bundled demo mailbox (with user labels), its default user authorized to read and modify.
    func withSandbox(_ body: (SandboxServer, Workspace) async throws -> Void) async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        let server = try await SandboxServer.start(SandboxOptions())
        var outcome: Result<Void, any Error> = .success(())
        do {
            try workspace.writeClientSecrets(server)
            let client = try SandboxClient(sandbox: server.sandbox, rootURL: server.rootURL,
                                           transport: SandboxTransport(server.sandbox, rootURL: server.rootURL),
                                           store: FileCredentialStore(path: workspace.credentials.path))
            _ = try client.mintAccount(scopes: [SandboxScope.readonly, SandboxScope.modify])
            try await body(server, workspace)
        } catch {
            outcome = .failure(error)
        }
        await server.stop()
        try outcome.get()
    }

    /// Inbox's counts as the sandbox gives them now: (unread, total).
    func inboxCounts(_ server: SandboxServer) async throws -> (Int, Int) {
        let client = try SandboxClient(sandbox: server.sandbox, rootURL: server.rootURL,
                                       transport: SandboxTransport(server.sandbox, rootURL: server.rootURL))
        let token = try client.mintAccount().accessToken ?? ""
        let inbox = try await client.gmail.labelsGet(LabelsGetParameters(id: "INBOX"), accessToken: token)
        return (try #require(inbox.messagesUnread), try #require(inbox.messagesTotal))
    }

    func start(_ workspace: Workspace, _ server: SandboxServer) throws -> TmuxSession {
        try TmuxSession(command: workspace.command(workspace.arguments(server) + ["--query", Self.query]), cols: 100, rows: 40)
    }

    func untilLabels(_ tmux: TmuxSession, _ what: String, _ predicate: @escaping (String) -> Bool = { _ in true }) async throws -> String {
        try await tmux.until(what, timeout: .seconds(40)) { s in
            ViewEndToEndTests.counts(of: "Inbox", in: s)?.count == 2 && s.contains("Labels · ") && predicate(s)
        }
    }

    func quit(_ tmux: TmuxSession) async throws {
        let screen = try await tmux.until(text: Screen.exitLine)
        #expect(screen.contains("\(Screen.exitLine) 0, terminal modes restored"), "screen after quitting:\n\(screen)")
        try tmux.send("Enter")
        _ = try await tmux.untilDead()
    }

    @Test func lShowsInboxsUnreadCountAndOneFewerAfterMarkRead() async throws {
        try await withSandbox { server, workspace in
            let (unread, total) = try await inboxCounts(server)
            #expect(unread > 1)
            let tmux = try start(workspace, server)
            try await tmux.until("the first page", timeout: .seconds(40)) {
                $0.contains("\(Self.query) │ page 1 │ 1-") && !$0.contains("Loading") && !$0.contains("Syncing")
            }
            try tmux.send("L")
            var labels = try await untilLabels(tmux, "the label list with Gmail's counts") { s in
                ViewEndToEndTests.counts(of: "Inbox", in: s) == ["\(unread)", "\(total)"] && !s.contains("Updating")
            }
            #expect(labels.contains("Work"), "user labels are listed:\n\(labels)")
            try tmux.send("q")
            try await tmux.until("the list again") { $0.contains("\(Self.query) │ page 1") }

            let mark = server.sandbox.requestLog().count
            try tmux.send("I")
            _ = try await tmux.until(text: "Marked read 1")
            _ = try await server.untilRequest("the mark-read change", after: mark) {
                $0.method == "POST" && $0.path.hasSuffix("/modify") && $0.status == 200
            }
            let (after, _) = try await inboxCounts(server)
            #expect(after == unread - 1)
            try tmux.send("L")
            labels = try await untilLabels(tmux, "the label list with one fewer unread") { s in
                ViewEndToEndTests.counts(of: "Inbox", in: s) == ["\(unread - 1)", "\(total)"] && !s.contains("Updating")
            }
            try tmux.send("q")
            try tmux.send("q")
            try await quit(tmux)
        }
    }

    @Test func anOfflineStartShowsTheStoredLabels() async throws {
        try await withSandbox { server, workspace in
            let (unread, total) = try await inboxCounts(server)
            var tmux = try start(workspace, server)
            try await tmux.until("the first page", timeout: .seconds(40)) { $0.contains("\(Self.query) │ page 1 │ 1-") && !$0.contains("Loading") }
            try tmux.send("L")
            _ = try await untilLabels(tmux, "the label list from Gmail") { !$0.contains("Updating") && !$0.contains("synced") }
            try tmux.send("q")
            try tmux.send("q")
            try await quit(tmux)

            await server.stop()
            tmux = try start(workspace, server)
            try await tmux.until("the stored list", timeout: .seconds(40)) { $0.contains("\(Self.query) │ page 1 │ 1-") }
            try tmux.send("L")
            let labels = try await untilLabels(tmux, "the stored labels marked offline") { $0.contains("offline, synced") }
            #expect(ViewEndToEndTests.counts(of: "Inbox", in: labels) == ["\(unread)", "\(total)"], "\(labels)")
            #expect(labels.contains("Work"))
            #expect(labels.contains("stored counts"), "\(labels)")
            // Still a list to move in.
            try tmux.send("j")
            try tmux.send("q")
            try tmux.send("q")
            try await quit(tmux)
        }
    }
}
