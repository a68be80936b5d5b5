import Foundation
internal import GRDB

// Bodies, least recently used first out when the store outgrows its limit.

extension MailStore {
    /// Stores a body as the most recently used one, then evicts the least recently used bodies while
    /// the store is over `sizeLimit` (never the body just stored). Returns the ids of evicted bodies.
    @discardableResult
    public func saveBody(_ body: StoredBody) throws(MailStoreError) -> [String] {
        let limit = sizeLimit
        return try write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO body (messageId, format, content, size, lastUsed)
                VALUES (?, ?, ?, ?, (SELECT coalesce(max(lastUsed), 0) + 1 FROM body))
                """, arguments: [body.messageID, body.format.rawValue, body.content, body.content.count])
            return try Self.evict(toFit: limit, keeping: body, db)
        }
    }

    /// The stored body, marked as the most recently used one; nil if it is not stored.
    public func body(messageID: String, format: BodyFormat) throws(MailStoreError) -> StoredBody? {
        try write { db in
            let arguments: StatementArguments = [messageID, format.rawValue]
            guard let content = try Data.fetchOne(db, sql: "SELECT content FROM body WHERE messageId = ? AND format = ?",
                                                  arguments: arguments) else { return nil }
            try db.execute(sql: """
                UPDATE body SET lastUsed = (SELECT max(lastUsed) + 1 FROM body) WHERE messageId = ? AND format = ?
                """, arguments: arguments)
            return StoredBody(messageID: messageID, format: format, content: content)
        }
    }

    /// Whether a body is stored, without counting as a use (for "what is not stored says so").
    public func hasBody(messageID: String, format: BodyFormat) throws(MailStoreError) -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM body WHERE messageId = ? AND format = ?)",
                              arguments: [messageID, format.rawValue]) ?? false
        }
    }

    /// Stored body ids, least recently used first.
    public func bodyIDsByUse() throws(MailStoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT messageId FROM body ORDER BY lastUsed") }
    }

    /// Bytes the database's content takes (pages in use, not free ones): what `sizeLimit` bounds.
    public func usedBytes() throws(MailStoreError) -> Int {
        try read { db in try Self.usedBytes(db) }
    }

    // MARK: Eviction

    static func usedBytes(_ db: Database) throws -> Int {
        let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
        let size = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
        return (pages - free) * size
    }

    /// Deletes bodies, least recently used first, until the content fits in `limit`. Freed space is
    /// counted as the bodies' own sizes (SQLite frees at least that), so one pass finds how many to
    /// delete without measuring the file after each.
    static func evict(toFit limit: Int, keeping kept: StoredBody, _ db: Database) throws -> [String] {
        var excess = try usedBytes(db) - limit
        guard excess > 0 else { return [] }
        let candidates = try Row.fetchCursor(db, sql: "SELECT messageId, format, size FROM body ORDER BY lastUsed")
        var victims: [(id: String, format: String)] = []
        while excess > 0, let row = try candidates.next() {
            let id: String = row["messageId"], format: String = row["format"]
            if id == kept.messageID && format == kept.format.rawValue { continue }
            victims.append((id, format))
            excess -= row["size"] as Int
        }
        let delete = try db.cachedStatement(sql: "DELETE FROM body WHERE messageId = ? AND format = ?")
        for victim in victims { try delete.execute(arguments: [victim.id, victim.format]) }
        // Gives the freed pages back to the file system (auto_vacuum = INCREMENTAL); a no-op otherwise.
        if !victims.isEmpty { try db.execute(sql: "PRAGMA incremental_vacuum") }
        return victims.map(\.id)
    }
}
