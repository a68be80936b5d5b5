import Foundation
import GmailAPI
import HTTPCore
import MailStore

// Pages of threads and whole threads, as Gmail's REST calls bring them.
extension MailService {
    /// What a conversation row needs of each message: as `MessagesGetParameters.summary`, for a thread
    /// (`Content-Type` too, in case an answer lacks `payload.mimeType`: threads.get has no `fields` here).
    static func threadSummaryParameters(_ id: String) -> ThreadsGetParameters {
        ThreadsGetParameters(id: id, format: .metadata, metadataHeaders: ["From", "Subject", "Date", "Content-Type"])
    }

    /// `threads.list`, then the metadata of its threads (in waves the budget allows), written through.
    func fetchConversationPage(_ key: PageKey, lane: RequestLane) async throws(MailServiceError) -> ConversationPage {
        let listed = try await listThreads(key, lane: lane) { refs in refs.map(\.id) }
        saveListedThreads(key, listed)
        return ConversationPage(query: key.query, pageToken: key.pageToken,
                                conversations: listed.found.map { Self.conversationSummary($0.thread, listed: $0.ref) },
                                nextPageToken: listed.nextPageToken, resultSizeEstimate: listed.estimate)
    }

    /// A list of threads with the metadata fetched for some of them.
    struct ListedThreads {
        /// Every thread listed, less those gone before their metadata came, in Gmail's order.
        var refs: [ThreadRef]
        /// The threads whose metadata was fetched (in list order).
        var found: [(ref: ThreadRef, thread: MailThread)]
        var nextPageToken: String?
        var estimate: Int
    }

    /// `threads.list`, then `threads.get format=metadata` for the ids `wanted` picks from the list.
    func listThreads(_ key: PageKey, lane: RequestLane = .foreground,
                     wanted: ([ThreadRef]) throws(MailServiceError) -> [String]) async throws(MailServiceError) -> ListedThreads {
        let gmail = self.gmail
        let parameters = ThreadsListParameters(q: key.query, maxResults: key.pageSize, pageToken: key.pageToken)
        let list = try await call(lane: lane) { token throws(GmailError) in try await gmail.threadsList(parameters, accessToken: token) }
        let refs = list.threads ?? []
        let ids = try wanted(refs)
        let fetched = try await threadSummaries(ids, lane: lane)
        var byID: [String: MailThread] = [:]
        var gone = Set<String>()
        for (id, thread) in zip(ids, fetched) {
            if let thread, !(thread.messages ?? []).isEmpty { byID[id] = thread } else { gone.insert(id) }
        }
        let kept = refs.filter { !gone.contains($0.id) }
        return ListedThreads(refs: kept, found: kept.compactMap { ref in byID[ref.id].map { (ref, $0) } },
                             nextPageToken: list.nextPageToken, estimate: list.resultSizeEstimate ?? kept.count)
    }

    /// Each thread's metadata, nil where the thread is gone (404): one GET each, at most `inFlightLimit`
    /// at a time, or in batch requests, as `fetchStrategy` says (as `summaries` does for messages).
    func threadSummaries(_ ids: [String], lane: RequestLane) async throws(MailServiceError) -> [MailThread?] {
        switch fetchStrategy {
        case .parallel:
            return try await inOrder(count: ids.count) { index in await self.threadSummaryResult(ids[index], lane: lane) }
        case .batch(let size):
            return try await threadSummariesByBatch(ids, size: min(max(size, 1), GmailBatch.maxCallsPerBatch), lane: lane)
        }
    }

    /// One thread's metadata: nil when it was deleted since the list.
    func threadSummaryResult(_ id: String, lane: RequestLane) async -> Result<MailThread?, MailServiceError> {
        let gmail = self.gmail
        do throws(MailServiceError) {
            return .success(try await call(lane: lane) { token throws(GmailError) in
                try await gmail.threadsGet(Self.threadSummaryParameters(id), accessToken: token)
            })
        } catch .notFound {
            return .success(nil)
        } catch {
            return .failure(error)
        }
    }

    /// Batches of metadata GETs; parts that failed for any reason but 404 are fetched again one by one.
    func threadSummariesByBatch(_ ids: [String], size: Int, lane: RequestLane) async throws(MailServiceError) -> [MailThread?] {
        let gmail = self.gmail
        var results: [MailThread?] = []
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + size, ids.count)])
            start += chunk.count
            // Gmail counts each part of a batch as one request in flight.
            let parts = try await call(lane: lane, weight: chunk.count) { token throws(GmailError) in
                try await gmail.batch(chunk.map { GmailClient.threadsGetCall(Self.threadSummaryParameters($0)) }, accessToken: token)
            }
            for (id, part) in zip(chunk, parts) {
                let decoded = part.flatMap { (response: HTTPResponse) -> Result<MailThread, GmailError> in
                    do throws(GmailError) { return .success(try GmailClient.decode(MailThread.self, from: response)) } catch { return .failure(error) }
                }
                switch decoded {
                case .success(let thread): results.append(thread)
                case .failure(.notFound): results.append(nil)
                case .failure: results.append(try await threadSummaryResult(id, lane: lane).get())
                }
            }
        }
        return results
    }

    /// The stored conversation when `storeFirst` and it is stored whole; else Gmail's (then stored), or
    /// the stored one when Gmail cannot be reached.
    func fetchConversation(_ id: String, lane: RequestLane, storeFirst: Bool = true) async throws(MailServiceError) -> Conversation {
        if storeFirst, let stored = storedConversation(id: id) { return stored }
        do throws(MailServiceError) {
            return try await fetchConversationFromGmail(id, lane: lane)
        } catch {
            if case .network = error, let stored = storedConversation(id: id) { return stored }
            throw error
        }
    }

    /// `threads.get format=full`, each message rendered as `message(id:)` renders it, and stored.
    func fetchConversationFromGmail(_ id: String, lane: RequestLane) async throws(MailServiceError) -> Conversation {
        let gmail = self.gmail
        let thread = try await call(lane: lane) { token throws(GmailError) in
            try await gmail.threadsGet(ThreadsGetParameters(id: id, format: .full), accessToken: token)
        }
        var messages: [Message] = []
        for message in thread.messages ?? [] { messages.append(try await withReadableBodies(message, lane: lane)) }
        let details = messages.map(Self.detail)
        saveConversation(thread, messages: messages, details: details)
        return Conversation(id: thread.id, messages: details)
    }

    // MARK: - Conversion

    /// A conversation's row from a `threads.get` answer; the list's snippet and history id when listed.
    static func conversationSummary(_ thread: MailThread, listed: ThreadRef?) -> ConversationSummary {
        conversationSummary(id: thread.id, snippet: listed?.snippet ?? thread.snippet, historyID: listed?.historyId ?? thread.historyId,
                            rows: (thread.messages ?? []).map(summary))
    }

    /// A thread as stored: its listing and its messages' ids, oldest first.
    static func storedThread(_ thread: MailThread, listed: ThreadRef?) -> StoredThread {
        let messages = thread.messages ?? []
        let snippet = listed?.snippet ?? thread.snippet ?? messages.last?.snippet ?? ""
        return StoredThread(id: thread.id, snippet: snippet, historyID: listed?.historyId ?? thread.historyId,
                            messageIDs: messages.map(\.id))
    }

    // MARK: - Writing through

    /// Writes a page of threads Gmail just listed, with the metadata fetched for it, to the store. A
    /// store that cannot be written costs the offline copy, never the page the user asked for.
    func saveListedThreads(_ key: PageKey, _ listed: ListedThreads) {
        guard let mailStore else { return }
        let (threads, summaries) = (listed.storedThreads, listed.storedSummaries)
        guard let index = Self.threadPageIndex(of: key.pageToken, query: key.query, in: mailStore) else {
            try? mailStore.saveThreads(threads, summaries: summaries)
            return
        }
        try? mailStore.saveThreadPage(listed.page(key, index: index, fetchedAt: now()), threads: threads, summaries: summaries)
    }

    /// Writes a whole conversation to the store: each message's body and summary, and the thread.
    func saveConversation(_ thread: MailThread, messages: [Message], details: [MessageDetail]) {
        guard let mailStore else { return }
        for detail in details { saveMessage(detail) }
        let stored = StoredThread(id: thread.id, snippet: thread.snippet ?? messages.last?.snippet ?? "", historyID: thread.historyId,
                                  messageIDs: messages.map(\.id))
        try? mailStore.saveThreads([stored], summaries: messages.map(Self.storedSummary))
    }
}

extension MailService.ListedThreads {
    /// The threads whose metadata came, as stored.
    var storedThreads: [StoredThread] { found.map { MailService.storedThread($0.thread, listed: $0.ref) } }
    /// The summaries of their messages, as stored.
    var storedSummaries: [StoredSummary] { found.flatMap { ($0.thread.messages ?? []).map(MailService.storedSummary) } }

    /// The listing as a stored page of threads at `index`.
    func page(_ key: PageKey, index: Int, fetchedAt: Date) -> StoredPage {
        StoredPage(query: key.query, pageIndex: index, pageToken: key.pageToken, messageIDs: refs.map(\.id),
                   nextPageToken: nextPageToken, resultSizeEstimate: estimate, fetchedAt: fetchedAt)
    }
}
