import Crypto
import Foundation
import HTTPCore

/// Google's authorization, token and revocation endpoints.
extension Sandbox {
    static func randomToken(_ prefix: String, length: Int = 40) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var g = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] })
    }

    /// Any loopback URI for `installed` clients (any port, any path); exact match for `web` ones.
    static func redirectAllowed(_ uri: String, client: OAuthClient, root: String) -> Bool {
        switch client.kind {
        case .web:
            return client.redirectURIs.contains(uri) || uri == root + "_sandbox/callback"
        case .installed:
            guard let c = URLComponents(string: uri), c.scheme == "http", c.query == nil, c.fragment == nil, let host = c.host else { return false }
            return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
        }
    }

    // MARK: /o/oauth2/auth and /o/oauth2/v2/auth

    func authorize(_ request: SandboxRequest) -> SandboxResponse {
        func q(_ n: String) -> String? { request.queryValue(n) }
        let root = rootURL.withLock { $0 }
        let details = request.query.filter { !Sandbox.secretFields.contains($0.0) && $0.0 != "code_challenge" }
        guard let clientId = q("client_id"), !clientId.isEmpty else {
            return GoogleError.authorizationPage(error: "invalid_request", detail: "Missing required parameter: client_id", requestDetails: details)
        }
        let (client, users, grants, chosen) = state.withLock { ($0.clients[clientId], $0.users, $0.grants, $0.chosenAccount) }
        guard let client else {
            return GoogleError.authorizationPage(code: 401, error: "invalid_client", detail: "The OAuth client was not found.", requestDetails: details)
        }
        guard let redirect = q("redirect_uri"), !redirect.isEmpty else {
            return GoogleError.authorizationPage(error: "invalid_request", detail: "Missing required parameter: redirect_uri", requestDetails: details)
        }
        guard Sandbox.redirectAllowed(redirect, client: client, root: root) else {
            return GoogleError.authorizationPage(error: "redirect_uri_mismatch", detail: "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. If you're the app developer, register the redirect URI in the Google Cloud Console.", requestDetails: details)
        }
        guard let responseType = q("response_type") else {
            return GoogleError.authorizationPage(error: "invalid_request", detail: "Required parameter is missing: response_type", requestDetails: details)
        }
        guard responseType == "code" else {
            return GoogleError.authorizationPage(error: "unsupported_response_type", detail: "Invalid response_type: \(responseType)", requestDetails: details)
        }
        guard let scopeText = q("scope"), !scopeText.trimmingCharacters(in: .whitespaces).isEmpty else {
            return GoogleError.authorizationPage(error: "invalid_request", detail: "Missing required parameter: scope", requestDetails: details)
        }
        let scopes = scopeText.split(separator: " ").map(String.init)
        if let bad = scopes.first(where: { !SandboxScope.known.contains($0) }) {
            return GoogleError.authorizationPage(error: "invalid_scope", detail: "Some requested scopes were invalid. {invalid=[\(bad)]}", requestDetails: details)
        }
        // PKCE is optional at Google for Web and Desktop clients: the server-side guide's sample sends none.
        let challenge = q("code_challenge").flatMap { $0.isEmpty ? nil : $0 }
        let method = q("code_challenge_method") ?? "plain"
        if challenge != nil, method != "S256", method != "plain" {
            return GoogleError.authorizationPage(error: "invalid_request", detail: "Invalid code_challenge_method: \(method)", requestDetails: details)
        }
        var prompt = (q("prompt") ?? "").split(separator: " ").map(String.init)
        if prompt.contains("none"), prompt.count > 1 {
            return GoogleError.authorizationPage(error: "invalid_request", detail: "Invalid parameter value for prompt: None cannot be specified with other values", requestDetails: details)
        }
        // The legacy `approval_prompt=force` (oauth2client's samples) shows consent again, as `prompt=consent` does.
        if q("approval_prompt") == "force", !prompt.contains("consent") { prompt.append("consent") }
        // `select_account` shows Google's account chooser: the user picks there, whatever the hint said. The
        // sandbox has no screen, so the pick is the one the control API set (`choose-account`), used once.
        let picked = prompt.contains("select_account") ? chosen : nil
        if picked != nil { state.withLock { $0.chosenAccount = nil } }
        let hint = picked ?? q("login_hint") ?? q("user_id")
        let user = hint.flatMap { h in users.first { $0.email.caseInsensitiveCompare(h) == .orderedSame || $0.id == h } } ?? users[0]
        let stateParam = q("state")
        func redirectTo(_ fields: [(String, String)]) -> String {
            redirect + (redirect.contains("?") ? "&" : "?") + FormEncoding.encode(fields)
        }
        if user.denyConsent {
            var fields: [(String, String)] = [("error", "access_denied")]
            if let stateParam { fields.append(("state", stateParam)) }
            let location = redirectTo(fields)
            return .html(302, "<!doctype html><html><body><p>Access denied by \(GoogleError.html(user.email)).</p><p><a href=\"\(GoogleError.html(location))\">Continue</a></p></body></html>\n", headers: [("Location", location)])
        }
        let firstConsent = !grants.contains(user.email + " " + clientId)
        let offline = q("access_type") == "offline" || client.kind == .installed
        let code = Sandbox.randomToken("4/0A", length: 60)
        self.state.withLock { s in
            s.codes[code] = AuthorizationCode(
                clientId: clientId, redirectURI: redirect, challenge: challenge, challengeMethod: method, scopes: scopes,
                userEmail: user.email, issuesRefreshToken: offline && (firstConsent || prompt.contains("consent")),
                expires: Date().addingTimeInterval(600))
            s.grants.insert(user.email + " " + clientId)
        }
        var fields: [(String, String)] = []
        if let stateParam { fields.append(("state", stateParam)) }
        fields += [("code", code), ("scope", scopes.joined(separator: " ")), ("authuser", "0"), ("prompt", "consent")]
        let location = redirectTo(fields)
        let page = """
        <!doctype html><html><head><meta charset="utf-8"><title>gmail-sandbox: authorized</title></head><body>
        <p>Signed in as \(GoogleError.html(user.email)). Redirecting to <a href="\(GoogleError.html(location))">\(GoogleError.html(location))</a></p>
        <p>If your browser did not continue, paste this code into gmail-tui: <code>\(code)</code></p>
        <p>Or paste this full URL: \(GoogleError.html(location))</p>
        </body></html>

        """
        return .html(302, page, headers: [("Location", location)])
    }

    // MARK: /token

    func token(_ request: SandboxRequest) -> SandboxResponse {
        guard request.method == "POST" else { return GoogleError.oauth(400, "invalid_request", "Invalid request method: \(request.method)") }
        let form = request.formFields
        func f(_ n: String) -> String? { FormEncoding.value(n, in: form).flatMap { $0.isEmpty ? nil : $0 } }
        guard let grantType = f("grant_type") else { return GoogleError.oauth(400, "unsupported_grant_type", "Invalid grant_type: ") }
        guard grantType == "authorization_code" || grantType == "refresh_token" else {
            return GoogleError.oauth(400, "unsupported_grant_type", "Invalid grant_type: \(grantType)")
        }
        // Google takes the client's credentials from the form or from HTTP Basic (requests-oauthlib's default).
        let basic = Sandbox.basicCredentials(request.header("Authorization"))
        guard let clientId = f("client_id") ?? basic?.id else { return GoogleError.oauth(400, "invalid_request", "Could not determine client ID from request.") }
        guard let client = state.withLock({ $0.clients[clientId] }) else {
            return GoogleError.oauth(401, "invalid_client", "The OAuth client was not found.")
        }
        guard let secret = f("client_secret") ?? basic?.secret else { return GoogleError.oauth(400, "invalid_request", "client_secret is missing.") }
        guard secret == client.secret else { return GoogleError.oauth(401, "invalid_client", "Unauthorized") }
        return grantType == "authorization_code" ? exchangeCode(form, client: client) : refresh(form, client: client)
    }

    /// PKCE's S256 challenge of a verifier: BASE64URL-no-padding(SHA-256(ASCII(verifier))), RFC 7636 §4.2.
    static func s256Challenge(_ verifier: String) -> String {
        SandboxBase64.encode(Data(SHA256.hash(data: Data(verifier.utf8))), padded: false)
    }

    /// `Authorization: Basic base64(id:secret)`, each half form-encoded (RFC 6749 §2.3.1).
    static func basicCredentials(_ header: String?) -> (id: String, secret: String)? {
        guard let header, header.lowercased().hasPrefix("basic ") else { return nil }
        let encoded = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else { return nil }
        func decoded(_ s: Substring) -> String? {
            let plus = s.replacingOccurrences(of: "+", with: " ")
            let value = plus.removingPercentEncoding ?? plus
            return value.isEmpty ? nil : value
        }
        guard let id = decoded(text[..<colon]), let secret = decoded(text[text.index(after: colon)...]) else { return nil }
        return (id, secret)
    }

    private func exchangeCode(_ form: [(String, String)], client: OAuthClient) -> SandboxResponse {
        guard let codeValue = FormEncoding.value("code", in: form), !codeValue.isEmpty else {
            return GoogleError.oauth(400, "invalid_request", "Missing required parameter: code")
        }
        // A code is single-use: any exchange attempt spends it.
        guard let code = state.withLock({ $0.codes.removeValue(forKey: codeValue) }), code.clientId == client.id, code.expires > Date() else {
            return GoogleError.oauth(400, "invalid_grant", "Bad Request")
        }
        guard FormEncoding.value("redirect_uri", in: form) == code.redirectURI else {
            return GoogleError.oauth(400, "redirect_uri_mismatch", "Bad Request")
        }
        let verifier = FormEncoding.value("code_verifier", in: form).flatMap { $0.isEmpty ? nil : $0 }
        switch (code.challenge, verifier) {
        case (nil, nil):
            break
        case (nil, .some):
            // Google refuses a verifier for a code that was asked for without a challenge.
            return GoogleError.oauth(400, "invalid_grant", "code_verifier or verifier is not needed.")
        case (.some, nil):
            return GoogleError.oauth(400, "invalid_grant", "Missing code verifier.")
        case (.some(let challenge), .some(let verifier)):
            let expected = code.challengeMethod == "S256" ? Sandbox.s256Challenge(verifier) : verifier
            guard expected == challenge else { return GoogleError.oauth(400, "invalid_grant", "Invalid code verifier.") }
        }
        return issueTokens(email: code.userEmail, clientId: client.id, scopes: code.scopes, withRefresh: code.issuesRefreshToken)
    }

    private func refresh(_ form: [(String, String)], client: OAuthClient) -> SandboxResponse {
        guard let value = FormEncoding.value("refresh_token", in: form), !value.isEmpty else {
            return GoogleError.oauth(400, "invalid_request", "Missing required parameter: refresh_token")
        }
        guard let stored = state.withLock({ $0.refreshTokens[value] }) else {
            return GoogleError.oauth(400, "invalid_grant", "Token has been expired or revoked.")
        }
        guard stored.clientId == client.id else { return GoogleError.oauth(401, "unauthorized_client", "Unauthorized") }
        var scopes = stored.scopes
        if let narrowed = FormEncoding.value("scope", in: form), !narrowed.isEmpty {
            let wanted = narrowed.split(separator: " ").map(String.init)
            guard wanted.allSatisfy(stored.scopes.contains) else { return GoogleError.oauth(400, "invalid_scope", "Bad Request") }
            scopes = wanted
        }
        return issueTokens(email: stored.userEmail, clientId: client.id, scopes: scopes, withRefresh: false, fromRefresh: value)
    }

    private func issueTokens(email: String, clientId: String, scopes: [String], withRefresh: Bool, fromRefresh: String? = nil) -> SandboxResponse {
        let access = Sandbox.randomToken("ya29.sandbox-", length: 80)
        let refreshValue = withRefresh ? Sandbox.randomToken("1//sandbox-", length: 60) : nil
        let lifetime = state.withLock { s -> Duration in
            if let refreshValue { s.refreshTokens[refreshValue] = RefreshToken(userEmail: email, clientId: clientId, scopes: scopes) }
            s.accessTokens[access] = AccessToken(userEmail: email, clientId: clientId, scopes: scopes, expires: Date().addingTimeInterval(Double(s.tokenLifetime.components.seconds)), refreshToken: refreshValue ?? fromRefresh)
            return s.tokenLifetime
        }
        var out: [(String, JSON)] = [
            ("access_token", .string(access)), ("expires_in", .int(Int(lifetime.components.seconds))),
            ("scope", .string(scopes.joined(separator: " "))), ("token_type", .string("Bearer")),
        ]
        // `email` and `profile` are the same grants as their long forms, which Google's samples ask for.
        let identity: Set<String> = [SandboxScope.openid, SandboxScope.userinfoEmail, SandboxScope.userinfoProfile]
        if scopes.contains(where: { identity.contains(SandboxScope.normalize($0)) }) {
            out.append(("id_token", .string(idToken(email: email, clientId: clientId))))
        }
        if let refreshValue { out.append(("refresh_token", .string(refreshValue))) }
        return .json(200, .object(out))
    }

    /// An unsigned JWT with the usual claims; clients should not rely on it.
    private func idToken(email: String, clientId: String) -> String {
        let user = state.withLock { $0.user(email: email) }
        let now = Int(Date().timeIntervalSince1970)
        let header = JSON.object([("alg", .string("none")), ("typ", .string("JWT"))])
        let claims = JSON.object([
            ("iss", .string("https://accounts.google.com")), ("aud", .string(clientId)), ("sub", .string(user?.id ?? "")),
            ("email", .string(email)), ("email_verified", .bool(true)), ("iat", .int(now)), ("exp", .int(now + 3600)),
        ])
        return SandboxBase64.encode(header.data, padded: false) + "." + SandboxBase64.encode(claims.data, padded: false) + ".sandbox"
    }

    // MARK: /revoke

    func revoke(_ request: SandboxRequest) -> SandboxResponse {
        guard request.method == "POST" || request.method == "GET" else { return GoogleError.oauth(400, "invalid_request", "Bad Request") }
        let value = request.queryValue("token") ?? FormEncoding.value("token", in: request.formFields)
        guard let value, !value.isEmpty else { return GoogleError.oauth(400, "invalid_request", "Missing required parameter: token") }
        let found: Bool = state.withLock { s in
            var refresh: String?
            var owner: (String, String)?
            if let a = s.accessTokens[value] {
                refresh = a.refreshToken
                owner = (a.userEmail, a.clientId)
            } else if let r = s.refreshTokens[value] {
                refresh = value
                owner = (r.userEmail, r.clientId)
            }
            guard let owner else { return false }
            // Revoking either token removes the whole grant of that user to that client.
            s.accessTokens = s.accessTokens.filter { !($0.value.userEmail == owner.0 && $0.value.clientId == owner.1) && $0.key != value }
            s.refreshTokens = s.refreshTokens.filter { !($0.value.userEmail == owner.0 && $0.value.clientId == owner.1) && $0.key != refresh }
            s.grants.remove(owner.0 + " " + owner.1)
            return true
        }
        guard found else { return GoogleError.oauth(400, "invalid_token", "Token expired or revoked") }
        return .json(200, .object([]))
    }
}
