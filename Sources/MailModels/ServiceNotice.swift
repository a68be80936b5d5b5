import Foundation

/// What the service tells its observer while a foreground request waits, so the screen can say why
/// nothing has arrived yet instead of spinning in silence.
public enum ServiceNotice: Sendable, Equatable {
    /// Gmail answered 429 (or a usage-limit 403) with `Retry-After`: the next try comes after `wait`.
    case serverAskedToWait(Duration)
    /// A try failed (network, 5xx, rate limit without a stated wait): the next comes after `wait`.
    case retrying(after: Duration, attempt: Int)
    /// The request is being tried again now.
    case retryStarted
}

extension MailServiceError {
    /// Everything known about the error, for the log (never shown as is; carries no secret).
    public var logDetail: String {
        if case .badAnswer(_, let detail) = self { return "\(description) [\(detail)]" }
        return description
    }
}
