import Foundation
import Testing
import HTTPCore
import CurlTransport
import GoogleOAuth
import GmailAPI
import MailService
import GmailSandbox
import TestSupport

/// How many requests and round trips a first page costs against the sandbox at its default limits.
///
/// Not timed: round trips are waves the test itself releases (see `WaveGate`), so a busy machine cannot
/// make one wave look like two.
@Suite struct FirstPageRequestCountTests {
    /// The real client over libcurl against a sandbox with `latency`, with a token minted by the sandbox.
    static func start(latency: Duration, gate: WaveGate? = nil) async throws -> (SandboxServer, MailService, CurlTransport) {
        var options = SandboxOptions()
        options.latency = latency
        let server = try await SandboxServer.start(options)
        let secrets = try ClientSecrets.parse(server.clientSecretsJSON(kind: "installed"), path: "sandbox")
        // Plain HTTP/1.1 on loopback has no multiplexing: one connection per request in flight.
        let transport = CurlTransport(maxConnectionsPerHost: 32)
        let token = server.sandbox.issueAccessToken(scopes: [SandboxScope.readonly])
        let account = Credentials(userID: "sandbox", email: Sandbox.defaultUserEmail, refreshToken: nil, accessToken: token,
                                  expiresAt: Date().addingTimeInterval(3000), scopes: [SandboxScope.readonly], clientID: secrets.clientID)
        gate?.inner = transport
        let gmailTransport: any HTTPTransport = gate ?? transport
        let mail = MailService(oauth: OAuthClient(secrets: secrets, transport: transport), gmail: GmailClient(transport: gmailTransport, apiRoot: server.rootURL),
                               store: InMemoryCredentialStore([]), account: account)
        return (server, mail, transport)
    }

    @Test func theFirstPageOfFiftyIsOneListAndAtMostTwoMetadataRoundTrips() async throws {
        let gate = WaveGate()
        let (server, mail, _) = try await Self.start(latency: .zero, gate: gate)
        defer { Task { await server.stop() } }
        // Release the list alone, then each wave once the budget's worth of requests (or all that remain)
        // are waiting. A client that sent fewer at once would need more waves.
        let driver = Task {
            await gate.waitUntilHolding(1)
            gate.releaseWave()
            var released = 0
            while released < 50 {
                await gate.waitUntilHolding(min(25, 50 - released))
                released += gate.releaseWave()
            }
        }
        let page = try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .reload)
        await driver.value
        #expect(page.messages.count == 50)
        let log = server.sandbox.requestLog()
        let lists = log.filter { $0.path.hasPrefix("/gmail/v1/users/me/messages?") || $0.path == "/gmail/v1/users/me/messages" }
        let metadata = log.filter { $0.path.hasPrefix("/gmail/v1/users/me/messages/") }
        #expect(lists.count == 1)
        #expect(metadata.count == 50)
        #expect(metadata.allSatisfy { $0.path.contains("format=metadata") && $0.path.contains("fields=") && $0.path.contains("metadataHeaders=From") })
        #expect(log.count == 51, "nothing else: one list, fifty metadata GETs")
        #expect(server.sandbox.stats().tooManyRequests == 0)
        #expect(gate.waves.count <= 3, "the list, then at most two waves of metadata: \(gate.waves)")
        #expect(gate.waves.first == 1, "the list goes alone")
        #expect(gate.waves.dropFirst().count <= 2)
        #expect(server.sandbox.stats().maxInFlightPerUser[Sandbox.defaultUserEmail] ?? 0 <= 25)
    }

    @Test func aPrefetchedNextPageAndAPrefetchedMessageCostNothingMore() async throws {
        let (server, mail, _) = try await Self.start(latency: .milliseconds(20))
        defer { Task { await server.stop() } }
        let first = try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .useCached)
        let next = try #require(first.nextPageToken)
        await mail.prefetchPage(query: "", pageToken: next, pageSize: 50)
        await mail.prefetchMessage(id: first.messages[0].id)
        let before = server.sandbox.requestLog().count
        let second = try await mail.page(query: "", pageToken: next, pageSize: 50, cache: .useCached)
        let opened = try await mail.message(id: first.messages[0].id, cache: .useCached)
        #expect(second.messages.count == 50)
        #expect(Set(second.messages.map(\.id)).isDisjoint(with: first.messages.map(\.id)))
        #expect(opened.id == first.messages[0].id)
        #expect(server.sandbox.requestLog().count == before, "both answered from memory")
        #expect(server.sandbox.stats().tooManyRequests == 0)
    }

    /// `r` in the browser while prefetches are pending, as the run loop performs it, against Gmail's limit of
    /// 25 in flight: the next page's prefetch has its list request on the wire (holding a slot), and the
    /// selection's rest timer fires while the reload's first wave of metadata is on the wire. Waves are
    /// counted as in the test above: one leaves once 25 of the reload's requests (or all that remain) wait
    /// at the gate, so a slot held by a prefetch shows as a wave of 24 and a straggler of 1.
    @Test func aReloadWithPrefetchesPendingIsStillTheListAndTwoWavesOfTwentyFive() async throws {
        let gate = WaveGate()
        gate.isHolding = false
        let (server, mail, _) = try await Self.start(latency: .zero, gate: gate)
        defer { Task { await server.stop() } }
        // The first page is showing.
        let first = try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .useCached)
        let next = try #require(first.nextPageToken)
        let shown = Set(first.messages.map(\.id))
        try #require(shown.count == 50)
        let isReloadList = { (r: HTTPRequest) in r.url.path.hasSuffix("/messages") && !(r.url.query ?? "").contains("pageToken") }
        let isReloadMetadata = { (r: HTTPRequest) in (r.url.query ?? "").contains("format=metadata") && shown.contains(r.url.lastPathComponent) }

        gate.isHolding = true
        // `.pageLoaded` asked for the next page: its prefetch's list is on the wire.
        let nextPrefetch = Task { await mail.prefetchPage(query: "", pageToken: next, pageSize: 50) }
        await gate.waitUntilHolding(1)
        // `r`: the run loop forgets the caches, then asks Gmail for the page again.
        await mail.invalidateCaches()
        let reload = Task { try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .reload) }
        await gate.waitUntilHolding(1, where: isReloadList)
        gate.releaseWave()
        var released = 0
        var bodyPrefetch: Task<Void, Never>?
        for _ in 0..<6 where released < 50 {
            await gate.waitUntilHolding(min(25, 50 - released), where: isReloadMetadata)
            if bodyPrefetch == nil {
                // The rest timer fires: the selected message's body is prefetched.
                bodyPrefetch = Task { await mail.prefetchMessage(id: first.messages[0].id) }
            }
            gate.releaseWave()
            released = gate.waveRequests.joined().filter(isReloadMetadata).count
        }
        gate.isHolding = false
        let page = try await reload.value
        await nextPrefetch.value
        await bodyPrefetch?.value

        #expect(page.messages.map(\.id) == first.messages.map(\.id))
        let reloadWaves = gate.waveRequests.map { $0.filter { isReloadList($0) || isReloadMetadata($0) } }.filter { !$0.isEmpty }
        #expect(reloadWaves.map(\.count) == [1, 25, 25], "the list, then two full waves of metadata; every wave: \(gate.waves)")
        #expect(reloadWaves.first?.allSatisfy(isReloadList) == true, "the list goes before any metadata")
        #expect(server.sandbox.stats().tooManyRequests == 0)
        #expect(server.sandbox.stats().maxInFlightPerUser[Sandbox.defaultUserEmail] ?? 0 <= 25)
        // The prefetches were not lost, only put after the page: the body came once the page was in, and the
        // next page, asked for again when the reloaded page arrives, lands in memory.
        #expect(await mail.hasCachedMessage(id: first.messages[0].id))
        await mail.prefetchPage(query: "", pageToken: next, pageSize: 50)
        #expect(await mail.hasCachedPage(query: "", pageToken: next, pageSize: 50))
        #expect(await mail.requestsInFlight == 0)
    }
}


/// Holds every request until the test releases the wave it belongs to, then sends it on.
///
/// A wave is what one release lets go: requests the client had sent before any of them was answered.
/// With `isHolding` off, requests go straight through (for the set-up before the part being counted).
final class WaveGate: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var held: [(request: HTTPRequest, resume: CheckedContinuation<Void, Never>)] = []
    private var _inner: (any HTTPTransport)?
    private var _waves: [[HTTPRequest]] = []
    private var _holding = true

    /// Where released requests go.
    var inner: (any HTTPTransport)? {
        get { lock.withLock { _inner } }
        set { lock.withLock { _inner = newValue } }
    }

    /// The size of each released wave, in order.
    var waves: [Int] { lock.withLock { _waves.map(\.count) } }

    /// The requests of each released wave, in order.
    var waveRequests: [[HTTPRequest]] { lock.withLock { _waves } }

    /// Whether requests are held; turning it off lets the held ones go as one last wave.
    var isHolding: Bool {
        get { lock.withLock { _holding } }
        set {
            let pending = lock.withLock { _holding = newValue; return held.count }
            if !newValue, pending > 0 { releaseWave() }
        }
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        await withCheckedContinuation { continuation in
            let hold = lock.withLock { () -> Bool in
                if _holding { held.append((request, continuation)) }
                return _holding
            }
            if !hold { continuation.resume() }
        }
        guard let inner else { throw TransportError.cancelled }
        return try await inner.send(request)
    }

    /// Waits until `count` requests are held (or 10 s pass: then the wave is whatever arrived).
    func waitUntilHolding(_ count: Int) async {
        await waitUntilHolding(count, where: { _ in true })
    }

    /// Waits until `count` held requests match `belongs` (or 10 s pass).
    func waitUntilHolding(_ count: Int, where belongs: (HTTPRequest) -> Bool) async {
        let deadline = Date().addingTimeInterval(10)
        while lock.withLock({ held.filter { belongs($0.request) }.count }) < count, Date() < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Lets every held request go; returns how many.
    @discardableResult
    func releaseWave() -> Int {
        let wave = lock.withLock { () -> [(request: HTTPRequest, resume: CheckedContinuation<Void, Never>)] in
            defer { held.removeAll() }
            _waves.append(held.map(\.request))
            return held
        }
        wave.forEach { $0.resume.resume() }
        return wave.count
    }
}
