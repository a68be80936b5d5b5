import Foundation
internal import GRDB

/// The two kinds of stored lists, each a page table and an entry table of the same shape: pages of
/// messages (`messages.list`) and pages of threads (`threads.list`). One set of statements serves both.
struct PageTables: Sendable {
    let page: String
    let entry: String
    /// The entry table's column holding the listed id.
    let id: String

    static let messages = PageTables(page: "queryPage", entry: "pageEntry", id: "messageId")
    static let threads = PageTables(page: "threadPage", entry: "threadPageEntry", id: "threadId")
}

extension MailStore {
    /// Replaces the stored page at its place in the list of its query (its entries go with it: ON DELETE CASCADE).
    static func replace(_ page: StoredPage, in tables: PageTables, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM \(tables.page) WHERE query = ? AND pageIndex = ?", arguments: [page.query, page.pageIndex])
        try db.execute(sql: """
            INSERT INTO \(tables.page) (query, pageIndex, pageToken, nextPageToken, resultSizeEstimate, fetchedAt)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [page.query, page.pageIndex, page.pageToken, page.nextPageToken,
                             page.resultSizeEstimate, milliseconds(page.fetchedAt)])
        let entry = try db.cachedStatement(sql: "INSERT INTO \(tables.entry) (query, pageIndex, position, \(tables.id)) VALUES (?, ?, ?, ?)")
        for (position, id) in page.messageIDs.enumerated() {
            try entry.execute(arguments: [page.query, page.pageIndex, position, id])
        }
    }

    /// The stored page of `query` at `pageIndex`, its ids in Gmail's order.
    static func page(query: String, pageIndex: Int, in tables: PageTables, _ db: Database) throws -> StoredPage? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \(tables.page) WHERE query = ? AND pageIndex = ?",
                                         arguments: [query, pageIndex]) else { return nil }
        let ids = try String.fetchAll(db, sql: "SELECT \(tables.id) FROM \(tables.entry) WHERE query = ? AND pageIndex = ? ORDER BY position",
                                      arguments: [query, pageIndex])
        return StoredPage(query: query, pageIndex: pageIndex, pageToken: row["pageToken"], messageIDs: ids,
                          nextPageToken: row["nextPageToken"], resultSizeEstimate: row["resultSizeEstimate"],
                          fetchedAt: date(milliseconds: row["fetchedAt"]))
    }

    /// Where the page fetched with `pageToken` sits in the stored list of `query`: the stored page
    /// fetched with that token, else the one after the stored page whose next token it is (Gmail may
    /// hand out a new token for the same place when an earlier page is listed again); nil if neither.
    static func pageIndex(query: String, pageToken: String, in tables: PageTables, _ db: Database) throws -> Int? {
        let arguments: StatementArguments = [query, pageToken]
        if let index = try Int.fetchOne(db, sql: "SELECT pageIndex FROM \(tables.page) WHERE query = ? AND pageToken = ?",
                                        arguments: arguments) { return index }
        return try Int.fetchOne(db, sql: "SELECT min(pageIndex) + 1 FROM \(tables.page) WHERE query = ? AND nextPageToken = ?",
                                arguments: arguments)
    }
}
