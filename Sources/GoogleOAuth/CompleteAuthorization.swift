import Foundation

extension OAuthClient {
    /// Exchange + userinfo, merged with what `store` holds (a missing refresh token keeps the stored one;
    /// none at all throws `.noRefreshToken`), then saved. Returns what was saved.
    public func completeAuthorization(code: String, for request: AuthorizationRequest, store: any CredentialStore, now: Date = Date()) async throws -> Credentials {
        let tokens = try await exchange(code: code, for: request)
        let user = try await userInfo(accessToken: tokens.accessToken)
        let stored = try store.load().accounts.first { $0.userID == user.id }
        guard let refreshToken = tokens.refreshToken ?? stored?.refreshToken else { throw OAuthError.noRefreshToken }
        let granted = tokens.scopes
        let credentials = Credentials(
            userID: user.id, email: user.email, refreshToken: refreshToken, accessToken: tokens.accessToken,
            expiresAt: tokens.expiry(from: now),
            scopes: granted.isEmpty ? (stored?.scopes ?? scopes) : granted,
            clientID: secrets.clientID)
        try store.save(credentials)
        return credentials
    }
}
