import Foundation
import Testing
import HTTPCore
import GmailAPI
import TestSupport
@testable import MailService

@Suite struct PageTests {
    @Test func emptyListGivesEmptyPage() async throws {
        let h = Harness(routes: [route(messagesPath, { _ in jsonResponse(#"{"resultSizeEstimate": 0}"#) })])
        let page = try await h.service.page(query: "is:unread", pageToken: nil, pageSize: 50, cache: .reload)
        #expect(page.messages.isEmpty)
        #expect(page.resultSizeEstimate == 0)
        #expect(page.nextPageToken == nil)
        #expect(h.transport.requests.count == 1)
    }

    @Test func listRequestCarriesQueryPageTokenAndSize() async throws {
        let h = Harness(routes: [route(messagesPath, { _ in jsonResponse(#"{"resultSizeEstimate": 0}"#) })])
        _ = try await h.service.page(query: "from:ann", pageToken: "p2", pageSize: 20, cache: .reload)
        let request = try #require(h.transport.requests.first)
        #expect(request.url.absoluteString == "https://gmail.example.test/gmail/v1/users/me/messages?q=from%3Aann&maxResults=20&pageToken=p2")
        #expect(request.headers["Authorization"] == "Bearer old-access")
    }

    @Test func summariesDecodedAndMetadataRequestExact() async throws {
        let h = Harness(routes: [
            route(messagesPath + "/", { r in
                messageID(r) == "b" ? metadataJSON("b", from: "bob@example.com", subject: "Re: x", date: nil, labels: ["INBOX"])
                                    : metadataJSON("a", from: "\"Doe, Ann\" <ann@example.com>")
            }),
            route(messagesPath, { _ in listJSON(["a", "b"], next: "n1") }),
        ])
        let page = try await h.service.page(query: "q", pageToken: nil, pageSize: 2, cache: .reload)
        #expect(page.nextPageToken == "n1")
        #expect(page.messages.map(\.id) == ["a", "b"])
        let a = page.messages[0], b = page.messages[1]
        #expect(a.from == MailAddress(name: "Doe, Ann", email: "ann@example.com"))
        #expect(a.threadID == "ta")
        #expect(a.subject == "Hello")
        #expect(a.snippet == "snip a")
        #expect(a.isUnread)
        #expect(a.date == Date(timeIntervalSince1970: 1_707_809_515))
        #expect(b.from == MailAddress(name: nil, email: "bob@example.com"))
        #expect(!b.isUnread)
        // No Date header: internalDate is used.
        #expect(b.date == Date(timeIntervalSince1970: 1_707_809_515))
        let metadata = try #require(h.requests(messagesPath + "/").first)
        #expect(metadata.url.query == "format=metadata&metadataHeaders=From&metadataHeaders=Subject&metadataHeaders=Date&fields=id%2CthreadId%2ClabelIds%2Csnippet%2CinternalDate%2Cpayload%2Fheaders%2Cpayload%2FmimeType")
    }

    @Test func orderPreservedWithBoundedConcurrency() async throws {
        let counter = InFlightCounter()
        let ids = (0..<12).map { "m\($0)" }
        let h = Harness(strategy: .parallel(maxInFlight: 3), routes: [
            route(messagesPath + "/", { r in
                counter.enter()
                defer { counter.leave() }
                // Later ids answer sooner, so completion order differs from list order.
                let n = Int(messageID(r).dropFirst()) ?? 0
                for _ in 0..<(12 - n) * 20 { await Task.yield() }
                try await Task.sleep(for: .milliseconds(2))
                return metadataJSON(messageID(r))
            }),
            route(messagesPath, { _ in listJSON(ids) }),
        ])
        let page = try await h.service.page(query: "", pageToken: nil, pageSize: 12, cache: .reload)
        #expect(page.messages.map(\.id) == ids)
        #expect(counter.maximum <= 3)
        #expect(counter.maximum >= 2)
    }

    @Test func deletedMessageIsDropped() async throws {
        let h = Harness(routes: [
            route(messagesPath + "/", { r in messageID(r) == "gone" ? notFound : metadataJSON(messageID(r)) }),
            route(messagesPath, { _ in listJSON(["a", "gone", "c"]) }),
        ])
        let page = try await h.service.page(query: "", pageToken: nil, pageSize: 3, cache: .reload)
        #expect(page.messages.map(\.id) == ["a", "c"])
    }

    @Test func otherMetadataFailureFailsThePage() async {
        let h = Harness(routes: [
            route(messagesPath + "/", { r in messageID(r) == "bad" ? jsonResponse(400, #"{"error":{"code":400,"message":"Invalid id value"}}"#) : metadataJSON(messageID(r)) }),
            route(messagesPath, { _ in listJSON(["a", "bad"]) }),
        ])
        await #expect(throws: MailServiceError.api(status: 400, message: "Invalid id value")) {
            try await h.service.page(query: "", pageToken: nil, pageSize: 2, cache: .reload)
        }
    }

    @Test func batchStrategyDropsDeletedAndKeepsOrder() async throws {
        let h = Harness(strategy: .batch(size: 2), routes: [
            route("/batch/gmail/v1", { request in
                let body = String(decoding: request.body ?? Data(), as: UTF8.self)
                let ids = body.components(separatedBy: "\r\n").filter { $0.hasPrefix("GET ") }
                    .map { String($0.split(separator: "/")[6].prefix { $0 != "?" }) }
                var text = ""
                for (index, id) in ids.enumerated().reversed() {
                    let inner = id == "gone" ? notFound : metadataJSON(id)
                    text += "--r\r\nContent-Type: application/http\r\nContent-ID: <response-item-\(index + 1)>\r\n\r\n"
                        + "HTTP/1.1 \(inner.status) X\r\nContent-Type: application/json\r\n\r\n\(inner.bodyText)\r\n"
                }
                text += "--r--\r\n"
                return HTTPResponse(status: 200, headers: ["Content-Type": "multipart/mixed; boundary=r"], body: Data(text.utf8))
            }),
            route(messagesPath, { _ in listJSON(["a", "gone", "c"]) }),
        ])
        let page = try await h.service.page(query: "", pageToken: nil, pageSize: 3, cache: .reload)
        #expect(page.messages.map(\.id) == ["a", "c"])
        #expect(h.requests("/batch/").count == 2)
    }

    @Test func rateLimitHalvesInFlightThenSuccessGrowsIt() async throws {
        let first = Recorder<Bool>()
        let h = Harness(strategy: .parallel(maxInFlight: 8), routes: [
            route(messagesPath + "/", { r in
                if messageID(r) == "m0" && first.values.isEmpty { first.append(true); return tooMany }
                return metadataJSON(messageID(r))
            }),
            route(messagesPath, { _ in listJSON(["m0"]) }),
        ])
        _ = try await h.service.page(query: "", pageToken: nil, pageSize: 1, cache: .reload)
        // Halved to 4 by the 429, then one success is not yet enough to grow (needs 4).
        #expect(await h.service.inFlightLimit == 4)
    }
}
