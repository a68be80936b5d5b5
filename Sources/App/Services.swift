import Foundation
import ArgumentParser
import HTTPCore
import CurlTransport
import GoogleOAuth
import GmailAPI
import MailService
import MailStore

/// Exit statuses from sysexits.h that scripts can rely on.
enum ExitStatus {
    /// EX_CONFIG: the client secrets file is missing or malformed.
    static let config: Int32 = 78
    /// EX_NOPERM: no usable authorization; run `gmail-tui auth`.
    static let noAuthorization: Int32 = 77
    /// EX_TEMPFAIL: the network or Google failed, or another process holds the credential lock; try again.
    static let temporary: Int32 = 75
    /// Printed in every command's help.
    static let help = "Exit status: 0 done; 64 usage (unknown command or option); 75 network, Google or a busy credential lock (try again); "
        + "77 authorization needed or credential file unusable (the message says how to fix it); "
        + "78 configuration (client secrets, config.toml, plain http:// off loopback, OAuth client refused). "
        + "More: man gmail-tui."
}

/// Prints to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}

/// The objects every command needs, built from the configuration.
struct Services: Sendable {
    let config: Configuration
    let secrets: ClientSecrets
    let transport: any HTTPTransport
    let oauth: OAuthClient
    let gmail: GmailClient
    let store: any CredentialStore

    /// Loads the client secrets (exit 78 with the fix when they are unusable) and wires the clients.
    /// Against Gmail, curl multiplexes every request over one HTTP/2 connection; a plain-HTTP/1.1 server (the
    /// sandbox) needs one connection per request in flight, up to the per-user budget of 25.
    static func make(_ config: Configuration, transport: (any HTTPTransport)? = nil) throws -> Services {
        let secrets: ClientSecrets
        do {
            secrets = try ClientSecrets.load(path: config.clientSecretsPath)
        } catch {
            printError(clientSecretsHelp(error))
            throw ExitCode(ExitStatus.config)
        }
        for (what, url) in [("--api-root", config.gmailRoot), ("--api-root", config.userinfoURL)] {
            do { try Loopback.checkSecure(url) } catch {
                printError("gmail-tui: \(what) \(url.absoluteString): \(error)")
                throw ExitCode(ExitStatus.config)
            }
        }
        let transport = try transport ?? CurlTransport(maxConnectionsPerHost: 32, extraCACertificates: extraCACertificates(config),
                                                        silenceTimeout: config.networkSilence)
        return Services(
            config: config, secrets: secrets, transport: transport,
            oauth: OAuthClient(secrets: secrets, transport: transport, userinfoURL: config.userinfoURL),
            gmail: GmailClient(transport: transport, apiRoot: config.gmailRoot),
            store: FileCredentialStore(path: config.credentialsPath))
    }

    /// The certificates of `--ca-file`, or exit 78 naming the file when it cannot be read or holds none.
    static func extraCACertificates(_ config: Configuration) throws -> Data? {
        guard let path = config.caFilePath else { return nil }
        guard let pem = FileManager.default.contents(atPath: path) else {
            printError("gmail-tui: cannot read the CA file \(path) (--ca-file / GMAIL_TUI_CA_FILE)")
            throw ExitCode(ExitStatus.config)
        }
        guard String(decoding: pem, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            printError("gmail-tui: the CA file \(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
            throw ExitCode(ExitStatus.config)
        }
        return pem
    }

    /// The service that fetches pages and messages for an account, owning its tokens, with the
    /// account's local store unless `--no-cache` (or it cannot be opened: then it runs without).
    func mailService(for account: Credentials) -> MailService {
        mailService(for: account, mailStore: config.mailStore(for: account, report: nil))
    }

    func mailService(for account: Credentials, mailStore: MailStore?) -> MailService {
        MailService(oauth: oauth, gmail: gmail, store: store, account: account, mailStore: mailStore)
    }

    /// Whether Google must show its consent screen: no usable refresh token is stored for the account
    /// (none was ever stored, or MailService forgot one that Google refused), so only consent yields a new one.
    func needsConsent(loginHint: String?) -> Bool {
        (try? store.account(email: loginHint))??.refreshToken == nil
    }

    /// Where the browser returns: for `installed` clients a fresh loopback listener on a random port,
    /// for `web` clients the first registered redirect URI (the user pastes what they land on).
    func redirect() throws -> (redirectURI: String, listener: RedirectListener?) {
        switch secrets.kind {
        case .installed:
            let listener = try RedirectListener.start()
            return (listener.redirectURI, listener)
        case .web:
            // ClientSecrets.parse requires a non-empty redirect_uris for web clients.
            return (secrets.redirectURIs.first ?? "", nil)
        }
    }

    /// The stored account to use (`--account`, else the one used last), or exit 77 saying how to authorize.
    func storedAccount() throws -> Credentials {
        let account = try CommandFailure.load { try store.account(email: config.account) }
        guard let account else {
            if let email = config.account {
                printError("gmail-tui: no stored credentials for \(email). Run: gmail-tui auth --account \(email)")
            } else {
                printError("gmail-tui: not authorized yet. Run: gmail-tui auth")
            }
            throw ExitCode(ExitStatus.noAuthorization)
        }
        return account
    }
}

/// What to tell a user whose client secrets file cannot be used: the problem once, then the steps.
func clientSecretsHelp(_ error: ClientSecretsError) -> String {
    let problem = switch error {
    case .missing(let path): "there is no client secrets file at \(path)."
    case .unreadable(let path, let reason): "the client secrets file \(path) cannot be read: \(reason)."
    case .malformed(let path, let reason): "the client secrets file \(path) is not valid: \(reason)."
    case .missingKey(let path, let key): "the client secrets file \(path) has no \"\(key)\"."
    }
    return """
    gmail-tui: \(problem)

    gmail-tui needs an OAuth client ID of type "Desktop app" from Google Cloud:
      1. https://console.cloud.google.com/apis/credentials → Create credentials → OAuth client ID → Desktop app
      2. Download the JSON and save it as the file above (or pass --client-secrets PATH)
      3. Enable the Gmail API for the project, and add yourself as a test user on the consent screen
    Details: man gmail-tui, or the README's "Reading your own Gmail" section.
    To try gmail-tui without a Google account: gmail-tui --demo
    """
}
