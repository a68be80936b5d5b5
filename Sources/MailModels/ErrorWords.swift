/// The words a user reads for what went wrong: the one table the browser's status line and the
/// commands draw on (`MailService` adds the authorization step's errors, which only it can see).
public enum ErrorWords {
    /// What happened, as a sentence without a closing full stop.
    public static func sentence(_ error: MailServiceError) -> String {
        switch error {
        case .reauthorizationRequired(let email, _): return "Authorization needed again for \(email)"
        case .network(let m): return "Network problem: \(m)"
        case .rateLimited: return "Gmail is rate limiting requests; wait a moment"
        case .notFound: return "Not found: it may have been deleted"
        case .api(let status, let m): return "Gmail error \(status): \(m)"
        case .loggedOutElsewhere(let email): return "\(email) was logged out in another gmail-tui; run gmail-tui auth to sign in again"
        case .badAnswer(let summary, _): return summary
        case .tokenEndpoint(let m): return "Google's token endpoint: \(m)"
        case .configuration(let m): return "Configuration: \(m)"
        case .modifyPermissionRequired(let email): return "Changing mail needs permission to modify Gmail (gmail.modify) for \(email)"
        }
    }

    /// What went wrong listing `query` (`gmail-tui list`): a 404 there is no deleted message, since
    /// `messages.list` answers an empty list for a query that matches nothing; it means the address or the
    /// account asked for is wrong.
    public static func listSentence(_ error: MailServiceError, query: String) -> String {
        guard case .notFound = error else { return sentence(error) }
        return "Gmail answered 404 Not found for the list: no list of \"\(query)\" is at this address "
            + "(a wrong API address or account); try again later if Gmail was failing"
    }

    /// The browser's status line: the sentence, then `retry` (the keys that try again) where trying
    /// again can help.
    public static func statusLine(_ error: MailServiceError, retry: String) -> String {
        switch error {
        case .reauthorizationRequired, .configuration, .modifyPermissionRequired: return sentence(error)
        // The browser cannot sign in again by itself: the way out starts with leaving it.
        case .loggedOutElsewhere(let email): return "\(email) was logged out in another gmail-tui; q quits, then run gmail-tui auth"
        default: return "\(sentence(error)) (\(retry))"
        }
    }
}

extension MailServiceError: CustomStringConvertible {
    public var description: String { ErrorWords.sentence(self) }
}
