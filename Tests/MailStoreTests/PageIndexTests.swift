import Foundation
import Testing
import MailStore

@Suite struct PageIndexTests {
    @Test("a page token is placed by the page fetched with it, or after the page that handed it out")
    func tokensArePlaced() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let now = gmailDate(1_700_000_000_000)
            try store.savePage(StoredPage(query: "q", pageIndex: 0, pageToken: nil, messageIDs: ["a"], nextPageToken: "t1",
                                          resultSizeEstimate: 3, fetchedAt: now))
            try store.savePage(StoredPage(query: "q", pageIndex: 1, pageToken: "t1", messageIDs: ["b"], nextPageToken: "t2",
                                          resultSizeEstimate: 3, fetchedAt: now))
            #expect(try store.pageIndex(query: "q", pageToken: "t1") == 1)
            #expect(try store.pageIndex(query: "q", pageToken: "t2") == 2, "not stored yet, but its place is known")
            // The first page listed again hands out a new token for the same place.
            try store.savePage(StoredPage(query: "q", pageIndex: 0, pageToken: nil, messageIDs: ["a"], nextPageToken: "t1-new",
                                          resultSizeEstimate: 3, fetchedAt: now))
            #expect(try store.pageIndex(query: "q", pageToken: "t1-new") == 1)
            #expect(try store.pageIndex(query: "q", pageToken: "unknown") == nil)
            #expect(try store.pageIndex(query: "other", pageToken: "t1") == nil, "tokens belong to their query")
        }
    }
}
