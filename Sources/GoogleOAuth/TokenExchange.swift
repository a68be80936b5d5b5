import HTTPCore

extension OAuthClient {
    /// Exchanges a code for tokens (with the PKCE verifier and redirect URI of `request`).
    ///
    /// `invalid_grant` (code used, expired or wrong) throws `.codeRejected`.
    public func exchange(code: String, for request: AuthorizationRequest) async throws(OAuthError) -> TokenResponse {
        try await tokenCall([
            ("code", code),
            ("client_id", secrets.clientID),
            ("client_secret", secrets.clientSecret),
            ("redirect_uri", request.redirectURI),
            ("grant_type", "authorization_code"),
            ("code_verifier", request.pkce.verifier),
        ], grant: .authorizationCode)
    }
}
