import Foundation
import HTTPCore

// PUBLIC INTERFACE (fixed; MailService and App build on it). Bodies are
// placeholders until the GoogleOAuth work lands; that work may split this file
// and add to it, but keeps these names and signatures.

/// The scopes gmail-tui asks for.
public enum OAuthScopes {
    public static let gmailReadonly = "https://www.googleapis.com/auth/gmail.readonly"
    public static let userinfoEmail = "https://www.googleapis.com/auth/userinfo.email"
    public static let userinfoProfile = "https://www.googleapis.com/auth/userinfo.profile"
    public static let all = [gmailReadonly, userinfoEmail, userinfoProfile]
}

/// The client secrets file Google's console downloads (`installed` or `web`).
public struct ClientSecrets: Sendable, Equatable {
    public enum Kind: String, Sendable { case installed, web }
    public var kind: Kind
    public var clientID: String
    public var clientSecret: String
    public var authURI: URL
    public var tokenURI: URL
    public var revokeURI: URL?
    public var redirectURIs: [String]

    public init(kind: Kind, clientID: String, clientSecret: String, authURI: URL, tokenURI: URL, revokeURI: URL? = nil, redirectURIs: [String]) {
        self.kind = kind; self.clientID = clientID; self.clientSecret = clientSecret
        self.authURI = authURI; self.tokenURI = tokenURI; self.revokeURI = revokeURI; self.redirectURIs = redirectURIs
    }

    /// `revoke_uri` if the file has one, else `token_uri` with its last path segment replaced by `revoke`.
    public var revocationEndpoint: URL {
        revokeURI ?? tokenURI.deletingLastPathComponent().appendingPathComponent("revoke")
    }

    /// Reads and validates a client secrets file.
    public static func load(path: String) throws(ClientSecretsError) -> ClientSecrets {
        throw .missing(path: path)
    }

    /// Validates client secrets JSON; `path` only names the file in errors.
    public static func parse(_ data: Data, path: String) throws(ClientSecretsError) -> ClientSecrets {
        throw .malformed(path: path, reason: "not implemented")
    }
}

/// What is wrong with a client secrets file. The description names the file and the fix.
public enum ClientSecretsError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case missingKey(path: String, key: String)
    public var description: String { "client secrets: \(self)" }
}

/// A PKCE pair (RFC 7636, S256).
public struct PKCE: Sendable, Equatable {
    public var verifier: String
    public var challenge: String
    /// A fresh random verifier.
    public static func generate() -> PKCE { PKCE(verifier: String(repeating: "a", count: 64)) }
    /// The pair for a given verifier.
    public init(verifier: String) { self.verifier = verifier; self.challenge = "" }
}

/// One attempt at authorization: what was sent, so the answer can be checked and exchanged.
public struct AuthorizationRequest: Sendable, Equatable {
    public var url: URL
    public var state: String
    public var pkce: PKCE
    public var redirectURI: String
    public var loginHint: String?
    public var forcedConsent: Bool
    public init(url: URL, state: String, pkce: PKCE, redirectURI: String, loginHint: String?, forcedConsent: Bool) {
        self.url = url; self.state = state; self.pkce = pkce; self.redirectURI = redirectURI
        self.loginHint = loginHint; self.forcedConsent = forcedConsent
    }
}

/// The token endpoint's answer.
public struct TokenResponse: Sendable, Equatable {
    public var accessToken: String
    public var expiresIn: Int?
    public var refreshToken: String?
    public var scope: String?
    public var tokenType: String?
    public init(accessToken: String, expiresIn: Int?, refreshToken: String?, scope: String?, tokenType: String?) {
        self.accessToken = accessToken; self.expiresIn = expiresIn; self.refreshToken = refreshToken
        self.scope = scope; self.tokenType = tokenType
    }
}

/// The userinfo call's answer: who authorized.
public struct UserInfo: Sendable, Equatable {
    public var id: String
    public var email: String
    public var name: String?
    public init(id: String, email: String, name: String? = nil) { self.id = id; self.email = email; self.name = name }
}

/// One account's stored credentials. `description` never shows a token.
public struct Credentials: Sendable, Equatable, CustomStringConvertible {
    public var userID: String
    public var email: String
    public var refreshToken: String?
    public var accessToken: String?
    public var expiresAt: Date?
    public var scopes: [String]
    public var clientID: String
    public init(userID: String, email: String, refreshToken: String?, accessToken: String?, expiresAt: Date?, scopes: [String], clientID: String) {
        self.userID = userID; self.email = email; self.refreshToken = refreshToken; self.accessToken = accessToken
        self.expiresAt = expiresAt; self.scopes = scopes; self.clientID = clientID
    }
    public var description: String { "Credentials(\(email), user \(userID), refresh token \(refreshToken == nil ? "absent" : "present"))" }

    /// Whether the access token is missing or expires within `margin`.
    public func needsRefresh(now: Date, margin: TimeInterval = 300) -> Bool {
        guard accessToken != nil, let expiresAt else { return true }
        return expiresAt.timeIntervalSince(now) <= margin
    }
}

/// Why authorization or a token call failed. No case carries a secret.
public enum OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The user (or policy) refused: `error=access_denied` or another `error=` on the redirect.
    case authorizationDenied(String)
    /// A pasted redirect URL whose `state` is not ours.
    case stateMismatch
    /// Nothing usable was pasted (no code, or not a URL of ours).
    case missingCode
    /// The token endpoint refused the code (`invalid_grant` on exchange: used, expired or wrong).
    case codeRejected(String)
    /// The refresh token no longer works (`invalid_grant` on refresh): authorize again.
    case grantRevoked(String)
    /// No refresh token was issued and none is stored: authorize again with prompt=consent.
    case noRefreshToken
    /// The client id, secret or redirect URI is wrong (`invalid_client`, `redirect_uri_mismatch`, `deleted_client`, `unauthorized_client`).
    case clientMisconfigured(error: String, description: String)
    /// Any other 4xx from the token endpoint.
    case invalidRequest(String)
    /// The endpoint answered 5xx (after retries).
    case server(status: Int)
    /// No HTTP answer at all.
    case network(TransportError)
    /// An answer that cannot be read.
    case invalidResponse(String)
    /// The loopback listener got no valid request in time.
    case listenerTimedOut

    public var description: String { "\(self)" }
}

/// Google OAuth 2.0 for installed and web clients.
public struct OAuthClient: Sendable {
    public let secrets: ClientSecrets
    public let transport: any HTTPTransport
    public let userinfoURL: URL
    public let scopes: [String]

    public init(secrets: ClientSecrets, transport: any HTTPTransport,
                userinfoURL: URL = URL(string: "https://www.googleapis.com/oauth2/v2/userinfo")!,
                scopes: [String] = OAuthScopes.all) {
        self.secrets = secrets; self.transport = transport; self.userinfoURL = userinfoURL; self.scopes = scopes
    }

    /// A new authorization attempt: fresh state and PKCE, the URL exactly as design.md lists it.
    public func makeAuthorizationRequest(redirectURI: String, loginHint: String?, forceConsent: Bool) -> AuthorizationRequest {
        AuthorizationRequest(url: secrets.authURI, state: "", pkce: .generate(), redirectURI: redirectURI, loginHint: loginHint, forcedConsent: forceConsent)
    }

    /// The code from what the user pasted: a bare code, or the full redirect URL (state checked, `error=` reported).
    public static func code(fromPasted pasted: String, for request: AuthorizationRequest) throws(OAuthError) -> String {
        throw .missingCode
    }

    /// The code from the query of a request that reached the loopback listener.
    public static func code(fromCallbackQuery query: [(String, String)], for request: AuthorizationRequest) throws(OAuthError) -> String {
        throw .missingCode
    }

    /// Exchanges a code for tokens (with the PKCE verifier and redirect URI of `request`).
    public func exchange(code: String, for request: AuthorizationRequest) async throws(OAuthError) -> TokenResponse {
        throw .invalidResponse("not implemented")
    }

    /// A new access token from a refresh token. Transient failures are retried before throwing.
    public func refresh(refreshToken: String) async throws(OAuthError) -> TokenResponse {
        throw .invalidResponse("not implemented")
    }

    /// Revokes a token (access or refresh) at Google.
    public func revoke(token: String) async throws(OAuthError) {
        throw .invalidResponse("not implemented")
    }

    /// Who the access token belongs to.
    public func userInfo(accessToken: String) async throws(OAuthError) -> UserInfo {
        throw .invalidResponse("not implemented")
    }

    /// Exchange + userinfo, merged with what `store` holds (a missing refresh token keeps the stored one;
    /// none at all throws `.noRefreshToken`), then saved. Returns what was saved.
    public func completeAuthorization(code: String, for request: AuthorizationRequest, store: any CredentialStore, now: Date = Date()) async throws -> Credentials {
        throw OAuthError.invalidResponse("not implemented")
    }
}

/// A listener on 127.0.0.1 at a random port that receives the browser's redirect.
public final class RedirectListener: Sendable {
    /// `http://127.0.0.1:PORT/`
    public let redirectURI: String
    public let port: Int
    private init(port: Int) { self.port = port; self.redirectURI = "http://127.0.0.1:\(port)/" }

    /// Binds 127.0.0.1 on a random free port.
    public static func start() throws -> RedirectListener { throw OAuthError.invalidResponse("not implemented") }

    /// Waits for the one valid redirect request (other requests get 404 and are ignored), answers it with a
    /// "you can close this tab" page, and returns its query. Throws `.listenerTimedOut` after `timeout`.
    public func waitForCallback(timeout: Duration) async throws -> [(String, String)] { throw OAuthError.listenerTimedOut }

    /// Closes the socket; a pending wait throws `CancellationError`.
    public func stop() {}
}

/// Where credentials live between runs, keyed by Google user id.
public protocol CredentialStore: Sendable {
    /// Every stored account, and the user id used last.
    func load() throws -> (accounts: [Credentials], lastUsed: String?)
    /// Inserts or replaces the account with this user id and marks it used last.
    func save(_ credentials: Credentials) throws
    /// Forgets the account with this user id.
    func remove(userID: String) throws
}

extension CredentialStore {
    /// The account for an email (case-insensitive), or the one used last when `email` is nil.
    public func account(email: String?) throws -> Credentials? {
        let (accounts, last) = try load()
        if let email { return accounts.first { $0.email.caseInsensitiveCompare(email) == .orderedSame } }
        return accounts.first { $0.userID == last } ?? accounts.first
    }
}

/// Why the credential file cannot be used. Descriptions say how to fix it and never show a token.
public enum CredentialStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Group or others can read the file (or folder): refused, as ssh refuses such keys.
    case insecurePermissions(path: String, mode: Int)
    /// The file could not be parsed; it was moved aside to `movedTo`.
    case corrupt(path: String, movedTo: String)
    case io(path: String, reason: String)
    public var description: String { "\(self)" }
}

/// The credential file: one JSON document for every account, 0600 in a 0700 folder,
/// written atomically under an advisory lock.
public struct FileCredentialStore: CredentialStore {
    public let path: String
    public init(path: String) { self.path = path }
    public func load() throws -> (accounts: [Credentials], lastUsed: String?) { ([], nil) }
    public func save(_ credentials: Credentials) throws {}
    public func remove(userID: String) throws {}
}
