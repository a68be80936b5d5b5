import Foundation
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

    /// `credentials` with a fresh access token: refreshes and merges the answer, keeping the stored refresh
    /// token when Google sends none (the usual case) and the stored scopes when it names none.
    ///
    /// Throws `.noRefreshToken` when `credentials` has no refresh token; the caller saves the result.
    public func refresh(credentials: Credentials, now: Date = Date()) async throws(OAuthError) -> Credentials {
        guard let refreshToken = credentials.refreshToken, !refreshToken.isEmpty else { throw .noRefreshToken }
        let tokens = try await refresh(refreshToken: refreshToken)
        var updated = credentials
        updated.accessToken = tokens.accessToken
        updated.refreshToken = tokens.refreshToken ?? refreshToken
        updated.expiresAt = tokens.expiry(from: now)
        if !tokens.scopes.isEmpty { updated.scopes = tokens.scopes }
        return updated
    }
}
