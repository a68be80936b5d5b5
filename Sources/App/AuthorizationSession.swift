import Foundation
import GoogleOAuth

/// One authorization attempt, for the browser and for `gmail-tui auth` alike: the URL sent to Google, the
/// loopback listener waiting for the browser to come back, and the rule that the first code to arrive (from
/// the listener or pasted) is the one exchanged.
///
/// When Google answers the exchange without a refresh token and consent was not asked for, `withConsent()`
/// gives the next attempt, which asks for it: the guide's NoRefreshTokenException path.
final class AuthorizationSession: @unchecked Sendable {
    let request: AuthorizationRequest
    /// Nil for `web` clients, whose redirect goes to a registered URI the user pastes back from.
    let listener: RedirectListener?
    /// True when the URL makes Google show its consent screen (and so hand out a refresh token).
    let forceConsent: Bool
    private let services: Services
    private let lock = NSLock()
    private var exchanging = false
    private var finished = false

    /// The scopes asked for when they differ from the client's defaults (more permission: `gmail.modify`).
    let scopes: [String]?

    /// Opens the listener (installed clients) and builds the URL. `forceConsent` nil asks for consent only
    /// when no usable refresh token is stored for `loginHint`. `scopes` asks for more than the defaults, with
    /// the consent screen (Google shows the new permission there).
    /// `selectAccount` shows Google's account chooser (adding an account).
    init(services: Services, loginHint: String?, forceConsent: Bool? = nil, scopes: [String]? = nil, selectAccount: Bool = false) throws {
        self.services = services
        self.scopes = scopes
        self.forceConsent = scopes != nil || (forceConsent ?? services.needsConsent(loginHint: loginHint))
        let (redirectURI, listener) = try services.redirect()
        self.listener = listener
        request = services.oauth.makeAuthorizationRequest(redirectURI: redirectURI, loginHint: loginHint,
                                                          forceConsent: self.forceConsent, scopes: scopes, selectAccount: selectAccount)
    }

    /// An attempt that asks for every scope the account `loginHint` was granted plus `gmail.modify`.
    static func addingModify(services: Services, loginHint: String?) throws -> AuthorizationSession {
        let granted = (try? services.store.account(email: loginHint))??.scopes ?? []
        return try AuthorizationSession(services: services, loginHint: loginHint, scopes: OAuthScopes.withModify(granted))
    }

    var url: URL { request.url }
    var loginHint: String? { request.loginHint }

    /// The next attempt after Google sent no refresh token: the same account, with the consent screen.
    /// Nil when this attempt already asked for consent (asking again would loop).
    func withConsent() throws -> AuthorizationSession? {
        guard !forceConsent else { return nil }
        stop()
        return try AuthorizationSession(services: services, loginHint: loginHint, forceConsent: true, scopes: scopes,
                                        selectAccount: request.selectsAccount)
    }

    /// The code the browser brings back to the listener; throws what Google reported instead (denied,
    /// another attempt's state) or `listenerTimedOut`.
    func codeFromBrowser(timeout: Duration) async throws -> String {
        guard let listener else { throw OAuthError.missingCode }
        let query = try await listener.waitForCallback(expectedState: request.state, timeout: timeout)
        return try OAuthClient.code(fromCallbackQuery: query, for: request)
    }

    /// The code in a pasted code or redirect URL (whose `state` must be this attempt's).
    func code(fromPasted pasted: String) throws -> String {
        try OAuthClient.code(fromPasted: pasted, for: request)
    }

    /// Exchanges `code` and stores the account; nil when another answer is being (or was) exchanged, so that a
    /// code from the listener and a pasted one are never both used. A failed exchange lets the next answer try.
    func complete(code: String) async throws -> Credentials? {
        let mine = lock.withLock { () -> Bool in
            guard !exchanging, !finished else { return false }
            exchanging = true
            return true
        }
        guard mine else { return nil }
        do {
            let credentials = try await services.oauth.completeAuthorization(code: code, for: request, store: services.store)
            lock.withLock { exchanging = false; finished = true }
            stop()
            return credentials
        } catch {
            lock.withLock { exchanging = false }
            throw error
        }
    }

    /// True once a code was exchanged.
    var isFinished: Bool { lock.withLock { finished } }

    /// Closes the listener; the attempt can still complete with a pasted code.
    func stop() { listener?.stop() }
}
