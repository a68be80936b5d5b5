import Foundation

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

extension FetchStrategy {
    var maxInFlight: Int {
        switch self {
        case .parallel(let n): return max(1, n)
        case .batch: return 10
        }
    }
}
