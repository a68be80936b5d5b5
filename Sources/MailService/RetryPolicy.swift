import Foundation

/// How failed Gmail calls are retried: exponential backoff with full jitter.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first one included (1 means no retry).
    public var maxAttempts: Int
    /// The backoff ceiling before the first retry; it doubles on each one.
    public var baseDelay: Duration
    /// No backoff grows beyond this (a server's `Retry-After` is still honoured in full).
    public var maxDelay: Duration
    /// Full jitter: sleep a random fraction of the ceiling, so that clients do not retry in step.
    public var jitter: Bool

    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(32), jitter: Bool = true) {
        self.maxAttempts = max(1, maxAttempts); self.baseDelay = baseDelay; self.maxDelay = maxDelay; self.jitter = jitter
    }

    public static let `default` = RetryPolicy()

    /// The wait before retry number `retry` (1 for the first retry).
    ///
    /// `retryAfter` from the server wins; otherwise `random` (in 0..<1) scales the ceiling
    /// `min(maxDelay, baseDelay * 2^(retry-1))` when jitter is on.
    public func delay(retry: Int, retryAfter: Duration?, random: Double) -> Duration {
        // The server's wish wins, up to a minute (or maxDelay if longer): a hostile or broken Retry-After
        // must not park the UI for hours.
        if let retryAfter { return min(retryAfter, max(maxDelay, .seconds(60))) }
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        return jitter ? ceiling * min(max(random, 0), 1) : ceiling
    }
}

/// How a page's message metadata is fetched.
public enum FetchStrategy: Sendable, Equatable {
    /// One GET per message, at most `maxInFlight` at a time (HTTP/2 multiplexes them).
    case parallel(maxInFlight: Int)
    /// Batch requests of at most `size` calls (capped at 50).
    case batch(size: Int)

    /// 25 in flight: Gmail's per-user limit is not published (practitioners see 429s from 20 to 50, the
    /// sandbox emulates 25), and 25 fetches a page of 50 in two waves; the AIMD budget halves on a 429.
    public static let `default` = FetchStrategy.parallel(maxInFlight: 25)
}
