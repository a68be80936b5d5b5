import Foundation
import Testing
import GmailAPI
import GmailSandbox
import GmailSandboxClient
import MIME
import TestSupport

/// The label list and the continuous list, in the real binary in tmux, against the sandbox.
@Suite(.serialized) struct ViewEndToEndTests {
    /// A sandbox serving `mailbox` (nil: the bundled demo mailbox, with user labels and attachments), the
    /// default user already authorized in the workspace's credential file.
    func withSandbox(mailbox: ((URL) throws -> Void)? = nil, _ body: (SandboxServer, Workspace) async throws -> Void) async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        var options = SandboxOptions()
        if let mailbox {
            try mailbox(workspace.mailbox)
            options.mailboxDirectory = workspace.mailbox.path
        }
        let server = try await SandboxServer.start(options)
        do {
            try workspace.writeClientSecrets(server)
            try workspace.storeMintedAccount(server)
            try await body(server, workspace)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// What the sandbox itself says, through the API with a token of its own.
    func gmail(_ server: SandboxServer) throws -> (GmailClient, String) {
        let client = try SandboxClient(sandbox: server.sandbox, rootURL: server.rootURL, transport: SandboxTransport(server.sandbox, rootURL: server.rootURL))
        let account = try client.mintAccount()
        return (client.gmail, account.accessToken ?? "")
    }

    /// The numbers at the end of the label list's row titled `title`: (unread, total); unread is blank when 0.
    static func counts(of title: String, in screen: String) -> [String]? {
        guard let row = Screen.lines(screen).first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(title + " ") }) else { return nil }
        return row.dropFirst(2 + title.count).split(separator: " ").map(String.init)
    }

    @Test func theLabelListShowsInboxsUnreadCountAndEnterShowsALabelsMessages() async throws {
        try await withSandbox { server, workspace in
            let (gmail, token) = try gmail(server)
            let inbox = try await gmail.labelsGet(LabelsGetParameters(id: "INBOX"), accessToken: token)
            let unread = try #require(inbox.messagesUnread), total = try #require(inbox.messagesTotal)
            #expect(unread > 0)
            let work = try await gmail.messagesList(MessagesListParameters(q: "label:Work", maxResults: 50), accessToken: token)
            let workIDs = (work.messages ?? []).map(\.id)
            #expect(!workIDs.isEmpty && workIDs.count < 30)

            let tmux = try TmuxSession(command: workspace.command(workspace.arguments(server)), cols: 100, rows: 40)
            try await tmux.until("the first page") { $0.contains("is:unread │ page 1 │ 1-50") && !$0.contains("Loading") }
            try tmux.send("L")
            let labels = try await tmux.until("the label list with counts") { Self.counts(of: "Inbox", in: $0)?.count == 2 }
            #expect(Self.counts(of: "Inbox", in: labels) == ["\(unread)", "\(total)"], "\(labels)")
            for title in ["Starred", "Sent", "Trash", "Work", "Family & Friends", "Bounces"] {
                #expect(labels.contains(title), "\(title) is listed")
            }
            // User labels come last, sorted: Bounces, Family & Friends, Work. `G` is the last one.
            try tmux.send("G")
            try tmux.send("Enter")
            let list = try await tmux.until("the Work label's list") { s in
                s.contains("label:Work │ page 1 │ 1-") && !s.contains("Loading") && Screen.listRows(s).count == workIDs.count
            }
            #expect(Screen.listRows(list).allSatisfy { $0.contains("[Work]") }, "every row carries the Work tag:\n\(list)")
            try tmux.send("q")
        }
    }

    /// Waits until the one highlighted row with text on it (a short page leaves blank rows below, which a
    /// capture shows in the last row's attributes) satisfies `predicate`.
    func untilSelected(_ tmux: TmuxSession, _ what: String, _ predicate: (Int?) -> Bool) async throws {
        try await tmux.until(what) { plain in
            let flags = Screen.reverseVideoRows(try tmux.styledScreen())
            let lines = Screen.lines(plain)
            let hits = (1..<max(1, min(flags.count, lines.count) - 1)).filter {
                flags[$0] && !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty
            }
            return predicate(hits.count == 1 ? hits[0] : nil)
        }
    }

    @Test func gThenJLandsOnPageTwosFirstRow() async throws {
        try await withSandbox(mailbox: { try TestMailbox.write(to: $0) }) { server, workspace in
            let tmux = try TmuxSession(command: workspace.command(workspace.arguments(server) + ["--page-size", "10"]), cols: 100, rows: 24)
            try await tmux.until("page 1") { $0.contains("is:unread │ page 1 │ 1-10") && !$0.contains("Loading") }
            try tmux.send("G")
            try await untilSelected(tmux, "the last row of page 1") { $0 == 10 }
            try tmux.send("j")
            let screen = try await tmux.until("page 2") { s in
                s.contains("is:unread │ page 2 │ 11-20") && !s.contains("Loading")
                    && Screen.listRows(s).first?.contains(TestMailbox.subject(TestMailbox.unread[10])) == true
            }
            #expect(Screen.listRows(screen).count == 10)
            try await untilSelected(tmux, "page 2's first row") { $0 == 1 }
            // And back: `k` on page 2's first row is page 1's last.
            try tmux.send("k")
            try await tmux.until("page 1 again") { s in
                s.contains("is:unread │ page 1 │ 1-10") && Screen.listRows(s).first?.contains(TestMailbox.subject(TestMailbox.unread[0])) == true
            }
            try await untilSelected(tmux, "page 1's last row") { $0 == 10 }
            try tmux.send("q")
        }
    }

    /// A URL wider than the terminal: the rows it is cut into are wrapped by the terminal itself, so that a
    /// selection (here tmux's `capture-pane -J`, which joins wrapped rows as copy mode does) has it whole.
    @Test func aLongURLIsCopiedWholeFromTheTerminal() async throws {
        let url = "https://example.com/photos/" + String(repeating: "abcdefghij", count: 14) + "?album=kyoto&day=2"
        try await withSandbox(mailbox: { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let message = "From: Ann <ann@example.com>\r\nTo: demo@gmail-tui.example\r\nSubject: A long link\r\n"
                + "Date: Thu, 01 Oct 2026 10:00:00 +0000\r\nMessage-ID: <link@e2e.example>\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nThe photos are at \(url) for a week.\r\n\r\n> quoted\r\n"
                + (1...40).map { "Line \($0) of the notes.\r\n" }.joined()
            try Data(message.utf8).write(to: folder.appendingPathComponent("link.eml"))
            let sidecar = try JSONSerialization.data(withJSONObject: ["messages": ["link.eml": ["INBOX", "UNREAD"]]])
            try sidecar.write(to: folder.appendingPathComponent("labels.json"))
        }) { server, workspace in
            let tmux = try TmuxSession(command: workspace.command(workspace.arguments(server)), cols: 80, rows: 24)
            func joined() throws -> String { try TmuxSession.run(["-L", tmux.socket, "capture-pane", "-p", "-J", "-t", tmux.name]) }
            try await tmux.until("the list") { $0.contains("A long link") && !$0.contains("Loading") }
            try tmux.send("Enter")
            let screen = try await tmux.until("the message") { $0.contains("The photos are at") && $0.contains("> quoted") }
            #expect(!screen.contains(url), "the URL is wider than the screen: it takes several rows")
            try await tmux.until("the URL in one piece") { _ in try joined().contains(url) }
            // Scrolled: the URL's rows move up, and the rows it left no longer run on into the next.
            func lineCount(_ text: String) -> Int { text.split(separator: "\n", omittingEmptySubsequences: false).count }
            try tmux.send("j"); try tmux.send("j")
            try await tmux.until("the message scrolled by two rows") { plain in
                let copy = try joined()
                return Screen.lines(plain).dropFirst().first?.hasPrefix("Date:") == true
                    && copy.contains(url) && lineCount(copy) == lineCount(plain) - 2
            }
            // Back on the list, no row runs on into the next any more.
            try tmux.send("q")
            try await tmux.until("the list again") { $0.contains("A long link") && $0.contains("j/k move") }
            try await tmux.until("every row its own line") { plain in
                try joined().split(separator: "\n", omittingEmptySubsequences: false).count == plain.split(separator: "\n", omittingEmptySubsequences: false).count
            }
            try tmux.send("q")
        }
    }

    /// `v` then `s` on the first message with an attachment: the file in `$XDG_DOWNLOAD_DIR` is byte for byte
    /// the attached part of the message as the sandbox holds it (its RFC 822 bytes, parsed here).
    @Test func anAttachmentSavedIsByteIdenticalToTheSandboxs() async throws {
        try await withSandbox { server, workspace in
            let downloads = workspace.folder.appendingPathComponent("downloads")
            let (gmail, token) = try gmail(server)
            let list = try await gmail.messagesList(MessagesListParameters(q: "has:attachment", maxResults: 1), accessToken: token)
            let id = try #require(list.messages?.first?.id)
            let raw = try await gmail.messagesGet(MessagesGetParameters(id: id, format: .raw), accessToken: token)
            let entity = try #require(raw.mimeEntity())
            let first = try #require(MessageRenderer.render(entity).attachments.first)

            let tmux = try TmuxSession(command: workspace.command(workspace.arguments(server) + ["--query", "has:attachment"],
                                                                  environment: ["XDG_DOWNLOAD_DIR": downloads.path]), cols: 100, rows: 30)
            try await tmux.until("the has:attachment list") { $0.contains("has:attachment │ page 1 │ 1-") && !$0.contains("Loading") }
            try tmux.send("Enter")
            // The attachment's own line, which only the loaded message view has (list rows carry a bare 📎 marker).
            try await tmux.until("the message") { $0.contains("📎 " + first.filename) && !$0.contains("Loading") }
            try tmux.send("v")
            try await tmux.until("the attachment list") { $0.contains("Attachments ·") && $0.contains(first.filename) }
            try tmux.send("s")
            try await tmux.until("the file saved") { $0.contains("Saved as " + downloads.path) }
            let files = try FileManager.default.contentsOfDirectory(atPath: downloads.path)
            #expect(files == [first.filename])
            let original = try #require(Self.leaf(named: first.filename, in: entity))
            #expect(try Data(contentsOf: downloads.appendingPathComponent(first.filename)) == original.body)
            #expect(!original.body.isEmpty)
            // Saved again: a numbered name, the first file untouched.
            try tmux.send("s")
            try await tmux.until("the second copy") { _ in (try? FileManager.default.contentsOfDirectory(atPath: downloads.path).count) == 2 }
            try tmux.send("q")
        }
    }

    static func leaf(named name: String, in entity: MIMEEntity) -> MIMEEntity? {
        if entity.parts.isEmpty { return entity.filename == name ? entity : nil }
        for part in entity.parts { if let found = leaf(named: name, in: part) { return found } }
        return nil
    }
}
