import Foundation
import GmailAPI
import MailStore

// Conversations (`t`): pages of threads and whole threads, loaded, cached, prefetched and stored as pages
// and messages are.
extension MailService {
    /// One page of conversations for a query, in the order Gmail listed them: `threads.list`, then each
    /// thread's metadata (`threads.get format=metadata`) through the request budget, as `page` does for
    /// messages. A thread gone between the list and its metadata is left out.
    ///
    /// With a local store, the page is written to it; with Gmail unreachable (after the retries) the
    /// stored page answers, its `storedAt` saying when Gmail listed it.
    public func conversationPage(query: String, pageToken: String?, pageSize: Int, cache: CachePolicy) async throws(MailServiceError) -> ConversationPage {
        let key = PageKey(query: query, pageToken: pageToken, pageSize: pageSize)
        return try await orStored(cache, stored: storedConversationPage(query: query, pageToken: pageToken, pageSize: pageSize)) {
            await obtain(\LoadTables.conversationPages, key, cache) { service, lane throws(MailServiceError) in
                try await service.fetchConversationPage(key, lane: lane)
            }
        }
    }

    /// Fetches a page of conversations into the cache without anyone waiting on it; failures are dropped.
    public func prefetchConversationPage(query: String, pageToken: String?, pageSize: Int) async {
        let key = PageKey(query: query, pageToken: pageToken, pageSize: pageSize)
        await prefetch(\LoadTables.conversationPages, key) { service, lane throws(MailServiceError) in
            try await service.fetchConversationPage(key, lane: lane)
        }
    }

    /// A whole conversation, every message rendered as `message(id:cache:)` renders one, oldest first:
    /// one `threads.get format=full` (plus any body Gmail keeps behind an attachmentId). With a local
    /// store, a conversation whose every message body is stored answers without a request (`.reload`
    /// asks Gmail first and falls back to the store only when Gmail cannot be reached), and a fetched
    /// one is stored.
    public func conversation(id: String, cache: CachePolicy) async throws(MailServiceError) -> Conversation {
        let storeFirst = cache == .useCached
        return try await obtain(\LoadTables.conversations, id, cache) { service, lane throws(MailServiceError) in
            try await service.fetchConversation(id, lane: lane, storeFirst: storeFirst)
        }.get()
    }

    /// Fetches a conversation into the cache ahead of its opening; failures are dropped.
    public func prefetchConversation(id: String) async {
        await prefetch(\LoadTables.conversations, id) { service, lane throws(MailServiceError) in
            try await service.fetchConversation(id, lane: lane)
        }
    }

    /// True when the page of conversations would be answered from memory.
    public func hasCachedConversationPage(query: String, pageToken: String?, pageSize: Int) -> Bool {
        tables.conversationPages.isCached(PageKey(query: query, pageToken: pageToken, pageSize: pageSize))
    }

    /// True when the conversation would be answered from memory.
    public func hasCachedConversation(id: String) -> Bool { tables.conversations.isCached(id) }

    // MARK: - The store

    /// The stored page of conversations of `query` at `pageToken`, read without any request (the warm
    /// start); nil with no store or nothing stored for it. `storedAt` is when Gmail listed it.
    public nonisolated func storedConversationPage(query: String, pageToken: String?, pageSize: Int) -> ConversationPage? {
        guard let mailStore, let index = Self.threadPageIndex(of: pageToken, query: query, in: mailStore),
              let content = try? mailStore.threadPageContent(query: query, pageIndex: index) else { return nil }
        return Self.conversationPage(content, pageToken: pageToken, live: false)
    }

    /// The stored conversation, read without any request; nil with no store, or when a message's body
    /// is not stored.
    public nonisolated func storedConversation(id: String) -> Conversation? {
        guard let mailStore, let thread = try? mailStore.thread(id: id), !thread.messageIDs.isEmpty else { return nil }
        var messages: [MessageDetail] = []
        for messageID in thread.messageIDs {
            guard let detail = storedMessage(id: messageID) else { return nil }
            messages.append(detail)
        }
        return Conversation(id: id, messages: messages)
    }

    /// Where a page of threads sits in the stored list of its query (as `pageIndex(of:query:in:)`).
    static func threadPageIndex(of pageToken: String?, query: String, in store: MailStore) -> Int? {
        guard let pageToken else { return 0 }
        return (try? store.threadPageIndex(query: query, pageToken: pageToken)) ?? nil
    }

    /// A page as the UI sees it, from a stored one; `storedAt` says it is not live.
    static func conversationPage(_ content: StoredThreadPageContent, pageToken: String?, live: Bool) -> ConversationPage {
        let filter = LabelQuery(query: content.page.query)
        let rows = content.conversations.map(conversationSummary)
        return ConversationPage(query: content.page.query, pageToken: pageToken,
                         conversations: live ? rows : rows.filter { filter.keepsConversation($0.labelIDs) },
                         nextPageToken: content.page.nextPageToken, resultSizeEstimate: content.page.resultSizeEstimate,
                         storedAt: live ? nil : content.page.fetchedAt)
    }

    static func conversationSummary(_ stored: StoredConversation) -> ConversationSummary {
        conversationSummary(id: stored.thread.id, snippet: stored.thread.snippet, historyID: stored.thread.historyID,
                            rows: stored.summaries.map(messageSummary))
    }

    /// A conversation's row from its messages' rows (oldest first): what Gmail's web list shows of a thread.
    static func conversationSummary(id: String, snippet: String?, historyID: String?, rows: [MessageSummary]) -> ConversationSummary {
        var labels: [String] = []
        for row in rows { for label in row.labelIDs where !labels.contains(label) { labels.append(label) } }
        let snippetText = snippet.flatMap { $0.isEmpty ? nil : $0 } ?? rows.last?.snippet ?? ""
        return ConversationSummary(id: id, subject: rows.first?.subject ?? "", snippet: snippetText, senders: rows.map(\.from),
                                   messageIDs: rows.map(\.id), date: rows.compactMap(\.date).max(),
                                   unreadCount: rows.filter(\.isUnread).count, labelIDs: labels,
                                   hasAttachment: rows.contains(where: \.hasAttachment), historyID: historyID)
    }
}
