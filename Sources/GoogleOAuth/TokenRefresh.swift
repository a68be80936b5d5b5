import HTTPCore

extension OAuthClient {
    /// A new access token from a refresh token. Transient failures are retried before throwing.
    ///
    /// `invalid_grant` throws `.grantRevoked` (authorize again); a network failure throws `.network`,
    /// which must never send the user back to authorization. The answer usually has no refresh token:
    /// keep the stored one.
    public func refresh(refreshToken: String) async throws(OAuthError) -> TokenResponse {
        try await tokenCall([
            ("grant_type", "refresh_token"),
            ("client_id", secrets.clientID),
            ("client_secret", secrets.clientSecret),
            ("refresh_token", refreshToken),
        ], grant: .refreshToken)
    }
}
