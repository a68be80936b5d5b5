import Foundation
import HTTPCore
import GoogleOAuth
import GmailAPI
import MailService
import GmailSandbox

/// The real client (OAuth, the Gmail client, MailService) pointed at a sandbox over a given transport.
///
/// One set-up for everything that drives the client against the sandbox without the app's configuration:
/// the bench, and TestSupport's `withSandboxClient` (in process or over libcurl).
public struct SandboxClient: Sendable {
    public let sandbox: Sandbox
    /// Where the sandbox answers: a server's root, or an in-process transport's.
    public let rootURL: URL
    public let transport: any HTTPTransport
    public let secrets: ClientSecrets
    public let oauth: OAuthClient
    public let gmail: GmailClient
    public let store: any CredentialStore

    /// `gmailTransport` carries the Gmail calls alone when set (a gate that counts them, say); OAuth
    /// always goes through `transport`.
    public init(sandbox: Sandbox, rootURL: URL, transport: any HTTPTransport, gmailTransport: (any HTTPTransport)? = nil,
                store: any CredentialStore = InMemoryCredentialStore(), kind: String = "installed",
                oauthRetryPolicy: RetryPolicy = .tokenEndpoint) throws {
        let secrets = try ClientSecrets.parse(sandbox.clientSecretsJSON(kind: kind), path: "sandbox")
        self.sandbox = sandbox
        self.rootURL = rootURL
        self.transport = transport
        self.secrets = secrets
        self.oauth = OAuthClient(secrets: secrets, transport: transport,
                                 userinfoURL: rootURL.appendingPathComponent("oauth2/v2/userinfo"), retryPolicy: oauthRetryPolicy)
        self.gmail = GmailClient(transport: gmailTransport ?? transport, apiRoot: rootURL)
        self.store = store
    }

    /// The default user's credentials with tokens the sandbox minted, as if they had just authorized,
    /// saved in the store: the consent page and the code exchange skipped.
    public func mintAccount(scopes: [String] = [SandboxScope.readonly], lifetime: TimeInterval = 3000) throws -> Credentials {
        let refresh = sandbox.issueRefreshToken(scopes: scopes, clientId: secrets.clientID)
        let token = sandbox.issueAccessToken(scopes: scopes, clientId: secrets.clientID)
        let account = Credentials(userID: Sandbox.defaultUserId, email: Sandbox.defaultUserEmail, refreshToken: refresh,
                                  accessToken: token, expiresAt: Date().addingTimeInterval(lifetime),
                                  scopes: scopes, clientID: secrets.clientID)
        try store.save(account)
        return account
    }

    /// A MailService for `account`, over this client's OAuth, Gmail client and store.
    public func mailService(_ account: Credentials, retryPolicy: RetryPolicy = .default,
                            fetchStrategy: FetchStrategy = .default) -> MailService {
        MailService(oauth: oauth, gmail: gmail, store: store, account: account, retryPolicy: retryPolicy, fetchStrategy: fetchStrategy)
    }
}
