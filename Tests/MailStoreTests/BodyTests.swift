import Foundation
import Testing
@testable import MailStore

@Suite("Bodies and the size bound")
struct BodyTests {
    @Test("bodies round trip in both formats")
    func roundTrip() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let raw = StoredBody(messageID: "a", format: .raw, content: Data("From: x\r\n\r\nbody\r\n".utf8))
            let rendered = StoredBody(messageID: "a", format: .rendered, content: Data("Body — 本文 🎉".utf8))
            try store.saveBody(raw)
            try store.saveBody(rendered)
            #expect(try store.body(messageID: "a", format: .raw) == raw)
            #expect(try store.body(messageID: "a", format: .rendered) == rendered)
            #expect(try store.body(messageID: "b", format: .raw) == nil)
            #expect(try store.hasBody(messageID: "a", format: .raw))
        }
    }

    @Test("over the limit, the least recently used bodies go first; reading one counts as a use")
    func evictsLeastRecentlyUsed() throws {
        try withCacheFolder { folder in
            let baseline = try MailStore(cacheDirectory: folder, userID: "measure").usedBytes()
            // Room for five 50 kB bodies (each about twelve 4 kB overflow pages and a part of a leaf), not six.
            let limit = baseline + 275_000
            let store = try MailStore(cacheDirectory: folder, userID: userID, sizeLimit: limit)
            func body(_ n: Int) -> StoredBody {
                StoredBody(messageID: "m\(n)", format: .raw, content: Data(repeating: UInt8(n), count: 50_000))
            }
            for n in 0..<5 { #expect(try store.saveBody(body(n)).isEmpty) }
            #expect(try store.body(messageID: "m0", format: .raw) == body(0))
            #expect(try store.bodyIDsByUse() == ["m1", "m2", "m3", "m4", "m0"])

            #expect(try store.saveBody(body(5)) == ["m1"])
            #expect(try store.usedBytes() <= limit)
            #expect(try store.saveBody(body(6)) == ["m2"])
            #expect(try store.usedBytes() <= limit)
            #expect(try store.bodyIDsByUse() == ["m3", "m4", "m0", "m5", "m6"])
            #expect(try store.body(messageID: "m1", format: .raw) == nil)
            #expect(try store.body(messageID: "m0", format: .raw) == body(0))
            #expect(try store.pool.read { try Int.fetchOne($0, sql: "PRAGMA freelist_count") } == 0)
        }
    }

    @Test("summaries, pages and labels are never evicted, only bodies")
    func onlyBodiesAreEvicted() throws {
        try withCacheFolder { folder in
            let baseline = try MailStore(cacheDirectory: folder, userID: "measure").usedBytes()
            let store = try MailStore(cacheDirectory: folder, userID: userID, sizeLimit: baseline + 100_000)
            let summaries = (0..<200).map { summary(messageID($0), index: $0) }
            try store.savePage(StoredPage(query: "q", pageIndex: 0, pageToken: nil, messageIDs: summaries.map(\.id),
                                          nextPageToken: nil, resultSizeEstimate: 200, fetchedAt: gmailDate(1)),
                               summaries: summaries)
            for n in 0..<4 {
                try store.saveBody(StoredBody(messageID: messageID(n), format: .raw, content: Data(repeating: 7, count: 40_000)))
            }
            #expect(try store.bodyIDsByUse().count < 4)
            #expect(try store.summaryCount() == 200)
            #expect(try store.pageContent(query: "q", pageIndex: 0)?.summaries == summaries)
        }
    }
}
