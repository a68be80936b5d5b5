import Foundation
import GmailAPI
import MailStore

// The local store behind the service: what Gmail lists and sends is written through to it, and it
// answers when Gmail cannot (at start, before the network; offline, after the retries).
extension MailService {
    /// The stored page of `query` at `pageToken`, read without any request, for the first frame and
    /// for `list --offline`; nil with no store or nothing stored for it. `storedAt` is when Gmail
    /// listed it. `pageSize` is not part of the stored page: the page comes as it was listed.
    public nonisolated func storedPage(query: String, pageToken: String?, pageSize: Int) -> MessagePage? {
        mailStore.flatMap { Self.storedPage(in: $0, query: query, pageToken: pageToken) }
    }

    /// The stored page of `query` at `pageToken` in `store`, for a reader with no service (`list --offline`).
    public static func storedPage(in store: MailStore, query: String, pageToken: String?) -> MessagePage? {
        guard let index = pageIndex(of: pageToken, query: query, in: store),
              let content = try? store.pageContent(query: query, pageIndex: index) else { return nil }
        return messagePage(content, pageToken: pageToken, live: false)
    }

    /// The stored message, rendered, read without any request; nil with no store or no stored body.
    public nonisolated func storedMessage(id: String) -> MessageDetail? {
        guard let mailStore, let body = try? mailStore.body(messageID: id, format: .rendered) else { return nil }
        return Self.messageDetail(body, summary: try? mailStore.summary(id: id))
    }

    /// Where a page sits in the stored list of its query: 0 for the first (no token), else as
    /// `MailStore.pageIndex(query:pageToken:)` finds it; nil when the store cannot place it.
    static func pageIndex(of pageToken: String?, query: String, in store: MailStore) -> Int? {
        guard let pageToken else { return 0 }
        return (try? store.pageIndex(query: query, pageToken: pageToken)) ?? nil
    }

    /// Writes a page Gmail just listed, and the metadata fetched for it, through to the store. A store
    /// that cannot be written costs the offline copy, never the page the user asked for.
    func saveListed(_ key: PageKey, ids: [String], nextPageToken: String?, estimate: Int, summaries: [Message]) {
        guard let mailStore else { return }
        let stored = summaries.map(Self.storedSummary)
        guard let index = Self.pageIndex(of: key.pageToken, query: key.query, in: mailStore) else {
            try? mailStore.saveSummaries(stored)
            return
        }
        // The stored list of a query has one page size, the browser's: a listing with another one (`list --max 2`)
        // must not cut a stored page short, nor leave later pages that no longer follow it.
        if let existing = try? mailStore.page(query: key.query, pageIndex: index), existing.nextPageToken != nil, nextPageToken != nil {
            if key.pageSize < existing.messageIDs.count {
                try? mailStore.saveSummaries(stored)
                return
            }
            if key.pageSize > existing.messageIDs.count { try? mailStore.deletePages(query: key.query, from: index + 1) }
        }
        let page = StoredPage(query: key.query, pageIndex: index, pageToken: key.pageToken, messageIDs: ids,
                              nextPageToken: nextPageToken, resultSizeEstimate: estimate, fetchedAt: now())
        try? mailStore.savePage(page, summaries: stored)
    }

    /// Writes an opened (or prefetched) message through to the store.
    func saveMessage(_ detail: MessageDetail) {
        guard let mailStore, let body = Self.storedBody(detail) else { return }
        _ = try? mailStore.saveBody(body)
    }

    /// A page of a list from Gmail (`fetch`), or the stored one: at once while Gmail is known to be
    /// unreachable (`knownUnreachable`, for `.useCached`), and when Gmail could not be reached (after the
    /// retries). Any other failure is thrown.
    func orStored<Value>(_ cache: CachePolicy, stored: @autoclosure () -> Value?,
                         _ fetch: () async -> Result<Value, MailServiceError>) async throws(MailServiceError) -> Value {
        if cache == .useCached, knownUnreachable, let value = stored() { return value }
        switch await fetch() {
        case .success(let value): return value
        case .failure(let error):
            guard case .network = error, let value = stored() else { throw error }
            return value
        }
    }
}
