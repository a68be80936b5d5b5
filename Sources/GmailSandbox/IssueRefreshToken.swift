import Foundation

extension Sandbox {
    /// Mints a refresh token without the browser dance, as an exchange after consent gives one: refreshing
    /// it at `/token` works, and `revokeGrants` kills it.
    public func issueRefreshToken(email: String = Sandbox.defaultUserEmail, scopes: [String], clientId: String = Sandbox.installedClientId) -> String {
        let token = Sandbox.randomToken("1//sandbox-", length: 60)
        state.withLock { $0.refreshTokens[token] = RefreshToken(userEmail: email, clientId: clientId, scopes: scopes) }
        return token
    }
}
