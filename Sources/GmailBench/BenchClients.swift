import Foundation
import Glibc
import CurlTransport
import GoogleOAuth
import MailService
import GmailSandbox
import GmailSandboxClient

/// A fresh client of the sandbox: its own libcurl transport (no cache, no open connection, a full budget)
/// and an account the sandbox minted.
struct BenchClient {
    let account: Credentials
    let mail: MailService

    static func make(_ server: SandboxServer, strategy: FetchStrategy = .default) throws -> BenchClient {
        // Loopback is plain HTTP/1.1, which cannot multiplex: allow a connection per request in flight.
        // Against Gmail (HTTP/2) the same requests share one connection.
        let client = try SandboxClient(sandbox: server.sandbox, rootURL: server.rootURL, transport: CurlTransport(maxConnectionsPerHost: 32))
        let account = try client.mintAccount()
        return BenchClient(account: account, mail: client.mailService(account, fetchStrategy: strategy))
    }
}

/// A folder with client secrets and stored credentials that point `gmail-tui` at a sandbox.
struct TUIEnvironment {
    let folder: URL
    let environment: [String: String]

    static func make(_ server: SandboxServer) throws -> TUIEnvironment {
        let sandboxFolder = try SandboxFolder.make(for: server.sandbox, prefix: "gmail-bench-\(getpid())")
        let folder = sandboxFolder.url
        let client = try SandboxClient(sandbox: server.sandbox, rootURL: server.rootURL, transport: CurlTransport(),
                                       store: FileCredentialStore(path: sandboxFolder.credentials.path))
        _ = try client.mintAccount()
        var env = ["HOME": folder.path, "TERM": "xterm-256color", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin",
                   "GMAIL_TUI_CLIENT_SECRETS": sandboxFolder.clientSecrets.path, "GMAIL_TUI_CREDENTIALS": sandboxFolder.credentials.path,
                   "GMAIL_TUI_API_ROOT": server.rootURL.absoluteString, "GMAIL_TUI_LOG": folder.appendingPathComponent("log").path]
        env["XDG_CONFIG_HOME"] = folder.path
        return TUIEnvironment(folder: folder, environment: env)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
