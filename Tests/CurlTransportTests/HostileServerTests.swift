import Foundation
import HTTPCore
import Testing
import TestSupport
@testable import CurlTransport

/// The transport against servers that misbehave on purpose: silent, or sending a decompression bomb.
@Suite(.serialized) struct HostileServerTests {
    @Test func aServerThatAcceptsAndNeverAnswersEndsAsTimedOut() async throws {
        let server = try ScriptedHTTPServer { _ in .silence }
        defer { server.stop() }
        // A short silence limit, and a whole-request timeout far longer: the silence is what ends it.
        let transport = CurlTransport(defaultTimeout: .seconds(120), silenceTimeout: .seconds(1))
        await #expect(throws: TransportError.timedOut(host: "127.0.0.1")) {
            try await transport.send(HTTPRequest(url: server.baseURL.appendingPathComponent("gmail/v1/users/me/messages")))
        }
        #expect(server.requests.count == 1)
    }

    @Test func anAnswerWithinTheSilenceLimitPasses() async throws {
        let server = try ScriptedHTTPServer { _ in ScriptedHTTPServer.response(200, text: "steady") }
        defer { server.stop() }
        let transport = CurlTransport(silenceTimeout: .seconds(1))
        let response = try await transport.send(HTTPRequest(url: server.baseURL))
        #expect(response.bodyText == "steady")
    }

    @Test func aGzipBombIsCutAtTheCapAndFailsAsTooLarge() async throws {
        let bomb = GzipBomb.make(inflatedSize: 16 << 20)
        #expect(bomb.count < 200_000)
        let server = try ScriptedHTTPServer { _ in
            ScriptedHTTPServer.response(200, headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], body: bomb)
        }
        defer { server.stop() }
        let transport = CurlTransport(maxResponseBytes: 1 << 20)
        await #expect(throws: TransportError.responseTooLarge(host: "127.0.0.1", limit: 1 << 20)) {
            try await transport.send(HTTPRequest(url: server.baseURL))
        }
        // The same kind of stream, under the cap, inflates to exactly what it claims: the cap refused the bomb.
        let small = GzipBomb.make(inflatedSize: 300_000, checksum: true)
        let server2 = try ScriptedHTTPServer { _ in
            ScriptedHTTPServer.response(200, headers: [("Content-Encoding", "gzip")], body: small)
        }
        defer { server2.stop() }
        let response = try await CurlTransport(maxResponseBytes: 1 << 20).send(HTTPRequest(url: server2.baseURL))
        #expect(response.body == Data(repeating: 0, count: 1 + (300_000 - 1) / 258 * 258))
    }

    @Test func theDefaultCapLetsALargeLegitimateAnswerThrough() async throws {
        // A raw 25 MB message is about 34 MB of base64 in JSON: well under the default 64 MB.
        let body = Data(repeating: UInt8(ascii: "A"), count: 34 << 20)
        let server = try ScriptedHTTPServer { _ in ScriptedHTTPServer.response(200, headers: [("Content-Type", "application/json")], body: body) }
        defer { server.stop() }
        let response = try await CurlTransport().send(HTTPRequest(url: server.baseURL))
        #expect(response.body.count == body.count)
    }

    @Test func aDeadlineCutsTheRequestShort() async throws {
        let server = try ScriptedHTTPServer { _ in .silence }
        defer { server.stop() }
        let transport = CurlTransport(defaultTimeout: .seconds(120), silenceTimeout: .seconds(60))
        await RequestDeadline.$current.withValue(.now + .milliseconds(500)) {
            await #expect(throws: TransportError.timedOut(host: "127.0.0.1")) { try await transport.send(HTTPRequest(url: server.baseURL)) }
        }
        // Past the deadline nothing is sent at all.
        let before = server.requests.count
        await RequestDeadline.$current.withValue(.now - .seconds(1)) {
            await #expect(throws: TransportError.timedOut(host: "127.0.0.1")) { try await transport.send(HTTPRequest(url: server.baseURL)) }
        }
        #expect(server.requests.count == before)
    }
}
