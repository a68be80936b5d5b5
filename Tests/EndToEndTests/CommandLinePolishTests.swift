import Foundation
import Testing

/// What a user meets at the command line before anything works: typos, help, versions, a bad config.toml.
@Suite struct CommandLinePolishTests {
    let cli = CommandLineTests()

    @Test func aMistypedCommandGetsASuggestionAndTheTopLevelUsage() async throws {
        let r = try await cli.run(["lsit"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("unknown command \"lsit\"; did you mean list?"), "\(r.stderr)")
        #expect(r.stderr.contains("Usage: gmail-tui [COMMAND]") && r.stderr.contains("  accounts  "), "\(r.stderr)")
        // A typo is caught before its options are read.
        #expect(try await cli.run(["acounts", "--help"]).stderr.contains("did you mean accounts?"))
    }

    @Test func theTopLevelHelpListsTheDemoTheSharedOptionsTheStatusesAndExamples() async throws {
        let r = try await cli.run(["--help"])
        #expect(r.status == 0)
        for words in ["--demo", "--client-secrets PATH", "--config PATH", "Exit status:", "78  configuration", "Examples:", "man gmail-tui"] {
            #expect(r.stdout.contains(words), "\(words)")
        }
        // Written to fit 80 columns: nothing wraps, so nothing breaks mid-sentence.
        #expect(r.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(r.stdout)")
    }

    @Test func bothCommandsPrintTheSameVersion() async throws {
        let tui = try await cli.run(["--version"])
        let sandbox = try await Subprocess.runDetached(Package.executable("gmail-sandbox").path, ["--version"])
        #expect(tui.status == 0 && sandbox.status == 0)
        #expect(!tui.stdout.isEmpty && tui.stdout == sandbox.stdout)
    }

    @Test func logoutWithNoSuchAccountExits77() async throws {
        let dir = try cli.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await cli.run(["logout", "--credentials", dir.appendingPathComponent("c.json").path, "--log-file", dir.appendingPathComponent("log").path])
        #expect(r.status == 77, "\(r.stderr)")
        #expect(r.stderr.contains("gmail-tui accounts"))
    }

    @Test func aBadConfigFileExits78NamingItsLineAndConfigPrintsAGoodOne() async throws {
        let dir = try cli.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("config.toml")
        try Data("query = \"label:work\"\n[keys]\nquit = \"Q\"\nsearch = \"Q\"\n".utf8).write(to: path)
        let bad = try await cli.run(["config", "--config", path.path])
        #expect(bad.status == 78)
        #expect(bad.stderr.contains("\(path.path):4: Q is bound to both quit (line 3) and search (line 4)"), "\(bad.stderr)")
        try Data("query = \"label:work\"\n[keys]\nquit = \"Q\"\n".utf8).write(to: path)
        let good = try await cli.run(["config"], environment: ["GMAIL_TUI_CONFIG": path.path])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("query = \"label:work\"") && good.stdout.contains("quit = \"Q\"") && good.stdout.contains("page_size = 50"))
        // Every command reads it: the same error from list.
        try Data("page_size = 0\n".utf8).write(to: path)
        #expect(try await cli.run(["list", "--config", path.path]).status == 78)
    }

    @Test func theSandboxHelpDescribesItsControlAPI() async throws {
        let r = try await Subprocess.runDetached(Package.executable("gmail-sandbox").path, ["--help"])
        #expect(r.status == 0)
        for words in ["/_sandbox/", "deliver", "forget-history", "fail?path="] { #expect(r.stdout.contains(words), "\(words)") }
    }
}
