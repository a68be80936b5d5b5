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

    public var description: String {
        switch self {
        case .authorizationDenied(let error):
            return "authorization was refused (\(error)); start again and allow access to continue"
        case .stateMismatch:
            return "the pasted URL belongs to another authorization attempt (state does not match); use the URL shown now"
        case .missingCode:
            return "no authorization code found; paste the code or the whole URL from the browser's address bar"
        case .codeRejected(let detail):
            return "Google rejected the authorization code (\(detail)); codes work once and expire within minutes: open the URL again for a new one"
        case .grantRevoked(let detail):
            return "the stored authorization no longer works (\(detail)); authorize again"
        case .noRefreshToken:
            return "Google issued no refresh token and none is stored; authorize again (consent will be asked)"
        case .clientMisconfigured(let error, let detail):
            return "the OAuth client is misconfigured (\(error): \(detail)); check the client secrets file and the client's settings in the Google Cloud console"
        case .invalidRequest(let detail):
            return "Google refused the request: \(detail)"
        case .server(let status):
            return "Google's server answered \(status); try again later"
        case .network(let error):
            return "network problem: \(error.description)"
        case .invalidResponse(let detail):
            return "unreadable answer from Google: \(detail)"
        case .listenerTimedOut:
            return "no answer from the browser in time; paste the code or the redirect URL instead"
        case .unauthorized:
            return "the access token was not accepted (401)"
        }
    }
}
