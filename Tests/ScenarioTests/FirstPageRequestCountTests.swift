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
        let page = try await mail.page(query: "", pageToken: nil, pageSize: 50)
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
        let first = try await mail.page(query: "", pageToken: nil, pageSize: 50, bypassCache: false)
        let next = try #require(first.nextPageToken)
        await mail.prefetchPage(query: "", pageToken: next, pageSize: 50)
        await mail.prefetchMessage(id: first.messages[0].id)
        let before = server.sandbox.requestLog().count
        let second = try await mail.page(query: "", pageToken: next, pageSize: 50, bypassCache: false)
        let opened = try await mail.message(id: first.messages[0].id, bypassCache: false)
        #expect(second.messages.count == 50)
        #expect(Set(second.messages.map(\.id)).isDisjoint(with: first.messages.map(\.id)))
        #expect(opened.id == first.messages[0].id)
        #expect(server.sandbox.requestLog().count == before, "both answered from memory")
        #expect(server.sandbox.stats().tooManyRequests == 0)
    }
}


/// Holds every request until the test releases the wave it belongs to, then sends it on.
final class WaveGate: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var held: [CheckedContinuation<Void, Never>] = []
    private var _inner: (any HTTPTransport)?
    private var _waves: [Int] = []

    /// Where released requests go.
    var inner: (any HTTPTransport)? {
        get { lock.withLock { _inner } }
        set { lock.withLock { _inner = newValue } }
    }

    /// The size of each released wave, in order.
    var waves: [Int] { lock.withLock { _waves } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        await withCheckedContinuation { continuation in lock.withLock { held.append(continuation) } }
        guard let inner else { throw TransportError.cancelled }
        return try await inner.send(request)
    }

    /// Waits until `count` requests are held (or 10 s pass: then the wave is whatever arrived).
    func waitUntilHolding(_ count: Int) async {
        let deadline = Date().addingTimeInterval(10)
        while lock.withLock({ held.count }) < count, Date() < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Lets every held request go; returns how many.
    @discardableResult
    func releaseWave() -> Int {
        let wave = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            defer { held.removeAll() }
            _waves.append(held.count)
            return held
        }
        wave.forEach { $0.resume() }
        return wave.count
    }
}
