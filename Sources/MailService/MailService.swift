import Foundation
import GoogleOAuth
import GmailAPI
import HTTPCore
import MIME

/// Who the service is signed in as.
public struct MailAccount: Sendable, Equatable {
    public var email: String
    public var userID: String
    public init(email: String, userID: String) { self.email = email; self.userID = userID }
}

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
/// Pages and messages are kept in bounded LRU caches; `bypassCache` (the `r` key) drops them.
public actor MailService {
    let oauth: OAuthClient
    let gmail: GmailClient
    let store: any CredentialStore
    let retryPolicy: RetryPolicy
    let fetchStrategy: FetchStrategy
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double

    var credentials: Credentials
    /// Set once the store no longer holds the account (logged out elsewhere): no refresh is tried again.
    var loggedOut = false
    /// Bumped by `replaceAccount`, so that a refresh started for the old account is not applied to the new one.
    var generation = 0
    private var refreshTask: Task<Result<Credentials, MailServiceError>, Never>?
    /// Who may have a slot of Gmail's per-user concurrency now (see `RequestBudget`).
    private var budget: RequestBudget
    /// Requests parked by the budget, by the id it knows them under.
    private var parked: [Int: CheckedContinuation<Bool, Never>] = [:]
    private var nextParkedID = 1
    private var nextTicket = 1

    // Caches, the loads in progress (so that a request joins a prefetch of the same thing), and
    // a generation bumped on invalidation so that a load started before it is not cached after it.
    private var pageCache: LRUCache<PageKey, MessagePage>
    private var detailCache: LRUCache<String, MessageDetail>
    private var pageLoads: [PageKey: (ticket: Int, task: Task<Result<MessagePage, MailServiceError>, Never>)] = [:]
    private var messageLoads: [String: (ticket: Int, task: Task<Result<MessageDetail, MailServiceError>, Never>)] = [:]
    private var cacheGeneration = 0
    /// Requests that joined a load already in progress (for tests).
    private(set) var joinedLoads = 0
    /// Told why a foreground request is waiting (a retry, a server's `Retry-After`).
    private var noticeHandler: (@Sendable (ServiceNotice) -> Void)?

    public init(oauth: OAuthClient, gmail: GmailClient, store: any CredentialStore, account: Credentials,
                retryPolicy: RetryPolicy = .default, fetchStrategy: FetchStrategy = .default,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                clock: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                pageCacheCapacity: Int = 32, messageCacheCapacity: Int = 200) {
        self.oauth = oauth; self.gmail = gmail; self.store = store; self.credentials = account
        self.retryPolicy = retryPolicy; self.fetchStrategy = fetchStrategy
        self.sleep = sleep; self.now = clock; self.random = random
        self.budget = RequestBudget(ceiling: fetchStrategy.maxInFlight)
        self.pageCache = LRUCache(capacity: pageCacheCapacity)
        self.detailCache = LRUCache(capacity: messageCacheCapacity)
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
    /// A message deleted between the list and its metadata fetch is left out. This call always asks
    /// Gmail (and keeps the answer in the cache); the browser uses `page(query:pageToken:pageSize:bypassCache:)`.
    public func page(query: String, pageToken: String?, pageSize: Int) async throws(MailServiceError) -> MessagePage {
        try await page(query: query, pageToken: pageToken, pageSize: pageSize, bypassCache: true)
    }

    /// One page, from memory when it was fetched (or prefetched) before, or joining its prefetch in progress.
    ///
    /// With `bypassCache` Gmail is asked again whatever is cached; the answer replaces the cached one.
    /// A reload (`r`) calls `invalidateCaches()` first, so that later pages are not stale either.
    public func page(query: String, pageToken: String?, pageSize: Int, bypassCache: Bool) async throws(MailServiceError) -> MessagePage {
        let key = PageKey(query: query, pageToken: pageToken, pageSize: pageSize)
        if bypassCache {
            // Asked again below.
        } else if let cached = pageCache.get(key) {
            return cached
        } else if let load = pageLoads[key] {
            joinedLoads += 1
            promote(load.ticket)
            return try await load.task.value.get()
        }
        return try await loadPage(key, lane: .foreground).get()
    }

    /// Fetches a page into the cache without anyone waiting on it (the next page, while this one is read).
    ///
    /// Nothing happens when it is cached or already loading; failures are dropped (the real request will report them).
    public func prefetchPage(query: String, pageToken: String?, pageSize: Int) async {
        let key = PageKey(query: query, pageToken: pageToken, pageSize: pageSize)
        guard !pageCache.contains(key), pageLoads[key] == nil else { return }
        _ = await loadPage(key, lane: newPrefetchLane())
    }

    /// One whole message, rendered for reading. This call always asks Gmail (and caches the answer).
    public func message(id: String) async throws(MailServiceError) -> MessageDetail {
        try await message(id: id, bypassCache: true)
    }

    /// One whole message, from memory when it was fetched or prefetched before, unless `bypassCache`.
    public func message(id: String, bypassCache: Bool) async throws(MailServiceError) -> MessageDetail {
        if !bypassCache {
            if let cached = detailCache.get(id) { return cached }
            if let load = messageLoads[id] {
                joinedLoads += 1
                promote(load.ticket)
                return try await load.task.value.get()
            }
        }
        return try await loadMessage(id, lane: .foreground).get()
    }

    /// Fetches a message into the cache ahead of its opening (the selection rested on it); failures are dropped.
    public func prefetchMessage(id: String) async {
        guard !detailCache.contains(id), messageLoads[id] == nil else { return }
        _ = await loadMessage(id, lane: newPrefetchLane())
    }

    /// True when the page would be answered from memory.
    public func hasCachedPage(query: String, pageToken: String?, pageSize: Int) -> Bool {
        pageCache.contains(PageKey(query: query, pageToken: pageToken, pageSize: pageSize))
    }

    /// True when the message would be answered from memory.
    public func hasCachedMessage(id: String) -> Bool { detailCache.contains(id) }

    /// Forgets every cached page and message; loads in progress finish but are not cached.
    ///
    /// Prefetches under way are stopped: what they would bring is now stale, and they would otherwise hold
    /// slots the reload that follows needs, and keep a fresh prefetch of the same page from starting.
    public func invalidateCaches() {
        pageCache.removeAll()
        detailCache.removeAll()
        cacheGeneration += 1
        let stalePages = pageLoads.filter { budget.isAbandonable($0.value.ticket) }
        let staleMessages = messageLoads.filter { budget.isAbandonable($0.value.ticket) }
        for key in stalePages.keys { pageLoads[key] = nil }
        for id in staleMessages.keys { messageLoads[id] = nil }
        wake(budget.abandon(stalePages.values.map { $0.ticket } + staleMessages.values.map { $0.ticket }))
    }

    // MARK: - Loads shared by requests and prefetches

    private func newPrefetchLane() -> RequestLane {
        defer { nextTicket += 1 }
        return RequestLane(ticket: nextTicket)
    }

    private func loadPage(_ key: PageKey, lane: RequestLane) async -> Result<MessagePage, MailServiceError> {
        let generation = cacheGeneration
        if lane == .foreground { budget.beginForeground() }
        let task = Task { await self.fetchPageResult(key, lane: lane) }
        pageLoads[key] = (lane.ticket, task)
        let result = await task.value
        if pageLoads[key]?.task == task { pageLoads[key] = nil }
        wake(budget.finish(lane))
        if generation == cacheGeneration, case .success(let page) = result { pageCache.set(key, page) }
        return result
    }

    private func loadMessage(_ id: String, lane: RequestLane) async -> Result<MessageDetail, MailServiceError> {
        let generation = cacheGeneration
        if lane == .foreground { budget.beginForeground() }
        let task = Task { await self.fetchMessageResult(id, lane: lane) }
        messageLoads[id] = (lane.ticket, task)
        let result = await task.value
        if messageLoads[id]?.task == task { messageLoads[id] = nil }
        wake(budget.finish(lane))
        if generation == cacheGeneration, case .success(let detail) = result { detailCache.set(id, detail) }
        return result
    }

    private func fetchPageResult(_ key: PageKey, lane: RequestLane) async -> Result<MessagePage, MailServiceError> {
        do throws(MailServiceError) {
            return .success(try await fetchPage(key, lane: lane))
        } catch {
            return .failure(error)
        }
    }

    private func fetchMessageResult(_ id: String, lane: RequestLane) async -> Result<MessageDetail, MailServiceError> {
        let gmail = self.gmail
        do throws(MailServiceError) {
            var message = try await call(lane: lane) { token throws(GmailError) in
                try await gmail.messagesGet(MessagesGetParameters(id: id, format: .full), accessToken: token)
            }
            // Gmail keeps large text parts, and text files meant to be read inline, behind an attachmentId:
            // fetch those so the body is not lost (usually none, rarely more than one).
            if var payload = message.payload {
                for place in BodyFetch.readableBodiesElsewhere(in: payload) {
                    let body = try await call(lane: lane) { token throws(GmailError) in
                        try await gmail.attachmentsGet(AttachmentsGetParameters(messageId: id, id: place.attachmentId), accessToken: token)
                    }
                    BodyFetch.fill(&payload, path: place.path, data: body.data)
                }
                message.payload = payload
            }
            return .success(Self.detail(message))
        } catch {
            return .failure(error)
        }
    }

    /// The list call, then the metadata of its messages.
    private func fetchPage(_ key: PageKey, lane: RequestLane) async throws(MailServiceError) -> MessagePage {
        let gmail = self.gmail
        let parameters = MessagesListParameters(q: key.query, maxResults: key.pageSize, pageToken: key.pageToken)
        let list = try await call(lane: lane) { token throws(GmailError) in try await gmail.messagesList(parameters, accessToken: token) }
        let ids = (list.messages ?? []).map(\.id)
        let messages = try await summaries(ids, lane: lane)
        return MessagePage(query: key.query, pageToken: key.pageToken, messages: messages.compactMap { $0.map(Self.summary) },
                           nextPageToken: list.nextPageToken, resultSizeEstimate: list.resultSizeEstimate ?? messages.count)
    }

    /// Every label with its message counts, in Gmail's order.
    public func labels() async throws(MailServiceError) -> [LabelSummary] {
        let gmail = self.gmail
        budget.beginForeground()
        defer { wake(budget.finish(.foreground)) }
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
        return detailed.map { label in
            LabelSummary(id: label.id, name: label.name ?? label.id, isSystem: label.type == "system",
                         messagesTotal: label.messagesTotal, messagesUnread: label.messagesUnread)
        }
    }

    // MARK: - Metadata fetch

    /// Metadata for each id, nil where the message is gone.
    func summaries(_ ids: [String], lane: RequestLane = .foreground) async throws(MailServiceError) -> [Message?] {
        switch fetchStrategy {
        case .parallel:
            return try await inOrder(count: ids.count) { index in await self.summaryResult(ids[index], lane: lane) }
        case .batch(let size):
            return try await summariesByBatch(ids, size: min(max(size, 1), GmailBatch.maxCallsPerBatch), lane: lane)
        }
    }

    /// One message's metadata: nil when it was deleted since the list.
    func summaryResult(_ id: String, lane: RequestLane = .foreground) async -> Result<Message?, MailServiceError> {
        let gmail = self.gmail
        do throws(MailServiceError) {
            return .success(try await call(lane: lane) { token throws(GmailError) in
                try await gmail.messagesGet(.summary(id: id), accessToken: token)
            })
        } catch .notFound {
            return .success(nil)
        } catch {
            return .failure(error)
        }
    }

    /// Batches of metadata GETs; parts that failed for any reason but 404 are fetched again one by one,
    /// which brings them the usual token and retry handling.
    func summariesByBatch(_ ids: [String], size: Int, lane: RequestLane = .foreground) async throws(MailServiceError) -> [Message?] {
        let gmail = self.gmail
        var results: [Message?] = []
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + size, ids.count)])
            start += chunk.count
            // Gmail counts each part of a batch as one request in flight.
            let parts = try await call(lane: lane, weight: chunk.count) { token throws(GmailError) in
                try await gmail.messagesGetBatch(chunk.map(MessagesGetParameters.summary), accessToken: token)
            }
            for (id, part) in zip(chunk, parts) {
                switch part {
                case .success(let message): results.append(message)
                case .failure(.notFound): results.append(nil)
                case .failure: results.append(try await summaryResult(id, lane: lane).get())
                }
            }
        }
        return results
    }

    /// Runs `work` for indexes `0..<count` with at most `inFlightLimit` running, results in index order.
    /// The first failure stops new work and is thrown once the running work has finished.
    func inOrder<T: Sendable>(count: Int, _ work: @escaping @Sendable (Int) async -> Result<T, MailServiceError>) async throws(MailServiceError) -> [T] {
        var results = [T?](repeating: nil, count: count)
        var failure: MailServiceError?
        await withTaskGroup(of: (Int, Result<T, MailServiceError>).self) { group in
            var next = 0
            var running = 0
            while (next < count && failure == nil) || running > 0 {
                while next < count, failure == nil, running < max(1, inFlightLimit) {
                    let index = next
                    group.addTask { (index, await work(index)) }
                    next += 1
                    running += 1
                }
                guard let finished = await group.next() else { break }
                let (index, result) = finished
                running -= 1
                switch result {
                case .success(let value): results[index] = value
                case .failure(let error):
                    if failure == nil { failure = error; group.cancelAll() }
                }
            }
        }
        if let failure { throw failure }
        return results.compactMap { $0 }
    }

    // MARK: - Tokens, retries

    /// Runs a Gmail call with a valid token: one refresh and retry on 401, backoff on retryable failures.
    /// Each attempt holds `weight` slots of the request budget while it is on the wire (not while backing off).
    func call<T: Sendable>(lane: RequestLane = .foreground, weight: Int = 1,
                           _ operation: @Sendable (String) async throws(GmailError) -> T) async throws(MailServiceError) -> T {
        var (token, fresh) = try await validAccessToken()
        var attempt = 1
        while true {
            let outcome: Result<T, GmailError>
            // A prefetch abandoned by `invalidateCaches` gets no slot: its result would be thrown away.
            guard await acquireSlots(lane: lane, weight: weight) else { throw .network("cancelled") }
            do throws(GmailError) { outcome = .success(try await operation(token)) } catch { outcome = .failure(error) }
            releaseSlots(weight)
            switch outcome {
            case .success(let value):
                noteSuccess()
                return value
            case .failure(.unauthenticated):
                if fresh { throw .reauthorizationRequired(email: credentials.email, reason: .rejectedAfterRefresh) }
                token = try await refreshedAccessToken(replacing: token)
                fresh = true
            case .failure(let error):
                if case .rateLimited = error { noteRateLimited() }
                guard error.isRetryable, attempt < retryPolicy.maxAttempts else { throw Self.serviceError(error) }
                let delay = retryPolicy.delay(retry: attempt, retryAfter: error.retryAfter, random: random())
                // A screenless command's deadline: no new try that could not start before it.
                guard RequestDeadline.allowsRetry(after: delay) else { throw Self.serviceError(error) }
                if budget.isForeground(lane) {
                    noticeHandler?(error.retryAfter != nil ? .serverAskedToWait(delay) : .retrying(after: delay, attempt: attempt))
                }
                attempt += 1
                do { try await sleep(delay) } catch { throw .network("cancelled") }
                if budget.isForeground(lane) { noticeHandler?(.retryStarted) }
            }
        }
    }

    /// The current access token, refreshed first when it is missing or about to expire; `fresh` says it was just refreshed.
    func validAccessToken() async throws(MailServiceError) -> (token: String, fresh: Bool) {
        if !credentials.needsRefresh(now: now()), let token = credentials.accessToken { return (token, false) }
        let refreshed = try await sharedRefresh()
        return (refreshed.accessToken ?? "", true)
    }

    /// A token to retry with after `rejected` got a 401: a newer one if someone already refreshed, else a refresh.
    func refreshedAccessToken(replacing rejected: String) async throws(MailServiceError) -> String {
        if let current = credentials.accessToken, current != rejected, !credentials.needsRefresh(now: now()) { return current }
        return try await sharedRefresh().accessToken ?? ""
    }

    /// Refreshes the access token; concurrent callers wait for the same refresh.
    func sharedRefresh() async throws(MailServiceError) -> Credentials {
        if let refreshTask { return try await refreshTask.value.get() }
        let started = generation
        let task = Task { await self.performRefresh() }
        refreshTask = task
        let result = await task.value
        if generation == started { refreshTask = nil }
        return try result.get()
    }

    // MARK: - The request budget

    /// Requests in flight now (for tests and the benchmark).
    public var requestsInFlight: Int { budget.inFlight }

    /// The adaptive bound on requests in flight (AIMD: halved on a rate limit, grown back on success).
    var inFlightLimit: Int { budget.limit }

    /// Waits for budget; false when the request's prefetch was abandoned (it must not be sent).
    private func acquireSlots(lane: RequestLane, weight: Int) async -> Bool {
        let id = nextParkedID
        nextParkedID += 1
        switch budget.request(id: id, lane: lane, weight: weight) {
        case .granted: return true
        case .refused: return false
        case .queued: return await withCheckedContinuation { parked[id] = $0 }
        }
    }

    private func releaseSlots(_ weight: Int) { wake(budget.release(weight)) }

    /// Resumes the parked requests the budget let go (or refused).
    private func wake(_ wakeups: RequestBudget.Wakeups) {
        for id in wakeups.granted { parked.removeValue(forKey: id)?.resume(returning: true) }
        for id in wakeups.refused { parked.removeValue(forKey: id)?.resume(returning: false) }
    }

    /// Someone now waits for a prefetch's result: its remaining requests go ahead as foreground.
    private func promote(_ ticket: Int) { wake(budget.promote(ticket)) }

    private func noteRateLimited() { budget.noteRateLimited() }

    private func noteSuccess() { wake(budget.noteSuccess()) }

    // MARK: - Conversion

    static func summary(_ message: Message) -> MessageSummary { summary(message, header: message.header) }

    /// The list row of a message, reading its headers through `header`.
    static func summary(_ message: Message, header: (String) -> String?) -> MessageSummary {
        let labels = message.labelIds ?? []
        return MessageSummary(id: message.id, threadID: message.threadId ?? message.id,
                              from: header("From").flatMap(HeaderParsing.address) ?? MailAddress(name: nil, email: ""),
                              subject: header("Subject").map(EncodedWords.decode) ?? "",
                              date: header("Date").flatMap(HeaderParsing.date) ?? message.internalDateValue,
                              snippet: message.snippet ?? "", isUnread: labels.contains("UNREAD"), labelIDs: labels)
    }

    static func detail(_ message: Message) -> MessageDetail {
        let entity = message.mimeEntity()
        let rendered = entity.map(MessageRenderer.render) ?? RenderedMessage(text: "", attachments: [])
        // A `format=raw` message has no payload headers: read them from the parsed message.
        func header(_ name: String) -> String? { message.header(name) ?? entity?.header(name) }
        let row = summary(message, header: header)
        return MessageDetail(
            id: row.id, threadID: row.threadID, from: row.from,
            to: header("To").map(HeaderParsing.addresses) ?? [],
            cc: header("Cc").map(HeaderParsing.addresses) ?? [],
            date: row.date, subject: row.subject, body: rendered.text,
            attachments: rendered.attachments.map { AttachmentSummary(filename: $0.filename, mimeType: $0.mimeType, size: $0.size) },
            isUnread: row.isUnread, labelIDs: row.labelIDs)
    }
}

extension FetchStrategy {
    var maxInFlight: Int {
        switch self {
        case .parallel(let n): return max(1, n)
        case .batch: return 10
        }
    }
}
