import Foundation
import Testing
import GRDB
@testable import MailStore

@Suite("Two instances on one store")
struct SharingTests {
    @Test("two writers at once, each with its own connection pool, leave one valid store with both their writes")
    func twoWritersInProcess() throws {
        try withCacheFolder { folder in
            let stores = [try MailStore(cacheDirectory: folder, userID: userID),
                          try MailStore(cacheDirectory: folder, userID: userID)]
            #expect(stores.allSatisfy { $0.notice == nil })
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 2) { writer in
                let store = stores[writer]
                for n in 0..<100 {
                    do {
                        let ids = (0..<5).map { "w\(writer)-\(n)-\($0)" }
                        try store.savePage(StoredPage(query: "writer \(writer)", pageIndex: n, pageToken: nil, messageIDs: ids,
                                                      nextPageToken: nil, resultSizeEstimate: 500, fetchedAt: gmailDate(Int64(n))),
                                           summaries: ids.map { summary($0, index: n) })
                        try store.saveBody(StoredBody(messageID: ids[0], format: .raw, content: Data(ids[0].utf8)))
                        _ = try store.applyHistory([.labelsAdded(id: ids[0], labelIDs: ["STARRED"])], upTo: String(1000 + n * 2 + writer))
                    } catch {
                        failures.add("writer \(writer), round \(n): \(error)")
                    }
                }
            }
            #expect(failures.all.isEmpty)

            let third = try MailStore(cacheDirectory: folder, userID: userID)
            #expect(third.notice == nil)
            #expect(try third.summaryCount() == 1_000)
            for writer in 0..<2 {
                let pages = try third.pages(query: "writer \(writer)")
                #expect(pages.count == 100)
                #expect(pages.allSatisfy { $0.messageIDs.count == 5 })
            }
            // Every body got its own place in the use order, though two pools numbered them at once.
            let uses = try third.pool.read { try Int.fetchAll($0, sql: "SELECT lastUsed FROM body") }
            #expect(uses.count == 200 && Set(uses).count == 200)
            #expect(try third.historyID() == "1199")
            #expect(try third.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        }
    }

    @Test("instances opening a new store at the same moment all get the one migrated store, none moved aside")
    func openingTogether() throws {
        try withCacheFolder { folder in
            let opened = Opened()
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                opened.add(Result { () throws(MailStoreError) -> MailStore in try MailStore(cacheDirectory: folder, userID: userID) })
            }
            let stores = try opened.all.map { try $0.get() }
            #expect(stores.count == 6)
            #expect(stores.allSatisfy { $0.notice == nil })
            try stores[0].saveSummaries([summary("a")])
            #expect(try stores.allSatisfy { try $0.summaryCount() == 1 })
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(files.filter { !$0.hasSuffix(".sqlite") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") && !$0.hasSuffix(".lock") }.isEmpty)
        }
    }

    @Test("a second process writing through its own SQLite at the same time leaves one valid store")
    func aSecondProcess() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let python = Process()
            python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            // Python's sqlite3 module: another process, its own libsqlite3 connection, WAL and a busy timeout.
            python.arguments = ["python3", "-c", """
                import sqlite3, sys
                con = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
                for i in range(300):
                    con.execute("BEGIN IMMEDIATE")
                    con.execute("INSERT INTO message (id, threadId, labelIds, fromEmail, subject, snippet, sizeEstimate, hasAttachment)"
                                " VALUES (?, ?, '[\\"INBOX\\"]', 'p@example.com', 'from python', '', 1, 0)", ("py%d" % i, "py%d" % i))
                    con.execute("COMMIT")
                print(con.execute("PRAGMA journal_mode").fetchone()[0])
                """, store.url.path]
            let output = Pipe()
            python.standardOutput = output
            try python.run()
            for n in 0..<300 { try store.saveSummaries([summary("sw\(n)", index: n)]) }
            python.waitUntilExit()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(python.terminationStatus == 0)
            #expect(printed.trimmingCharacters(in: .whitespacesAndNewlines) == "wal")
            #expect(try store.summaryCount() == 600)
            #expect(try store.summary(id: "py299")?.labelIDs == ["INBOX"])
            #expect(try store.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        }
    }
}

/// Errors collected from concurrent writers.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ failure: String) { lock.withLock { list.append(failure) } }
    var all: [String] { lock.withLock { list } }
}

/// Stores opened from concurrent threads.
final class Opened: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Result<MailStore, MailStoreError>] = []
    func add(_ result: Result<MailStore, MailStoreError>) { lock.withLock { list.append(result) } }
    var all: [Result<MailStore, MailStoreError>] { lock.withLock { list } }
}
