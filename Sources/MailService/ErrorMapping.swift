import Foundation
import GoogleOAuth
import GmailAPI
import HTTPCore

// What went wrong below the service, as the service reports it.
extension MailService {
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
