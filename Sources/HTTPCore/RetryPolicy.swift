import Foundation

/// How failed calls to Google are retried, by every client in the package: exponential backoff with
/// jitter, and a server's `Retry-After` honoured up to a bound.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first one included (1 means no retry).
    public var maxAttempts: Int
    /// The backoff ceiling before the first retry; it doubles on each one.
    public var baseDelay: Duration
    /// No backoff grows beyond this.
    public var maxDelay: Duration
    /// The share of the ceiling drawn at random, so that clients do not retry in step: 1 is full jitter
    /// (anywhere below the ceiling), 0.1 waits 90 to 100 % of it, 0 waits the ceiling exactly.
    public var jitter: Double

    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(32), jitter: Double = 1) {
        self.maxAttempts = max(1, maxAttempts); self.baseDelay = baseDelay; self.maxDelay = maxDelay
        self.jitter = min(max(jitter, 0), 1)
    }

    /// Gmail calls: five attempts from half a second, full jitter.
    public static let `default` = RetryPolicy()

    /// Google's token endpoint, as Google's own auth libraries retry it: three attempts, 1 s doubling, 10 % jitter.
    public static let tokenEndpoint = RetryPolicy(maxAttempts: 3, baseDelay: .seconds(1), maxDelay: .seconds(32), jitter: 0.1)

    /// The longest a server's `Retry-After` is obeyed (or `maxDelay` if longer): a hostile or broken
    /// header must not park the user for hours.
    public var retryAfterLimit: Duration { max(maxDelay, .seconds(60)) }

    /// The wait before retry number `retry` (1 for the first retry).
    ///
    /// The backoff is the ceiling `min(maxDelay, baseDelay * 2^(retry-1))`, of which `jitter` is scaled by
    /// `random` (in 0..<1). A server's `retryAfter` lengthens it, up to `retryAfterLimit`, and never
    /// shortens it: `Retry-After: 0` does not make a client retry in a tight loop.
    public func delay(retry: Int, retryAfter: Duration?, random: Double) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let backoff = ceiling * (1 - jitter + jitter * min(max(random, 0), 1))
        guard let retryAfter else { return backoff }
        return max(backoff, min(max(retryAfter, .zero), retryAfterLimit))
    }
}
