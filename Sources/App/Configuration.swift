import Foundation
import ArgumentParser

/// Options every command takes, with their environment variables and XDG defaults (design.md).
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Google OAuth client secrets JSON (env GMAIL_TUI_CLIENT_SECRETS).", valueName: "path"))
    var clientSecrets: String?

    @Option(help: ArgumentHelp("Credential store (env GMAIL_TUI_CREDENTIALS).", valueName: "path"))
    var credentials: String?

    @Option(help: ArgumentHelp("Root for every Google API call, e.g. a sandbox's http://127.0.0.1:PORT/ (env GMAIL_TUI_API_ROOT).", valueName: "url"))
    var apiRoot: String?

    @Option(help: ArgumentHelp("The account to use (env GMAIL_TUI_ACCOUNT); default: the one used last.", valueName: "email"))
    var account: String?

    @Option(help: ArgumentHelp("Log file (env GMAIL_TUI_LOG).", valueName: "path"))
    var logFile: String?

    @Option(help: ArgumentHelp("Extra CA certificates (PEM) to trust besides the system's, e.g. a TLS sandbox's (env GMAIL_TUI_CA_FILE).", valueName: "path"))
    var caFile: String?
    @Option(help: ArgumentHelp("Seconds a request may go without a byte from Google before it is retried (env GMAIL_TUI_NETWORK_TIMEOUT; default 30).", valueName: "seconds"))
    var networkTimeout: Int?

    @Option(help: ArgumentHelp("Folder of the local mail stores, one per account (env GMAIL_TUI_CACHE_DIR).", valueName: "dir"))
    var cacheDir: String?

    @Flag(help: "Write nothing of the mailbox to disk: no local store (env GMAIL_TUI_NO_CACHE=1).")
    var noCache = false
    @Option(help: ArgumentHelp("Configuration file (env GMAIL_TUI_CONFIG; default $XDG_CONFIG_HOME/gmail-tui/config.toml).", valueName: "path"))
    var config: String?
}

/// Where things live, resolved once from options, environment and XDG variables.
struct Configuration: Sendable {
    var clientSecretsPath: String
    var credentialsPath: String
    var logPath: String
    var account: String?
    /// PEM certificates of CAs trusted besides the system's; nil trusts the system's alone.
    var caFilePath: String?
    /// Gmail's root: `.../gmail/v1/users/...` and `.../batch/gmail/v1` go below it.
    var gmailRoot: URL
    var userinfoURL: URL
    /// How long a request may receive nothing before it counts as a network failure.
    var networkSilence: Duration = .seconds(30)
    /// Where the accounts' local stores are (`<dir>/<user id>.sqlite`); `logout` deletes there even with `noCache`.
    var cacheDirectory: URL
    /// No local store is opened or written.
    var noCache: Bool
    /// What config.toml sets (ConfigFile.swift), and where it was looked for.
    var settings = Settings()
    var configPath = ""
    var configFound = false
    /// The query field's history across runs.
    var queryHistoryPath = ""

    static let defaultGmailRoot = URL(string: "https://gmail.googleapis.com/")!
    static let defaultUserinfo = URL(string: "https://www.googleapis.com/oauth2/v2/userinfo")!

    init(_ options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let home = environment["HOME"] ?? NSHomeDirectory()
        func xdg(_ name: String, _ fallback: String) -> String {
            if let v = environment[name], v.hasPrefix("/") { return v }
            return (home as NSString).appendingPathComponent(fallback)
        }
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        clientSecretsPath = nonEmpty(options.clientSecrets) ?? nonEmpty(environment["GMAIL_TUI_CLIENT_SECRETS"])
            ?? (xdg("XDG_CONFIG_HOME", ".config") as NSString).appendingPathComponent("gmail-tui/client_secret.json")
        credentialsPath = nonEmpty(options.credentials) ?? nonEmpty(environment["GMAIL_TUI_CREDENTIALS"])
            ?? (xdg("XDG_DATA_HOME", ".local/share") as NSString).appendingPathComponent("gmail-tui/credentials.json")
        logPath = nonEmpty(options.logFile) ?? nonEmpty(environment["GMAIL_TUI_LOG"])
            ?? (xdg("XDG_STATE_HOME", ".local/state") as NSString).appendingPathComponent("gmail-tui/gmail-tui.log")
        queryHistoryPath = (xdg("XDG_STATE_HOME", ".local/state") as NSString).appendingPathComponent("gmail-tui/query_history")
        (settings, configPath, configFound) = try Settings.load(explicitPath: options.config, environment: environment)
        account = nonEmpty(options.account) ?? nonEmpty(environment["GMAIL_TUI_ACCOUNT"])
        caFilePath = nonEmpty(options.caFile) ?? nonEmpty(environment["GMAIL_TUI_CA_FILE"])
        cacheDirectory = URL(fileURLWithPath: nonEmpty(options.cacheDir) ?? nonEmpty(environment["GMAIL_TUI_CACHE_DIR"])
            ?? (xdg("XDG_CACHE_HOME", ".cache") as NSString).appendingPathComponent("gmail-tui"))
        noCache = options.noCache || environment["GMAIL_TUI_NO_CACHE"] == "1"
        if let seconds = options.networkTimeout ?? nonEmpty(environment["GMAIL_TUI_NETWORK_TIMEOUT"]).flatMap({ Int($0) }) {
            guard (1...3600).contains(seconds) else { throw ValidationError("--network-timeout must be between 1 and 3600 seconds") }
            networkSilence = .seconds(seconds)
        }
        if let raw = nonEmpty(options.apiRoot) ?? nonEmpty(environment["GMAIL_TUI_API_ROOT"]) {
            guard var root = URL(string: raw), root.scheme != nil, root.host != nil else {
                throw ValidationError("--api-root must be an absolute URL such as http://127.0.0.1:8080/ (got \(raw))")
            }
            if !root.absoluteString.hasSuffix("/") { root = URL(string: root.absoluteString + "/")! }
            gmailRoot = root
            userinfoURL = root.appendingPathComponent("oauth2/v2/userinfo")
        } else {
            gmailRoot = Self.defaultGmailRoot
            userinfoURL = Self.defaultUserinfo
        }
    }
}
