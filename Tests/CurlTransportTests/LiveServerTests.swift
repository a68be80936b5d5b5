import Foundation
import HTTPCore
import Testing
@testable import CurlTransport

/// The transport against a real Hummingbird server on a loopback port.
///
/// Serialized because the machine is shared: the large-body and concurrency
/// tests are heavy enough without running beside each other.
@Suite(.serialized) struct LiveServerTests {
    private func url(_ base: URL, _ path: String) throws -> URL {
        try #require(URL(string: base.absoluteString + path))
    }

    @Test func getReturnsStatusHeadersAndBody() async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            let response = try await transport.send(HTTPRequest(url: try url(base, "/hello")))
            #expect(response.status == 200)
            #expect(response.bodyText == "hello")
            #expect(response.headers["Content-Length"] == "5")
        }
        #expect(transport.statistics.requestsSent == 1)
        #expect(transport.statistics.connectionsOpened == 1)
    }

    @Test func manyConcurrentRequestsShareFewConnections() async throws {
        let transport = CurlTransport(maxConnectionsPerHost: 6)
        let count = 200
        try await TestServer.run { base, _ in
            let results = try await withThrowingTaskGroup(of: (Int, HTTPResponse).self) { group in
                for n in 0..<count {
                    let request = HTTPRequest(url: try url(base, "/double/\(n)"))
                    group.addTask { (n, try await transport.send(request)) }
                }
                var results: [Int: HTTPResponse] = [:]
                for try await (n, response) in group { results[n] = response }
                return results
            }
            #expect(results.count == count)
            for n in 0..<count {
                #expect(results[n]?.status == 200)
                #expect(results[n]?.bodyText == String(n * 2))
            }
        }
        let stats = transport.statistics
        #expect(stats.requestsSent == count)
        #expect(stats.connectionsOpened >= 1)
        #expect(stats.connectionsOpened <= 6)
    }

    @Test func sequentialRequestsReuseOneConnection() async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            for n in 0..<5 {
                let response = try await transport.send(HTTPRequest(url: try url(base, "/double/\(n)")))
                #expect(response.bodyText == String(n * 2))
            }
        }
        #expect(transport.statistics == CurlTransport.Statistics(requestsSent: 5, connectionsOpened: 1))
    }

    @Test func requestTimeoutEndsInTimedOut() async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            let request = HTTPRequest(url: try url(base, "/slow?ms=2000"), timeout: .milliseconds(200))
            await #expect(throws: TransportError.timedOut(host: "127.0.0.1")) {
                try await transport.send(request)
            }
        }
    }

    @Test func defaultTimeoutAppliesWhenTheRequestSetsNone() async throws {
        let transport = CurlTransport(defaultTimeout: .milliseconds(200))
        try await TestServer.run { base, _ in
            await #expect(throws: TransportError.timedOut(host: "127.0.0.1")) {
                try await transport.send(HTTPRequest(url: try url(base, "/slow?ms=2000")))
            }
        }
    }

    @Test func closedPortIsConnectionRefused() async throws {
        // A port a server just let go of: nothing listens there any more.
        let base = try await TestServer.run { base, _ in base }
        let transport = CurlTransport()
        await #expect(throws: TransportError.connectionRefused(host: "127.0.0.1")) {
            try await transport.send(HTTPRequest(url: try url(base, "/hello")))
        }
    }

    @Test func largeResponseArrivesWhole() async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            let response = try await transport.send(HTTPRequest(url: try url(base, "/large")))
            #expect(response.status == 200)
            #expect(response.body.count == TestServer.largeBody.count)
            #expect(response.body == TestServer.largeBody)
        }
    }

    @Test func largePostBodyIsEchoedIntact() async throws {
        let transport = CurlTransport()
        let body = TestServer.pattern(count: 5 << 20, seed: 11)
        try await TestServer.run { base, _ in
            let request = HTTPRequest(
                method: .post, url: try url(base, "/echo"),
                headers: ["Content-Type": "application/octet-stream"], body: body)
            let response = try await transport.send(request)
            #expect(response.status == 200)
            #expect(response.headers["X-Method"] == "POST")
            #expect(response.headers["X-Content-Type"] == "application/octet-stream")
            // libcurl would otherwise send "Expect: 100-continue" for a body this size.
            #expect(response.headers["X-Expect"] == "<none>")
            #expect(response.body.count == body.count)
            #expect(response.body == body)
        }
    }

    @Test func binaryBodyWithZeroBytesIsSentWhole() async throws {
        let transport = CurlTransport()
        let body = Data([0, 1, 0, 255, 0, 0, 13, 10, 0])
        try await TestServer.run { base, _ in
            let response = try await transport.send(HTTPRequest(method: .put, url: try url(base, "/echo"), body: body))
            #expect(response.headers["X-Method"] == "PUT")
            // No Content-Type given: none sent (libcurl would otherwise call it a form).
            #expect(response.headers["X-Content-Type"] == "<none>")
            #expect(response.body == body)
        }
    }

    @Test func formPostArrivesIntact() async throws {
        let transport = CurlTransport()
        let fields = [("code", "4/0Ab c&d=e"), ("redirect_uri", "http://127.0.0.1:8080/cb"), ("name", "Zoë 🎉")]
        try await TestServer.run { base, _ in
            let response = try await transport.send(.form(try url(base, "/echo"), fields))
            #expect(response.headers["X-Content-Type"] == "application/x-www-form-urlencoded")
            #expect(response.bodyText == FormEncoding.encode(fields))
            let decoded = FormEncoding.decode(response.bodyText)
            #expect(decoded.map(\.0) == fields.map(\.0))
            #expect(decoded.map(\.1) == fields.map(\.1))
        }
    }

    @Test(arguments: [HTTPMethod.patch, .delete])
    func otherMethodsReachTheServer(method: HTTPMethod) async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            let response = try await transport.send(HTTPRequest(method: method, url: try url(base, "/echo"), body: Data("x".utf8)))
            #expect(response.headers["X-Method"] == method.rawValue)
            #expect(response.bodyText == "x")
        }
    }

    @Test func deleteWithoutBody() async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            let response = try await transport.send(HTTPRequest(method: .delete, url: try url(base, "/echo")))
            #expect(response.status == 200)
            #expect(response.headers["X-Method"] == "DELETE")
            #expect(response.body.isEmpty)
        }
    }

    @Test func headRequestHasNoBody() async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            let response = try await transport.send(HTTPRequest(method: .head, url: try url(base, "/hello")))
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
    }

    @Test func gzipResponseIsDecompressed() async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            let response = try await transport.send(HTTPRequest(url: try url(base, "/gzip")))
            #expect(response.status == 200)
            #expect(response.headers["Content-Encoding"] == "gzip")
            #expect(response.bodyText == TestServer.gunzipped)
        }
    }

    @Test func headersTravelBothWays() async throws {
        let transport = CurlTransport(userAgent: "transport-test/1")
        try await TestServer.run { base, _ in
            var headers = HTTPHeaders()
            headers.add("X-Custom", "one")
            headers.add("X-Custom", "two")
            let response = try await transport.send(HTTPRequest(url: try url(base, "/headers"), headers: headers))
            #expect(response.headers.values(for: "set-cookie") == ["a=1", "b=2"])
            #expect(response.headers.values(for: "X-Multi") == ["first", "second"])
            #expect(response.headers["X-Echo-Custom"] == "one|two")
            #expect(response.headers["X-Echo-Agent"] == "transport-test/1")
            #expect(response.headers["X-Echo-Accept-Encoding"]?.contains("gzip") == true)
        }
    }

    @Test func requestHeaderOverridesUserAgent() async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            let response = try await transport.send(
                HTTPRequest(url: try url(base, "/headers"), headers: ["User-Agent": "custom/2"]))
            #expect(response.headers["X-Echo-Agent"] == "custom/2")
        }
    }

    @Test func headerWithLineBreakIsRefused() async throws {
        let transport = CurlTransport()
        let request = HTTPRequest(url: try #require(URL(string: "http://127.0.0.1:9/")), headers: ["X-Bad": "a\r\nInjected: yes"])
        await #expect {
            try await transport.send(request)
        } throws: { error in
            guard case TransportError.other = error else { return false }
            return !"\(error)".contains("Injected")
        }
        #expect(transport.statistics.requestsSent == 0)
    }

    @Test(arguments: [404, 500, 503])
    func errorStatusesAreResponses(code: Int) async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            let response = try await transport.send(HTTPRequest(url: try url(base, "/status/\(code)")))
            #expect(response.status == code)
            #expect(response.bodyText == "status \(code)")
        }
    }

    @Test func redirectsAreNotFollowed() async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            let response = try await transport.send(HTTPRequest(url: try url(base, "/redirect")))
            #expect(response.status == 302)
            #expect(response.headers["Location"] == "/hello")
        }
    }

    @Test func cancellingTheTaskEndsTheRequest() async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, arrivals in
            let request = HTTPRequest(url: try url(base, "/slow?ms=3000"))
            let task = Task { try await transport.send(request) }
            // Wait until the server has the request, so the cancellation hits a transfer in flight.
            var iterator = arrivals.makeAsyncIterator()
            #expect(await iterator.next() == "/slow")
            task.cancel()
            await #expect(throws: TransportError.cancelled) { try await task.value }
            // The transport is still usable after a cancelled transfer.
            let response = try await transport.send(HTTPRequest(url: try url(base, "/hello")))
            #expect(response.bodyText == "hello")
        }
    }

    @Test func alreadyCancelledTaskSendsNothing() async throws {
        let transport = CurlTransport()
        try await TestServer.run { base, _ in
            let request = HTTPRequest(url: try url(base, "/hello"))
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await transport.send(request)
            }
            await #expect(throws: TransportError.cancelled) { try await task.value }
        }
        #expect(transport.statistics.requestsSent == 0)
    }
}
