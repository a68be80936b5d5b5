import Foundation
internal import GRDB

/// The store's tables and their migrations. A migration, once released, never changes: a new version
/// adds one, and an older gmail-tui that finds an identifier it does not know treats the file as newer.
enum Schema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // Summaries, one per message; label ids as a JSON array in Gmail's order. `stale` marks
            // summaries stored before a history gap: still shown, but fetched again when listed.
            try db.execute(sql: """
                CREATE TABLE message (
                    id TEXT PRIMARY KEY NOT NULL,
                    threadId TEXT NOT NULL,
                    labelIds TEXT NOT NULL,
                    fromName TEXT,
                    fromEmail TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    date INTEGER,
                    snippet TEXT NOT NULL,
                    sizeEstimate INTEGER NOT NULL,
                    hasAttachment INTEGER NOT NULL,
                    stale INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX message_threadId ON message(threadId);

                CREATE TABLE queryPage (
                    query TEXT NOT NULL,
                    pageIndex INTEGER NOT NULL,
                    pageToken TEXT,
                    nextPageToken TEXT,
                    resultSizeEstimate INTEGER NOT NULL,
                    fetchedAt INTEGER NOT NULL,
                    PRIMARY KEY (query, pageIndex)
                ) WITHOUT ROWID;

                -- A page's ids in order; no reference to message, since a page is stored before
                -- (or without) the summaries of every id on it.
                CREATE TABLE pageEntry (
                    query TEXT NOT NULL,
                    pageIndex INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    messageId TEXT NOT NULL,
                    PRIMARY KEY (query, pageIndex, position),
                    FOREIGN KEY (query, pageIndex) REFERENCES queryPage(query, pageIndex) ON DELETE CASCADE
                ) WITHOUT ROWID;
                CREATE INDEX pageEntry_messageId ON pageEntry(messageId);

                -- lastUsed is a counter, not a clock: two uses in one millisecond still have an order.
                CREATE TABLE body (
                    messageId TEXT NOT NULL,
                    format TEXT NOT NULL,
                    content BLOB NOT NULL,
                    size INTEGER NOT NULL,
                    lastUsed INTEGER NOT NULL,
                    PRIMARY KEY (messageId, format)
                );
                CREATE INDEX body_lastUsed ON body(lastUsed);

                CREATE TABLE label (
                    id TEXT PRIMARY KEY NOT NULL,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    type TEXT NOT NULL,
                    messagesTotal INTEGER,
                    messagesUnread INTEGER,
                    threadsTotal INTEGER,
                    threadsUnread INTEGER
                );

                CREATE TABLE account (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    historyId TEXT
                );
                INSERT INTO account (singleton, historyId) VALUES (1, NULL);
                """)
        }
        migrator.registerMigration("v2") { db in
            // Conversations (`threads.list`): a thread's listing (snippet, historyId, its message ids
            // oldest first); its rows are the `message` summaries of those ids, so that history and
            // triage, which change summaries, change the conversation rows too.
            try db.execute(sql: """
                CREATE TABLE thread (
                    id TEXT PRIMARY KEY NOT NULL,
                    snippet TEXT NOT NULL,
                    historyId TEXT,
                    messageIds TEXT NOT NULL
                );

                CREATE TABLE threadPage (
                    query TEXT NOT NULL,
                    pageIndex INTEGER NOT NULL,
                    pageToken TEXT,
                    nextPageToken TEXT,
                    resultSizeEstimate INTEGER NOT NULL,
                    fetchedAt INTEGER NOT NULL,
                    PRIMARY KEY (query, pageIndex)
                ) WITHOUT ROWID;

                CREATE TABLE threadPageEntry (
                    query TEXT NOT NULL,
                    pageIndex INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    threadId TEXT NOT NULL,
                    PRIMARY KEY (query, pageIndex, position),
                    FOREIGN KEY (query, pageIndex) REFERENCES threadPage(query, pageIndex) ON DELETE CASCADE
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }()

    /// Applies the migrations this version knows. A new file first gets incremental auto-vacuum, so
    /// that evicting bodies gives the space back to the disk; switching to WAL has already written the
    /// file's header, so the setting takes a VACUUM (instant on a file with no tables).
    static func migrate(_ pool: DatabasePool) throws {
        try pool.writeWithoutTransaction { db in
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 {
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                try db.execute(sql: "VACUUM")
            }
        }
        do {
            try migrator.migrate(pool)
        } catch {
            // Another instance may have run the same migration between our check and our write:
            // then its result is the one wanted.
            guard try pool.read({ try migrator.hasCompletedMigrations($0) }) else { throw error }
        }
    }
}
