import Foundation

/// The instant by which a whole piece of work (a screenless command, say) must be done, retries included.
///
/// Set it around the work with `RequestDeadline.$current.withValue(.now + .seconds(90)) { ... }`; it is a
/// task-local, so tasks started inside (task groups, `Task {}`) see it too. Transports cut a request's
/// time to what is left, and retry loops do not start an attempt that could not finish before it.
public enum RequestDeadline {
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// Time left before the deadline (zero once it has passed); nil when there is none.
    public static var remaining: Duration? {
        current.map { max(.zero, $0 - .now) }
    }

    /// Whether waiting `delay` and then trying again would still start before the deadline.
    public static func allowsRetry(after delay: Duration) -> Bool {
        guard let current else { return true }
        return ContinuousClock.now + delay < current
    }
}
