import Foundation
internal import GRDB

// Summaries and query pages.

extension MailStore {
    /// Inserts or replaces summaries (one transaction).
    public func saveSummaries(_ summaries: [StoredSummary]) throws(MailStoreError) {
        try write { db in try Self.insert(summaries, db) }
    }

    /// The stored summary of one message.
    public func summary(id: String) throws(MailStoreError) -> StoredSummary? {
        try read { db in try Self.summaries(ids: [id], db).first?.summary }
    }

    /// The stored summaries of `ids`, in that order; ids not stored are left out.
    public func summaries(ids: [String]) throws(MailStoreError) -> [StoredSummary] {
        try read { db in try Self.summaries(ids: ids, db).map(\.summary) }
    }

    /// Which of `ids` need their metadata fetched: those with no stored summary, and those stored
    /// before a history gap (`commitResync`), whose labels may have changed unseen.
    public func missingSummaryIDs(_ ids: [String]) throws(MailStoreError) -> [String] {
        let fresh = try read { db in try Set(Self.summaries(ids: ids, db).filter { !$0.stale }.map(\.summary.id)) }
        return ids.filter { !fresh.contains($0) }
    }

    /// How many summaries are stored.
    public func summaryCount() throws(MailStoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM message") ?? 0 }
    }

    /// Stores a page (replacing the stored page of that query and index) and, in the same transaction,
    /// the summaries fetched for it.
    public func savePage(_ page: StoredPage, summaries: [StoredSummary] = []) throws(MailStoreError) {
        try write { db in
            try Self.insert(summaries, db)
            try Self.replace(page, in: .messages, db)
        }
    }

    /// The stored page of `query` at `pageIndex` (0 is the first), without summaries.
    public func page(query: String, pageIndex: Int) throws(MailStoreError) -> StoredPage? {
        try read { db in try Self.page(query: query, pageIndex: pageIndex, in: .messages, db) }
    }

    /// The stored page with its summaries, read in one snapshot: what the first frame shows.
    /// `missingIDs` lists what to fetch, as `missingSummaryIDs` would.
    public func pageContent(query: String, pageIndex: Int) throws(MailStoreError) -> StoredPageContent? {
        try read { db in
            guard let page = try Self.page(query: query, pageIndex: pageIndex, in: .messages, db) else { return nil }
            let rows = try Row.fetchAll(db, sql: """
                SELECT m.* FROM pageEntry e JOIN message m ON m.id = e.messageId
                WHERE e.query = ? AND e.pageIndex = ? ORDER BY e.position
                """, arguments: [query, pageIndex])
            let stored = try rows.map(Self.summary(from:))
            let fresh = Set(stored.filter { !$0.stale }.map(\.summary.id))
            return StoredPageContent(page: page, summaries: stored.map(\.summary),
                                     missingIDs: page.messageIDs.filter { !fresh.contains($0) })
        }
    }

    /// Where the page fetched with `pageToken` sits in the stored list of `query` (see `PageTables`).
    public func pageIndex(query: String, pageToken: String) throws(MailStoreError) -> Int? {
        try read { db in try Self.pageIndex(query: query, pageToken: pageToken, in: .messages, db) }
    }

    /// Every stored page of `query`, in page order.
    public func pages(query: String) throws(MailStoreError) -> [StoredPage] {
        try read { db in
            let indexes = try Int.fetchAll(db, sql: "SELECT pageIndex FROM queryPage WHERE query = ? ORDER BY pageIndex",
                                           arguments: [query])
            return try indexes.compactMap { try Self.page(query: query, pageIndex: $0, in: .messages, db) }
        }
    }

    /// Forgets the stored pages of `query` from `pageIndex` on (a later listing's tokens replace them).
    public func deletePages(query: String, from pageIndex: Int = 0) throws(MailStoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM queryPage WHERE query = ? AND pageIndex >= ?", arguments: [query, pageIndex])
        }
    }

    // MARK: Rows

    static func insert(_ summaries: [StoredSummary], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO message
                (id, threadId, labelIds, fromName, fromEmail, subject, date, snippet, sizeEstimate, hasAttachment, stale)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
            """)
        for s in summaries {
            try statement.execute(arguments: [
                s.id, s.threadID, encodeLabels(s.labelIDs), s.from.name, s.from.email, s.subject,
                s.date.map(milliseconds), s.snippet, s.sizeEstimate, s.hasAttachment,
            ])
        }
    }

    /// A summary as read, with whether it predates a history gap.
    struct SummaryRow { var summary: StoredSummary; var stale: Bool }

    static func summaries(ids: [String], _ db: Database) throws -> [SummaryRow] {
        var byID: [String: SummaryRow] = [:]
        // SQLite's default limit on bound parameters is far above a page, but a sync may ask for more.
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM message WHERE id IN (\(marks))", arguments: StatementArguments(Array(chunk)))
            for row in rows {
                let s = try summary(from: row)
                byID[s.summary.id] = s
            }
        }
        return ids.compactMap { byID[$0] }
    }

    static func summary(from row: Row) throws -> SummaryRow {
        let summary = StoredSummary(
            id: row["id"], threadID: row["threadId"], labelIDs: try decodeLabels(row["labelIds"]),
            from: StoredAddress(name: row["fromName"], email: row["fromEmail"]), subject: row["subject"],
            date: (row["date"] as Int64?).map(date(milliseconds:)), snippet: row["snippet"],
            sizeEstimate: row["sizeEstimate"], hasAttachment: row["hasAttachment"])
        return SummaryRow(summary: summary, stale: row["stale"])
    }

    // MARK: Encodings

    static func encodeLabels(_ labels: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(labels), as: UTF8.self)
    }

    static func decodeLabels(_ text: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
