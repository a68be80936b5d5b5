import Foundation
import Hummingbird
import Logging

// Kept apart from the tests: Hummingbird exports its own HTTPRequest and
// HTTPResponse, which would clash with HTTPCore's in the same file.

private typealias FieldName = HTTPFields.Element.Name

/// A Hummingbird 2 server on 127.0.0.1 (port 0) with the routes the transport tests need.
enum TestServer {
    /// `gmail-tui gzip test\n` a thousand times, gzip-compressed (made with Python's `gzip.compress(..., mtime=0)`).
    static let gzipped: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xed, 0xc8, 0xb1, 0x09, 0xc0, 0x20, 0x10, 0x00,
        0xc0, 0x3e, 0x53, 0xb8, 0x40, 0x86, 0xb2, 0x90, 0xe7, 0x21, 0x01, 0xc1, 0xb7, 0x71, 0xfa, 0x6c, 0x91, 0xea,
        0xae, 0xbc, 0x78, 0x7b, 0x3e, 0x77, 0xed, 0x6c, 0x71, 0x72, 0xb6, 0x1a, 0xab, 0xae, 0x70, 0xce, 0x39, 0xe7,
        0x9c, 0x73, 0xce, 0x39, 0xe7, 0x9c, 0x73, 0xce, 0x39, 0xe7, 0x9c, 0x73, 0xce, 0x39, 0xe7, 0x9c, 0x73, 0xce,
        0x39, 0xe7, 0x9c, 0x73, 0xce, 0x39, 0xe7, 0x9c, 0x73, 0xce, 0x39, 0xe7, 0x9c, 0x73, 0xce, 0x39, 0xe7, 0x9c,
        0x73, 0xce, 0x39, 0xe7, 0x9c, 0x73, 0xce, 0x39, 0xf7, 0xfb, 0x7d, 0xcc, 0x66, 0x0b, 0xd5, 0x20, 0x4e, 0x00,
        0x00,
    ]
    static let gunzipped = String(repeating: "gmail-tui gzip test\n", count: 1000)

    /// Deterministic bytes for the large-body tests (not all one value, so a shifted or truncated copy shows).
    static func pattern(count: Int, seed: UInt32) -> Data {
        var state = seed | 1
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            state = state &* 1_664_525 &+ 1_013_904_223
            bytes[i] = UInt8(truncatingIfNeeded: state >> 24)
        }
        return Data(bytes)
    }

    /// The 20 MB body `/large` serves.
    static let largeBody = pattern(count: 20 << 20, seed: 7)

    /// Runs `body` with the base URL (`http://127.0.0.1:<port>`) of a fresh server, then stops the server.
    ///
    /// `arrivals` yields the path of each request to `/slow` as it arrives, so a test can act while one is in flight.
    @discardableResult
    static func run<T: Sendable>(
        _ body: @Sendable (_ baseURL: URL, _ arrivals: AsyncStream<String>) async throws -> T
    ) async throws -> T {
        let (arrivals, arrived) = AsyncStream<String>.makeStream()
        let router = makeRouter(arrived: arrived)
        let (ports, portFound) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portFound.yield(channel.localAddress?.port ?? 0)
                portFound.finish()
            },
            logger: quietLogger
        )
        let server = Task { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0, let url = URL(string: "http://127.0.0.1:\(port)") else {
            server.cancel()
            throw ServerDidNotStart()
        }
        do {
            let result = try await body(url, arrivals)
            server.cancel()
            _ = await server.result
            return result
        } catch {
            server.cancel()
            _ = await server.result
            throw error
        }
    }

    struct ServerDidNotStart: Error {}

    /// Stopping the server by cancellation makes Hummingbird log an error for each open connection; that is expected here.
    private static var quietLogger: Logger {
        var logger = Logger(label: "CurlTransportTests.TestServer")
        logger.logLevel = .critical
        return logger
    }

    private static func makeRouter(arrived: AsyncStream<String>.Continuation) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/hello") { _, _ in "hello" }
        router.get("/double/:n") { _, context -> String in
            let n = try context.parameters.require("n", as: Int.self)
            return String(n * 2)
        }
        router.get("/slow") { request, _ -> String in
            let ms = request.uri.queryParameters.get("ms", as: Int.self) ?? 2000
            arrived.yield(request.uri.path)
            try await Task.sleep(for: .milliseconds(ms))
            return "late"
        }
        router.get("/large") { _, _ in
            Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: largeBody)))
        }
        router.get("/gzip") { _, _ in
            var headers = HTTPFields()
            headers[.contentEncoding] = "gzip"
            headers[.contentType] = "text/plain"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: gzipped)))
        }
        router.get("/headers") { request, _ in
            var headers = HTTPFields()
            headers[values: .setCookie] = ["a=1", "b=2"]
            if let name = FieldName("X-Multi") {
                headers[values: name] = ["first", "second"]
            }
            if let asked = FieldName("X-Custom"), let echo = FieldName("X-Echo-Custom") {
                headers[echo] = request.headers[values: asked].joined(separator: "|")
            }
            if let echo = FieldName("X-Echo-Agent") {
                headers[echo] = request.headers[.userAgent] ?? ""
            }
            if let echo = FieldName("X-Echo-Accept-Encoding") {
                headers[echo] = request.headers[.acceptEncoding] ?? ""
            }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        }
        router.get("/status/:code") { _, context in
            let code = try context.parameters.require("code", as: Int.self)
            return Response(status: .init(code: code), body: ResponseBody(byteBuffer: ByteBuffer(string: "status \(code)")))
        }
        router.get("/redirect") { _, _ in
            Response(status: .found, headers: [.location: "/hello"])
        }
        router.head("/hello") { _, _ in Response(status: .ok) }
        let echo: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: 64 << 20)
            var headers = HTTPFields()
            if let method = FieldName("X-Method") { headers[method] = request.method.rawValue }
            if let type = FieldName("X-Content-Type") { headers[type] = request.headers[.contentType] ?? "<none>" }
            if let expect = FieldName("X-Expect") { headers[expect] = request.headers[.expect] ?? "<none>" }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
        }
        router.post("/echo", use: echo)
        router.put("/echo", use: echo)
        router.patch("/echo", use: echo)
        router.delete("/echo", use: echo)
        return router
    }
}
