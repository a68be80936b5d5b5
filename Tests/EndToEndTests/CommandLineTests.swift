import Foundation
import Testing

/// The real `gmail-tui` binary, run as a user would from a shell.
@Suite struct CommandLineTests {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("GMAIL_TUI_") { env[key] = nil }
        env.merge(environment) { $1 }
        let r = try await Subprocess.runDetached(Package.executable("gmail-tui").path, arguments, environment: env)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmail-tui-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func missingClientSecretsExits78NamingTheFile() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("nope.json").path
        let r = try await run(["list", "--client-secrets", path, "--credentials", dir.appendingPathComponent("c.json").path,
                         "--log-file", dir.appendingPathComponent("log").path])
        #expect(r.status == 78)
        #expect(r.stderr.contains(path))
        #expect(r.stderr.contains("--demo"))
    }

    @Test func malformedClientSecretsExits78NamingTheKey() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("client_secret.json")
        try Data(#"{"installed":{"client_id":"x.apps.googleusercontent.com","auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":"https://oauth2.googleapis.com/token"}}"#.utf8).write(to: path)
        let r = try await run(["auth", "--client-secrets", path.path, "--credentials", dir.appendingPathComponent("c.json").path,
                         "--log-file", dir.appendingPathComponent("log").path])
        #expect(r.status == 78)
        #expect(r.stderr.contains(path.path))
        #expect(r.stderr.contains("client_secret"))
    }

    @Test func environmentVariableNamesTheClientSecrets() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("from-env.json").path
        let r = try await run(["list"], environment: ["GMAIL_TUI_CLIENT_SECRETS": path, "GMAIL_TUI_CREDENTIALS": dir.appendingPathComponent("c.json").path,
                                                 "GMAIL_TUI_LOG": dir.appendingPathComponent("log").path])
        #expect(r.status == 78)
        #expect(r.stderr.contains(path))
    }

    @Test(arguments: ["auth", "list", "accounts", "logout", "browse"])
    func everyCommandHasHelp(command: String) async throws {
        let r = try await run([command, "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("--client-secrets"))
        #expect(r.stdout.contains("--api-root"))
    }

    @Test func accountsWithNoStoreSaysHowToAuthorize() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try await run(["accounts", "--credentials", dir.appendingPathComponent("c.json").path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("gmail-tui auth"))
    }
}
