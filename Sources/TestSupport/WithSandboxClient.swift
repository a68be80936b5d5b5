import Foundation
import HTTPCore
import CurlTransport
import GoogleOAuth
import GmailAPI
import MailService
import GmailSandbox
import GmailSandboxClient

/// How the client reaches the sandbox in a scenario.
public enum SandboxTransportKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `SandboxTransport`: the sandbox's handler called in process, no socket.
    case inProcess
    /// libcurl against the sandbox's server on a loopback port.
    case curl

    public var description: String { rawValue }
}

/// What `withSandboxClient` sets up besides the sandbox.
public struct SandboxClientOptions: Sendable {
    /// Which account the client starts with.
    public enum Account: Sendable {
        /// Tokens the sandbox mints: no consent page, no code exchange.
        case minted(scopes: [String])
        /// The whole authorization: consent page, redirect, code exchange with PKCE, userinfo, stored.
        case authorized
    }

    /// Where credentials are kept.
    public enum Store: Sendable {
        case memory
        /// A `FileCredentialStore` in the client's private folder, as the app keeps them.
        case file
    }

    public var sandbox = SandboxOptions()
    public var account: Account = .minted(scopes: [SandboxScope.readonly])
    public var store: Store = .memory
    public var retryPolicy: RetryPolicy = .default
    public var fetchStrategy: FetchStrategy = .default
    /// Put between the Gmail client and the transport (its `inner` is set); OAuth calls go around it.
    public var gate: WaveGate? = nil
    /// Waits between OAuth retries: short, so that a test of a failing token endpoint stays quick.
    public var oauthRetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1), jitter: 0)

    public init() {}

    /// Options changed by `configure`, for a call site that sets one or two.
    public static func with(_ configure: (inout SandboxClientOptions) -> Void) -> SandboxClientOptions {
        var options = SandboxClientOptions()
        configure(&options)
        return options
    }
}

/// The client wired to a sandbox, with an account and a MailService for it, as a scenario sees them.
public struct SandboxHarness: Sendable {
    public let kind: SandboxTransportKind
    public let client: SandboxClient
    /// The server, for `.curl`; nil in process.
    public let server: SandboxServer?
    /// The client's private folder: the sandbox's client secrets, and the credentials for `.file`.
    public let folder: SandboxFolder
    public let account: Credentials
    /// The service for `account`, with the options' retry policy and fetch strategy.
    public let mail: MailService
    let options: SandboxClientOptions

    public var sandbox: Sandbox { client.sandbox }
    public var rootURL: URL { client.rootURL }
    public var transport: any HTTPTransport { client.transport }
    public var oauth: OAuthClient { client.oauth }
    public var gmail: GmailClient { client.gmail }
    public var store: any CredentialStore { client.store }

    /// Another MailService on the same client, for another account (or the same one, renewed).
    public func service(_ account: Credentials) -> MailService {
        client.mailService(account, retryPolicy: options.retryPolicy, fetchStrategy: options.fetchStrategy)
    }

    /// The paths (with queries, secrets masked) the sandbox was asked for, in order.
    public func paths() -> [String] { sandbox.requestLog().map(\.path) }

    /// Authorizes as a user would (see `SandboxClient.authorize(over:loginHint:forceConsent:)`), storing the credentials.
    public func authorize(loginHint: String? = nil, forceConsent: Bool = true) async throws -> Credentials {
        try await client.authorize(over: kind, loginHint: loginHint, forceConsent: forceConsent)
    }
}

extension SandboxClient {
    /// Authorizes as a user would, and stores the credentials.
    ///
    /// Over libcurl, the browser's part is played in full: the loopback listener, the consent page's
    /// redirect followed to it. In process there is no socket to come back to, so the redirect URL is
    /// handed over as a user pastes it from the browser's address bar.
    public func authorize(over kind: SandboxTransportKind, loginHint: String? = nil, forceConsent: Bool = true) async throws -> Credentials {
        switch kind {
        case .curl:
            let listener = try RedirectListener.start()
            defer { listener.stop() }
            let request = oauth.makeAuthorizationRequest(redirectURI: listener.redirectURI, loginHint: loginHint, forceConsent: forceConsent)
            async let callback = listener.waitForCallback(expectedState: request.state, timeout: .seconds(30))
            let location = try await consent(request)
            let landing = try await transport.send(HTTPRequest(url: location))
            guard landing.status == 200 else { throw HarnessError("the loopback listener answered \(landing.status)") }
            let code = try OAuthClient.code(fromCallbackQuery: try await callback, for: request)
            return try await oauth.completeAuthorization(code: code, for: request, store: store)
        case .inProcess:
            // A loopback port nothing listens on: the redirect is never followed.
            let request = oauth.makeAuthorizationRequest(redirectURI: "http://127.0.0.1:9/", loginHint: loginHint, forceConsent: forceConsent)
            let location = try await consent(request)
            let code = try OAuthClient.code(fromPasted: location.absoluteString, for: request)
            return try await oauth.completeAuthorization(code: code, for: request, store: store)
        }
    }

    /// Opens the consent page, which the sandbox approves at once, and returns where it redirects.
    private func consent(_ request: AuthorizationRequest) async throws -> URL {
        let page = try await transport.send(HTTPRequest(url: request.url))
        guard page.status == 302, let location = page.headers["Location"].flatMap(URL.init(string:)) else {
            throw HarnessError("the consent page answered \(page.status), not a redirect")
        }
        guard location.absoluteString.hasPrefix(request.redirectURI) else {
            throw HarnessError("the consent page redirected away from \(request.redirectURI)")
        }
        return location
    }
}

/// A harness step that did not go as a sandbox would make it go.
public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Runs `body` with the real client wired to a new sandbox, over `kind`, and tears everything down
/// before returning, whether `body` returned or threw: the server stopped, the private folder removed.
///
/// TLS (`options.sandbox.tls`) needs a socket: in process, the sandbox is served as plain HTTP.
public func withSandboxClient<T>(_ kind: SandboxTransportKind, _ options: SandboxClientOptions = SandboxClientOptions(),
                                 isolation: isolated (any Actor)? = #isolation,
                                 _ body: (SandboxHarness) async throws -> T) async throws -> T {
    switch kind {
    case .inProcess:
        var sandboxOptions = options.sandbox
        sandboxOptions.tls = false
        let sandbox = try Sandbox(options: sandboxOptions)
        let transport = SandboxTransport(sandbox)
        return try await withHarness(kind, sandbox: sandbox, server: nil, rootURL: transport.rootURL, transport: transport,
                                     options: options, body)
    case .curl:
        return try await SandboxServer.run(options.sandbox) { server in
            // The app's settings: a connection per request in flight over plain HTTP/1.1, one over HTTP/2.
            let transport = CurlTransport(maxConnectionsPerHost: 32,
                                          extraCACertificates: server.certificates.map { Data($0.authorityPEM.utf8) })
            return try await withHarness(kind, sandbox: server.sandbox, server: server, rootURL: server.rootURL,
                                         transport: transport, options: options, body)
        }
    }
}

private func withHarness<T>(_ kind: SandboxTransportKind, sandbox: Sandbox, server: SandboxServer?, rootURL: URL,
                            transport: any HTTPTransport, options: SandboxClientOptions,
                            isolation: isolated (any Actor)? = #isolation,
                            _ body: (SandboxHarness) async throws -> T) async throws -> T {
    let folder = try SandboxFolder.make(for: sandbox, prefix: "gmail-tui-scenario")
    defer { folder.remove() }
    let store: any CredentialStore = switch options.store {
    case .memory: InMemoryCredentialStore()
    case .file: FileCredentialStore(path: folder.credentials.path)
    }
    options.gate?.inner = transport
    let client = try SandboxClient(sandbox: sandbox, rootURL: rootURL, transport: transport, gmailTransport: options.gate,
                                   store: store, oauthRetryPolicy: options.oauthRetryPolicy)
    let account: Credentials = switch options.account {
    case .minted(let scopes): try client.mintAccount(scopes: scopes)
    case .authorized: try await client.authorize(over: kind)
    }
    let harness = SandboxHarness(kind: kind, client: client, server: server, folder: folder, account: account,
                                 mail: client.mailService(account, retryPolicy: options.retryPolicy, fetchStrategy: options.fetchStrategy),
                                 options: options)
    return try await body(harness)
}
