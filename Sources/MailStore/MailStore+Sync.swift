import Foundation
internal import GRDB

// Labels, the account's historyId, and the two ways it moves: history applied, or a resync committed.

extension MailStore {
    // MARK: Labels

    /// Replaces every stored label with `labels` (a full `labels.list`), keeping their order.
    public func replaceLabels(_ labels: [StoredLabel]) throws(MailStoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM label")
            for (position, label) in labels.enumerated() { try Self.upsert(label, position: position, db) }
        }
    }

    /// Inserts or updates one label (a `labels.get` with fresh counts); a new one goes last.
    public func saveLabel(_ label: StoredLabel) throws(MailStoreError) {
        try write { db in
            let position = try Int.fetchOne(db, sql: "SELECT position FROM label WHERE id = ?", arguments: [label.id])
                ?? (Int.fetchOne(db, sql: "SELECT coalesce(max(position), -1) + 1 FROM label") ?? 0)
            try Self.upsert(label, position: position, db)
        }
    }

    /// The stored labels in `labels.list` order.
    public func labels() throws(MailStoreError) -> [StoredLabel] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM label ORDER BY position").map { row in
                StoredLabel(id: row["id"], name: row["name"], type: row["type"], messagesTotal: row["messagesTotal"],
                            messagesUnread: row["messagesUnread"], threadsTotal: row["threadsTotal"],
                            threadsUnread: row["threadsUnread"])
            }
        }
    }

    private static func upsert(_ label: StoredLabel, position: Int, _ db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO label (id, position, name, type, messagesTotal, messagesUnread, threadsTotal, threadsUnread)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [label.id, position, label.name, label.type, label.messagesTotal, label.messagesUnread,
                             label.threadsTotal, label.threadsUnread])
    }

    // MARK: historyId

    /// The `historyId` the stored summaries and pages are up to date with; nil before the first commit.
    /// Only `applyHistory` and `commitResync` set it, each in the transaction that writes what it
    /// stands for, so it never runs ahead of the data.
    public func historyID() throws(MailStoreError) -> String? {
        try read { db in try Self.historyID(db) }
    }

    private static func historyID(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT historyId FROM account WHERE singleton = 1")
    }

    private static func setHistoryID(_ id: String, _ db: Database) throws {
        try db.execute(sql: "UPDATE account SET historyId = ? WHERE singleton = 1", arguments: [id])
    }

    /// Commits a full refetch (no stored `historyId`, or Gmail's 404 for it), all in one transaction:
    /// `historyID` (from `getProfile`, read before the lists were fetched), the pages fetched again
    /// and their summaries. If any of it fails, none of it is stored and the old id stays, so the next
    /// sync resyncs again instead of trusting an id the data does not match.
    ///
    /// Summaries not in `summaries` are kept for offline reading but marked stale: changes in the
    /// history gap are unknown, so `missingSummaryIDs` names them until they are fetched again.
    ///
    /// `threadPages` and `threads` are the same for a resync of the conversation list (`threadPages`
    /// hold thread ids).
    public func commitResync(historyID: String, pages: [StoredPage], summaries: [StoredSummary],
                             threadPages: [StoredPage] = [], threads: [StoredThread] = []) throws(MailStoreError) {
        try write { db in
            try Self.setHistoryID(historyID, db)
            try db.execute(sql: "UPDATE message SET stale = 1")
            try Self.insert(summaries, db)
            try Self.insert(threads, db)
            for page in pages { try Self.replace(page, in: .messages, db) }
            for page in threadPages { try Self.replace(page, in: .threads, db) }
        }
    }

    // MARK: History

    /// Applies `history.list` changes (every page of one sync, in Gmail's order) to the stored
    /// summaries, bodies and pages, and stores `historyID` (the answer's), in one transaction.
    ///
    /// If the store already holds `historyID` or a later one, another instance synced at least as far
    /// and nothing is changed (`applied` is false). Applying an earlier run again is safe: the changes
    /// are replayed in order, so each label ends as its last change left it.
    ///
    /// Pages lose deleted messages (their estimate drops by one); which query an added or relabelled
    /// message now belongs to is Gmail's to say, so pages learn it when they are listed again.
    public func applyHistory(_ changes: [HistoryChange], upTo historyID: String) throws(MailStoreError) -> HistoryOutcome {
        try write { db in
            if let stored = try Self.historyID(db), !Self.isLater(historyID, than: stored) {
                return HistoryOutcome(applied: false)
            }
            var outcome = HistoryOutcome(applied: true)
            for change in changes {
                switch change {
                case .messageAdded(let id, _, let labels):
                    if let labels, try Self.updateLabels(of: id, db, { _ in labels }) {
                        outcome.changedIDs.append(id)
                    } else if try !Self.isStored(id, db) {
                        outcome.missingIDs.append(id)
                    }
                case .messageDeleted(let id):
                    if try Self.deleteMessage(id, db) { outcome.deletedIDs.append(id) }
                    outcome.missingIDs.removeAll { $0 == id }
                    outcome.changedIDs.removeAll { $0 == id }
                case .labelsAdded(let id, let added):
                    if try Self.updateLabels(of: id, db, { Self.unique($0 + added) }) {
                        outcome.changedIDs.append(id)
                    }
                case .labelsRemoved(let id, let removed):
                    if try Self.updateLabels(of: id, db, { $0.filter { !removed.contains($0) } }) {
                        outcome.changedIDs.append(id)
                    }
                }
            }
            outcome.missingIDs = Self.unique(outcome.missingIDs)
            outcome.changedIDs = Self.unique(outcome.changedIDs)
            try Self.setHistoryID(historyID, db)
            return outcome
        }
    }

    /// Gmail's history ids are unsigned 64-bit numbers written as strings; compared as numbers.
    static func isLater(_ id: String, than other: String) -> Bool {
        guard let a = UInt64(id), let b = UInt64(other) else { return id != other }
        return a > b
    }

    private static func isStored(_ id: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM message WHERE id = ?)", arguments: [id]) ?? false
    }

    /// Rewrites a stored summary's labels; true if the summary is stored and its labels changed.
    private static func updateLabels(of id: String, _ db: Database, _ change: ([String]) -> [String]) throws -> Bool {
        guard let text = try String.fetchOne(db, sql: "SELECT labelIds FROM message WHERE id = ?", arguments: [id]) else {
            return false
        }
        let old = try decodeLabels(text)
        let new = change(old)
        guard new != old else { return false }
        try db.execute(sql: "UPDATE message SET labelIds = ? WHERE id = ?", arguments: [encodeLabels(new), id])
        return true
    }

    /// Removes a message everywhere; true if the store held anything of it.
    private static func deleteMessage(_ id: String, _ db: Database) throws -> Bool {
        // Each query that listed it counts one result fewer, on every stored page of that query.
        try db.execute(sql: """
            UPDATE queryPage SET resultSizeEstimate = max(resultSizeEstimate - 1, 0)
            WHERE query IN (SELECT DISTINCT query FROM pageEntry WHERE messageId = ?)
            """, arguments: [id])
        try db.execute(sql: "DELETE FROM pageEntry WHERE messageId = ?", arguments: [id])
        var removed = db.changesCount > 0
        try db.execute(sql: "DELETE FROM body WHERE messageId = ?", arguments: [id])
        removed = removed || db.changesCount > 0
        try db.execute(sql: "DELETE FROM message WHERE id = ?", arguments: [id])
        return removed || db.changesCount > 0
    }

    private static func unique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}
