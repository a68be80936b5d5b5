import Foundation
import GoogleOAuth
import GmailAPI
import HTTPCore
import MIME
import MailStore

/// What the UI asks for: pages of summaries, one message, labels.
///
/// The service owns the account's tokens: it refreshes them before they expire (one
/// refresh at a time, shared by concurrent callers), refreshes once and retries on a
/// 401, and reports `.reauthorizationRequired` when the grant is gone. The UI keeps
/// the request that failed, authorizes again, calls `replaceAccount`, and reruns it.
/// Rate limits, 5xx and transient network failures are retried with backoff.
///
/// Every Gmail request of the account (page metadata, prefetches, message bodies, labels)
/// takes a slot from one budget of `inFlightLimit` requests in flight, so that together they stay
/// under Gmail's per-user concurrency limit; foreground requests are served before prefetches, and no
/// prefetch starts while the user waits for something (see `RequestBudget`).
/// Pages and messages are kept in bounded LRU caches (`CachePolicy` says whether a request may use them);
/// `invalidateCaches` (the `r` key) drops them.
public actor MailService {
    let oauth: OAuthClient
    let gmail: GmailClient
    let store: any CredentialStore
    let retryPolicy: RetryPolicy
    let fetchStrategy: FetchStrategy
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double
    /// The account's local store, when there is one: pages and bodies are written through to it, and it
    /// answers first for bodies and when Gmail cannot be reached (see StoreBacked.swift, Sync.swift).
    let mailStore: MailStore?

    var credentials: Credentials
    /// Set once the store no longer holds the account (logged out elsewhere): no refresh is tried again.
    var loggedOut = false
    /// Bumped by `replaceAccount`, so that a refresh started for the old account is not applied to the new one.
    var generation = 0
    var refreshTask: Task<Result<Credentials, MailServiceError>, Never>?
    /// Who may have a slot of Gmail's per-user concurrency now (see `RequestBudget`).
    var budget: RequestBudget
    /// Requests parked by the budget, by the id it knows them under.
    var parked: [Int: CheckedContinuation<Bool, Never>] = [:]
    var nextParkedID = 1
    var nextTicket = 1

    /// Pages and messages in memory, and their loads under way (so that a request joins a prefetch of the same thing).
    var tables: LoadTables
    /// Requests that joined a load already in progress (for tests).
    var joinedLoads = 0
    /// Told why a foreground request is waiting (a retry, a server's `Retry-After`).
    var noticeHandler: (@Sendable (ServiceNotice) -> Void)?
    /// When a request last failed for want of the network (after its retries); nil once one succeeds.
    var unreachableAt: Date?

    public init(oauth: OAuthClient, gmail: GmailClient, store: any CredentialStore, account: Credentials,
                retryPolicy: RetryPolicy = .default, fetchStrategy: FetchStrategy = .default,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                clock: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                pageCacheCapacity: Int = 32, messageCacheCapacity: Int = 200, mailStore: MailStore? = nil) {
        self.oauth = oauth; self.gmail = gmail; self.store = store; self.credentials = account; self.mailStore = mailStore
        self.retryPolicy = retryPolicy; self.fetchStrategy = fetchStrategy
        self.sleep = sleep; self.now = clock; self.random = random
        self.budget = RequestBudget(ceiling: fetchStrategy.maxInFlight)
        self.tables = LoadTables(pageCapacity: pageCacheCapacity, messageCapacity: messageCacheCapacity)
    }

    /// The signed-in account.
    public var account: MailAccount { MailAccount(email: credentials.email, userID: credentials.userID) }

    /// Sets who hears about waits and retries of foreground requests (the browser's status line).
    public func setNoticeHandler(_ handler: (@Sendable (ServiceNotice) -> Void)?) { noticeHandler = handler }

    /// Switches to new credentials (after re-authorization); calls made afterwards use them.
    public func replaceAccount(_ credentials: Credentials) {
        if credentials.userID != self.credentials.userID { invalidateCaches() }
        self.credentials = credentials
        loggedOut = false
        generation += 1
        refreshTask = nil
    }

    // MARK: - What the UI asks for

    /// One page of message summaries for a query, in the order Gmail listed them.
    ///
    /// A message deleted between the list and its metadata fetch is left out. A reload (`r`) calls
    /// `invalidateCaches()` first, so that later pages are not stale either.
    ///
    /// With a local store, the page is written to it; with Gmail unreachable (after the retries) the
    /// stored page answers, its `storedAt` saying when Gmail listed it.
    public func page(query: String, pageToken: String?, pageSize: Int, cache: CachePolicy) async throws(MailServiceError) -> MessagePage {
        let key = PageKey(query: query, pageToken: pageToken, pageSize: pageSize)
        return try await orStored(cache, stored: storedPage(query: query, pageToken: pageToken, pageSize: pageSize)) {
            await obtain(\LoadTables.pages, key, cache) { service, lane throws(MailServiceError) in try await service.fetchPage(key, lane: lane) }
        }
    }

    /// Fetches a page into the cache without anyone waiting on it (the next page, while this one is read).
    ///
    /// Nothing happens when it is cached or already loading; failures are dropped (the real request will report them).
    public func prefetchPage(query: String, pageToken: String?, pageSize: Int) async {
        let key = PageKey(query: query, pageToken: pageToken, pageSize: pageSize)
        await prefetch(\LoadTables.pages, key) { service, lane throws(MailServiceError) in
            try await service.fetchPage(key, lane: lane)
        }
    }

    /// One whole message, rendered for reading. With a local store, a stored body answers without a
    /// request (`.reload` asks Gmail first, and falls back to it only when Gmail cannot be reached),
    /// and a fetched one is stored.
    public func message(id: String, cache: CachePolicy) async throws(MailServiceError) -> MessageDetail {
        let storeFirst = cache == .useCached
        return try await obtain(\LoadTables.messages, id, cache) { service, lane throws(MailServiceError) in
            try await service.fetchMessage(id, lane: lane, storeFirst: storeFirst)
        }.get()
    }

    /// Fetches a message into the cache ahead of its opening (the selection rested on it); failures are dropped.
    public func prefetchMessage(id: String) async {
        await prefetch(\LoadTables.messages, id) { service, lane throws(MailServiceError) in
            try await service.fetchMessage(id, lane: lane)
        }
    }

    /// True when the page would be answered from memory.
    public func hasCachedPage(query: String, pageToken: String?, pageSize: Int) -> Bool {
        tables.pages.isCached(PageKey(query: query, pageToken: pageToken, pageSize: pageSize))
    }

    /// True when the message would be answered from memory.
    public func hasCachedMessage(id: String) -> Bool { tables.messages.isCached(id) }

    /// Forgets every cached page and message; loads in progress finish but are not cached.
    ///
    /// Prefetches under way are stopped: what they would bring is now stale, and they would otherwise hold
    /// slots the reload that follows needs, and keep a fresh prefetch of the same page from starting.
    public func invalidateCaches() {
        let budget = self.budget
        perform(self.budget.abandon(tables.invalidate(dropping: budget.isAbandonable)))
    }

    /// Every label with its message counts, in Gmail's order; with a local store, written through to it
    /// (`storedLabels()` reads them back).
    public func labels() async throws(MailServiceError) -> [LabelSummary] {
        let gmail = self.gmail
        budget.beginForeground()
        defer { perform(budget.finish(.foreground)) }
        let list = try await call { token throws(GmailError) in try await gmail.labelsList(accessToken: token) }
        let entries = list.labels ?? []
        let detailed: [Label] = try await inOrder(count: entries.count) { index in
            let entry = entries[index]
            do throws(MailServiceError) {
                return .success(try await self.call { token throws(GmailError) in
                    try await gmail.labelsGet(LabelsGetParameters(id: entry.id), accessToken: token)
                })
            } catch .notFound {
                return .success(entry)
            } catch {
                return .failure(error)
            }
        }
        saveLabelList(detailed)
        return detailed.map { Self.labelSummary(Self.storedLabel($0)) }
    }
}
