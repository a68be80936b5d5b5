import Foundation
import ArgumentParser
import GoogleOAuth
import MailService

@main
struct GmailTUI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gmail-tui",
        abstract: "Read your Gmail in a terminal.",
        discussion: """
        With no command, opens the full-screen browser. Try it without a Google account: gmail-tui --demo
        Files: client secrets in $XDG_CONFIG_HOME/gmail-tui/client_secret.json, credentials in
        $XDG_DATA_HOME/gmail-tui/credentials.json, log in $XDG_STATE_HOME/gmail-tui/gmail-tui.log.
        """,
        subcommands: [Browse.self, Auth.self, List.self, Accounts.self, Logout.self],
        defaultSubcommand: Browse.self)
}

/// `gmail-tui auth`: authorize in a plain terminal.
struct Auth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Authorize an account in a plain terminal: prints the URL, reads the code or redirect URL from standard input.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try Configuration(options)
        FileLogHandler.bootstrap(path: config.logPath)
        let services = try Services.make(config)
        do {
            let credentials = try await TerminalAuthorization(services: services).run(loginHint: config.account)
            print("Authorized \(credentials.email). Credentials saved in \(config.credentialsPath).")
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("gmail-tui: authorization failed: \(TerminalAuthorization.explain(error))")
            throw ExitCode.failure
        }
    }
}

/// `gmail-tui accounts`: lists stored accounts.
struct Accounts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the accounts whose credentials are stored.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try Configuration(options)
        let store = FileCredentialStore(path: config.credentialsPath)
        let (accounts, lastUsed) = try store.load()
        if accounts.isEmpty {
            print("No stored accounts. Run: gmail-tui auth")
            return
        }
        for account in accounts.sorted(by: { $0.email < $1.email }) {
            let marker = account.userID == lastUsed ? "*" : " "
            let refresh = account.refreshToken == nil ? "no refresh token: run gmail-tui auth" : "authorized"
            print("\(marker) \(account.email)  (user \(account.userID), \(refresh))")
        }
    }
}

/// `gmail-tui logout`: forgets an account, optionally revoking its grant at Google first.
struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Forget an account's credentials, optionally revoking them at Google first.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Revoke the grant at Google before forgetting it.")
    var revoke = false

    func run() async throws {
        let config = try Configuration(options)
        FileLogHandler.bootstrap(path: config.logPath)
        let store = FileCredentialStore(path: config.credentialsPath)
        guard let account = try store.account(email: config.account) else {
            printError("gmail-tui: no stored account\(config.account.map { " for \($0)" } ?? "").")
            throw ExitCode.failure
        }
        if revoke, let token = account.refreshToken ?? account.accessToken {
            let services = try Services.make(config)
            do {
                try await services.oauth.revoke(token: token)
                print("Revoked the grant of \(account.email) at Google.")
            } catch {
                printError("gmail-tui: could not revoke at Google (\(error)); the credentials are kept. Try again, or run without --revoke.")
                throw ExitCode(ExitStatus.temporary)
            }
        }
        try store.remove(userID: account.userID)
        print("Forgot \(account.email).")
    }
}
