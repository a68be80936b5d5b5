import Foundation
import GmailAPI
import MailStore

// Bringing the local store up to date through Gmail's history: two requests when nothing changed.
extension MailService {
    /// Syncs the store and returns the page the user looks at, as Gmail lists it now.
    ///
    /// `history.list` from the stored `historyId` (every page) is applied to the store; then the page is
    /// listed, and metadata is fetched only for messages the store lacks (or holds from before a
    /// history gap). With no stored `historyId`, or Gmail's 404 for it (too old), `getProfile`'s id is
    /// read first, the page is listed and its metadata fetched again, and only then are the page, the
    /// summaries and that id committed together: a resync that fails stores no id, so the next sync
    /// resyncs again rather than trusting an id the data does not match, and one that succeeds leaves
    /// an id the next `history.list` accepts.
    ///
    /// Without a store this is the page fetched afresh.
    public func sync(query: String, pageToken: String?, pageSize: Int) async throws(MailServiceError) -> SyncResult {
        let key = PageKey(query: query, pageToken: pageToken, pageSize: pageSize)
        guard let mailStore else {
            return SyncResult(page: try await page(query: query, pageToken: pageToken, pageSize: pageSize, cache: .reload))
        }
        budget.beginForeground()
        defer { perform(budget.finish(.foreground)) }
        let result: SyncResult
        if let applied = try await applyStoredHistory(mailStore) {
            result = try await syncPage(key, added: applied.added, touchedLabels: applied.touchedLabels, mailStore)
        } else {
            result = try await resync(key, mailStore)
        }
        tables.pages.set(key, result.page)
        return result
    }

    /// Applies to the store every change since its `historyId` (`history.list`, every page), and returns
    /// the messages added (less those deleted since), in order, and the labels whose counts moved; nil when there is no usable history (no
    /// stored id, or Gmail's 404 for it): then the lists are fetched again (a resync).
    func applyStoredHistory(_ mailStore: MailStore) async throws(MailServiceError) -> (added: [String], touchedLabels: Set<String>)? {
        guard let start = try Self.storeCall({ () throws(MailStoreError) in try mailStore.historyID() }),
              let history = try await historySince(start) else { return nil }
        _ = try Self.storeCall { () throws(MailStoreError) in try mailStore.applyHistory(history.changes, upTo: history.upTo) }
        var added: [String] = []
        for change in history.changes {
            switch change {
            case .messageAdded(let id, _, _): added.append(id)
            case .messageDeleted(let id): added.removeAll { $0 == id }
            case .labelsAdded, .labelsRemoved: break
            }
        }
        return (added, history.touchedLabels)
    }

    /// The `historyId` a resync commits: `getProfile`'s, read before the lists, so that whatever changes
    /// after it is replayed by the next sync.
    func resyncHistoryID() async throws(MailServiceError) -> String {
        let gmail = self.gmail
        let profile = try await call { token throws(GmailError) in try await gmail.getProfile(accessToken: token) }
        guard let historyID = profile.historyId else {
            throw .badAnswer("Gmail sent a profile without a history id", detail: "getProfile: no historyId")
        }
        return historyID
    }

    /// Every change since `start`, and the id they bring the mailbox to; nil when Gmail no longer has
    /// history that old (404).
    private func historySince(_ start: String) async throws(MailServiceError) -> History? {
        let gmail = self.gmail
        var changes: [HistoryChange] = []
        var touched = Set<String>()
        var latest = start
        var pageToken: String?
        repeat {
            let parameters = HistoryListParameters(startHistoryId: start, maxResults: 500, pageToken: pageToken)
            let answer: HistoryListResponse
            do throws(MailServiceError) {
                answer = try await call { token throws(GmailError) in try await gmail.historyList(parameters, accessToken: token) }
            } catch .notFound {
                return nil
            }
            for record in answer.history ?? [] {
                changes += Self.changes(in: record)
                touched.formUnion(Self.touchedLabels(in: record))
            }
            if let id = answer.historyId { latest = id }
            pageToken = answer.nextPageToken
        } while pageToken != nil
        return History(changes: changes, upTo: latest, touchedLabels: touched)
    }

    /// What `history.list` said since the stored id: the changes, the id they bring the mailbox to, and the
    /// labels whose counts they moved.
    private struct History {
        var changes: [HistoryChange]
        var upTo: String
        var touchedLabels: Set<String>
    }

    /// A record's entries in the order `HistoryChange` documents.
    static func changes(in record: HistoryRecord) -> [HistoryChange] {
        var changes: [HistoryChange] = []
        for added in record.messagesAdded ?? [] {
            changes.append(.messageAdded(id: added.message.id, threadID: added.message.threadId ?? added.message.id, labelIDs: nil))
        }
        for deleted in record.messagesDeleted ?? [] { changes.append(.messageDeleted(id: deleted.message.id)) }
        for change in record.labelsAdded ?? [] { changes.append(.labelsAdded(id: change.message.id, labelIDs: change.labelIds ?? [])) }
        for change in record.labelsRemoved ?? [] { changes.append(.labelsRemoved(id: change.message.id, labelIDs: change.labelIds ?? [])) }
        return changes
    }

    /// History applied: the page listed, the metadata the store lacks fetched, the page stored.
    private func syncPage(_ key: PageKey, added: [String], touchedLabels: Set<String>, _ mailStore: MailStore) async throws(MailServiceError) -> SyncResult {
        let listed = try await listPage(key, fetchingAll: false, mailStore)
        let index = Self.pageIndex(of: key.pageToken, query: key.query, in: mailStore)
        try Self.storeCall { () throws(MailStoreError) in
            if let index {
                try mailStore.savePage(listed.page(index: index, fetchedAt: now()), summaries: listed.summaries)
            } else {
                try mailStore.saveSummaries(listed.summaries)
            }
        }
        let page = try pageFromStore(key, listed, mailStore)
        let shown = Set(page.messages.map(\.id))
        let labels = await refreshLabelCounts(touched: touchedLabels, listed: page.messages.flatMap(\.labelIDs), mailStore)
        return SyncResult(page: page, newMessageIDs: page.messages.map(\.id).filter { added.contains($0) && shown.contains($0) },
                          labels: labels)
    }

    /// No usable history: everything on the page fetched again, committed with `getProfile`'s id.
    private func resync(_ key: PageKey, _ mailStore: MailStore) async throws(MailServiceError) -> SyncResult {
        let historyID = try await resyncHistoryID()
        let listed = try await listPage(key, fetchingAll: true, mailStore)
        let index = Self.pageIndex(of: key.pageToken, query: key.query, in: mailStore)
        let pages = index.map { [listed.page(index: $0, fetchedAt: now())] } ?? []
        try Self.storeCall { () throws(MailStoreError) in try mailStore.commitResync(historyID: historyID, pages: pages, summaries: listed.summaries) }
        // What changed in the history gap is unknown: labels stored before it are listed again.
        let labels = await relistedLabels()
        return SyncResult(page: try pageFromStore(key, listed, mailStore), resynced: true, labels: labels)
    }

    /// A page as Gmail listed it during a sync, with the metadata fetched for it.
    private struct Listed {
        var key: PageKey
        /// The listed ids, less those deleted before their metadata came.
        var ids: [String]
        var nextPageToken: String?
        var estimate: Int
        var summaries: [StoredSummary]

        func page(index: Int, fetchedAt: Date) -> StoredPage {
            StoredPage(query: key.query, pageIndex: index, pageToken: key.pageToken, messageIDs: ids,
                       nextPageToken: nextPageToken, resultSizeEstimate: estimate, fetchedAt: fetchedAt)
        }
    }

    /// `messages.list`, then metadata for every id (`fetchingAll`) or only those the store lacks,
    /// in batches when there are several.
    private func listPage(_ key: PageKey, fetchingAll: Bool, _ mailStore: MailStore) async throws(MailServiceError) -> Listed {
        let gmail = self.gmail
        let parameters = MessagesListParameters(q: key.query, maxResults: key.pageSize, pageToken: key.pageToken)
        let list = try await call { token throws(GmailError) in try await gmail.messagesList(parameters, accessToken: token) }
        let ids = (list.messages ?? []).map(\.id)
        let wanted = try fetchingAll ? ids : Self.storeCall { () throws(MailStoreError) in try mailStore.missingSummaryIDs(ids) }
        let fetched: [Message?]
        if wanted.count > 1 {
            fetched = try await summariesByBatch(wanted, size: min(max(inFlightLimit, 1), GmailBatch.maxCallsPerBatch))
        } else {
            fetched = try await summaries(wanted)
        }
        var gone = Set<String>()
        for (id, message) in zip(wanted, fetched) where message == nil { gone.insert(id) }
        let kept = ids.filter { !gone.contains($0) }
        return Listed(key: key, ids: kept, nextPageToken: list.nextPageToken,
                      estimate: list.resultSizeEstimate ?? kept.count, summaries: fetched.compactMap { $0 }.map(Self.storedSummary))
    }

    /// The synced page read back from the store: fresh metadata and stored summaries in Gmail's order.
    private func pageFromStore(_ key: PageKey, _ listed: Listed, _ mailStore: MailStore) throws(MailServiceError) -> MessagePage {
        let summaries = try Self.storeCall { () throws(MailStoreError) in try mailStore.summaries(ids: listed.ids) }
        return MessagePage(query: key.query, pageToken: key.pageToken, messages: summaries.map(Self.messageSummary),
                           nextPageToken: listed.nextPageToken, resultSizeEstimate: listed.estimate)
    }

    /// A store call whose failure stops the sync: the disk is full, the file unwritable, or another
    /// instance held it too long. It is reported as a failure worth retrying later (commands exit 75);
    /// the store's words name files and SQLite's reason, never mail.
    static func storeCall<T>(_ body: () throws(MailStoreError) -> T) throws(MailServiceError) -> T {
        do { return try body() } catch {
            throw .badAnswer("The local mail store failed: \(error)", detail: "MailStore: \(error)")
        }
    }
}
