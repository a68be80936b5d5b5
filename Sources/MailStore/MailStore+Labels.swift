import Foundation
internal import GRDB

// The label list as Gmail last listed it, when that was, and its counts kept current between listings.

extension MailStore {
    /// Replaces every stored label with a full listing (`labels.list`, each with `labels.get`'s counts), in
    /// its order, and remembers when Gmail answered: a label no longer listed was deleted.
    public func saveLabelList(_ labels: [StoredLabel], fetchedAt: Date) throws(MailStoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM label")
            for (position, label) in labels.enumerated() {
                try db.execute(sql: """
                    INSERT INTO label (id, position, name, type, messagesTotal, messagesUnread, threadsTotal, threadsUnread)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [label.id, position, label.name, label.type, label.messagesTotal, label.messagesUnread,
                                     label.threadsTotal, label.threadsUnread])
            }
            try db.execute(sql: "UPDATE account SET labelsFetchedAt = ? WHERE singleton = 1", arguments: [Self.milliseconds(fetchedAt)])
        }
    }

    /// When Gmail last listed the labels (`saveLabelList`); nil when it never has.
    public func labelsFetchedAt() throws(MailStoreError) -> Date? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT labelsFetchedAt FROM account WHERE singleton = 1").map { Self.date(milliseconds: $0) }
        }
    }

    /// Forgets a label Gmail no longer has (`labels.get` answered 404).
    public func deleteLabel(id: String) throws(MailStoreError) {
        try write { db in try db.execute(sql: "DELETE FROM label WHERE id = ?", arguments: [id]) }
    }

    /// Moves stored counts by what a change of mail did to them (a message marked read: its labels' unread
    /// counts one lower), until Gmail's own counts replace them. Counts never go below zero, and a count
    /// Gmail never gave stays unknown.
    public func adjustLabelCounts(total: [String: Int], unread: [String: Int]) throws(MailStoreError) {
        try write { db in
            for id in Set(total.keys).union(unread.keys) {
                try db.execute(sql: """
                    UPDATE label SET messagesTotal = max(messagesTotal + ?, 0), messagesUnread = max(messagesUnread + ?, 0)
                    WHERE id = ?
                    """, arguments: [total[id] ?? 0, unread[id] ?? 0, id])
            }
        }
    }
}
