import Foundation
import GmailAPI
import MailStore

// Bringing the conversation list up to date: the same history as `sync`, then the visible page of threads.
extension MailService {
    /// Syncs the store and returns the page of conversations the user looks at, as Gmail lists it now.
    ///
    /// The history step is `sync`'s own (`applyStoredHistory`); then `threads.list` for the page, and
    /// `threads.get format=metadata` only for threads the store lacks, listed with another `historyId`
    /// than the stored one, or with a message whose summary is missing or stale. With no usable history,
    /// every thread of the page is fetched again and committed with `getProfile`'s id, as `sync` does.
    ///
    /// Without a store this is the page fetched afresh.
    public func syncConversations(query: String, pageToken: String?, pageSize: Int) async throws(MailServiceError) -> ConversationSyncResult {
        let key = PageKey(query: query, pageToken: pageToken, pageSize: pageSize)
        guard let mailStore else {
            return ConversationSyncResult(page: try await conversationPage(query: query, pageToken: pageToken, pageSize: pageSize, cache: .reload))
        }
        budget.beginForeground()
        defer { perform(budget.finish(.foreground)) }
        let index = Self.threadPageIndex(of: pageToken, query: query, in: mailStore)
        let result: ConversationSyncResult
        if let applied = try await applyStoredHistory(mailStore) {
            let listed = try await listThreads(key) { refs throws(MailServiceError) in
                try Self.storeCall { () throws(MailStoreError) in try mailStore.threadIDsToFetch(refs.map { ($0.id, $0.historyId) }) }
            }
            try Self.storeCall { () throws(MailStoreError) in
                if let index {
                    try mailStore.saveThreadPage(listed.page(key, index: index, fetchedAt: now()), threads: listed.storedThreads,
                                                 summaries: listed.storedSummaries)
                } else {
                    try mailStore.saveThreads(listed.storedThreads, summaries: listed.storedSummaries)
                }
            }
            let page = try conversationPageFromStore(key, listed, mailStore)
            let shown = Set(page.conversations.flatMap(\.messageIDs))
            let labels = await refreshLabelCounts(touched: applied.touchedLabels, listed: page.conversations.flatMap(\.labelIDs), mailStore)
            result = ConversationSyncResult(page: page, newMessageIDs: applied.added.filter(shown.contains), labels: labels)
        } else {
            let historyID = try await resyncHistoryID()
            let listed = try await listThreads(key) { refs in refs.map(\.id) }
            let pages = index.map { [listed.page(key, index: $0, fetchedAt: now())] } ?? []
            try Self.storeCall { () throws(MailStoreError) in
                try mailStore.commitResync(historyID: historyID, pages: [], summaries: listed.storedSummaries,
                                           threadPages: pages, threads: listed.storedThreads)
            }
            // What changed in the history gap is unknown: labels stored before it are listed again.
            let labels = await relistedLabels()
            result = ConversationSyncResult(page: try conversationPageFromStore(key, listed, mailStore), resynced: true, labels: labels)
        }
        tables.conversationPages.set(key, result.page)
        return result
    }

    /// The synced page read back from the store: fresh metadata and stored threads in Gmail's order.
    private func conversationPageFromStore(_ key: PageKey, _ listed: ListedThreads, _ mailStore: MailStore) throws(MailServiceError) -> ConversationPage {
        let stored = try Self.storeCall { () throws(MailStoreError) in try mailStore.conversations(ids: listed.refs.map(\.id)) }
        let listedSnippets = Dictionary(listed.refs.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = stored.filter { !$0.summaries.isEmpty }.map { conversation -> ConversationSummary in
            var row = Self.conversationSummary(conversation)
            // The list's snippet and history id are Gmail's word now.
            if let ref = listedSnippets[row.id] {
                if let snippet = ref.snippet, !snippet.isEmpty { row.snippet = snippet }
                row.historyID = ref.historyId ?? row.historyID
            }
            return row
        }
        return ConversationPage(query: key.query, pageToken: key.pageToken, conversations: rows,
                                nextPageToken: listed.nextPageToken, resultSizeEstimate: listed.estimate)
    }
}
