import Foundation
import Testing
import GRDB
@testable import MailStore

@Suite("Threads and pages of conversations")
struct ThreadTests {
    /// Three threads over eight messages: thread 0 holds messages 0-3, thread 1 messages 4-5, thread 2 messages 6-7.
    static func threads() -> (threads: [StoredThread], summaries: [StoredSummary]) {
        let groups = [[0, 1, 2, 3], [4, 5], [6, 7]]
        var threads: [StoredThread] = []
        var summaries: [StoredSummary] = []
        for (n, group) in groups.enumerated() {
            let tid = messageID(group[0])
            threads.append(StoredThread(id: tid, snippet: "thread \(n) 会話", historyID: "\(1000 + n)", messageIDs: group.map(messageID)))
            summaries += group.map { summary(messageID($0), thread: tid, index: $0) }
        }
        return (threads, summaries)
    }

    @Test("a page of threads round trips with each thread's summaries oldest first, apart from the message pages")
    func threadPagesRoundTrip() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let (threads, summaries) = Self.threads()
            let page = StoredPage(query: "in:inbox", pageIndex: 0, pageToken: nil, messageIDs: [threads[2].id, threads[0].id, threads[1].id],
                                  nextPageToken: "t-2", resultSizeEstimate: 30, fetchedAt: gmailDate(1_732_000_000_123))
            try store.saveThreadPage(page, threads: threads, summaries: summaries)

            let content = try #require(try store.threadPageContent(query: "in:inbox", pageIndex: 0))
            #expect(content.page == page)
            #expect(content.conversations.map(\.thread) == [threads[2], threads[0], threads[1]])
            #expect(content.conversations[1].summaries == Array(summaries[0..<4]))
            #expect(try store.page(query: "in:inbox", pageIndex: 0) == nil, "a page of threads is not a page of messages")
            #expect(try store.threadPageIndex(query: "in:inbox", pageToken: "t-2") == 1, "the page after the one whose next token it is")
            #expect(try store.threadPageIndex(query: "in:inbox", pageToken: "unknown") == nil)
            #expect(try store.thread(id: threads[1].id) == threads[1])
            #expect(try store.conversations(ids: ["absent", threads[1].id]).map(\.thread) == [threads[1]])

            // A message deleted through history leaves its thread's row; a thread with none left leaves the page.
            _ = try store.applyHistory([.messageDeleted(id: messageID(6)), .messageDeleted(id: messageID(7)),
                                        .messageDeleted(id: messageID(2))], upTo: "2000")
            let after = try #require(try store.threadPageContent(query: "in:inbox", pageIndex: 0))
            #expect(after.conversations.map(\.thread.id) == [threads[0].id, threads[1].id])
            #expect(after.conversations[0].summaries.map(\.id) == [0, 1, 3].map(messageID))
        }
    }

    @Test("a listed thread is fetched again only when new, changed, or holding a summary that is missing or stale")
    func whichThreadsToFetch() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let (threads, summaries) = Self.threads()
            try store.saveThreads(threads, summaries: summaries)
            let listed: [(id: String, historyID: String?)] = threads.map { ($0.id, $0.historyID) }
            #expect(try store.threadIDsToFetch(listed).isEmpty)
            #expect(try store.threadIDsToFetch([(threads[0].id, "1999"), (threads[1].id, threads[1].historyID), ("ffff", "1")])
                    == [threads[0].id, "ffff"])
            #expect(try store.threadIDsToFetch([(threads[1].id, nil)]) == [threads[1].id], "no history id: nothing to compare")
            _ = try store.applyHistory([.messageDeleted(id: messageID(5))], upTo: "3000")
            #expect(try store.threadIDsToFetch(listed) == [threads[1].id])
            // After a history gap every summary is stale until fetched again.
            try store.commitResync(historyID: "4000", pages: [], summaries: Array(summaries[0..<4]))
            #expect(try store.threadIDsToFetch(listed) == [threads[1].id, threads[2].id])
        }
    }

    @Test("a resync commits pages of threads and threads with the history id, in one transaction")
    func resyncCommitsThreads() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let (threads, summaries) = Self.threads()
            let page = StoredPage(query: "", pageIndex: 0, pageToken: nil, messageIDs: threads.map(\.id), nextPageToken: nil,
                                  resultSizeEstimate: 3, fetchedAt: gmailDate(1_732_000_000_000))
            try store.commitResync(historyID: "77", pages: [], summaries: summaries, threadPages: [page], threads: threads)
            #expect(try store.historyID() == "77")
            #expect(try store.threadPageContent(query: "", pageIndex: 0)?.conversations.map(\.thread) == threads)
        }
    }

    @Test("a store of the first schema is migrated: its summaries and pages stay, the thread tables are added")
    func migratesAFirstSchemaStore() throws {
        try withCacheFolder { folder in
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("\(userID).sqlite").path
            let old = try DatabasePool(path: path)
            try Schema.migrator.migrate(old, upTo: "v1")
            let (threads, summaries) = Self.threads()
            try old.write { db in try MailStore.insert(summaries, db) }
            #expect(try old.read { try $0.tableExists("thread") } == false)
            try old.close()

            let store = try MailStore(cacheDirectory: folder, userID: userID)
            #expect(store.notice == nil)
            #expect(try store.summaries(ids: summaries.map(\.id)) == summaries)
            try store.saveThreads(threads, summaries: [])
            #expect(try store.conversations(ids: [threads[0].id]).first?.summaries == Array(summaries[0..<4]))
        }
    }
}
