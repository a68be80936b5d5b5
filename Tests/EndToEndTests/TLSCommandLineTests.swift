import Foundation
import Testing
import GmailSandbox
import TestSupport

/// `gmail-tui list` and the system's curl against the sandbox serving HTTPS (`--tls`).
@Suite(.serialized) struct TLSCommandLineTests {
    /// A TLS sandbox serving the test mailbox, a workspace with client secrets, stored credentials holding a
    /// token the sandbox minted, and the sandbox's CA in `ca.pem`.
    func withTLSSandbox(_ body: (SandboxServer, Workspace, URL) async throws -> Void) async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        try TestMailbox.write(to: workspace.mailbox)
        var options = SandboxOptions()
        options.mailboxDirectory = workspace.mailbox.path
        options.tls = true
        try await SandboxServer.run(options) { server in
            try workspace.writeClientSecrets(server)
            try workspace.storeMintedAccount(server)
            let ca = workspace.folder.appendingPathComponent("ca.pem")
            try Data(try #require(server.certificates).authorityPEM.utf8).write(to: ca)
            try await body(server, workspace, ca)
        }
    }

    func list(_ workspace: Workspace, _ server: SandboxServer, _ extra: [String] = [], environment: [String: String] = [:]) async throws -> Subprocess.Result {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("GMAIL_TUI_") { env[key] = nil }
        // The local store stays in the workspace, not in the runner's home.
        env["GMAIL_TUI_CACHE_DIR"] = workspace.folder.appendingPathComponent("cache").path
        env.merge(environment) { $1 }
        return try await Subprocess.runDetached(Package.executable("gmail-tui").path,
                                                ["list", "--max", "50"] + workspace.arguments(server) + extra, environment: env)
    }

    @Test(arguments: ["auth", "list", "accounts", "logout", "browse"])
    func everyCommandTakesACAFile(command: String) async throws {
        let r = try await Subprocess.runDetached(Package.executable("gmail-tui").path, [command, "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("--ca-file"))
        #expect(r.stdout.contains("GMAIL_TUI_CA_FILE"))
    }

    @Test func withoutTheCAListExits75SayingTheCertificateOfTheHostWasNotTrusted() async throws {
        try await withTLSSandbox { server, workspace, _ in
            #expect(server.rootURL.scheme == "https")
            let r = try await list(workspace, server)
            #expect(r.status == 75, "stderr: \(r.stderr)")
            #expect(r.stderr.contains("not trusted"), "stderr: \(r.stderr)")
            #expect(r.stderr.contains("127.0.0.1"), "stderr: \(r.stderr)")
            #expect(r.stdout.isEmpty)
            // Refused during the handshake: no request reached the sandbox, and the token never left the client.
            #expect(server.sandbox.requestLog().isEmpty)
        }
    }

    @Test func withCAFileListPrintsThePageOverOneHTTP2Connection() async throws {
        try await withTLSSandbox { server, workspace, ca in
            let r = try await list(workspace, server, ["--ca-file", ca.path])
            #expect(r.status == 0, "stderr: \(r.stderr)")
            #expect(r.stdout.split(separator: "\n").count == 50)
            #expect(r.stdout.contains(TestMailbox.subject(1)))
            let log = server.sandbox.requestLog()
            #expect(log.count == 51, "one list, fifty metadata GETs")
            #expect(log.allSatisfy { $0.connection?.protocolName == "h2" }, "\(log.map { $0.connection?.protocolName ?? "-" })")
            #expect(Set(log.compactMap { $0.connection?.id }).count == 1, "one connection")
        }
    }

    @Test func theCAFileCanComeFromTheEnvironment() async throws {
        try await withTLSSandbox { server, workspace, ca in
            let r = try await list(workspace, server, ["--query", "subject:otter"], environment: ["GMAIL_TUI_CA_FILE": ca.path])
            #expect(r.status == 0, "stderr: \(r.stderr)")
            #expect(r.stdout.split(separator: "\n").count == TestMailbox.otters.count)
        }
    }

    @Test func aCAFileWithNoCertificateExits78NamingIt() async throws {
        try await withTLSSandbox { server, workspace, _ in
            let bogus = workspace.folder.appendingPathComponent("not-a-ca.pem")
            try Data("hello\n".utf8).write(to: bogus)
            let r = try await list(workspace, server, ["--ca-file", bogus.path])
            #expect(r.status == 78)
            #expect(r.stderr.contains(bogus.path))
            #expect(server.sandbox.requestLog().isEmpty)
        }
    }

    /// An independent client (the system's curl) negotiates h2 by ALPN, and HTTP/1.1 when it offers only that.
    @Test func curlGetsHTTP2ByALPNAndHTTP11AsFallback() async throws {
        try await withTLSSandbox { server, _, ca in
            let url = server.rootURL.absoluteString + "gmail/v1/users/me/profile"
            for (flag, expected) in [("--http2", "h2"), ("--http1.1", "http/1.1")] {
                let before = server.sandbox.requestLog().count
                let r = try await Subprocess.runDetached("/usr/bin/curl", ["-s", "--max-time", "20", flag, "--cacert", ca.path,
                                                                           "-o", "/dev/null", "-w", "%{http_version} %{http_code}", url])
                // No token: Google's 401, over whichever protocol was negotiated.
                #expect(r.stdout == (expected == "h2" ? "2 401" : "1.1 401"), "curl \(flag): \(r.stdout) \(r.stderr)")
                let entry = server.sandbox.requestLog().dropFirst(before).first
                #expect(entry?.connection?.protocolName == expected)
                #expect(entry?.connection?.tls == true)
            }
            // And without the CA, curl refuses the certificate as the client does (60: peer failed verification).
            let refused = try await Subprocess.runDetached("/usr/bin/curl", ["-s", "--max-time", "20", "-o", "/dev/null", url])
            #expect(refused.status == 60)
        }
    }
}
