import Foundation
import Testing
@testable import GoogleOAuth
#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking client code on its own thread, off the cooperative pool the listener must not need.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// A blocking TCP client for tests: connects to `host:port`, with a 10 s receive timeout so nothing hangs.
final class RawClient: @unchecked Sendable {
    let fd: Int32

    /// Nil when the connection is refused.
    init?(host: String = "127.0.0.1", port: Int) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, host, &addr.sin_addr)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        if rc != 0 { close(fd); return nil }
    }

    deinit { close(fd) }

    /// Sends `text` and reads the answer until the server closes.
    func exchange(_ text: String) -> String {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            answer += buffer[0..<n]
        }
        return String(decoding: answer, as: UTF8.self)
    }
}

/// Begins `listener.waitForCallback` and returns once the wait has begun, so that clients started afterwards are
/// answered at once however busy the shared pool is: a wait still queued behind other tests' work would leave
/// their connections unanswered until their own receive timeouts.
func waiting(_ listener: RedirectListener, state: String, timeout: Duration) async -> Task<[(String, String)], any Error> {
    let task = Task { try await listener.waitForCallback(expectedState: state, timeout: timeout) }
    while !listener.isWaiting { try? await Task.sleep(for: .milliseconds(2)) }
    return task
}

func get(_ target: String) -> String { "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n" }

@Suite struct RedirectListenerTests {
    @Test func bindsLoopbackOnlyOnARandomPort() throws {
        let listener = try RedirectListener.start()
        defer { listener.stop() }
        #expect(listener.port > 0)
        #expect(listener.redirectURI == "http://127.0.0.1:\(listener.port)/")
        #expect(listener.boundAddress == "127.0.0.1")
        // Bound to 127.0.0.1 itself, not to every address: another loopback address is refused.
        #expect(RawClient(host: "127.0.0.2", port: listener.port) == nil)
        #expect(RawClient(host: "127.0.0.1", port: listener.port) != nil)
    }

    @Test func curlGetsThePageAndTheQueryIsReturned() async throws {
        let listener = try RedirectListener.start()
        defer { listener.stop() }
        let port = listener.port
        let wait = await waiting(listener, state: "st", timeout: .seconds(20))
        let curl = await offPool { () -> String in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = ["-s", "-i", "--max-time", "10", "http://127.0.0.1:\(port)/?state=st&code=4%2F0AfJohX&scope=email+profile"]
            let pipe = Pipe()
            process.standardOutput = pipe
            guard (try? process.run()) != nil else { return "curl did not start" }
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: output, as: UTF8.self)
        }
        let query = try await wait.value
        #expect(query.map(\.0) == ["state", "code", "scope"])
        #expect(query.first { $0.0 == "code" }?.1 == "4/0AfJohX")
        #expect(query.first { $0.0 == "scope" }?.1 == "email profile")
        let page = curl
        #expect(page.hasPrefix("HTTP/1.1 200 OK"))
        #expect(page.contains("gmail-tui: authorization received, you can close this tab"))
    }

    @Test func aSilentPreconnectAndAFaviconRequestDoNotBlockTheRedirect() async throws {
        let listener = try RedirectListener.start()
        defer { listener.stop() }
        let port = listener.port
        let wait = await waiting(listener, state: "st", timeout: .seconds(20))
        let (favicon, other, answer) = await offPool { () -> (String, String, String) in
            let preconnect = RawClient(port: port) // sends nothing, stays open
            let favicon = RawClient(port: port)?.exchange(get("/favicon.ico")) ?? "refused"
            let other = RawClient(port: port)?.exchange(get("/?state=st")) ?? "refused"
            let answer = RawClient(port: port)?.exchange(get("/?state=st&code=abc")) ?? "refused"
            withExtendedLifetime(preconnect) {}
            return (favicon, other, answer)
        }
        #expect(favicon.hasPrefix("HTTP/1.1 404"))
        #expect(other.hasPrefix("HTTP/1.1 400"), "a request to / without code or error is not the redirect")
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        let query = try await wait.value
        #expect(query.first { $0.0 == "code" }?.1 == "abc")
        // Each wait ends with one redirect; the port stays open for another try until stop().
        let again = await waiting(listener, state: "st", timeout: .seconds(20))
        let second = await offPool { RawClient(port: port)?.exchange(get("/?state=st&code=def")) ?? "refused" }
        #expect(second.hasPrefix("HTTP/1.1 200"))
        #expect(try await again.value.first { $0.0 == "code" }?.1 == "def")
        listener.stop()
        #expect(await offPool { RawClient(port: port) == nil })
    }

    @Test func anErrorRedirectGetsAnErrorPageAndEndsTheWait() async throws {
        let listener = try RedirectListener.start()
        defer { listener.stop() }
        let port = listener.port
        let wait = await waiting(listener, state: "st", timeout: .seconds(20))
        let answer = await offPool { RawClient(port: port)?.exchange(get("/?error=access_denied&state=st")) ?? "refused" }
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        #expect(answer.contains("authorization failed") && answer.contains("access_denied"))
        let query = try await wait.value
        let req = AuthorizationRequest(url: URL(string: "https://a.example/")!, state: "st", pkce: PKCE(verifier: String(repeating: "v", count: 50)),
                                       redirectURI: listener.redirectURI, loginHint: nil, forcedConsent: false)
        #expect(throws: OAuthError.authorizationDenied("access_denied")) { try OAuthClient.code(fromCallbackQuery: query, for: req) }
    }

    @Test func theWaitTimesOut() async throws {
        let listener = try RedirectListener.start()
        defer { listener.stop() }
        let preconnect = RawClient(port: listener.port)
        await #expect(throws: OAuthError.listenerTimedOut) { try await listener.waitForCallback(expectedState: "st", timeout: .milliseconds(150)) }
        withExtendedLifetime(preconnect) {}
    }

    @Test func stopEndsAPendingWaitAndClosesTheSocket() async throws {
        let listener = try RedirectListener.start()
        let port = listener.port
        let wait = await waiting(listener, state: "st", timeout: .seconds(60))
        listener.stop()
        await #expect(throws: CancellationError.self) { try await wait.value }
        #expect(await offPool { RawClient(port: port) == nil })
    }

    @Test func cancellingTheTaskEndsTheWait() async throws {
        let listener = try RedirectListener.start()
        let wait = await waiting(listener, state: "st", timeout: .seconds(60))
        wait.cancel()
        await #expect(throws: CancellationError.self) { try await wait.value }
    }

    @Test func onlyGetSlashWithCodeOrErrorIsTheCallback() {
        #expect(RedirectListener.callbackQuery("GET /?code=a&state=b HTTP/1.1\r\nHost: x") != nil)
        #expect(RedirectListener.callbackQuery("GET /?error=access_denied HTTP/1.1") != nil)
        #expect(RedirectListener.callbackQuery("POST /?code=a HTTP/1.1") == nil)
        #expect(RedirectListener.callbackQuery("GET /cb?code=a HTTP/1.1") == nil)
        #expect(RedirectListener.callbackQuery("GET / HTTP/1.1") == nil)
        #expect(RedirectListener.callbackQuery("GET /favicon.ico HTTP/1.1") == nil)
    }
}
