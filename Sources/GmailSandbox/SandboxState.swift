import Foundation

/// A registered OAuth client.
struct OAuthClient: Sendable {
    enum Kind: String, Sendable { case installed, web }
    var id: String
    var secret: String
    var kind: Kind
    var redirectURIs: [String]
}

/// A Google account the sandbox knows.
struct SandboxUser: Sendable {
    var id: String
    var email: String
    var name: String
    var givenName: String
    var familyName: String
    var denyConsent: Bool
}

/// A code handed out by the authorization endpoint, waiting for its exchange.
struct AuthorizationCode: Sendable {
    var clientId: String
    var redirectURI: String
    /// Nil when the authorization request carried no PKCE challenge.
    var challenge: String?
    var challengeMethod: String
    var scopes: [String]
    var userEmail: String
    var issuesRefreshToken: Bool
    var expires: Date
}

struct AccessToken: Sendable {
    var userEmail: String
    var clientId: String
    var scopes: [String]
    var expires: Date
    /// The refresh token it came from, so revoking either kills both.
    var refreshToken: String?
}

struct RefreshToken: Sendable {
    var userEmail: String
    var clientId: String
    var scopes: [String]
}

/// One change to the mailbox, as history.list reports it: one message, one kind of change.
struct HistoryRecord: Sendable {
    /// The `historyTypes` values of history.list, one per kind of change.
    enum Kind: String, Sendable, CaseIterable {
        case messageAdded, messageDeleted, labelAdded, labelRemoved

        /// The member of a `History` resource that holds this kind of change.
        var member: String {
            switch self {
            case .messageAdded: "messagesAdded"
            case .messageDeleted: "messagesDeleted"
            case .labelAdded: "labelsAdded"
            case .labelRemoved: "labelsRemoved"
            }
        }
    }

    var id: Int
    var messageId: String
    var threadId: String
    var kind: Kind
    /// The labels added or removed; empty for a message added or deleted.
    var labelIds: [String]
    /// The message's labels once the change was made (before it, for a deletion).
    var messageLabels: [String]
}

/// A fault armed by the control API: the next `remaining` requests whose path contains `path` get `status`.
struct Fault: Sendable {
    var path: String
    var status: Int
    var remaining: Int
}

/// One line of the request log; tokens, codes and secrets are masked before it is written.
public struct SandboxLogEntry: Sendable, Equatable {
    public var time: Date
    public var method: String
    /// Path and query, with secret-bearing query values replaced by `***`.
    public var path: String
    public var status: Int
    public var milliseconds: Int
    /// The connection it came in on; nil for requests handled in process (and parts of a batch).
    public var connection: SandboxConnection? = nil
}

/// Counters the control API reports.
public struct SandboxStats: Sendable, Equatable {
    public var requestsServed: Int
    public var tooManyRequests: Int
    /// The highest number of requests in flight at once, per user email.
    public var maxInFlightPerUser: [String: Int]
    /// Quota units charged since the sandbox started (the legacy per-method table), every user together.
    public var quotaUnitsCharged: Int
}

/// Everything that changes while the sandbox runs, guarded by one lock.
struct SandboxState: Sendable {
    var clients: [String: OAuthClient] = [:]
    var users: [SandboxUser] = []
    var codes: [String: AuthorizationCode] = [:]
    var accessTokens: [String: AccessToken] = [:]
    var refreshTokens: [String: RefreshToken] = [:]
    /// "email client" pairs that have consented once.
    var grants: Set<String> = []
    /// The user Google's account chooser is answered with next (`prompt=select_account`), once; nil: the
    /// chooser takes the `login_hint`'s user, else the default one, as without the chooser.
    var chosenAccount: String?

    /// The messages: loaded at start, then changed by deliveries and deletions.
    var mailbox = Mailbox.empty
    var labels: [String: Set<String>] = [:]
    var userLabels: [LabelDefinition] = []
    var messageHistoryId: [String: Int] = [:]
    var historyId: Int = 1
    /// The lowest `startHistoryId` history.list still answers; older ones get 404.
    var oldestHistoryId: Int = 1
    /// Records oldest first, ids rising.
    var history: [HistoryRecord] = []
    /// Messages delivered through the control API so far, for their file names.
    var deliveries = 0
    var parsed: [String: ParsedMessage] = [:]

    var latency: Duration = .zero
    var tokenLifetime: Duration = .seconds(3599)
    var maxConcurrentPerUser = 25
    var quotaUnitsPerMinute = 15000
    var quotaStatus = 429
    var inFlight: [String: Int] = [:]
    var maxInFlight: [String: Int] = [:]
    var quotaWindow: [String: (start: Date, units: Int)] = [:]
    var faults: [Fault] = []
    var log: [SandboxLogEntry] = []
    var requestsServed = 0
    var quotaUnitsCharged = 0
    var tooManyRequests = 0

    func user(email: String) -> SandboxUser? {
        users.first { $0.email.caseInsensitiveCompare(email) == .orderedSame || $0.id == email }
    }
}

/// A value behind a lock, reachable from any task.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
