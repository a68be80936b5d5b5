import ArgumentParser
import Foundation
import GmailSandbox
import ProductVersion

/// `gmail-sandbox`: runs the local Google emulator on 127.0.0.1 until SIGINT or SIGTERM.
@main
struct GmailSandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gmail-sandbox",
        abstract: "A local emulator of Google's OAuth and Gmail endpoints, on 127.0.0.1.",
        discussion: SandboxHelp.discussion,
        version: ProductVersion.current)

    @Option(help: "TCP port (0 picks a free one and prints it).")
    var port: Int = 0

    @Option(help: "A folder of RFC 822 files (default: the bundled demo mailbox).")
    var mailbox: String?

    @Option(help: "Labels sidecar JSON (default: labels.json in the mailbox folder).")
    var labels: String?

    @Option(name: .customLong("latency-ms"), help: "Latency added to every request, in milliseconds.")
    var latencyMs: Int = 0

    @Option(name: .customLong("token-lifetime"), help: "Access token lifetime in seconds.")
    var tokenLifetime: Int = 3599

    @Option(name: .customLong("max-concurrent"), help: "Per-user concurrent request limit.")
    var maxConcurrent: Int = 25

    @Option(name: .customLong("quota-per-minute"), help: "Per-user quota units per minute.")
    var quotaPerMinute: Int = 15000

    @Option(name: .customLong("client-secrets-out"), help: "Write a client secrets file pointing at this sandbox (mode 0600).")
    var clientSecretsOut: String?

    @Option(name: .customLong("client-kind"), help: "Kind of client secrets to write: installed or web.")
    var clientKind: String = "installed"

    @Flag(help: "Serve HTTPS with HTTP/2 (HTTP/1.1 as fallback) on a certificate from a throwaway CA made at start.")
    var tls = false

    @Option(name: .customLong("ca-out"), help: ArgumentHelp(
        "With --tls, write the CA certificate (PEM) here for clients' --ca-file (default: gmail-sandbox-ca.pem beside --client-secrets-out).",
        valueName: "file"))
    var caOut: String?

    func validate() throws {
        guard clientKind == "installed" || clientKind == "web" else { throw ValidationError("--client-kind must be installed or web") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard latencyMs >= 0, tokenLifetime > 0, maxConcurrent > 0, quotaPerMinute > 0 else { throw ValidationError("limits must be positive") }
        guard caOut == nil || tls else { throw ValidationError("--ca-out needs --tls") }
    }

    func run() async throws {
        var options = SandboxOptions()
        options.port = port
        options.mailboxDirectory = mailbox
        options.labelsFile = labels
        options.latency = .milliseconds(latencyMs)
        options.tokenLifetime = .seconds(tokenLifetime)
        options.maxConcurrentPerUser = maxConcurrent
        options.quotaUnitsPerMinute = quotaPerMinute
        options.tls = tls
        let server = try await SandboxServer.start(options)
        if let clientSecretsOut {
            try writePrivately(server.clientSecretsJSON(kind: clientKind), to: clientSecretsOut)
        }
        let caPath = caOut ?? clientSecretsOut.map { (($0 as NSString).deletingLastPathComponent as NSString).appendingPathComponent("gmail-sandbox-ca.pem") }
        if let pem = server.certificates?.authorityPEM, let caPath {
            try writePrivately(Data(pem.utf8), to: caPath)
        }
        let root = server.rootURL.absoluteString
        // Written unbuffered, so that a script reading the first line sees it at once.
        say("gmail-sandbox listening on \(root)")
        say("\(server.sandbox.messageCount) messages loaded in \(server.sandbox.loadTime)")
        if tls {
            say(caPath.map { "CA certificate written to \($0): clients trust it with --ca-file \($0)" }
                ?? "CA certificate not written (--ca-out FILE): clients cannot verify this server")
        }
        let trust = tls ? " --ca-file \(caPath ?? "CA.pem")" : ""
        // A credential file of its own, in a private folder (gmail-tui refuses one in a folder others can
        // write, such as /tmp itself) that goes when the sandbox stops: pasting these lines never touches
        // the user's real credentials, and the sandbox's tokens mean nothing once it is gone.
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("gmail-sandbox-\(getpid())")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let credentials = (folder as NSString).appendingPathComponent("credentials.json")
        let flags = "--client-secrets \(clientSecretsOut ?? "FILE") --credentials \(credentials) --api-root \(root)\(trust)"
        // That credential file starts empty: authorizing comes first (a bare `list` would only say so).
        say("try: gmail-tui auth \(flags)")
        say("     then open the URL it prints (or curl -sL it: the sandbox approves at once), and run gmail-tui list (or gmail-tui) with the same options")
        await waitForTermination()
        await server.stop()
    }

    func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// A file only its owner can read: created 0600 before anything is written.
    func writePrivately(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else { throw ValidationError("cannot write \(path)") }
    }

    /// Suspends until SIGINT or SIGTERM.
    func waitForTermination() async {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let sources = [SIGINT, SIGTERM].map { sig in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { continuation.yield() }
            source.resume()
            return source
        }
        for await _ in stream { break }
        sources.forEach { $0.cancel() }
    }
}
