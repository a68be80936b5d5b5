import HTTPCore

extension OAuthClient {
    /// Revokes a token (access or refresh) at Google.
    ///
    /// A 400 `invalid_token` means it is already dead, which is what was wanted: success.
    public func revoke(token: String) async throws(OAuthError) {
        let response = try await sendRetrying(.form(secrets.revocationEndpoint, [("token", token)]))
        if response.isSuccess { return }
        let body = ErrorBody(response, secrets: [token])
        if response.status == 400 && body.error == "invalid_token" { return }
        throw Self.tokenError(response, grant: .refreshToken, secrets: [token])
    }
}
