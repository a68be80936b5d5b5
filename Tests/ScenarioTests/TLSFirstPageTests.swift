import Foundation
import Testing
import CurlTransport
import GmailSandbox
import TestSupport

/// The first page over HTTPS as Gmail serves it: HTTP/2, every request multiplexed on one connection.
///
/// Counted server-side, from the sandbox's request log (protocol and connection of each request), so a
/// client that opened a connection per request, or fell back to HTTP/1.1, would fail here. Over libcurl
/// only: the in-process transport has no connections to count.
@Suite struct TLSFirstPageTests {
    @Test func theFirstPageOfFiftyOverTLSIsOneHTTP2Connection() async throws {
        let options = SandboxClientOptions.with {
            $0.sandbox.tls = true
            $0.sandbox.latency = .milliseconds(20)
        }
        // The app's transport settings: room for 32 connections, yet HTTP/2 needs only one.
        try await withSandboxClient(.curl, options) { client in
            let transport = try #require(client.transport as? CurlTransport)
            let page = try await client.mail.page(query: "", pageToken: nil, pageSize: 50, cache: .reload)

            #expect(page.messages.count == 50)
            let log = client.sandbox.requestLog()
            #expect(log.count == 51, "one list, fifty metadata GETs")
            #expect(log.allSatisfy { $0.connection?.protocolName == "h2" }, "negotiated: \(Set(log.map { $0.connection?.protocolName ?? "none" }))")
            #expect(Set(log.compactMap { $0.connection?.id }).count == 1, "connections: \(Set(log.compactMap { $0.connection?.id }))")
            #expect(transport.statistics.connectionsOpened == 1)
            #expect(client.sandbox.stats().tooManyRequests == 0)
            #expect(client.rootURL.absoluteString.hasPrefix("https://127.0.0.1:"))
        }
    }
}
