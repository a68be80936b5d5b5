import Foundation
import Testing
import GmailSandbox
import TestSupport

/// Triage in the real `gmail-tui` in tmux, against the sandbox: asking for `gmail.modify` at the moment
/// of need, then archive and undo, a selection starred in one request, and a refused change rolled back.
@Suite(.serialized) struct TriageEndToEndTests {
    static let account = Sandbox.defaultUserEmail
    static let modifyScope = "https://www.googleapis.com/auth/gmail.modify"
    static let readonlyScope = "https://www.googleapis.com/auth/gmail.readonly"

    /// The id in a `POST /gmail/v1/users/me/messages/ID/...` path.
    static func messageID(_ entry: SandboxLogEntry) -> String? {
        let parts = entry.path.split(separator: "/")
        guard parts.count == 7, parts[4] == "messages" else { return nil }
        return String(parts[5])
    }

    /// The ids of the sandbox's messages carrying `label`, through its control API.
    static func messages(labelled label: String, _ server: SandboxServer) async throws -> [String] {
        let json = try await Curl.run([server.rootURL.absoluteString + "_sandbox/messages?labelId=\(label)"])
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return (object?["messages"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    /// The subjects of the test mailbox on the list's rows, top to bottom.
    static func subjects(_ screen: String) -> [String] {
        Screen.listRows(screen).compactMap { row in (1...TestMailbox.count).map(TestMailbox.subject).first { row.contains($0) } }
    }

    /// `gmail-tui accounts` in the workspace: what it printed.
    static func accounts(_ workspace: Workspace, _ server: SandboxServer) async throws -> String {
        let result = try await Subprocess.runDetached(Package.executable("gmail-tui").path, ["accounts"] + workspace.arguments(server),
                                                      environment: ["HOME": workspace.folder.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func authModifyAsksForItUpFrontAndAccountsSaysSo() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        try await SandboxServer.run(SandboxOptions()) { server in
            try workspace.writeClientSecrets(server)
            try workspace.storeMintedAccount(server)
            #expect(try await Self.accounts(workspace, server).contains("\(Self.account)  (user \(Sandbox.defaultUserId), authorized; may read only"))
            let tmux = try TmuxSession(command: workspace.command(["auth", "--modify"] + workspace.arguments(server)), cols: 120, rows: 40)
            var url: URL?
            try await tmux.until("the URL of auth --modify") { screen in
                url = Screen.authorizationURL(in: screen)
                return screen.contains("Paste the code") && url != nil
            }
            let asked = try #require(url)
            let scopes = (asked.queryValue("scope") ?? "").split(separator: " ").map(String.init)
            #expect(scopes.contains(Self.modifyScope) && scopes.contains(Self.readonlyScope))
            #expect(asked.queryValue("prompt") == "consent")
            #expect(asked.queryValue("login_hint") == Self.account)
            _ = try await Curl.follow(asked)
            try await tmux.until(text: "(read and modify)")
            #expect(try await Self.accounts(workspace, server).contains("authorized; may read and modify"))
        }
    }

    @Test func askForModifyWhenNeededThenArchiveUndoStarAndRollBack() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        try TestMailbox.write(to: workspace.mailbox)
        var options = SandboxOptions()
        options.mailboxDirectory = workspace.mailbox.path
        try await SandboxServer.run(options) { server in
            try workspace.writeClientSecrets(server)
            // A read-only grant, as `gmail-tui auth` without --modify leaves it.
            try workspace.storeMintedAccount(server)
            let tmux = try TmuxSession(command: workspace.command(workspace.arguments(server)), cols: 120, rows: 40)
            let first = TestMailbox.subject(1), second = TestMailbox.subject(2)
            var screen = try await tmux.until("the unread list") { Self.subjects($0).first == first }
            #expect(Screen.listRows(screen).first?.hasPrefix("●") == true)

            // 1. `I` on an unread message: the screen asks for gmail.modify, for this account.
            let asked = server.sandbox.requestLog().count
            try tmux.send("I")
            let (permission, url) = try await tmux.untilAuthorizationScreen("the permission screen") { $0.contains("gmail.modify") }
            #expect(permission.contains("Allow changes to your mail"))
            #expect(permission.contains("Esc back, read-only"))
            #expect(url.queryValue("login_hint") == Self.account)
            #expect(url.queryValue("prompt") == "consent")
            let scopes = (url.queryValue("scope") ?? "").split(separator: " ").map(String.init)
            #expect(scopes.contains(Self.modifyScope) && scopes.contains(Self.readonlyScope))
            #expect(url.queryValue("include_granted_scopes") == nil, "installed clients do not send it")
            #expect(!server.sandbox.requestLog().dropFirst(asked).contains { $0.method == "POST" && $0.path.contains("/modify") },
                    "nothing is sent before the permission is there")

            // Consent through the loopback listener, as a browser follows the redirect.
            let followed = try await Curl.follow(url)
            #expect(followed.status == 200 && followed.finalURL.hasPrefix("http://127.0.0.1:"))
            let read = try await server.untilRequest("the mark-read change after consent", after: asked) {
                $0.method == "POST" && $0.path.hasSuffix("/modify") && $0.status == 200
            }
            let id1 = try #require(Self.messageID(read))
            #expect(!server.sandbox.labels(ofMessage: id1).contains("UNREAD"))
            screen = try await tmux.until("the list with message 1 read") { s in
                Self.subjects(s).first == first && Screen.listRows(s).first?.hasPrefix("●") == false && !s.contains("Code or address:")
            }

            // 2. Archive, then undo: INBOX comes back in the sandbox and the row on screen.
            var mark = server.sandbox.requestLog().count
            try tmux.send("e")
            _ = try await tmux.until("message 1 gone") { Self.subjects($0).first == second && $0.contains("Archived 1 · z undo") }
            _ = try await server.untilRequest("the archive", after: mark) { $0.path == "/gmail/v1/users/me/messages/\(id1)/modify" && $0.status == 200 }
            #expect(!server.sandbox.labels(ofMessage: id1).contains("INBOX"))
            mark = server.sandbox.requestLog().count
            try tmux.send("z")
            _ = try await server.untilRequest("the undo", after: mark) { $0.path == "/gmail/v1/users/me/messages/\(id1)/modify" && $0.status == 200 }
            #expect(server.sandbox.labels(ofMessage: id1).contains("INBOX"))
            screen = try await tmux.until("message 1 back") { Self.subjects($0).first == first && $0.contains("Undone: Archived 1") }

            // 3. Three rows selected with x and starred: one batchModify.
            mark = server.sandbox.requestLog().count
            try tmux.send("x"); try tmux.send("x"); try tmux.send("x")
            _ = try await tmux.until(text: "3 selected")
            try tmux.send("s")
            _ = try await tmux.until(text: "Starred 3 · z undo")
            _ = try await server.untilRequest("the batchModify", after: mark) { $0.path.hasSuffix("/messages/batchModify") && (200..<300).contains($0.status) }
            let changes = server.sandbox.requestLog().dropFirst(mark).filter { $0.method == "POST" && $0.path.hasPrefix("/gmail/v1/") }
            #expect(changes.count == 1, "one request for three messages: \(changes.map(\.path))")
            let starred = try await Self.messages(labelled: "STARRED", server)
            #expect(starred.count == 3 && starred.contains(id1))

            // 4. Gmail refuses an archive: the row comes back, and the status line says why.
            let before = Self.subjects(try tmux.screen())
            server.sandbox.failNext(pathContaining: "/modify", status: 400)
            try tmux.send("e")
            screen = try await tmux.until(text: "Not done (Archived 1)")
            #expect(screen.contains("Bad Request"))
            #expect(Self.subjects(screen) == before)

            try tmux.send("q")
            _ = try await tmux.until(text: Screen.exitLine)
            try tmux.send("Enter")
        }
    }
}
