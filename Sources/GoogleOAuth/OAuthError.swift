import HTTPCore

/// Why authorization or a token call failed. No case carries a secret.
public enum OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The user (or policy) refused: `error=access_denied` or another `error=` on the redirect.
    case authorizationDenied(String)
    /// A pasted redirect URL whose `state` is not ours.
    case stateMismatch
    /// Nothing usable was pasted (no code, or not a URL of ours).
    case missingCode
    /// The token endpoint refused the code (`invalid_grant` on exchange: used, expired or wrong).
    case codeRejected(String)
    /// The refresh token no longer works (`invalid_grant` on refresh): authorize again.
    case grantRevoked(String)
    /// No refresh token was issued and none is stored: authorize again with prompt=consent.
    case noRefreshToken
    /// The client id, secret or redirect URI is wrong (`invalid_client`, `redirect_uri_mismatch`, `deleted_client`, `unauthorized_client`).
    case clientMisconfigured(error: String, description: String)
    /// Any other 4xx from the token endpoint.
    case invalidRequest(String)
    /// The endpoint answered 5xx (after retries).
    case server(status: Int)
    /// No HTTP answer at all.
    case network(TransportError)
    /// An answer that cannot be read.
    case invalidResponse(String)
    /// The loopback listener got no valid request in time.
    case listenerTimedOut
    /// The userinfo endpoint answered 401: the access token is not accepted (refresh it, once).
    case unauthorized

    /// What failed, for the log. The words a user reads are `ErrorWords`' (MailService), which also say
    /// what to do about it.
    public var description: String {
        switch self {
        case .authorizationDenied(let error): return "authorization denied (\(error))"
        case .stateMismatch: return "state mismatch"
        case .missingCode: return "no authorization code"
        case .codeRejected(let detail): return "authorization code rejected (\(detail))"
        case .grantRevoked(let detail): return "grant revoked (\(detail))"
        case .noRefreshToken: return "no refresh token"
        case .clientMisconfigured(let error, let detail): return "client misconfigured (\(error): \(detail))"
        case .invalidRequest(let detail): return "request refused (\(detail))"
        case .server(let status): return "token endpoint answered \(status)"
        case .network(let error): return "network: \(error.description)"
        case .invalidResponse(let detail): return "unreadable answer (\(detail))"
        case .listenerTimedOut: return "listener timed out"
        case .unauthorized: return "access token not accepted (401)"
        }
    }
}
