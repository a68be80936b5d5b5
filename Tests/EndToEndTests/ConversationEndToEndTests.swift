import Foundation
import Testing
import GmailAPI
import GmailSandbox
import MIME
import TestSupport

/// `t` in the real binary in tmux, against the sandbox's bundled demo mailbox: its threads in order, every
/// sender of a long thread, and the conversation view's `Enter`, `n` and `p`.
@Suite(.serialized) struct ConversationEndToEndTests {
    static let query = "in:inbox"
    static let pageSize = 20

    /// One thread as the sandbox has it: its subject (the first message's) and each message's sender.
    struct Thread: Sendable {
        var id: String
        var subject: String
        var senders: [Sender]
    }

    struct Sender: Sendable {
        var name: String?
        var email: String
    }

    /// The first page of `query` as threads, in the sandbox's order, through the API.
    func threads(_ server: SandboxServer) async throws -> [Thread] {
        let (gmail, token) = try ViewEndToEndTests().gmail(server)
        let listed = try await gmail.threadsList(ThreadsListParameters(q: Self.query, maxResults: Self.pageSize), accessToken: token)
        var out: [Thread] = []
        for ref in listed.threads ?? [] {
            let thread = try await gmail.threadsGet(ThreadsGetParameters(id: ref.id, format: .metadata, metadataHeaders: ["From", "Subject"]),
                                                    accessToken: token)
            let messages = thread.messages ?? []
            let subject = EncodedWords.decode(messages.first?.payload?.header("Subject") ?? "")
            let senders = messages.compactMap { $0.payload?.header("From").flatMap { MailAddressParser.parse($0).first } }
                .map { Sender(name: $0.name, email: $0.email) }
            out.append(Thread(id: ref.id, subject: subject, senders: senders))
        }
        return out
    }

    /// What a row shows of a subject: its first characters (the rest may be cut by the row's width).
    static func start(of subject: String) -> String {
        String(subject.replacingOccurrences(of: "\t", with: " ").prefix(12))
    }

    /// Starts the browser on the message list and switches it to conversations; returns the tmux session and
    /// the settled conversation list.
    func conversations(_ server: SandboxServer, _ workspace: Workspace) async throws -> (TmuxSession, String) {
        let tmux = try TmuxSession(command: workspace.command(workspace.arguments(server)
                                                                  + ["--query", Self.query, "--page-size", "\(Self.pageSize)"]), cols: 120, rows: 40)
        try await tmux.until("the message list") { $0.contains("\(Self.query) │ page 1 │ 1-") && !$0.contains("Loading") }
        try tmux.send("t")
        var previous: String?
        let screen = try await tmux.until("the conversation list", timeout: .seconds(40), forbidden: ["Offline, not stored"]) { s in
            defer { previous = s }
            return s == previous && s.contains("│ conversations │ page 1 │ 1-") && !s.contains("Loading")
        }
        return (tmux, screen)
    }

    @Test func tShowsTheSandboxsThreadsInOrder() async throws {
        try await ViewEndToEndTests().withSandbox { server, workspace in
            let expected = try await threads(server)
            #expect(expected.count > 3)
            let (tmux, screen) = try await conversations(server, workspace)
            let rows = Screen.listRows(screen)
            #expect(rows.count == expected.count, "\(screen)")
            for (row, thread) in zip(rows, expected) {
                #expect(row.contains(Self.start(of: thread.subject)), "\(thread.subject) on\n\(row)")
            }
            // `t` again: the same query as messages.
            try tmux.send("t")
            try await tmux.until("the message list again") { s in
                s.contains("\(Self.query) │ page 1 │ 1-") && !s.contains("conversations") && !s.contains("Loading")
            }
            try tmux.send("q")
        }
    }

    @Test func aThreadOfThreeOrMoreMessagesShowsEverySender() async throws {
        try await ViewEndToEndTests().withSandbox { server, workspace in
            let expected = try await threads(server)
            let long = try #require(expected.first { Set($0.senders.map { $0.email.lowercased() }).count >= 3 },
                                    "the demo mailbox has a conversation among three people and the user")
            let (tmux, screen) = try await conversations(server, workspace)
            let row = try #require(Screen.listRows(screen).first { $0.contains(Self.start(of: long.subject)) })
            for sender in long.senders {
                let word = sender.email == "demo@gmail-tui.example" ? "me" : String(sender.name?.split(separator: " ").first ?? "")
                #expect(row.contains(word), "\(word) among the senders of\n\(row)")
            }
            #expect(row.contains(" \(long.senders.count) "), "the message count on\n\(row)")
            try tmux.send("q")
        }
    }

    /// The one highlighted row with text on it (the cursor message's first row), if exactly one is.
    static func cursorRow(_ tmux: TmuxSession) throws -> String? {
        let flags = Screen.reverseVideoRows(try tmux.styledScreen())
        let lines = Screen.lines(try tmux.screen())
        let hits = (1..<max(1, min(flags.count, lines.count) - 1)).filter { flags[$0] && !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty }
        return hits.count == 1 ? lines[hits[0]] : nil
    }

    /// Whether `row` is the first row of a message from `sender`: a collapsed one names the account's own
    /// messages "me", an expanded one starts with its From line.
    static func isRow(_ row: String, of sender: Sender) -> Bool {
        if sender.email == "demo@gmail-tui.example" { return row.hasPrefix("  me ") || row.hasPrefix("From: \(sender.name ?? "") <") }
        return row.contains(sender.name ?? sender.email)
    }

    @Test func enterOpensAConversationAndNAndPMoveThroughItsMessages() async throws {
        try await ViewEndToEndTests().withSandbox { server, workspace in
            let expected = try await threads(server)
            // A thread whose senders all differ, so that the highlighted row says which message it is.
            guard let index = expected.firstIndex(where: { t in t.senders.count >= 3 && Set(t.senders.map(\.email)).count == t.senders.count }) else {
                Issue.record("the demo mailbox has a conversation of three or more messages")
                return
            }
            let long = expected[index]
            let (tmux, _) = try await conversations(server, workspace)
            for _ in 0..<index { try tmux.send("j") }
            let row = index + 1
            try await ViewEndToEndTests().untilSelected(tmux, "the long conversation's row") { $0 == row }
            try tmux.send("Enter")
            let title = "\(long.senders.count) messages"
            let view = try await tmux.until("the conversation") { s in s.contains(title) && s.contains("From: ") }
            // Every message shows: the read ones on one line each, the others with their headers.
            for sender in long.senders {
                #expect(view.contains(sender.name ?? sender.email), "\(sender) in\n\(view)")
            }
            let senders = long.senders
            // The cursor message's first row is the one highlighted; `p` and `n` move it message by message.
            try await tmux.until("a cursor message") { _ in try Self.cursorRow(tmux) != nil }
            let opened = try Self.cursorRow(tmux) ?? ""
            // It opens on its first unread message (or its last): `p` that many times is its first message.
            let at = senders.firstIndex(where: { Self.isRow(opened, of: $0) }) ?? 0
            #expect(senders.contains(where: { Self.isRow(opened, of: $0) }), "the cursor on one of the messages: \(opened)")
            for _ in 0..<at { try tmux.send("p") }
            let first = senders[0], second = senders[1]
            try await tmux.until("the cursor on the first message") { _ in try Self.cursorRow(tmux).map { Self.isRow($0, of: first) } == true }
            try tmux.send("n")
            try await tmux.until("the cursor on the second message") { _ in try Self.cursorRow(tmux).map { Self.isRow($0, of: second) } == true }
            // Past the last message: the next conversation on the list.
            for _ in 1..<senders.count { try tmux.send("n") }
            if index + 1 < expected.count {
                let next = Self.start(of: expected[index + 1].subject)
                try await tmux.until("the next conversation") { s in
                    Screen.lines(s).first?.contains(next) == true && !s.contains("Loading conversation")
                }
            }
            try tmux.send("q")
            try await tmux.until("back on the list") { $0.contains("│ conversations │ page 1") }
            try tmux.send("q")
        }
    }
}
