import Foundation
import Testing
@testable import MailStore

@Suite("Summaries, query pages and labels")
struct PageTests {
    @Test("summaries and pages round trip exactly, in Gmail's order")
    func pagesRoundTrip() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let summaries = (0..<8).map { summary(messageID($0), index: $0) }
            let first = StoredPage(query: "is:unread", pageIndex: 0, pageToken: nil,
                                   messageIDs: summaries[0..<4].map(\.id).reversed(), nextPageToken: "token-2",
                                   resultSizeEstimate: 8, fetchedAt: gmailDate(1_732_000_000_123))
            let second = StoredPage(query: "is:unread", pageIndex: 1, pageToken: "token-2",
                                    messageIDs: summaries[4..<8].map(\.id), nextPageToken: nil,
                                    resultSizeEstimate: 8, fetchedAt: gmailDate(1_732_000_060_456))
            try store.savePage(first, summaries: Array(summaries[0..<4]))
            try store.savePage(second, summaries: Array(summaries[4..<8]))

            #expect(try store.page(query: "is:unread", pageIndex: 0) == first)
            #expect(try store.page(query: "is:unread", pageIndex: 1) == second)
            #expect(try store.page(query: "is:unread ", pageIndex: 0) == nil)
            #expect(try store.pages(query: "is:unread") == [first, second])
            let content = try #require(try store.pageContent(query: "is:unread", pageIndex: 0))
            #expect(content.page == first)
            #expect(content.summaries == summaries[0..<4].reversed())
            #expect(content.missingIDs.isEmpty)
            #expect(try store.summaries(ids: [summaries[5].id, "absent", summaries[2].id]) == [summaries[5], summaries[2]])

            // A page listed again replaces the stored one; the other page stays.
            let relisted = StoredPage(query: "is:unread", pageIndex: 0, pageToken: nil, messageIDs: [summaries[1].id],
                                      nextPageToken: "token-2b", resultSizeEstimate: 5, fetchedAt: gmailDate(1_732_000_120_000))
            try store.savePage(relisted)
            #expect(try store.pages(query: "is:unread") == [relisted, second])
            try store.deletePages(query: "is:unread", from: 1)
            #expect(try store.pages(query: "is:unread") == [relisted])
        }
    }

    @Test("a page lists the ids whose summaries are not stored, and a sync fetches only those")
    func missingSummaries() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            try store.saveSummaries([summary("b", index: 1)])
            let page = StoredPage(query: "in:inbox", pageIndex: 0, pageToken: nil, messageIDs: ["a", "b", "c"],
                                  nextPageToken: nil, resultSizeEstimate: 3, fetchedAt: gmailDate(1_000))
            try store.savePage(page)
            let content = try #require(try store.pageContent(query: "in:inbox", pageIndex: 0))
            #expect(content.summaries.map(\.id) == ["b"])
            #expect(content.missingIDs == ["a", "c"])
            #expect(try store.missingSummaryIDs(["c", "b", "a"]) == ["c", "a"])
        }
    }

    @Test("10,000 summaries stored, then a page of 50 read back whole and in order")
    func pageOfFiftyFromTenThousand() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let all = (0..<10_000).map { summary(messageID($0), labels: $0 % 5 == 0 ? ["INBOX"] : ["INBOX", "UNREAD"], index: $0) }
            try store.saveSummaries(all)
            #expect(try store.summaryCount() == 10_000)
            let chosen = stride(from: 9_999, to: 0, by: -199).prefix(50).map { all[$0] }
            #expect(chosen.count == 50)
            try store.savePage(StoredPage(query: "in:inbox", pageIndex: 3, pageToken: "t3", messageIDs: chosen.map(\.id),
                                          nextPageToken: "t4", resultSizeEstimate: 10_000, fetchedAt: gmailDate(5)))
            let content = try #require(try store.pageContent(query: "in:inbox", pageIndex: 3))
            #expect(content.summaries == chosen)
            #expect(content.missingIDs.isEmpty)
            #expect(content.page.nextPageToken == "t4")
        }
    }

    @Test("labels keep Gmail's order and counts; one label's update keeps its place")
    func labels() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            let list = [
                StoredLabel(id: "INBOX", name: "INBOX", type: "system", messagesTotal: 40, messagesUnread: 3, threadsTotal: 30, threadsUnread: 2),
                StoredLabel(id: "STARRED", name: "STARRED", type: "system"),
                StoredLabel(id: "Label_7", name: "Receipts/2025 領収書", type: "user", messagesTotal: 12, messagesUnread: 0),
            ]
            try store.replaceLabels(list)
            #expect(try store.labels() == list)
            #expect(try store.labels().map(\.isSystem) == [true, true, false])

            var inbox = list[0]
            inbox.messagesUnread = 4
            try store.saveLabel(inbox)
            let added = StoredLabel(id: "Label_9", name: "New", type: "user")
            try store.saveLabel(added)
            #expect(try store.labels() == [inbox, list[1], list[2], added])

            try store.replaceLabels([list[2]])
            #expect(try store.labels() == [list[2]])
        }
    }
}
