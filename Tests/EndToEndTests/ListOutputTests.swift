import Foundation
import Testing
import GmailSandbox

/// `gmail-tui list` on senders and subjects as real mailers write them: a display name that is only
/// an encoded word, pipermail's `user at host (Name)`, and a folded subject holding a TAB and a stray CR.
@Suite struct ListOutputTests {
    static let messages: [String: String] = [
        "koi8.eml": "From: =?koi8-r?B?6dfBziDwxdTSz9c=?=\r\nTo: demo@gmail-tui.example\r\nSubject: =?koi8-r?B?8NLJ18XU?=\r\n"
            + "Date: Tue, 13 Feb 2024 14:31:55 +0700\r\nMessage-ID: <koi8@e2e.example>\r\n\r\nHello.\r\n",
        "pipermail.eml": "From: test at example.com (Test User)\r\nTo: demo@gmail-tui.example\r\nSubject: [Python-Dev]\tRe: folded\r\n here\rnow\r\n"
            + "Date: Mon, 12 Feb 2024 10:00:00 +0000\r\nMessage-ID: <pipermail@e2e.example>\r\n\r\nArchived.\r\n",
    ]

    /// Runs `body` with a sandbox serving `messages`, this workspace authorized against it (a valid access
    /// token on file), and stops the sandbox before returning.
    static func withAuthorizedSandbox(_ workspace: Workspace, _ body: (SandboxServer) async throws -> Void) async throws {
        try FileManager.default.createDirectory(at: workspace.mailbox, withIntermediateDirectories: true)
        for (name, text) in messages { try Data(text.utf8).write(to: workspace.mailbox.appendingPathComponent(name)) }
        let labels = Dictionary(uniqueKeysWithValues: messages.keys.map { ($0, ["INBOX", "UNREAD"]) })
        try JSONSerialization.data(withJSONObject: ["messages": labels]).write(to: workspace.mailbox.appendingPathComponent("labels.json"))
        var options = SandboxOptions()
        options.mailboxDirectory = workspace.mailbox.path
        try await SandboxServer.run(options) { server in
            try workspace.writeClientSecrets(server)
            try workspace.storeMintedAccount(server)
            try await body(server)
        }
    }

    static func list(_ extra: [String], _ workspace: Workspace, _ server: SandboxServer) async throws -> Subprocess.Result {
        let environment = [
            "HOME": workspace.folder.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TMPDIR": workspace.tmp.path,
            "XDG_CONFIG_HOME": workspace.folder.path + "/config", "XDG_DATA_HOME": workspace.folder.path + "/data",
            "XDG_STATE_HOME": workspace.folder.path + "/state", "XDG_CACHE_HOME": workspace.folder.path + "/cache",
        ]
        return try await Subprocess.runDetached(Package.executable("gmail-tui").path, ["list"] + extra + workspace.arguments(server),
                                                environment: environment)
    }

    @Test func sendersAreDecodedAndEachMessageIsOneLine() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        try await Self.withAuthorizedSandbox(workspace) { server in
            let json = try await Self.list(["--json"], workspace, server)
            #expect(json.status == 0, "\(json.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "\(json.stdout)")
            let bySubject = Dictionary(rows.map { (($0["subject"] as? String) ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            // A display name with no address: decoded into fromName; there is no address to give.
            let koi8 = try #require(bySubject["Привет"], "\(bySubject.keys.sorted())")
            #expect(koi8["fromName"] as? String == "Иван Петров")
            #expect(koi8["from"] as? String == "")
            // `--json` keeps the subject's text as written, TAB and CR included.
            let pipermail = try #require(bySubject["[Python-Dev]\tRe: folded here\rnow"], "\(bySubject.keys.sorted())")
            #expect(pipermail["from"] as? String == "test@example.com")
            #expect(pipermail["fromName"] as? String == "Test User")

            // The table: one line per message, the TAB and CR shown as spaces.
            let table = try await Self.list([], workspace, server)
            #expect(table.status == 0, "\(table.stderr)")
            let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == 2, "\(table.stdout.debugDescription)")
            #expect(!table.stdout.contains("\t") && !table.stdout.contains("\r"), "\(table.stdout.debugDescription)")
            #expect(lines.contains { $0.hasSuffix("Иван Петров  Привет") }, "\(table.stdout)")
            // Aligned: the shorter sender is padded to the wider one's columns.
            #expect(lines.contains { $0.hasSuffix("Test User    [Python-Dev] Re: folded here now") }, "\(table.stdout)")
        }
    }
}
