import Foundation
import ArgumentParser
import GoogleOAuth
import MailService
import MailStore
import ProductVersion

@main
struct GmailTUI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gmail-tui",
        abstract: "Read your Gmail in a terminal.",
        discussion: CommandLineHelp.discussion,
        version: ProductVersion.current,
        subcommands: [Browse.self, Auth.self, List.self, SyncCommand.self, Accounts.self, Logout.self, ShowConfig.self],
        defaultSubcommand: Browse.self)

    static func main() async {
        CommandLineHelp.checkCommand(Array(CommandLine.arguments.dropFirst()),
                                     commands: configuration.subcommands.map { $0._commandName } + ["help"])
        await main(nil)
    }
}

/// `gmail-tui auth`: authorize in a plain terminal.
struct Auth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Authorize an account in a plain terminal: prints the URL, reads the code or redirect URL from standard input.",
        discussion: ExitStatus.help)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Give up (exit status 77) when neither the browser nor a pasted code answers within this many seconds.")
    var timeout = 600

    @Flag(help: "Also ask for permission to change mail (gmail.modify: archive, trash, star, labels, read state), which the browser otherwise asks for when first needed.")
    var modify = false

    func validate() throws {
        guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 second") }
    }

    func run() async throws {
        let config = try Configuration(options)
        FileLogHandler.bootstrap(path: config.logPath)
        let services = try Services.make(config)
        do {
            var flow = TerminalAuthorization(services: services)
            flow.timeout = .seconds(timeout)
            flow.askForModify = modify
            let credentials = try await flow.run(loginHint: config.account)
            print("Authorized \(credentials.email) (\(Accounts.permissions(credentials))). Credentials saved in \(config.credentialsPath).")
        } catch let error as ExitCode {
            throw error
        } catch OAuthError.listenerTimedOut {
            printError("gmail-tui: authorization failed: nothing came back from the browser and no code was pasted within \(timeout) s; run gmail-tui auth again (or raise --timeout).")
            throw ExitCode(ExitStatus.noAuthorization)
        } catch {
            printError("gmail-tui: authorization failed: \(ErrorWords.sentence(for: error))")
            throw ExitCode(CommandFailure.status(for: error))
        }
    }
}

/// `gmail-tui accounts`: lists stored accounts.
struct Accounts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the accounts whose credentials are stored.", discussion: ExitStatus.help)

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try Configuration(options)
        let store = FileCredentialStore(path: config.credentialsPath)
        let (accounts, lastUsed) = try CommandFailure.load { try store.load() }
        if accounts.isEmpty {
            print("No stored accounts. Run: gmail-tui auth")
            return
        }
        for account in accounts.sorted(by: { $0.email < $1.email }) {
            let marker = account.userID == lastUsed ? "*" : " "
            let refresh = account.refreshToken == nil ? "no refresh token: run gmail-tui auth" : "authorized"
            print("\(marker) \(account.email)  (user \(account.userID), \(refresh); may \(Self.permissions(account)))")
        }
    }

    /// What the account's grant lets gmail-tui do, in words.
    static func permissions(_ account: Credentials) -> String {
        ModifyScope.isGranted(in: account.scopes) ? "read and modify" : "read only; gmail-tui auth --modify adds changing mail"
    }
}

/// `gmail-tui logout`: forgets an account, optionally revoking its grant at Google first.
struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Forget an account's credentials, optionally revoking them at Google first.",
                                                    discussion: ExitStatus.help)

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Revoke the grant at Google before forgetting it.")
    var revoke = false

    func run() async throws {
        let config = try Configuration(options)
        FileLogHandler.bootstrap(path: config.logPath)
        let store = FileCredentialStore(path: config.credentialsPath)
        guard let account = try CommandFailure.load({ try store.account(email: config.account) }) else {
            printError("gmail-tui: no stored account\(config.account.map { " for \($0)" } ?? ""); nothing to forget (gmail-tui accounts lists them).")
            throw ExitCode(ExitStatus.noAuthorization)
        }
        if revoke, let token = account.refreshToken ?? account.accessToken {
            let services = try Services.make(config)
            do {
                try await services.oauth.revoke(token: token)
                print("Revoked the grant of \(account.email) at Google.")
            } catch {
                printError("gmail-tui: could not revoke at Google (\(ErrorWords.sentence(for: error))); the credentials are kept. Try again, or run without --revoke.")
                throw ExitCode(CommandFailure.status(for: error))
            }
        }
        try CommandFailure.load { try store.remove(userID: account.userID) }
        do {
            try MailStore.delete(cacheDirectory: config.cacheDirectory, userID: account.userID)
        } catch {
            printError("gmail-tui: the credentials are forgotten, but the local mail store could not be deleted: \(error)")
            throw ExitCode.failure
        }
        print("Forgot \(account.email) and deleted its local mail store.")
    }
}
