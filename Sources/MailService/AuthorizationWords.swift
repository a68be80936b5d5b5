import GoogleOAuth

// The authorization step's errors in the same table as the service's: `gmail-tui auth`, the browser's
// authorization screen and every command's last line use these words.
extension ErrorWords {
    /// Any error a command or the authorization screen meets, as a sentence a user reads.
    public static func sentence(for error: any Error) -> String {
        switch error {
        case let error as MailServiceError: return sentence(error)
        case let error as OAuthError: return sentence(error)
        default: return "\(error)"
        }
    }

    /// An authorization or token call that failed, ending with a full stop.
    public static func sentence(_ error: OAuthError) -> String {
        switch error {
        case .authorizationDenied(let what): return "Google reported \(what): access was not granted."
        case .stateMismatch: return "that address belongs to another authorization attempt (state mismatch); use the URL above."
        case .missingCode: return "no code found; paste the code or the whole address from the browser."
        case .codeRejected: return "Google rejected the code (already used or expired); open the URL again for a new one."
        case .grantRevoked(let detail): return "the stored authorization no longer works (\(detail)); authorize again."
        case .noRefreshToken: return "Google issued no refresh token and none is stored; authorize again (consent will be asked)."
        case .clientMisconfigured(let e, let d): return "the OAuth client is misconfigured (\(e): \(d)); see troubleshooting.md (in docs/ of the source, share/doc/gmail-tui where installed)."
        case .invalidRequest(let detail): return "Google refused the request: \(detail)."
        case .server(let status): return "Google's token endpoint is failing (it answered \(status)); try again later."
        case .network(let e): return "network problem: \(e)."
        case .invalidResponse(let detail): return "unreadable answer from Google: \(detail)."
        case .listenerTimedOut: return "nothing came back from the browser in time."
        case .unauthorized: return "Google did not accept the access token (401); authorize again."
        }
    }

    /// The last line of a command that failed: like `sentence(for:)`, except that a grant Google no
    /// longer accepts names the command that gets a new one (the browser shows its authorization screen instead).
    public static func commandLine(for error: any Error) -> String {
        if case MailServiceError.reauthorizationRequired(let email, _) = error {
            return "Google no longer accepts the saved authorization for \(email). Run: gmail-tui auth --account \(email)"
        }
        return sentence(for: error)
    }
}
