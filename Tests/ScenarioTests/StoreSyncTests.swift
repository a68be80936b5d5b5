import Foundation
import Testing
import HTTPCore
import GmailAPI
import MailService
import MailStore
import GmailSandbox
import TestSupport

/// The store-backed service against the sandbox: what a sync costs (requests counted in the sandbox's
/// log), what it changes in the store, and what the store answers when Gmail cannot be reached.
@Suite struct StoreSyncTests {
    static let query = "in:inbox"
    static let pageSize = 20

    /// A service for the harness's account with a store in the harness's private folder, its Gmail calls
    /// through `transport` when given.
    static func storeService(_ client: SandboxHarness, transport: (any HTTPTransport)? = nil,
                             retryPolicy: RetryPolicy = .default) throws -> (MailService, MailStore) {
        let store = try MailStore(cacheDirectory: client.folder.url.appendingPathComponent("cache"), userID: client.account.userID)
        let gmail = transport.map { GmailClient(transport: $0, apiRoot: client.rootURL) } ?? client.gmail
        let service = MailService(oauth: client.oauth, gmail: gmail, store: client.store, account: client.account,
                                  retryPolicy: retryPolicy, mailStore: store)
        return (service, store)
    }

    /// The requests logged since `start`, sorted by kind.
    struct Counts {
        var history = 0, list = 0, metadata = 0, full = 0, profile = 0, batch = 0, other = 0
        init(_ log: ArraySlice<SandboxLogEntry>) {
            for entry in log {
                let path = entry.path
                if path.hasPrefix("/gmail/v1/users/me/history") { history += 1 }
                else if path.hasPrefix("/gmail/v1/users/me/messages/") && path.contains("format=metadata") { metadata += 1 }
                else if path.hasPrefix("/gmail/v1/users/me/messages/") { full += 1 }
                else if path.hasPrefix("/gmail/v1/users/me/messages") { list += 1 }
                else if path.hasPrefix("/gmail/v1/users/me/profile") { profile += 1 }
                else if path.hasPrefix("/batch/") { batch += 1 }
                else { other += 1 }
            }
        }
    }

    static func counts(_ sandbox: Sandbox, since start: Int) -> Counts { Counts(sandbox.requestLog().dropFirst(start)) }

    @Test func aDeliveredMessageAppearsAfterOneHistoryListOneListAndOneMetadataRequest() async throws {
        try await withSandboxClient(.inProcess) { client in
            let (service, store) = try Self.storeService(client)
            let first = try await service.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            #expect(first.resynced, "nothing stored: the first sync is a full one")
            #expect(try store.historyID() != nil)
            let delivered = try client.sandbox.deliver(subject: "Arrived while away")
            let start = client.sandbox.requestLog().count
            let second = try await service.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            let counts = Self.counts(client.sandbox, since: start)
            #expect(!second.resynced)
            #expect(second.newMessageIDs == [delivered.id])
            #expect(second.page.messages.first?.id == delivered.id)
            #expect(second.page.messages.first?.subject == "Arrived while away")
            #expect(second.page.storedAt == nil, "a synced page is live")
            #expect(Array(second.page.messages.dropFirst().prefix(Self.pageSize - 1).map(\.id))
                    == Array(first.page.messages.prefix(Self.pageSize - 1).map(\.id)))
            #expect(counts.history == 1 && counts.list == 1 && counts.metadata == 1)
            #expect(client.sandbox.requestLog().count - start == 3, "nothing else")
            #expect(try store.historyID() == String(client.sandbox.historyId))
            // Stored: the next start draws it without a request.
            let stored = try #require(service.storedPage(query: Self.query, pageToken: nil, pageSize: Self.pageSize))
            #expect(stored.messages.map(\.id) == second.page.messages.map(\.id))
            #expect(stored.storedAt != nil)
        }
    }

    @Test func aSyncWithNothingNewIsTwoRequests() async throws {
        try await withSandboxClient(.inProcess) { client in
            let (service, _) = try Self.storeService(client)
            let first = try await service.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            let start = client.sandbox.requestLog().count
            let again = try await service.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            let counts = Self.counts(client.sandbox, since: start)
            #expect(again.page.messages == first.page.messages)
            #expect(again.newMessageIDs.isEmpty)
            #expect(counts.history == 1 && counts.list == 1)
            #expect(client.sandbox.requestLog().count - start == 2)
        }
    }

    @Test func aLabelChangedElsewhereShowsAfterSyncWithoutFetchingMetadataAgain() async throws {
        try await withSandboxClient(.inProcess) { client in
            let (service, _) = try Self.storeService(client)
            let first = try await service.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            let target = try #require(first.page.messages.first { $0.isUnread })
            try client.sandbox.changeLabels(messageId: target.id, add: ["STARRED"], remove: ["UNREAD"])
            let start = client.sandbox.requestLog().count
            let second = try await service.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            let counts = Self.counts(client.sandbox, since: start)
            let row = try #require(second.page.messages.first { $0.id == target.id })
            #expect(!row.isUnread)
            #expect(row.labelIDs.contains("STARRED"))
            #expect(Set(row.labelIDs) == Set(client.sandbox.labels(ofMessage: target.id)))
            #expect(counts.metadata == 0 && counts.batch == 0, "labels came from history")
            #expect(counts.history == 1 && counts.list == 1)
            #expect(second.newMessageIDs.isEmpty)
        }
    }

    @Test func aForgottenHistoryIdResyncsOnceAndTheNextSyncUsesHistoryAgain() async throws {
        try await withSandboxClient(.inProcess) { client in
            let (service, store) = try Self.storeService(client)
            _ = try await service.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            let old = try #require(try store.historyID())
            _ = try client.sandbox.deliver(subject: "During the gap")
            _ = client.sandbox.forgetHistory()
            var start = client.sandbox.requestLog().count
            let recovered = try await service.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            let log = Array(client.sandbox.requestLog().dropFirst(start))
            #expect(recovered.resynced)
            #expect(recovered.page.messages.first?.subject == "During the gap")
            #expect(log.first?.path.hasPrefix("/gmail/v1/users/me/history") == true && log.first?.status == 404)
            let profile = try #require(log.firstIndex { $0.path.hasPrefix("/gmail/v1/users/me/profile") })
            let list = try #require(log.firstIndex { $0.path.hasPrefix("/gmail/v1/users/me/messages?") })
            #expect(profile < list, "the new id is read before the lists it stands for")
            let stored = try #require(try store.historyID())
            #expect(stored != old)

            start = client.sandbox.requestLog().count
            let next = try await service.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            let after = Array(client.sandbox.requestLog().dropFirst(start))
            #expect(!next.resynced)
            #expect(after.first?.path.hasPrefix("/gmail/v1/users/me/history") == true)
            #expect(after.first?.status == 200, "no endless resync: the stored id is one Gmail answers")
            #expect(after.count == 2)
        }
    }

    @Test func aResyncThatFailsStoresNoHistoryId() async throws {
        try await withSandboxClient(.inProcess) { client in
            let once = RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1), jitter: 0)
            let (service, store) = try Self.storeService(client, retryPolicy: once)
            // The list answers; the metadata batch after it fails.
            client.sandbox.failNext(pathContaining: "batch", status: 500, count: 1000)
            await #expect(throws: MailServiceError.self) {
                try await service.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            }
            #expect(try store.historyID() == nil, "getProfile answered, but nothing it stands for was stored")
            #expect(try store.page(query: Self.query, pageIndex: 0) == nil)
        }
    }

    @Test func offlineTheStoreAnswersStoredPagesAndOpenedBodiesAndSaysWhatIsNotStored() async throws {
        try await withSandboxClient(.inProcess) { client in
            let online = Online()
            let transport = online.transport(client)
            let quick = Online.quickRetries
            let (service, store) = try Self.storeService(client, transport: transport, retryPolicy: quick)
            let live = try await service.page(query: Self.query, pageToken: nil, pageSize: Self.pageSize, cache: .reload)
            let opened = try await service.message(id: live.messages[0].id, cache: .useCached)
            let listedAt = try #require(try store.page(query: Self.query, pageIndex: 0)?.fetchedAt)

            // A new instance on the same store, with nothing in memory, and no network.
            online.value = false
            let (later, _) = try Self.storeService(client, transport: transport, retryPolicy: quick)
            let sent = transport.requests.count
            let page = try await later.page(query: Self.query, pageToken: nil, pageSize: Self.pageSize, cache: .useCached)
            #expect(page.messages == live.messages)
            #expect(page.storedAt == listedAt)
            #expect(try await later.message(id: opened.id, cache: .useCached) == opened)
            #expect(transport.requests.count - sent == 2, "the page's list and its retry; the body took none")
            await #expect {
                _ = try await later.message(id: live.messages[1].id, cache: .useCached)
            } throws: { error in
                if case MailServiceError.network = error { return true }
                return false
            }
            await #expect(throws: MailServiceError.self, "a page never listed is not made up") {
                _ = try await later.page(query: "from:nobody", pageToken: nil, pageSize: Self.pageSize, cache: .useCached)
            }
        }
    }

    /// Once Gmail was found unreachable, a stored page answers at once for 30 s, with no request: `t` or `n`
    /// offline does not wait for the retries again; after that, or once a request succeeds, Gmail is asked.
    @Test func foundUnreachableTheStoredPagesAnswerAtOnce() async throws {
        try await withSandboxClient(.inProcess) { client in
            let online = Online()
            let transport = online.transport(client)
            let quick = Online.quickRetries
            let (service, _) = try Self.storeService(client, transport: transport, retryPolicy: quick)
            let first = try await service.page(query: Self.query, pageToken: nil, pageSize: 5, cache: .reload)
            let token = try #require(first.nextPageToken)
            _ = try await service.page(query: Self.query, pageToken: token, pageSize: 5, cache: .reload)
            _ = try await service.page(query: "", pageToken: nil, pageSize: 5, cache: .reload)
            online.value = false
            await service.invalidateCaches()
            var sent = transport.requests.count
            let stored = try await service.page(query: Self.query, pageToken: nil, pageSize: 5, cache: .useCached)
            #expect(stored.storedAt != nil)
            #expect(transport.requests.count - sent == 2, "found unreachable: the list and its retry")
            sent = transport.requests.count
            let next = try await service.page(query: Self.query, pageToken: token, pageSize: 5, cache: .useCached)
            let other = try await service.page(query: "", pageToken: nil, pageSize: 5, cache: .useCached)
            #expect(next.storedAt != nil && other.storedAt != nil)
            #expect(transport.requests.count == sent, "known unreachable: the store answers with no request")
            // A reload still asks Gmail; once it answers, Gmail is asked again for pages.
            online.value = true
            _ = try await service.page(query: "", pageToken: nil, pageSize: 5, cache: .reload)
            await service.invalidateCaches()
            let live = try await service.page(query: Self.query, pageToken: token, pageSize: 5, cache: .useCached)
            #expect(live.storedAt == nil)
        }
    }

    /// A change Gmail accepted is in the store at once: the next start (or an offline one) shows it before any sync.
    @Test func aChangeGmailAcceptedIsInTheStoreForTheNextStart() async throws {
        try await withSandboxClient(.inProcess, .with { $0.account = .minted(scopes: [SandboxScope.modify]) }) { client in
            let (service, store) = try Self.storeService(client)
            let page = try await service.page(query: Self.query, pageToken: nil, pageSize: 5, cache: .reload)
            let (starred, archived) = (page.messages[0].id, page.messages[1].id)
            try await service.apply(.star, to: [starred])
            try await service.apply(.archive, to: [archived])
            #expect(try store.summary(id: starred)?.labelIDs.contains("STARRED") == true)
            #expect(try store.summary(id: archived)?.labelIDs.contains("INBOX") == false)
            #expect(try store.summary(id: page.messages[2].id)?.labelIDs == page.messages[2].labelIDs, "others untouched")
            let later = MailService(oauth: client.oauth, gmail: client.gmail, store: client.store, account: client.account, mailStore: store)
            #expect(later.storedPage(query: Self.query, pageToken: nil, pageSize: 5)?.messages.first?.isStarred == true)
        }
    }

    /// `list --max 2` (a smaller page) does not cut the browser's stored page of 50 short; a larger page
    /// replaces it and forgets the stored pages after it, which no longer follow it.
    @Test func aListingOfAnotherPageSizeKeepsTheStoredListWhole() async throws {
        try await withSandboxClient(.inProcess) { client in
            let (service, store) = try Self.storeService(client)
            let first = try await service.page(query: "", pageToken: nil, pageSize: 50, cache: .reload)
            let token = try #require(first.nextPageToken)
            _ = try await service.page(query: "", pageToken: token, pageSize: 50, cache: .reload)
            #expect(try store.pages(query: "").map(\.messageIDs.count) == [50, 50])
            _ = try await service.page(query: "", pageToken: nil, pageSize: 2, cache: .reload)
            #expect(try store.pages(query: "").map(\.messageIDs.count) == [50, 50], "a smaller page leaves the list as it was")
            #expect(service.storedPage(query: "", pageToken: nil, pageSize: 50)?.messages.map(\.id) == first.messages.map(\.id))
            _ = try await service.page(query: "", pageToken: nil, pageSize: 80, cache: .reload)
            #expect(try store.pages(query: "").map(\.messageIDs.count) == [80], "a larger page replaces it; the next no longer follows")
        }
    }

    /// An archived message does not come back in the stored Inbox (at the next start, or offline), and a
    /// trashed one leaves every stored list but the trash's; a list whose query the labels cannot decide
    /// keeps its rows until the next sync.
    @Test func aStoredListLeavesOutRowsTheirLabelsNowContradict() async throws {
        try await withSandboxClient(.inProcess, .with { $0.account = .minted(scopes: [SandboxScope.modify]) }) { client in
            let (service, store) = try Self.storeService(client)
            let inbox = try await service.page(query: Self.query, pageToken: nil, pageSize: 5, cache: .reload)
            let all = try await service.page(query: "", pageToken: nil, pageSize: 50, cache: .reload)
            let (archived, trashed) = (inbox.messages[0].id, inbox.messages[1].id)
            let words = "subject:(\(inbox.messages[0].subject.split(separator: " ").first ?? "x"))"
            _ = try await service.page(query: words, pageToken: nil, pageSize: 50, cache: .reload)
            try await service.apply(.archive, to: [archived])
            try await service.apply(.trash, to: [trashed])
            let later = MailService(oauth: client.oauth, gmail: client.gmail, store: client.store, account: client.account, mailStore: store)
            let storedInbox = try #require(later.storedPage(query: Self.query, pageToken: nil, pageSize: 5)).messages.map(\.id)
            #expect(storedInbox == inbox.messages.map(\.id).filter { $0 != archived && $0 != trashed })
            let storedAll = try #require(later.storedPage(query: "", pageToken: nil, pageSize: 50)).messages.map(\.id)
            #expect(storedAll.contains(archived) == all.messages.map(\.id).contains(archived), "All Mail keeps an archived message")
            #expect(!storedAll.contains(trashed))
            let storedWords = try #require(later.storedPage(query: words, pageToken: nil, pageSize: 50)).messages.map(\.id)
            #expect(storedWords.contains(archived), "a query of words cannot be decided by labels: the row stays")
        }
    }

    @Test func aStoredBodyOpensWithoutARequest() async throws {
        try await withSandboxClient(.inProcess) { client in
            let (service, store) = try Self.storeService(client)
            let page = try await service.page(query: Self.query, pageToken: nil, pageSize: 5, cache: .reload)
            let opened = try await service.message(id: page.messages[0].id, cache: .useCached)
            let fresh = MailService(oauth: client.oauth, gmail: client.gmail, store: client.store, account: client.account, mailStore: store)
            let start = client.sandbox.requestLog().count
            #expect(try await fresh.message(id: opened.id, cache: .useCached) == opened)
            #expect(client.sandbox.requestLog().count == start)
        }
    }

    @Test func aCorruptStoreIsMovedAsideAndRebuiltBySync() async throws {
        try await withSandboxClient(.inProcess) { client in
            let folder = client.folder.url.appendingPathComponent("cache")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("\(client.account.userID).sqlite")
            try Data(repeating: 0x5A, count: 8192).write(to: file)
            let (service, store) = try Self.storeService(client)
            let notice = try #require(store.notice)
            #expect(FileManager.default.contents(atPath: notice.movedTo.path) == Data(repeating: 0x5A, count: 8192))
            let synced = try await service.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            #expect(synced.resynced)
            #expect(!synced.page.messages.isEmpty)
            #expect(try store.pageContent(query: Self.query, pageIndex: 0)?.missingIDs == [])
        }
    }

    @Test func twoInstancesSyncingAtOnceLeaveOneValidStore() async throws {
        try await withSandboxClient(.inProcess) { client in
            let (a, storeA) = try Self.storeService(client)
            let (b, _) = try Self.storeService(client)
            _ = try await a.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            let delivered = try client.sandbox.deliver(subject: "Seen by both")
            async let first = a.sync(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            async let second = b.sync(query: "", pageToken: nil, pageSize: Self.pageSize)
            let (one, two) = try await (first, second)
            #expect(one.page.messages.first?.id == delivered.id)
            #expect(two.page.messages.first?.id == delivered.id)
            // A third instance reads what both left: both pages whole, and the mailbox's latest id.
            let reader = try MailStore(cacheDirectory: client.folder.url.appendingPathComponent("cache"), userID: client.account.userID)
            for query in [Self.query, ""] {
                let content = try #require(try reader.pageContent(query: query, pageIndex: 0))
                #expect(content.missingIDs.isEmpty)
                #expect(content.summaries.first?.id == delivered.id)
            }
            #expect(try reader.historyID() == String(client.sandbox.historyId))
            #expect(try storeA.summary(id: delivered.id)?.subject == "Seen by both")
        }
    }
}

/// Whether the test's transport reaches the sandbox.
final class Online: @unchecked Sendable {
    private let lock = NSLock()
    private var state = true
    var value: Bool {
        get { lock.withLock { state } }
        set { lock.withLock { state = newValue } }
    }

    /// The harness's transport, refusing every connection while `value` is false (Gmail unreachable).
    func transport(_ client: SandboxHarness) -> FakeTransport {
        let inner = client.transport
        return FakeTransport { request in
            guard self.value else { throw TransportError.connectionRefused(host: "127.0.0.1") }
            return try await inner.send(request)
        }
    }

    /// Two tries, 1 ms apart: an offline test does not wait for real backoff.
    static let quickRetries = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1), jitter: 0)
}
