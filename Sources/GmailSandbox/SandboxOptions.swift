import Foundation

/// How a sandbox starts: where its mailbox is, and the limits and faults it begins with.
public struct SandboxOptions: Sendable {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    public var port: Int = 0
    /// A folder of RFC 822 files; nil serves the bundled demo mailbox.
    public var mailboxDirectory: String? = nil
    /// The labels sidecar; nil reads `labels.json` in the mailbox folder, if any.
    public var labelsFile: String? = nil
    /// Added to every request (except the control API).
    public var latency: Duration = .zero
    /// Lifetime of access tokens (`expires_in`).
    public var tokenLifetime: Duration = .seconds(3599)
    /// Gmail's per-user concurrent-request limit.
    public var maxConcurrentPerUser: Int = 25
    /// Per-user quota units per minute (Gmail's legacy 15,000).
    public var quotaUnitsPerMinute: Int = 15000
    /// Status for an exhausted quota: 429 (the per-minute quota message) or 403 (`userRateLimitExceeded`).
    public var quotaStatus: Int = 429
    /// The instant `newer_than:` and `older_than:` count from; nil means the current time.
    public var referenceDate: Date? = nil
    /// Serve HTTPS (HTTP/2 by ALPN, HTTP/1.1 as fallback) on a certificate from a throwaway CA.
    public var tls: Bool = false

    public init() {}
}
