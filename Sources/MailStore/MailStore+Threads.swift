import Foundation
internal import GRDB

// Conversations: threads as listed, and pages of a query's threads. A conversation's row is read from the
// stored summaries of its messages, so it shows what history and triage did to them.

/// A thread as Gmail listed it: `ConversationSummary` in MailModels without what its messages say.
public struct StoredThread: Sendable, Equatable, Identifiable {
    public var id: String
    /// The snippet `threads.list` gave (its newest message's).
    public var snippet: String
    /// Gmail's `historyId` of the thread when listed: a listing with another one means it changed.
    public var historyID: String?
    /// Its messages, oldest first.
    public var messageIDs: [String]

    public init(id: String, snippet: String, historyID: String?, messageIDs: [String]) {
        self.id = id; self.snippet = snippet; self.historyID = historyID; self.messageIDs = messageIDs
    }
}

/// A stored thread with the summaries the store holds of its messages, oldest first (messages deleted
/// since are left out).
public struct StoredConversation: Sendable, Equatable {
    public var thread: StoredThread
    public var summaries: [StoredSummary]
}

/// A stored page of threads: `page.messageIDs` holds the thread ids, in Gmail's order. Threads not
/// stored, or with no message left, are not in `conversations`.
public struct StoredThreadPageContent: Sendable, Equatable {
    public var page: StoredPage
    public var conversations: [StoredConversation]
}

extension MailStore {
    /// Stores threads and their messages' summaries (one transaction).
    public func saveThreads(_ threads: [StoredThread], summaries: [StoredSummary]) throws(MailStoreError) {
        try write { db in
            try Self.insert(summaries, db)
            try Self.insert(threads, db)
        }
    }

    /// Stores a page of threads (`page.messageIDs` are thread ids), replacing the stored page of that
    /// query and index, with the threads and summaries fetched for it, in one transaction.
    public func saveThreadPage(_ page: StoredPage, threads: [StoredThread] = [], summaries: [StoredSummary] = []) throws(MailStoreError) {
        try write { db in
            try Self.insert(summaries, db)
            try Self.insert(threads, db)
            try Self.replace(page, in: .threads, db)
        }
    }

    /// The stored thread, without its summaries.
    public func thread(id: String) throws(MailStoreError) -> StoredThread? {
        try read { db in try Self.threads(ids: [id], db).first }
    }

    /// The stored threads of `ids` with their summaries, in that order; ids not stored are left out.
    public func conversations(ids: [String]) throws(MailStoreError) -> [StoredConversation] {
        try read { db in try Self.conversations(ids: ids, db) }
    }

    /// The stored page of threads of `query` at `pageIndex`, with its conversations, in one snapshot.
    public func threadPageContent(query: String, pageIndex: Int) throws(MailStoreError) -> StoredThreadPageContent? {
        try read { db in
            guard let page = try Self.page(query: query, pageIndex: pageIndex, in: .threads, db) else { return nil }
            let conversations = try Self.conversations(ids: page.messageIDs, db).filter { !$0.summaries.isEmpty }
            return StoredThreadPageContent(page: page, conversations: conversations)
        }
    }

    /// As `pageIndex(query:pageToken:)`, in the stored pages of threads.
    public func threadPageIndex(query: String, pageToken: String) throws(MailStoreError) -> Int? {
        try read { db in try Self.pageIndex(query: query, pageToken: pageToken, in: .threads, db) }
    }

    /// Which listed threads need their metadata fetched: those not stored, those listed with another
    /// `historyId` than the stored one, and those with a message whose summary is missing or stale.
    public func threadIDsToFetch(_ listed: [(id: String, historyID: String?)]) throws(MailStoreError) -> [String] {
        try read { db in
            let stored = Dictionary(try Self.threads(ids: listed.map(\.id), db).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let fresh = Set(try Self.summaries(ids: stored.values.flatMap(\.messageIDs), db).filter { !$0.stale }.map(\.summary.id))
            return listed.filter { entry in
                guard let thread = stored[entry.id], thread.historyID == entry.historyID, entry.historyID != nil else { return true }
                return !thread.messageIDs.allSatisfy(fresh.contains)
            }.map(\.id)
        }
    }

    // MARK: Rows

    static func insert(_ threads: [StoredThread], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO thread (id, snippet, historyId, messageIds) VALUES (?, ?, ?, ?)")
        for t in threads {
            try statement.execute(arguments: [t.id, t.snippet, t.historyID, encodeLabels(t.messageIDs)])
        }
    }

    static func threads(ids: [String], _ db: Database) throws -> [StoredThread] {
        var byID: [String: StoredThread] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT * FROM thread WHERE id IN (\(marks))", arguments: StatementArguments(Array(chunk))) {
                let thread = StoredThread(id: row["id"], snippet: row["snippet"], historyID: row["historyId"],
                                          messageIDs: try decodeLabels(row["messageIds"]))
                byID[thread.id] = thread
            }
        }
        return ids.compactMap { byID[$0] }
    }

    static func conversations(ids: [String], _ db: Database) throws -> [StoredConversation] {
        let threads = try threads(ids: ids, db)
        let summaries = Dictionary(try summaries(ids: threads.flatMap(\.messageIDs), db).map { ($0.summary.id, $0.summary) },
                                   uniquingKeysWith: { a, _ in a })
        return threads.map { StoredConversation(thread: $0, summaries: $0.messageIDs.compactMap { summaries[$0] }) }
    }
}
