import Foundation
import Testing
import GRDB
@testable import MailStore

@Suite("History application and the historyId commit")
struct HistoryTests {
    /// A store synced to history id 100 with a, b, c in the inbox (c with a stored body).
    private func syncedStore(_ folder: URL) throws -> MailStore {
        let store = try MailStore(cacheDirectory: folder, userID: userID)
        let page = StoredPage(query: "in:inbox", pageIndex: 0, pageToken: nil, messageIDs: ["a", "b", "c"],
                              nextPageToken: nil, resultSizeEstimate: 3, fetchedAt: gmailDate(1_000))
        try store.commitResync(historyID: "100", pages: [page],
                               summaries: [summary("a", index: 1), summary("b", index: 2), summary("c", index: 3)])
        try store.saveBody(StoredBody(messageID: "c", format: .raw, content: Data("From: c".utf8)))
        return store
    }

    @Test("added, deleted and relabelled messages change summaries, bodies and pages")
    func appliesHistory() throws {
        try withCacheFolder { folder in
            let store = try syncedStore(folder)
            let outcome = try store.applyHistory([
                .labelsAdded(id: "a", labelIDs: ["STARRED", "INBOX"]),
                .labelsRemoved(id: "b", labelIDs: ["UNREAD"]),
                .messageDeleted(id: "c"),
                .messageAdded(id: "d", threadID: "d", labelIDs: ["INBOX", "UNREAD"]),
                .labelsAdded(id: "not-stored", labelIDs: ["STARRED"]),
                .messageAdded(id: "e", threadID: "e", labelIDs: nil),
                .messageDeleted(id: "e"),
                .labelsRemoved(id: "a", labelIDs: ["UNREAD"]),
            ], upTo: "120")

            #expect(outcome == HistoryOutcome(applied: true, missingIDs: ["d"], deletedIDs: ["c"], changedIDs: ["a", "b"]))
            #expect(try store.historyID() == "120")
            #expect(try store.summary(id: "a")?.labelIDs == ["INBOX", "STARRED"])
            #expect(try store.summary(id: "b")?.labelIDs == ["INBOX"])
            #expect(try store.summary(id: "c") == nil)
            #expect(try store.hasBody(messageID: "c", format: .raw) == false)
            let page = try #require(try store.page(query: "in:inbox", pageIndex: 0))
            #expect(page.messageIDs == ["a", "b"])
            #expect(page.resultSizeEstimate == 2)
        }
    }

    @Test("history older than the stored id changes nothing; replaying a longer run ends as Gmail does")
    func supersededAndReplayed() throws {
        try withCacheFolder { folder in
            let store = try syncedStore(folder)
            #expect(try store.applyHistory([.labelsAdded(id: "a", labelIDs: ["STARRED"])], upTo: "150").applied)
            // Another instance already stored 150: an answer up to 140 is older and ignored.
            let stale = try store.applyHistory([.labelsRemoved(id: "a", labelIDs: ["STARRED"])], upTo: "140")
            #expect(stale == HistoryOutcome(applied: false))
            #expect(try store.summary(id: "a")?.labelIDs.contains("STARRED") == true)
            #expect(try store.historyID() == "150")
            // Ids compare as numbers, not text ("1000" > "999").
            #expect(try store.applyHistory([], upTo: "999").applied)
            // The run 100...1000 again, plus an unstar: each label ends as its last change left it.
            let replay = try store.applyHistory([
                .labelsAdded(id: "a", labelIDs: ["STARRED"]), .labelsRemoved(id: "a", labelIDs: ["STARRED"]),
            ], upTo: "1000")
            #expect(replay.applied)
            #expect(try store.summary(id: "a")?.labelIDs == ["INBOX", "UNREAD"])
            #expect(try store.historyID() == "1000")
        }
    }

    @Test("a resync that fails part-way stores nothing and keeps the old historyId")
    func resyncCommitIsAtomic() throws {
        try withCacheFolder { folder in
            let store = try syncedStore(folder)
            let before = try store.page(query: "in:inbox", pageIndex: 0)
            // A failure in the last write of the commit, after the id, the stale marks and the summaries.
            try DatabaseQueue(path: store.url.path).write { db in
                try db.execute(sql: """
                    CREATE TRIGGER failing_entry BEFORE INSERT ON pageEntry WHEN NEW.messageId = 'boom'
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """)
            }
            let refetched = StoredPage(query: "in:inbox", pageIndex: 0, pageToken: nil, messageIDs: ["x", "boom"],
                                       nextPageToken: nil, resultSizeEstimate: 2, fetchedAt: gmailDate(9_000))
            #expect(throws: MailStoreError.self) {
                try store.commitResync(historyID: "500", pages: [refetched], summaries: [summary("x")])
            }
            #expect(try store.historyID() == "100")
            #expect(try store.summary(id: "x") == nil)
            #expect(try store.page(query: "in:inbox", pageIndex: 0) == before)
            #expect(try store.missingSummaryIDs(["a", "b"]).isEmpty)

            try DatabaseQueue(path: store.url.path).write { try $0.execute(sql: "DROP TRIGGER failing_entry") }
            try store.commitResync(historyID: "500", pages: [refetched], summaries: [summary("x")])
            #expect(try store.historyID() == "500")
            #expect(try store.page(query: "in:inbox", pageIndex: 0) == refetched)
            // Summaries from before the gap stay readable but are fetched again when listed.
            #expect(try store.summary(id: "a") == summary("a", index: 1))
            #expect(try store.missingSummaryIDs(["x", "a", "boom"]) == ["a", "boom"])
        }
    }

    @Test("history that fails part-way changes nothing and keeps the old historyId")
    func historyIsAtomic() throws {
        try withCacheFolder { folder in
            let store = try syncedStore(folder)
            try DatabaseQueue(path: store.url.path).write { db in
                try db.execute(sql: """
                    CREATE TRIGGER failing_delete BEFORE DELETE ON message WHEN OLD.id = 'c'
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """)
            }
            #expect(throws: MailStoreError.self) {
                _ = try store.applyHistory([.labelsAdded(id: "a", labelIDs: ["STARRED"]), .messageDeleted(id: "c")], upTo: "130")
            }
            #expect(try store.historyID() == "100")
            #expect(try store.summary(id: "a")?.labelIDs == ["INBOX", "UNREAD"])
            #expect(try store.page(query: "in:inbox", pageIndex: 0)?.messageIDs == ["a", "b", "c"])
        }
    }
}
