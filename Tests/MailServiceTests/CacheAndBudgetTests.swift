import Foundation
import Testing
import HTTPCore
import GmailAPI
import GoogleOAuth
import TestSupport
@testable import MailService

/// Holds requests until opened; opens by itself after `fallback` so that a broken test fails instead of hanging.
final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var open = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(fallback: Duration = .seconds(20)) {
        Task { [self] in try? await Task.sleep(for: fallback); self.openNow() }
    }

    var isOpen: Bool { lock.withLock { open } }

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = lock.withLock { () -> Bool in
                if open { return true }
                waiters.append(c)
                return false
            }
            if resumeNow { c.resume() }
        }
    }

    func openNow() {
        let pending = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            open = true
            defer { waiters = [] }
            return waiters
        }
        pending.forEach { $0.resume() }
    }
}

/// Waits (yielding) until `condition` holds; gives up after many tries so that a broken test fails, not hangs.
func eventually(_ condition: () -> Bool) async {
    for _ in 0..<20_000 where !condition() { try? await Task.sleep(for: .milliseconds(1)) }
}

func fullJSON(_ id: String) -> HTTPResponse {
    jsonResponse(#"{"id":"\#(id)","threadId":"t\#(id)","labelIds":["INBOX"],"payload":{"mimeType":"text/plain","headers":[{"name":"From","value":"ann@example.com"},{"name":"Subject","value":"S \#(id)"}],"body":{"size":5,"data":"aGVsbG8"}}}"#)
}

func isFull(_ r: HTTPRequest) -> Bool { r.url.query?.contains("format=full") == true }

@Suite struct CacheAndBudgetTests {
    static func pageRoutes(_ ids: [String], next: String? = "n2", gate: Gate? = nil, counter: InFlightCounter? = nil) -> [Route] {
        [
            route(messagesPath + "/", { r in
                counter?.enter(); defer { counter?.leave() }
                if isFull(r) { return fullJSON(messageID(r)) }
                await gate?.wait()
                return metadataJSON(messageID(r))
            }),
            route(messagesPath, { r in
                counter?.enter(); defer { counter?.leave() }
                return listJSON(r.url.query?.contains("pageToken=n2") == true ? ids.map { $0 + "b" } : ids, next: next)
            }),
        ]
    }

    @Test func theBrowserPageComesFromMemoryTheSecondTime() async throws {
        let h = Harness(routes: Self.pageRoutes(["a", "b", "c"]))
        let first = try await h.service.page(query: "q", pageToken: nil, pageSize: 3, cache: .useCached)
        #expect(h.transport.requests.count == 4)
        let again = try await h.service.page(query: "q", pageToken: nil, pageSize: 3, cache: .useCached)
        #expect(again == first)
        #expect(h.transport.requests.count == 4, "answered from memory")
        // Another size or query is another page.
        _ = try await h.service.page(query: "q", pageToken: nil, pageSize: 2, cache: .useCached)
        #expect(h.transport.requests.count == 8)
        // The plain call (and a reload) always asks Gmail.
        _ = try await h.service.page(query: "q", pageToken: nil, pageSize: 3, cache: .reload)
        #expect(h.transport.requests.count == 12)
        _ = try await h.service.page(query: "q", pageToken: nil, pageSize: 3, cache: .reload)
        #expect(h.transport.requests.count == 16)
    }

    @Test func invalidationForgetsPagesAndMessages() async throws {
        let h = Harness(routes: Self.pageRoutes(["a"]))
        _ = try await h.service.page(query: "", pageToken: nil, pageSize: 1, cache: .useCached)
        _ = try await h.service.message(id: "a", cache: .useCached)
        #expect(await h.service.hasCachedPage(query: "", pageToken: nil, pageSize: 1))
        #expect(await h.service.hasCachedMessage(id: "a"))
        await h.service.invalidateCaches()
        #expect(await !h.service.hasCachedPage(query: "", pageToken: nil, pageSize: 1))
        #expect(await !h.service.hasCachedMessage(id: "a"))
        let before = h.transport.requests.count
        _ = try await h.service.page(query: "", pageToken: nil, pageSize: 1, cache: .useCached)
        #expect(h.transport.requests.count == before + 2)
    }

    @Test func aPrefetchedPageCostsNoRequestWhenAskedFor() async throws {
        let h = Harness(routes: Self.pageRoutes(["a", "b"]))
        await h.service.prefetchPage(query: "", pageToken: "n2", pageSize: 2)
        let count = h.transport.requests.count
        #expect(count == 3)
        let page = try await h.service.page(query: "", pageToken: "n2", pageSize: 2, cache: .useCached)
        #expect(page.messages.map(\.id) == ["ab", "bb"])
        #expect(page.pageToken == "n2")
        #expect(h.transport.requests.count == count)
        // Prefetching what is cached does nothing.
        await h.service.prefetchPage(query: "", pageToken: "n2", pageSize: 2)
        #expect(h.transport.requests.count == count)
    }

    @Test func aRequestJoinsThePrefetchOfTheSamePage() async throws {
        let gate = Gate()
        let h = Harness(routes: Self.pageRoutes(["a", "b", "c"], gate: gate))
        let service = h.service
        let prefetch = Task { await service.prefetchPage(query: "", pageToken: nil, pageSize: 3) }
        await eventually { h.requests(messagesPath + "/").count == 3 }
        let asked = Task { try await service.page(query: "", pageToken: nil, pageSize: 3, cache: .useCached) }
        for _ in 0..<20_000 where await service.joinedLoads == 0 { try? await Task.sleep(for: .milliseconds(1)) }
        #expect(await service.joinedLoads == 1)
        gate.openNow()
        let page = try await asked.value
        await prefetch.value
        #expect(page.messages.map(\.id) == ["a", "b", "c"])
        #expect(h.requests(messagesPath).count == 4, "one list and three metadata GETs, not twice")
    }

    @Test func aPrefetchedMessageOpensFromMemory() async throws {
        let h = Harness(routes: Self.pageRoutes(["a"]))
        await h.service.prefetchMessage(id: "a")
        #expect(h.transport.requests.filter(isFull).count == 1)
        let detail = try await h.service.message(id: "a", cache: .useCached)
        #expect(detail.subject == "S a")
        #expect(detail.body.contains("hello"))
        #expect(h.transport.requests.filter(isFull).count == 1)
        // The plain call asks again.
        _ = try await h.service.message(id: "a", cache: .reload)
        #expect(h.transport.requests.filter(isFull).count == 2)
    }

    @Test func aFailedPrefetchIsNotCachedAndTheRequestReportsIt() async throws {
        let h = Harness(retry: RetryPolicy(maxAttempts: 1), routes: [route(messagesPath, { _ in notFound })])
        await h.service.prefetchMessage(id: "gone")
        #expect(await !h.service.hasCachedMessage(id: "gone"))
        await #expect(throws: MailServiceError.notFound) { try await h.service.message(id: "gone", cache: .useCached) }
    }

    @Test func oneBudgetBoundsPagesPrefetchesAndMessagesTogether() async throws {
        let counter = InFlightCounter()
        let ids = (0..<12).map { "m\($0)" }
        let h = Harness(strategy: .parallel(maxInFlight: 4), routes: [
            route(messagesPath + "/", { r in
                counter.enter(); defer { counter.leave() }
                try await Task.sleep(for: .milliseconds(2))
                return isFull(r) ? fullJSON(messageID(r)) : metadataJSON(messageID(r))
            }),
            route(messagesPath, { r in
                counter.enter(); defer { counter.leave() }
                try await Task.sleep(for: .milliseconds(2))
                return listJSON(r.url.query?.contains("pageToken") == true ? ids.map { $0 + "x" } : ids, next: "p2")
            }),
        ])
        let service = h.service
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await service.page(query: "", pageToken: nil, pageSize: 12, cache: .reload) }
            group.addTask { await service.prefetchPage(query: "", pageToken: "p2", pageSize: 12) }
            for id in ids.prefix(6) { group.addTask { _ = try await service.message(id: id, cache: .reload) } }
            for id in ids.suffix(3) { group.addTask { await service.prefetchMessage(id: id) } }
            try await group.waitForAll()
        }
        let sent = h.transport.requests.count
        #expect(sent == 35, "two lists, 24 metadata GETs, 6 + 3 messages")
        #expect(counter.maximum <= 4, "never more in flight than the one budget")
        #expect(counter.maximum >= 2)
        #expect(await service.requestsInFlight == 0)
    }

    @Test func theForegroundGetsThroughWhilePrefetchesFillTheirShare() async throws {
        let gate = Gate()
        let metadata = InFlightCounter()
        let ids = (0..<20).map { "m\($0)" }
        let h = Harness(strategy: .parallel(maxInFlight: 10), routes: [
            route(messagesPath + "/", { r in
                if isFull(r) { return fullJSON(messageID(r)) }
                metadata.enter(); defer { metadata.leave() }
                await gate.wait()
                return metadataJSON(messageID(r))
            }),
            route(messagesPath, { _ in listJSON(ids) }),
        ])
        let service = h.service
        let prefetch = Task { await service.prefetchPage(query: "", pageToken: nil, pageSize: 20) }
        // A prefetch leaves a fifth of the budget (2 of 10) to the foreground.
        await eventually { h.requests(messagesPath + "/").count >= 8 }
        #expect(await service.requestsInFlight == 8)
        let detail = try await service.message(id: "x", cache: .useCached)
        #expect(detail.id == "x")
        #expect(!gate.isOpen, "the message came while every prefetch request was still held")
        gate.openNow()
        await prefetch.value
        #expect(metadata.maximum == 8)
        #expect(await service.hasCachedPage(query: "", pageToken: nil, pageSize: 20))
    }

    @Test func aReloadStopsAPrefetchStartedBeforeIt() async throws {
        let gate = Gate()
        let ids = (0..<12).map { "m\($0)" }
        let h = Harness(strategy: .parallel(maxInFlight: 4), routes: Self.pageRoutes(ids, gate: gate))
        let service = h.service
        let prefetch = Task { await service.prefetchPage(query: "", pageToken: nil, pageSize: 12) }
        await eventually { h.requests(messagesPath + "/").count == 4 }
        // `r`: what the prefetch would bring is stale now.
        await service.invalidateCaches()
        gate.openNow()
        await prefetch.value
        #expect(h.requests(messagesPath + "/").count == 4, "the four on the wire finish; the other eight are never sent")
        #expect(await !service.hasCachedPage(query: "", pageToken: nil, pageSize: 12))
        // The same prefetch asked for after the reload starts afresh and lands in memory.
        await service.prefetchPage(query: "", pageToken: nil, pageSize: 12)
        #expect(h.requests(messagesPath + "/").count == 16)
        #expect(await service.hasCachedPage(query: "", pageToken: nil, pageSize: 12))
        #expect(await service.requestsInFlight == 0)
    }

    @Test func leastRecentlyUsedEntriesGoFirst() {
        var cache = LRUCache<String, Int>(capacity: 2)
        cache.set("a", 1)
        cache.set("b", 2)
        #expect(cache.get("a") == 1)   // "b" is now the oldest
        cache.set("c", 3)
        #expect(cache.get("b") == nil)
        #expect(cache.get("a") == 1)
        #expect(cache.get("c") == 3)
        cache.set("c", 4)
        #expect(cache.count == 2)
        #expect(cache.get("c") == 4)
    }

    @Test func pageCacheIsBounded() async throws {
        let transport = FakeTransport.routing(Self.pageRoutes(["a"]))
        let service = MailService(oauth: OAuthClient(secrets: testSecrets(), transport: transport),
                                  gmail: GmailClient(transport: transport, apiRoot: apiRoot),
                                  store: InMemoryCredentialStore([validCredentials()]), account: validCredentials(),
                                  clock: { testNow }, pageCacheCapacity: 2)
        for q in ["1", "2", "3"] { _ = try await service.page(query: q, pageToken: nil, pageSize: 1, cache: .useCached) }
        #expect(await !service.hasCachedPage(query: "1", pageToken: nil, pageSize: 1))
        #expect(await service.hasCachedPage(query: "2", pageToken: nil, pageSize: 1))
        #expect(await service.hasCachedPage(query: "3", pageToken: nil, pageSize: 1))
    }
}
