import Foundation
import Testing
import GRDB
@testable import MailStore

@Suite("Opening a store: files, modes, migrations, moving aside")
struct OpeningTests {
    @Test("a new store is created, migrated and usable; no notice")
    func createsFromNothing() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            #expect(store.notice == nil)
            #expect(store.url.path == folder.appendingPathComponent("\(userID).sqlite").path)
            #expect(try store.historyID() == nil)
            try store.saveSummaries([summary("a")])
            #expect(try store.summary(id: "a") == summary("a"))
            let applied = try store.pool.read { try Schema.migrator.appliedMigrations($0) }
            #expect(applied == Schema.migrator.migrations)
            #expect(try store.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
            // 2 = INCREMENTAL: evicted bodies give their pages back to the file system.
            #expect(try store.pool.read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") } == 2)
        }
    }

    @Test("an empty file is migrated in place, not moved aside")
    func migratesAnEmptyFile() throws {
        try withCacheFolder { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("\(userID).sqlite").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            #expect(store.notice == nil)
            let tables = try store.pool.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
            #expect(Set(tables).isSuperset(of: ["account", "body", "label", "message", "pageEntry", "queryPage"]))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("unreadable") }.isEmpty)
        }
    }

    @Test("a file that is not a database is moved aside unchanged and the store rebuilt")
    func movesAsideACorruptFile() throws {
        try withCacheFolder { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("\(userID).sqlite").path
            let garbage = Data(String(repeating: "this is no SQLite file; ", count: 400).utf8)
            #expect(FileManager.default.createFile(atPath: path, contents: garbage))

            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let notice = try #require(store.notice)
            guard case .unreadable = notice.reason else { Issue.record("reason \(notice.reason)"); return }
            #expect(notice.movedTo.lastPathComponent.hasPrefix("\(userID).sqlite.unreadable-"))
            #expect(FileManager.default.contents(atPath: notice.movedTo.path) == garbage)
            #expect(notice.description.contains(notice.movedTo.path))
            try store.saveSummaries([summary("a")])
            #expect(try store.summaryCount() == 1)
        }
    }

    @Test("a store written by a newer version is moved aside, never deleted, and rebuilt")
    func movesAsideAFutureVersion() throws {
        try withCacheFolder { folder in
            do {
                let store = try MailStore(cacheDirectory: folder, userID: userID)
                try store.saveSummaries([summary("kept")])
            }
            let path = folder.appendingPathComponent("\(userID).sqlite").path
            try DatabaseQueue(path: path).write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999-from-the-future')")
            }

            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let notice = try #require(store.notice)
            #expect(notice.reason == .newerVersion)
            #expect(try store.summaryCount() == 0)
            let old = try DatabaseQueue(path: notice.movedTo.path)
            #expect(try old.read { try String.fetchAll($0, sql: "SELECT id FROM message") } == ["kept"])
        }
    }

    @Test("a store another instance has open is never moved aside")
    func leavesASharedUnusableStoreAlone() throws {
        try withCacheFolder { folder in
            let first = try MailStore(cacheDirectory: folder, userID: userID)
            try first.saveSummaries([summary("a")])
            let garbage = Data(repeating: 0x5a, count: 8192)
            try garbage.write(to: first.url)
            try? FileManager.default.removeItem(atPath: first.url.path + "-wal")
            try? FileManager.default.removeItem(atPath: first.url.path + "-shm")

            #expect {
                _ = try MailStore(cacheDirectory: folder, userID: userID)
            } throws: { error in
                guard case .unusable(let path, .unreadable) = error as? MailStoreError else { return false }
                return path == first.url.path
            }
            #expect(FileManager.default.contents(atPath: first.url.path) == garbage)
            withExtendedLifetime(first) {}
        }
    }

    @Test("folder 0700 (narrowed if it was wider), database and WAL files 0600")
    func permissions() throws {
        try withCacheFolder { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            try store.saveSummaries([summary("a")])
            #expect(try posixMode(folder.path) == 0o700)
            for suffix in ["", "-wal", "-shm", ".lock"] {
                #expect(try posixMode(store.url.path + suffix) == 0o600, "\(suffix)")
            }
        }
    }

    @Test("a user id that could leave the folder is refused")
    func refusesPathLikeUserIDs() throws {
        try withCacheFolder { folder in
            for bad in ["", "../x", "a/b", ".hidden"] {
                #expect(throws: MailStoreError.invalidUserID) { _ = try MailStore(cacheDirectory: folder, userID: bad) }
            }
        }
    }

    @Test("deleting the store (logout) removes its files and only its files")
    func deleteRemovesTheStore() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let other = try MailStore(cacheDirectory: folder, userID: "other")
            try store.saveSummaries([summary("a")])
            try other.saveSummaries([summary("b")])
            try store.delete()
            #expect(throws: MailStoreError.self) { try store.summaryCount() }
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(left.allSatisfy { $0.hasPrefix("other.sqlite") })
            #expect(try other.summaryCount() == 1)

            try MailStore.delete(cacheDirectory: folder, userID: "other")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
            let reopened = try MailStore(cacheDirectory: folder, userID: userID)
            #expect(try reopened.summaryCount() == 0)
        }
    }
}
