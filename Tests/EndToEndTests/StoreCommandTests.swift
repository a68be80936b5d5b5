import Foundation
import Testing
import GmailSandbox

/// `sync`, `list --offline` and `logout` on the local mail store, through the built binary against a
/// sandbox on a loopback port.
@Suite struct StoreCommandTests {
    /// `last` goes after the workspace's own options, so that it wins over them.
    static func run(_ command: String, _ extra: [String], _ workspace: Workspace, _ server: SandboxServer,
                    cacheDir: URL, last: [String] = []) async throws -> Subprocess.Result {
        let environment = [
            "HOME": workspace.folder.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TMPDIR": workspace.tmp.path,
            "XDG_CONFIG_HOME": workspace.folder.path + "/config", "XDG_DATA_HOME": workspace.folder.path + "/data",
            "XDG_STATE_HOME": workspace.folder.path + "/state", "GMAIL_TUI_CACHE_DIR": cacheDir.path,
        ]
        return try await Subprocess.runDetached(Package.executable("gmail-tui").path,
                                                [command] + extra + workspace.arguments(server) + last, environment: environment)
    }

    @Test func twoSyncsAtOnceThenListOfflinePrintsTheStoredMessagesAndLogoutDeletesTheStore() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        let cache = workspace.folder.appendingPathComponent("store-cache")
        try await ListOutputTests.withAuthorizedSandbox(workspace) { server in
            // Nothing stored yet: --offline says so and asks for nothing.
            let before = server.sandbox.requestLog().count
            let empty = try await Self.run("list", ["--offline", "--query", ""], workspace, server, cacheDir: cache)
            #expect(empty.status == 1)
            #expect(empty.stderr.contains("nothing is stored"), "\(empty.stderr)")

            // Two processes syncing one account at once both finish, and leave one store.
            async let first = Self.run("sync", ["--query", ""], workspace, server, cacheDir: cache)
            async let second = Self.run("sync", ["--query", ""], workspace, server, cacheDir: cache)
            let (a, b) = try await (first, second)
            #expect(a.status == 0, "\(a.stderr)")
            #expect(b.status == 0, "\(b.stderr)")
            #expect(a.stderr.contains("Synced page 1 of all mail: 2 messages"), "\(a.stderr)")
            let store = cache.appendingPathComponent("\(Sandbox.defaultUserId).sqlite")
            #expect(FileManager.default.fileExists(atPath: store.path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).allSatisfy { !$0.contains("unreadable") })

            // Offline: the stored messages, and not one request.
            let synced = server.sandbox.requestLog().count
            #expect(synced > before)
            let offline = try await Self.run("list", ["--offline", "--query", ""], workspace, server, cacheDir: cache)
            #expect(offline.status == 0, "\(offline.stderr)")
            #expect(server.sandbox.requestLog().count == synced, "--offline asks Gmail nothing")
            let online = try await Self.run("list", ["--query", ""], workspace, server, cacheDir: cache)
            #expect(online.status == 0, "\(online.stderr)")
            #expect(offline.stdout == online.stdout, "the stored list is the one Gmail gives")
            #expect(offline.stdout.contains("Иван Петров  Привет"), "\(offline.stdout)")
            #expect(offline.stderr.contains("From the local mail store"), "\(offline.stderr)")

            // Gmail unreachable (nothing listens on port 9): the stored list, cut to --max, and said to be stored.
            let unreachable = try await Self.run("list", ["--query", "", "--max", "1", "--network-timeout", "1"], workspace, server,
                                                 cacheDir: cache, last: ["--api-root", "http://127.0.0.1:9/"])
            #expect(unreachable.status == 0, "\(unreachable.stderr)")
            #expect(unreachable.stdout.split(separator: "\n").count == 1, "\(unreachable.stdout)")
            #expect(online.stdout.hasPrefix(unreachable.stdout))
            #expect(unreachable.stderr.contains("Gmail cannot be reached; from the local mail store"), "\(unreachable.stderr)")

            // --no-cache: nothing written, and --offline refuses.
            let other = workspace.folder.appendingPathComponent("no-cache")
            let uncached = try await Self.run("list", ["--no-cache", "--query", ""], workspace, server, cacheDir: other)
            #expect(uncached.status == 0, "\(uncached.stderr)")
            #expect(!FileManager.default.fileExists(atPath: other.path), "nothing of the mailbox on disk")

            let logout = try await Self.run("logout", [], workspace, server, cacheDir: cache)
            #expect(logout.status == 0, "\(logout.stderr)")
            #expect(!FileManager.default.fileExists(atPath: store.path))
            #expect(!FileManager.default.fileExists(atPath: store.path + "-wal"))
        }
    }
}
