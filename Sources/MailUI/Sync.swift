import Foundation
import MailModels

/// Which page a sync is for: its answer is applied only while that page is still the one shown.
public struct SyncKey: Sendable, Equatable {
    public var query: String
    public var pageToken: String?
    /// True when the page is listed as conversations (`t`).
    public var conversations: Bool
    public init(query: String, pageToken: String?, conversations: Bool = false) {
        self.query = query; self.pageToken = pageToken; self.conversations = conversations
    }

    func effect(pageSize: Int) -> BrowserEffect {
        conversations ? .syncConversations(query: query, pageToken: pageToken, pageSize: pageSize)
                      : .sync(query: query, pageToken: pageToken, pageSize: pageSize)
    }
}

/// How the list keeps up with Gmail: the sync in flight, when the next one is due, and how fresh the list is.
///
/// A sync runs at start (after the stored page is drawn), on `r`, every `interval` seconds while the browser
/// is open, and after a failure with a backoff that doubles from 5 s to 5 min.
public struct SyncStatus: Sendable, Equatable {
    /// Seconds between syncs while the browser is open (`sync_interval_s`); zero or less syncs only on `r`
    /// (and retries after a failure).
    public var interval: TimeInterval = 60
    /// The sync in flight.
    public internal(set) var pending: SyncKey?
    /// True when the user asked for the sync in flight (`r`): the status line shows it, and its failure.
    public internal(set) var userAsked = false
    /// When the next sync is due; nil when none is planned (one is in flight, or retrying cannot help).
    public internal(set) var dueAt: Date?
    /// When Gmail last listed the page shown, if it came from Gmail (a stored page has its own `storedAt`).
    public internal(set) var listedAt: Date?
    /// True once Gmail could not be reached, until a page or a sync comes back from it.
    public internal(set) var offline = false
    /// The wait before the latest retry; nil when the last sync (or page) came back from Gmail.
    public internal(set) var retryDelay: TimeInterval?

    static let firstRetry: TimeInterval = 5
    static let longestRetry: TimeInterval = 300
    public init() {}
}

extension BrowserState {
    /// Seconds between syncs while the browser is open (`sync_interval_s`, default 60).
    public var syncInterval: TimeInterval {
        get { sync.interval }
        set {
            sync.interval = newValue
            // A retry keeps its own schedule; a periodic one is planned again with the new interval.
            if sync.pending == nil, sync.retryDelay == nil, sync.dueAt != nil { planPeriodicSync(from: sync.listedAt ?? now) }
        }
    }

    /// Starts on the page the local store holds for the query, drawn before any network call, then syncs it;
    /// with nothing stored, loads the first page from Gmail as `start()` does.
    public mutating func start(stored: MessagePage?) -> [BrowserEffect] {
        guard let stored, stored.query == list.query, stored.pageToken == nil else { return start() }
        list.page = stored
        list.pageTokens = [nil]
        list.selection = 0; list.scroll = 0
        list.error = nil
        clampList()
        list.selectionMovedAt = now
        return requestSync(userAsked: false).map { [$0] } ?? []
    }

    /// The key of the page shown (or being retried, when none is).
    var shownKey: SyncKey { SyncKey(query: list.query, pageToken: list.pageTokens.last ?? nil, conversations: list.conversations != nil) }

    /// Asks for a sync of the page shown; nil when one is already in flight for it.
    mutating func requestSync(userAsked: Bool) -> BrowserEffect? {
        let key = shownKey
        if userAsked { list.error = nil }
        if sync.pending == key {
            sync.userAsked = sync.userAsked || userAsked
            return nil
        }
        sync.pending = key
        sync.userAsked = userAsked
        sync.dueAt = nil
        return key.effect(pageSize: pageSize)
    }

    /// The sync that is due at `now`, if any (driven by `.clock`).
    mutating func dueSync() -> [BrowserEffect] {
        guard let due = sync.dueAt, now >= due, sync.pending == nil, list.pending == nil, screen != .authorization else { return [] }
        return requestSync(userAsked: false).map { [$0] } ?? []
    }

    mutating func planPeriodicSync(from start: Date) {
        sync.dueAt = sync.interval > 0 ? start.addingTimeInterval(sync.interval) : nil
    }

    /// Plans the next retry after a failure: 5 s, doubling up to 5 min.
    mutating func planRetry() {
        let delay = sync.retryDelay.map { min($0 * 2, SyncStatus.longestRetry) } ?? SyncStatus.firstRetry
        sync.retryDelay = delay
        sync.dueAt = now.addingTimeInterval(delay)
    }

    /// Gmail answered: the backoff starts over, and the next sync is a periodic one.
    mutating func reachedGmail() {
        sync.offline = false
        sync.retryDelay = nil
        if sync.pending == nil { planPeriodicSync(from: now) }
    }

    /// Gmail could not be reached: the header says so, and a retry is planned unless one already is.
    mutating func lostGmail() {
        sync.offline = true
        if sync.pending == nil, sync.retryDelay == nil || sync.dueAt == nil { planRetry() }
    }

    /// A page arrived (`.pageLoaded`): from Gmail, or from the store because Gmail could not be reached.
    mutating func notePageArrived(_ page: MessagePage) {
        if page.storedAt != nil {
            lostGmail()
        } else {
            reachedGmail()
            sync.listedAt = now
        }
    }

    /// A page or a message could not be fetched: a network failure means Gmail is out of reach.
    mutating func noteFetchFailed(_ error: MailServiceError) {
        if case .network = error { lostGmail() }
    }

    // MARK: - Sync results

    mutating func synced(_ result: SyncResult, conversations: Bool = false) -> [BrowserEffect] {
        if let labels = result.labels { labelsFromGmail(labels) }
        let key = SyncKey(query: result.page.query, pageToken: result.page.pageToken, conversations: conversations)
        guard sync.pending == key else { return [] }
        sync.pending = nil
        sync.userAsked = false
        reachedGmail()
        // The user moved to another query or page while it ran: that one is as fresh as it comes.
        guard key == shownKey else { return [] }
        list.error = nil
        sync.listedAt = now
        let before = Set((list.page?.messages ?? []).map(\.id))
        replaceKeepingSelection(with: result.page)
        let listed = Set(result.page.messages.map(\.id))
        var seen = Set<String>()
        let arrived = result.newMessageIDs.filter { listed.contains($0) && !before.contains($0) && seen.insert($0).inserted }
        if !arrived.isEmpty {
            let words = arrived.count == 1 ? "1 new message" : "\(arrived.count) new messages"
            list.notice = words
            if screen == .message { message?.notice = words }
        }
        return []
    }

    mutating func syncFailed(query: String, pageToken: String?, error: MailServiceError) -> [BrowserEffect] {
        // `.syncFailed` answers both kinds of sync: the one in flight says which this was.
        let key = SyncKey(query: query, pageToken: pageToken, conversations: sync.pending?.conversations ?? false)
        guard sync.pending == key else { return [] }
        let asked = sync.userAsked
        sync.pending = nil
        sync.userAsked = false
        switch error {
        case .reauthorizationRequired(let email, let reason):
            // Kept in flight: it is sent again once authorization succeeds, and its answer is awaited.
            sync.pending = key
            sync.userAsked = asked
            remember(key.effect(pageSize: pageSize))
            return needAuthorization(email: email, reason: reason)
        case .loggedOutElsewhere, .configuration:
            // Retrying cannot help: say so whoever asked.
            sync.dueAt = nil
            list.error = Self.describe(error, retry: "r to retry")
            return []
        case .network:
            sync.offline = true
        default:
            break
        }
        planRetry()
        if asked { list.error = error == .notFound ? Self.describePageFailure(error, query: query) : Self.describe(error, retry: "r to retry") }
        return []
    }

    /// Shows `page` in place of the one shown, the selection staying on the same message; when that message is
    /// gone, on its nearest neighbour that is still there (the one after it first).
    mutating func replaceKeepingSelection(with page: MessagePage) {
        let before = list.page?.messages ?? []
        let selectedID = before.indices.contains(list.selection) ? before[list.selection].id : nil
        let ids = page.messages.map(\.id)
        list.page = page
        if let target = Self.survivor(of: list.selection, in: before, among: Set(ids)), let index = ids.firstIndex(of: target) {
            list.selection = index
        }
        clampList()
        let nowSelected = page.messages.indices.contains(list.selection) ? page.messages[list.selection].id : nil
        if nowSelected != selectedID { list.selectionMovedAt = now }
        if let open = message?.id {
            message?.index = ids.firstIndex(of: open) ?? list.selection
        }
    }

    /// The id of the message at `index` in `before` if it is still among `ids`, else of its nearest neighbour
    /// that is (the later one on a tie: where the selection goes after a message is removed).
    static func survivor(of index: Int, in before: [MessageSummary], among ids: Set<String>) -> String? {
        guard before.indices.contains(index) else { return nil }
        for distance in 0..<before.count {
            for i in [index + distance, index - distance] where before.indices.contains(i) && ids.contains(before[i].id) {
                return before[i].id
            }
        }
        return nil
    }
}

extension BrowserState {
    /// Why a page could not be shown, in words: a network failure means it is not stored either.
    static func describePageFailure(_ error: MailServiceError, query: String) -> String {
        if case .network(let m) = error { return "Offline, not stored: \(m) (r to retry)" }
        // A list is never deleted: Gmail answers an empty one for a query that matches nothing.
        if case .notFound = error { return ErrorWords.listSentence(error, query: query) + " (r to retry)" }
        return describe(error, retry: "r to retry")
    }

    /// Why a message could not be opened, in words: a network failure means it is not stored either.
    static func describeMessageFailure(_ error: MailServiceError) -> String {
        if case .network(let m) = error {
            return "Offline: this message is not stored on this computer, and Gmail cannot be reached: \(m) (r to retry, q back)"
        }
        return describe(error, retry: "r to retry, q back")
    }

    /// How fresh the list is, for the header: "synced 2 min ago", "offline, synced 5 min ago", or nil while
    /// the list is as Gmail listed it at the last sync (the header then needs no word about it).
    var freshness: String? {
        let listed = list.page?.storedAt ?? sync.listedAt
        let ago = listed.map { "synced " + DisplayFormat.ago(from: $0, to: now) }
        if sync.offline { return ["offline", ago].compactMap { $0 }.joined(separator: ", ") }
        guard list.page?.storedAt != nil || sync.retryDelay != nil else { return nil }
        return ago
    }
}

extension DisplayFormat {
    /// How long ago, in the coarsest unit that says it: "just now", "2 min ago", "3 h ago", "4 days ago".
    public static func ago(from then: Date, to now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(then)))
        switch seconds {
        case ..<60: return "just now"
        case ..<3600: return "\(seconds / 60) min ago"
        case ..<86_400: return "\(seconds / 3600) h ago"
        default:
            let days = seconds / 86_400
            return days == 1 ? "1 day ago" : "\(days) days ago"
        }
    }
}
