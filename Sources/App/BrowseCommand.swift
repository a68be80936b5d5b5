import Foundation
import Glibc
import ArgumentParser
import GoogleOAuth
import MailService
import MailUI
import TerminalUI
import GmailSandbox

/// `gmail-tui` / `gmail-tui browse`: the full-screen browser.
struct Browse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the full-screen browser (the default command).",
        discussion: """
        Keys: j/k move, Enter opens, n/p pages, / searches, r syncs, ? help, q quits.
        It needs a terminal: with standard input not a terminal (a pipe, a file, /dev/null, ssh without -t), \
        an unknown TERM, or a terminal that closes, it says so and exits with status 64.

        """ + ExitStatus.help)

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Browse a built-in sandbox with a sample mailbox: no Google account, no set-up, no network.")
    var demo = false

    @Option(help: "Gmail search query to start with (default: config.toml's query, else is:unread).")
    var query: String?

    @Option(help: "Messages per page, 1 to 500 (default: config.toml's page_size, else 50).")
    var pageSize: Int?

    func validate() throws {
        guard pageSize.map({ (1...500).contains($0) }) ?? true else { throw ValidationError("--page-size must be between 1 and 500") }
    }

    func run() async throws {
        // Without a terminal to read keys from, a full-screen program can only spin or hang: say so first,
        // before any set-up or network, and point at the command that works without one.
        guard isatty(STDIN_FILENO) == 1 else {
            printError("""
                gmail-tui: the browser needs a terminal, and standard input is not one (a pipe, a file or /dev/null). \
                Run it in a terminal (over ssh: ssh -t HOST gmail-tui), or use gmail-tui list to print messages without a screen.
                """)
            throw ExitCode(ExitStatus.noTerminal)
        }
        var config = try Configuration(options)
        var demoSandbox: DemoSandbox?
        if demo {
            let sandbox = try await DemoSandbox.start()
            demoSandbox = sandbox
            config = sandbox.configure(config)
        }
        FileLogHandler.bootstrap(path: config.logPath)
        let services = try Services.make(config)
        var stored: Credentials?
        var notice: String?
        do {
            stored = try services.store.account(email: config.account)
        } catch CredentialStoreError.corrupt(_, let movedTo) {
            // Moved aside, never deleted: authorize again and say where the old file went.
            stored = nil
            notice = "The credential file was unreadable and has been kept as \(movedTo). Authorize again."
        } catch {
            // Refused (others can read it), unreadable or locked: like ssh with a key, stop and say how to fix it.
            throw CommandFailure.report(error)
        }
        if demoSandbox != nil, notice == nil {
            notice = "Demo: press o and the sandbox approves at once (or run curl -sL '<URL>' in another terminal)."
        }
        // The command line wins over config.toml.
        let loop = BrowserLoop(services: services, account: stored, query: query ?? config.settings.query,
                               pageSize: pageSize ?? config.settings.pageSize,
                               demo: demoSandbox != nil, notice: notice)
        let status = await loop.run()
        await demoSandbox?.stop()
        if status != 0 { throw ExitCode(status) }
    }
}

extension ExitStatus {
    /// EX_USAGE: the browser has no usable terminal (standard input is not one, TERM is unknown, or the
    /// terminal closed).
    static let noTerminal: Int32 = 64
}

/// The sandbox behind `--demo`: started in-process, with client secrets and credentials in a temporary folder.
struct DemoSandbox: Sendable {
    let server: SandboxServer
    let folder: SandboxFolder

    static func start() async throws -> DemoSandbox {
        let server = try await SandboxServer.start(SandboxOptions())
        do {
            return DemoSandbox(server: server, folder: try SandboxFolder.make(for: server.sandbox, prefix: "gmail-tui-demo-\(getpid())"))
        } catch {
            await server.stop()
            throw error
        }
    }

    /// The configuration pointed at the sandbox: its API root, its client, a throw-away credential file and
    /// local store (the demo's mailbox never reaches the user's own cache).
    func configure(_ config: Configuration) -> Configuration {
        var c = config
        c.clientSecretsPath = folder.clientSecrets.path
        c.credentialsPath = folder.credentials.path
        c.cacheDirectory = folder.url.appendingPathComponent("cache")
        c.gmailRoot = server.rootURL
        c.userinfoURL = server.rootURL.appendingPathComponent("oauth2/v2/userinfo")
        c.account = nil
        return c
    }

    func stop() async {
        await server.stop()
        folder.remove()
    }
}
