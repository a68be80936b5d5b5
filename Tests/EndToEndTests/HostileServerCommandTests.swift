import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The real `gmail-tui` against servers and files that misbehave: what the user reads, and the exit status.
@Suite(.serialized) struct HostileServerCommandTests {
    static let accessToken = "ya29.e2e-secret-access-token-0123456789"

    /// A folder with client secrets whose token endpoint is `server`, a credential file, and a log.
    struct Setup {
        let dir: URL
        let server: ScriptedHTTPServer?
        var secrets: URL { dir.appendingPathComponent("client_secret.json") }
        var credentials: URL { dir.appendingPathComponent("data/credentials.json") }
        var log: URL { dir.appendingPathComponent("gmail-tui.log") }

        init(server: ScriptedHTTPServer?, accessExpires: String = "2099-01-01T00:00:00Z", credentialsMode: Int = 0o600) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmail-tui-hostile-\(UUID().uuidString.prefix(8))")
            self.server = server
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let token = server.map { $0.baseURL.absoluteString + "token" } ?? "https://oauth2.example.invalid/token"
            let json = #"{"installed":{"client_id":"cid.apps.googleusercontent.com","client_secret":"GOCSPX-e2e-client-secret","#
                + #""auth_uri":"http://127.0.0.1:9/auth","token_uri":"\#(token)","redirect_uris":["http://localhost"]}}"#
            FileManager.default.createFile(atPath: secrets.path, contents: Data(json.utf8), attributes: [.posixPermissions: 0o600])
            let credentials = #"{"version":1,"lastUsed":"u1","accounts":{"u1":{"userID":"u1","email":"me@example.com","#
                + #""refreshToken":"1//e2e-secret-refresh","accessToken":"\#(HostileServerCommandTests.accessToken)","#
                + #""expiresAt":"\#(accessExpires)","scopes":["https://www.googleapis.com/auth/gmail.readonly"],"clientID":"cid"}}}"#
            FileManager.default.createFile(atPath: self.credentials.path, contents: Data(credentials.utf8),
                                           attributes: [.posixPermissions: credentialsMode])
        }

        func arguments(_ extra: [String] = []) -> [String] {
            // The local store too stays in the folder: one left in the runner's home would answer the next run.
            var a = ["--client-secrets", secrets.path, "--credentials", credentials.path, "--log-file", log.path,
                     "--cache-dir", dir.appendingPathComponent("cache").path]
            if let server { a += ["--api-root", server.baseURL.absoluteString] }
            return a + extra
        }

        var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        func remove() { server?.stop(); try? FileManager.default.removeItem(at: dir) }
    }

    func run(_ arguments: [String]) async throws -> Subprocess.Result {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("GMAIL_TUI_") { env[key] = nil }
        return try await Subprocess.runDetached(Package.executable("gmail-tui").path, arguments, environment: env)
    }

    /// Runs the command with a pseudo-terminal on standard input (util-linux's `script`), as the browser
    /// needs one before it looks further; standard error is kept apart in a file.
    func runInTerminal(_ arguments: [String], dir: URL) async throws -> Subprocess.Result {
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let errPath = dir.appendingPathComponent("terminal.err").path
        let line = ([Package.executable("gmail-tui").path] + arguments).map(quoted).joined(separator: " ") + " 2>" + quoted(errPath)
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("GMAIL_TUI_") { env[key] = nil }
        env["TERM"] = "xterm"
        let r = try await Subprocess.runDetached("/usr/bin/script", ["-qec", line, "/dev/null"], environment: env)
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Subprocess.Result(status: r.status, stdout: r.stdout, stderr: stderr)
    }

    /// Every secret the setup holds: none may appear in what the user or the log sees.
    func expectNoSecret(_ texts: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts {
            for secret in ["e2e-secret", "GOCSPX-e2e"] {
                #expect(!text.contains(secret), "\(text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func aGmail400EchoingTheBearerTokenShowsNoToken() async throws {
        let server = try ScriptedHTTPServer { request in
            ScriptedHTTPServer.response(400, "Bad Request", text: "bad: Authorization: \(request.header("Authorization") ?? "")")
        }
        let setup = try Setup(server: server)
        defer { setup.remove() }
        let r = try await run(["list"] + setup.arguments())
        #expect(server.requests.first?.header("Authorization") == "Bearer \(Self.accessToken)")
        #expect(r.status == 75)
        #expect(r.stderr.contains("<redacted>"), "\(r.stderr)")
        expectNoSecret(r.stderr, r.stdout, setup.logText)
    }

    @Test func aNonJSON200IsSaidInPlainWords() async throws {
        let server = try ScriptedHTTPServer { _ in
            ScriptedHTTPServer.response(200, headers: [("Content-Type", "text/html")], text: "<html><body>Captive portal</body></html>")
        }
        let setup = try Setup(server: server)
        defer { setup.remove() }
        let r = try await run(["list"] + setup.arguments())
        #expect(r.status == 75)
        #expect(r.stderr == "gmail-tui: Gmail sent an answer that is not JSON\n", "\(r.stderr)")
        // The details are in the log.
        #expect(setup.logText.contains("not JSON (HTTP 200"), "\(setup.logText)")
    }

    @Test func aGzipBombIsRefusedAsABadAnswer() async throws {
        let bomb = GzipBomb.make(inflatedSize: 100 << 20)
        let server = try ScriptedHTTPServer { _ in
            ScriptedHTTPServer.response(200, headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], body: bomb)
        }
        let setup = try Setup(server: server)
        defer { setup.remove() }
        let r = try await run(["list"] + setup.arguments())
        #expect(r.status == 75)
        #expect(r.stderr == "gmail-tui: Gmail sent an answer too large to read\n", "\(r.stderr)")
        // Not retried: a bomb is not a network failure.
        #expect(server.requests.count == 1)
    }

    @Test func aServerThatNeverAnswersEndsTheCommand() async throws {
        let server = try ScriptedHTTPServer { _ in .silence }
        let setup = try Setup(server: server)
        defer { setup.remove() }
        let r = try await run(["list", "--network-timeout", "1"] + setup.arguments())
        #expect(r.status == 75)
        #expect(r.stderr.contains("did not answer in time"), "\(r.stderr)")
        // Retried as a network failure, a bounded number of times.
        #expect(server.requests.count > 1 && server.requests.count <= 5)
    }

    @Test func aTokenEndpointFailureIsNamedAsTheTokenEndpoint() async throws {
        let server = try ScriptedHTTPServer { request in
            request.target.hasPrefix("/token") ? ScriptedHTTPServer.response(503, "Service Unavailable", text: "down")
                                               : ScriptedHTTPServer.response(200, text: #"{"resultSizeEstimate":0}"#)
        }
        let setup = try Setup(server: server, accessExpires: "2001-01-01T00:00:00Z")
        defer { setup.remove() }
        let r = try await run(["list"] + setup.arguments())
        #expect(r.status == 75)
        #expect(r.stderr.contains("token endpoint"), "\(r.stderr)")
        #expect(!r.stderr.contains("Gmail error"), "\(r.stderr)")
    }

    @Test func invalidClientIsAConfigurationError() async throws {
        let server = try ScriptedHTTPServer { _ in
            ScriptedHTTPServer.response(401, "Unauthorized", headers: [("Content-Type", "application/json")],
                                        text: #"{"error":"invalid_client","error_description":"The OAuth client was not found."}"#)
        }
        let setup = try Setup(server: server, accessExpires: "2001-01-01T00:00:00Z")
        defer { setup.remove() }
        let r = try await run(["list"] + setup.arguments())
        #expect(r.status == 78, "\(r.stderr)")
        #expect(r.stderr.contains("invalid_client"))
        expectNoSecret(r.stderr, setup.logText)
    }

    @Test func plainHTTPOffLoopbackIsAConfigurationError() async throws {
        let setup = try Setup(server: nil)
        defer { setup.remove() }
        let r = try await run(["list", "--api-root", "http://gmail.example.com/"] + setup.arguments())
        #expect(r.status == 78)
        #expect(r.stderr.contains("http://gmail.example.com/"), "\(r.stderr)")
    }

    @Test func everyCommandGivesOneAnswerForACredentialFileOthersCanRead() async throws {
        let setup = try Setup(server: nil, credentialsMode: 0o644)
        defer { setup.remove() }
        var answers: [String] = []
        for command in ["list", "accounts", "logout", "browse"] {
            let r = command == "browse" ? try await runInTerminal([command] + setup.arguments(), dir: setup.dir) : try await run([command] + setup.arguments())
            #expect(r.status == 77, "\(command): \(r.stderr)")
            #expect(r.stderr.contains("chmod 600 \(setup.credentials.path)"), "\(command): \(r.stderr)")
            answers.append(r.stderr)
        }
        #expect(Set(answers).count == 1, "\(answers)")
    }

    @Test func aCredentialPathThatIsAFolderIsNamedAsSuch() async throws {
        let setup = try Setup(server: nil)
        defer { setup.remove() }
        try FileManager.default.removeItem(at: setup.credentials)
        try FileManager.default.createDirectory(at: setup.credentials, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        for command in ["list", "accounts"] {
            let r = try await run([command] + setup.arguments())
            #expect(r.status == 77, "\(command): \(r.stderr)")
            #expect(r.stderr.contains("\(setup.credentials.path) is a folder, not a file"), "\(r.stderr)")
            #expect(!r.stderr.contains("chmod"))
        }
    }

    @Test func clientSecretsThatAreAFolderOrAFIFOAreNamed() async throws {
        let setup = try Setup(server: nil)
        defer { setup.remove() }
        try FileManager.default.removeItem(at: setup.secrets)
        try FileManager.default.createDirectory(at: setup.secrets, withIntermediateDirectories: false)
        let folder = try await run(["list"] + setup.arguments())
        #expect(folder.status == 78)
        #expect(folder.stderr.contains("\(setup.secrets.path) cannot be read: it is a folder, not a file"), "\(folder.stderr)")
        try FileManager.default.removeItem(at: setup.secrets)
        #expect(mkfifo(setup.secrets.path, 0o600) == 0)
        let fifo = try await run(["list"] + setup.arguments())
        #expect(fifo.status == 78)
        #expect(fifo.stderr.contains("it is a FIFO (named pipe), not a file"), "\(fifo.stderr)")
        #expect(!fifo.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func aStoppedProcessHoldingTheLockIsNamedAndTheCommandEnds() async throws {
        let server = try ScriptedHTTPServer { _ in ScriptedHTTPServer.response(200, text: #"{"resultSizeEstimate":0}"#) }
        let setup = try Setup(server: server)
        defer { setup.remove() }
        let holder = try StoppedLockHolder(lockFile: setup.credentials.path + ".lock")
        defer { holder.end() }
        for command in ["list", "accounts"] {
            let r = try await run([command] + setup.arguments())
            #expect(r.status == 75, "\(command): \(r.stderr)")
            #expect(r.stderr.contains(setup.credentials.path + ".lock"), "\(r.stderr)")
            #expect(r.stderr.contains("pid \(holder.pid) (python3, stopped)"), "\(r.stderr)")
        }
        holder.end()
        #expect(try await run(["list"] + setup.arguments()).status == 0)
    }

    @Test func authLeftWaitingEndsAfterTheTimeoutWith77() async throws {
        let setup = try Setup(server: nil)
        defer { setup.remove() }
        let r = try await run(["auth", "--timeout", "1"] + setup.arguments())
        #expect(r.status == 77, "\(r.stderr)")
        #expect(r.stderr.contains("within 1 s"), "\(r.stderr)")
        #expect(r.stdout.contains("http://127.0.0.1:9/auth?"))
    }
}
