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
/// Not timed: round trips are counted from the sandbox's request log as the longest chain of requests
/// where each one started after the previous one had been answered.
@Suite struct FirstPageRequestCountTests {
    /// The real client over libcurl against a sandbox with `latency`, with a token minted by the sandbox.
    static func start(latency: Duration) async throws -> (SandboxServer, MailService, CurlTransport) {
        var options = SandboxOptions()
        options.latency = latency
        let server = try await SandboxServer.start(options)
        let secrets = try ClientSecrets.parse(server.clientSecretsJSON(kind: "installed"), path: "sandbox")
        // Plain HTTP/1.1 on loopback has no multiplexing: one connection per request in flight.
        let transport = CurlTransport(maxConnectionsPerHost: 32)
        let token = server.sandbox.issueAccessToken(scopes: [SandboxScope.readonly])
        let account = Credentials(userID: "sandbox", email: Sandbox.defaultUserEmail, refreshToken: nil, accessToken: token,
                                  expiresAt: Date().addingTimeInterval(3000), scopes: [SandboxScope.readonly], clientID: secrets.clientID)
        let mail = MailService(oauth: OAuthClient(secrets: secrets, transport: transport), gmail: GmailClient(transport: transport, apiRoot: server.rootURL),
                               store: InMemoryCredentialStore([]), account: account)
        return (server, mail, transport)
    }

    /// The longest chain of requests each started after the one before it was answered.
    static func roundTrips(_ log: [SandboxLogEntry]) -> Int {
        roundTrips(log.map { (start: $0.time.addingTimeInterval(-Double($0.milliseconds) / 1000), end: $0.time) })
    }

    static func roundTrips(_ unsorted: [(start: Date, end: Date)]) -> Int {
        let spans = unsorted.sorted { $0.start < $1.start }
        var depth: [Int] = []
        for (i, span) in spans.enumerated() {
            // The log keeps whole milliseconds, so a start read as `end - ms` is late by under 1 ms; with 80 ms of
            // latency that cannot make two requests of one wave look sequential.
            let before = (0..<i).filter { spans[$0].end <= span.start }.map { depth[$0] }
            depth.append((before.max() ?? 0) + 1)
        }
        return depth.max() ?? 0
    }

    @Test func theFirstPageOfFiftyIsOneListAndAtMostTwoMetadataRoundTrips() async throws {
        let (server, mail, _) = try await Self.start(latency: .milliseconds(80))
        defer { Task { await server.stop() } }
        let page = try await mail.page(query: "", pageToken: nil, pageSize: 50)
        #expect(page.messages.count == 50)
        let log = server.sandbox.requestLog()
        let lists = log.filter { $0.path.hasPrefix("/gmail/v1/users/me/messages?") || $0.path == "/gmail/v1/users/me/messages" }
        let metadata = log.filter { $0.path.hasPrefix("/gmail/v1/users/me/messages/") }
        #expect(lists.count == 1)
        #expect(metadata.count == 50)
        #expect(metadata.allSatisfy { $0.path.contains("format=metadata") && $0.path.contains("fields=") && $0.path.contains("metadataHeaders=From") })
        #expect(log.count == 51, "nothing else: one list, fifty metadata GETs")
        #expect(server.sandbox.stats().tooManyRequests == 0)
        #expect(Self.roundTrips(log) <= 3, "the list, then at most two waves of metadata")
        #expect(Self.roundTrips(metadata) <= 2)
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

    @Test func roundTripsCountSequentialRequestsOnly() {
        let t = Date(timeIntervalSince1970: 1000)
        func entry(_ start: Double, _ ms: Int) -> (start: Date, end: Date) {
            (start: t.addingTimeInterval(start), end: t.addingTimeInterval(start + Double(ms) / 1000))
        }
        #expect(Self.roundTrips([entry(0, 50), entry(0.001, 50), entry(0.002, 50)]) == 1)
        #expect(Self.roundTrips([entry(0, 50), entry(0.06, 50), entry(0.061, 50), entry(0.12, 50)]) == 3)
    }
}

