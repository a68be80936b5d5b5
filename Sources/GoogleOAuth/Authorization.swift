import Foundation
import HTTPCore

/// One attempt at authorization: what was sent, so the answer can be checked and exchanged.
public struct AuthorizationRequest: Sendable, Equatable {
    public var url: URL
    public var state: String
    public var pkce: PKCE
    public var redirectURI: String
    public var loginHint: String?
    public var forcedConsent: Bool
    /// True when Google is asked to show its account chooser (`prompt=select_account`): adding an account.
    public var selectsAccount: Bool
    public init(url: URL, state: String, pkce: PKCE, redirectURI: String, loginHint: String?, forcedConsent: Bool,
                selectsAccount: Bool = false) {
        self.url = url; self.state = state; self.pkce = pkce; self.redirectURI = redirectURI
        self.loginHint = loginHint; self.forcedConsent = forcedConsent; self.selectsAccount = selectsAccount
    }
}

extension OAuthClient {
    /// A new authorization attempt: fresh state and PKCE, the URL exactly as design.md lists it.
    ///
    /// `scopes` replaces the client's default list (asking for more: every granted scope plus `gmail.modify`);
    /// `include_granted_scopes=true` goes only with `web` clients, as Google supports it only for them.
    /// `selectAccount` adds `select_account` to `prompt`, so that Google shows its account chooser even when
    /// the browser is signed in to one account (adding another account: no `login_hint` goes with it).
    public func makeAuthorizationRequest(redirectURI: String, loginHint: String?, forceConsent: Bool,
                                         scopes requested: [String]? = nil, selectAccount: Bool = false) -> AuthorizationRequest {
        let state = Base64URL.randomToken(bytes: 32)
        let pkce = PKCE.generate()
        var query: [(String, String)] = [
            ("client_id", secrets.clientID),
            ("redirect_uri", redirectURI),
            ("response_type", "code"),
            ("scope", (requested ?? scopes).joined(separator: " ")),
            ("access_type", "offline"),
        ]
        if requested != nil, secrets.kind == .web { query.append(("include_granted_scopes", "true")) }
        // One space-separated `prompt`, chooser first, as google-api.md lists its values.
        let prompt = (selectAccount ? ["select_account"] : []) + (forceConsent ? ["consent"] : [])
        if !prompt.isEmpty { query.append(("prompt", prompt.joined(separator: " "))) }
        if let loginHint, !loginHint.isEmpty { query.append(("login_hint", loginHint)) }
        query += [
            ("state", state),
            ("code_challenge", pkce.challenge),
            ("code_challenge_method", "S256"),
        ]
        return AuthorizationRequest(url: FormEncoding.url(secrets.authURI, query: query), state: state, pkce: pkce,
                                    redirectURI: redirectURI, loginHint: loginHint, forcedConsent: forceConsent,
                                    selectsAccount: selectAccount)
    }

    /// The code from what the user pasted: a bare code, or the full redirect URL (state checked, `error=` reported).
    ///
    /// Accepted: `4/0Af...` (a bare code), `http://127.0.0.1:PORT/?state=..&code=..`, `?code=..&state=..`
    /// and `code=..&state=..`. Surrounding whitespace is ignored.
    public static func code(fromPasted pasted: String, for request: AuthorizationRequest) throws(OAuthError) -> String {
        let text = pasted.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .missingCode }
        var query: Substring
        if let mark = text.firstIndex(of: "?") {
            query = text[text.index(after: mark)...]
        } else if text.contains("://") {
            throw .missingCode
        } else if text.contains("=") {
            query = Substring(text)
        } else {
            // A bare code; one copied percent-encoded (`4%2F0A...`) is decoded, as codes never hold `%`.
            guard !text.contains(where: { $0.isWhitespace }) else { throw .missingCode }
            return text.removingPercentEncoding ?? text
        }
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        return try code(fromCallbackQuery: FormEncoding.decode(String(query)), for: request)
    }

    /// The code from the query of a request that reached the loopback listener.
    public static func code(fromCallbackQuery query: [(String, String)], for request: AuthorizationRequest) throws(OAuthError) -> String {
        guard FormEncoding.value("state", in: query) == request.state else { throw .stateMismatch }
        if let error = FormEncoding.value("error", in: query) { throw .authorizationDenied(error) }
        guard let code = FormEncoding.value("code", in: query), !code.isEmpty else { throw .missingCode }
        return code
    }
}
