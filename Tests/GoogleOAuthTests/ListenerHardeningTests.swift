import Foundation
import Testing
import HTTPCore
@testable import GoogleOAuth
#if canImport(Glibc)
import Glibc
#endif

/// The loopback listener against other local processes: wrong states, malformed redirects, idle floods.
@Suite struct ListenerHardeningTests {
    @Test func aWrongOrMissingStateIsRefusedAndTheWaitGoesOn() async throws {
        let listener = try RedirectListener.start()
        defer { listener.stop() }
        let port = listener.port
        let wait = await waiting(listener, state: "the-real-state", timeout: .seconds(30))
        let answers = await offPool { () -> [String] in
            [
                get("/?code=stolen&state=guessed"),
                get("/?error=access_denied&state=guessed"),
                get("/?code=no-state-at-all"),
                get("/?state=the-real-state"),
                get("/?code=&state=the-real-state"),
            ].map { RawClient(port: port)?.exchange($0) ?? "refused" }
        }
        for answer in answers {
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer)")
            #expect(answer.contains("not the authorization in progress"))
            #expect(!answer.contains("you can close this tab"))
        }
        // None of them ended the wait: the real redirect still does.
        let real = await offPool { RawClient(port: port)?.exchange(get("/?state=the-real-state&code=4%2F0Areal")) ?? "refused" }
        #expect(real.hasPrefix("HTTP/1.1 200"))
        #expect(real.contains("you can close this tab"))
        let query = try await wait.value
        #expect(FormEncoding.value("code", in: query) == "4/0Areal")
    }

    @Test func accessDeniedWithTheRightStateStillEndsTheWait() async throws {
        let listener = try RedirectListener.start()
        defer { listener.stop() }
        let port = listener.port
        let wait = await waiting(listener, state: "st", timeout: .seconds(30))
        let answer = await offPool { RawClient(port: port)?.exchange(get("/?error=access_denied&state=st")) ?? "refused" }
        #expect(answer.contains("authorization failed"))
        #expect(FormEncoding.value("error", in: try await wait.value) == "access_denied")
    }

    @Test func aHundredIdleConnectionsDoNotKeepTheRedirectOut() async throws {
        let listener = try RedirectListener.start()
        defer { listener.stop() }
        let port = listener.port
        let wait = await waiting(listener, state: "st", timeout: .seconds(30))
        let answer = await offPool { () -> String in
            // Connected, silent, held open: more than the listener keeps at once.
            let idle = (0..<100).compactMap { _ in RawClient(port: port) }
            let answer = RawClient(port: port)?.exchange(get("/?state=st&code=abc")) ?? "refused"
            withExtendedLifetime(idle) {}
            return answer + "\n[idle connected: \(idle.count)]"
        }
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        #expect(answer.contains("[idle connected: 100]"))
        #expect(FormEncoding.value("code", in: try await wait.value) == "abc")
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        let listener = try RedirectListener.start(idleTimeout: .milliseconds(300))
        defer { listener.stop() }
        let port = listener.port
        let wait = await waiting(listener, state: "st", timeout: .seconds(30))
        let (closedByServer, partialClosed) = await offPool { () -> (Bool, Bool) in
            guard let silent = RawClient(port: port), let partial = RawClient(port: port) else { return (false, false) }
            // A request head that never ends counts as idle too.
            _ = "GET /?state=st&co".withCString { send(partial.fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            return (Self.readsEndOfStream(silent.fd), Self.readsEndOfStream(partial.fd))
        }
        #expect(closedByServer, "the listener closes a connection that sends nothing")
        #expect(partialClosed, "and one that never finishes its request")
        let answer = await offPool { RawClient(port: port)?.exchange(get("/?state=st&code=later")) ?? "refused" }
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        #expect(FormEncoding.value("code", in: try await wait.value) == "later")
    }

    /// True when the peer closed (recv gives 0) before the client's 10 s receive timeout.
    static func readsEndOfStream(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        while true {
            let n = recv(fd, &byte, 1, 0)
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    @Test func requestsAreSortedByPathAndState() {
        func kind(_ head: String) -> String {
            switch RedirectListener.classify(head, expectedState: "s1") {
            case .redirect: return "redirect"
            case .refused: return "refused"
            case .notFound: return "notFound"
            }
        }
        #expect(kind("GET /?code=a&state=s1 HTTP/1.1") == "redirect")
        #expect(kind("GET /?error=access_denied&state=s1 HTTP/1.1") == "redirect")
        #expect(kind("GET /?code=a&state=s2 HTTP/1.1") == "refused")
        #expect(kind("GET /?error=access_denied HTTP/1.1") == "refused")
        #expect(kind("GET /?state=s1 HTTP/1.1") == "refused")
        #expect(kind("GET /favicon.ico HTTP/1.1") == "notFound")
        #expect(kind("POST /?code=a&state=s1 HTTP/1.1") == "notFound")
        #expect(kind("GET / HTTP/1.1") == "notFound")
        #expect(kind("GET /?q=1 HTTP/1.1") == "notFound")
        #expect(kind("\u{0}\u{ff}garbage") == "notFound")
    }
}
