import Foundation
import GoogleOAuth
import GmailAPI
import HTTPCore

// Refreshing the access token without undoing what another gmail-tui did to the credential file,
// and the words for what went wrong.
extension MailService {
    func performRefresh() async -> Result<Credentials, MailServiceError> {
        let old = credentials
        let started = generation
        if loggedOut { return .failure(.loggedOutElsewhere(email: old.email)) }
        let updated: Credentials
        do {
            // Keeps the stored refresh token and scopes when Google sends none; throws .noRefreshToken
            // when there is nothing to refresh with.
            updated = try await oauth.refresh(credentials: old, now: now())
        } catch {
            if case .grantRevoked = error, generation == started {
                // The grant is dead: forget its tokens, so that the next authorization asks for consent
                // (and so gets a new refresh token) instead of keeping the dead one.
                var forgotten = old
                forgotten.refreshToken = nil
                forgotten.accessToken = nil
                forgotten.expiresAt = nil
                switch storeRefreshed(forgotten, replacing: old) {
                case .forgotten: return .failure(.loggedOutElsewhere(email: old.email))
                case .superseded(let stored) where !stored.needsRefresh(now: now()): return .success(stored)
                default: break
                }
            }
            return .failure(Self.serviceError(error, email: old.email))
        }
        guard generation == started else { return .success(credentials) }
        switch storeRefreshed(updated, replacing: old) {
        case .forgotten:
            return .failure(.loggedOutElsewhere(email: old.email))
        case .superseded(let stored) where stored.refreshToken != nil && !stored.needsRefresh(now: now()):
            // Authorized again elsewhere: that grant is the newer one.
            return .success(stored)
        case .saved, .superseded:
            return .success(updated)
        }
    }

    /// Saves refreshed (or forgotten) tokens only if the store still holds the account with the refresh token
    /// they came from. A forgotten account stays forgotten: this instance stops using it.
    private func storeRefreshed(_ new: Credentials, replacing old: Credentials) -> RefreshedSave {
        let outcome: RefreshedSave
        do {
            outcome = try store.saveRefreshed(new, previousRefreshToken: old.refreshToken)
        } catch {
            // A store that cannot be written must not stop browsing: the token is good for this run.
            credentials = new
            return .saved
        }
        switch outcome {
        case .saved:
            credentials = new
        case .forgotten:
            loggedOut = true
            var gone = old
            gone.refreshToken = nil; gone.accessToken = nil; gone.expiresAt = nil
            credentials = gone
        case .superseded(let stored):
            credentials = stored.refreshToken != nil && !stored.needsRefresh(now: now()) ? stored : new
        }
        return outcome
    }

    // MARK: - Mapping

    static func serviceError(_ error: GmailError) -> MailServiceError {
        switch error {
        case .unauthenticated(let m): return .api(status: 401, message: m)
        case .insufficientScope(let m): return .api(status: 403, message: "insufficient permission: \(m)")
        case .notFound: return .notFound
        case .rateLimited: return .rateLimited
        case .backendError(let s): return .api(status: s, message: "Gmail backend error")
        case .badRequest(let m): return .api(status: 400, message: m)
        case .other(let s, let m): return .api(status: s, message: m)
        case .transport(.insecureURL(let host)):
            return .configuration("the Gmail address \(host) is plain http://, which only loopback hosts may use; check --api-root")
        case .transport(let e): return .network(e.description)
        case .invalidResponse(let detail): return .badAnswer(error.description, detail: detail)
        }
    }

    static func serviceError(_ error: OAuthError, email: String) -> MailServiceError {
        switch error {
        case .grantRevoked: return .reauthorizationRequired(email: email, reason: .grantRevoked)
        case .noRefreshToken: return .reauthorizationRequired(email: email, reason: .noRefreshToken)
        case .network(.insecureURL(let host)):
            return .configuration("the token endpoint \(host) is plain http://, which only loopback hosts may use; check token_uri in the client secrets file")
        case .network(let e): return .network(e.description)
        case .server(let status): return .tokenEndpoint("answered \(status) on every try; try again later")
        case .clientMisconfigured(let code, _):
            return .configuration("Google refused the OAuth client (\(code)); check client_id and client_secret in the client secrets file")
        case .invalidRequest(let m): return .tokenEndpoint("refused the refresh: \(m)")
        case .invalidResponse(let m): return .tokenEndpoint("sent an answer that cannot be read (\(m))")
        // The cases below belong to the authorization step, not to a refresh; they are
        // spelled out rather than interpolated, so no text from the error reaches the UI unchecked.
        case .codeRejected, .authorizationDenied, .stateMismatch, .missingCode, .listenerTimedOut, .unauthorized:
            return .api(status: 0, message: "token refresh failed")
        }
    }
}
