import Foundation
import HTTPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A listener on 127.0.0.1 at a random port that receives the browser's redirect.
///
/// Browsers open speculative connections that send nothing and ask for `/favicon.ico`, so the listener
/// polls the listening socket and every open connection at once: requests that are not `GET /` with a
/// `code` or `error` get a 404 and the wait goes on.
///
/// Any local process (or a web page the user visits) can reach the port, so only a redirect carrying the
/// attempt's own `state` ends the wait: a wrong or missing state gets an error page and is ignored. A
/// connection that has not sent a whole request within `idleTimeout` is closed, and when all
/// `maxConnections` are taken the oldest is dropped for the newcomer: idle connections held open on
/// purpose cannot keep the browser's redirect out.
public final class RedirectListener: Sendable {
    /// `http://127.0.0.1:PORT/`
    public let redirectURI: String
    public let port: Int
    /// The listening socket, owned here: closed by `stop()`, by the wait that `stop()` ended, or in `deinit`.
    private let socketFD: Int32
    private let state = ListenerState()

    /// Largest request head read before the connection is answered 431 and dropped.
    static let maxRequestBytes = 16 * 1024
    /// Connections kept open at once; a new one beyond this replaces the oldest.
    static let maxConnections = 64
    /// How long a connection may stay open without completing its request head.
    public let idleTimeout: Duration

    private init(port: Int, socketFD: Int32, idleTimeout: Duration) {
        self.port = port; self.socketFD = socketFD; self.redirectURI = "http://127.0.0.1:\(port)/"
        self.idleTimeout = idleTimeout
    }

    deinit {
        if state.markClosedIfOpen() { close(socketFD) }
    }

    /// Binds 127.0.0.1 on a random free port. A browser sends its request at once; 10 s is generous.
    public static func start(idleTimeout: Duration = .seconds(10)) throws -> RedirectListener {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw RedirectListenerError.cannotListen(errnoDescription()) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && listen(fd, 128) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard ok, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else {
            let reason = errnoDescription()
            close(fd)
            throw RedirectListenerError.cannotListen(reason)
        }
        return RedirectListener(port: Int(UInt16(bigEndian: addr.sin_port)), socketFD: fd, idleTimeout: idleTimeout)
    }

    /// The address the socket is bound to, as `getsockname` reports it.
    var boundAddress: String {
        var addr = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &len) } }
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        inet_ntop(AF_INET, &addr.sin_addr, &text, socklen_t(text.count))
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Waits for the one valid redirect request, answers it with a "you can close this tab" page (or, for
    /// `error=`, a page saying access was not granted), and returns its query. Throws `.listenerTimedOut`
    /// after `timeout`.
    ///
    /// Only `GET /?...` with `state` equal to `expectedState` and a `code` or an `error` is the redirect.
    /// Other paths get 404; a wrong or missing state, or neither code nor error, gets 400 with an error
    /// page: all of these are ignored and the wait goes on.
    ///
    /// The poll loop runs on its own thread, not the cooperative pool. Cancelling the task stops the listener.
    /// After a wait ends (with a redirect or a timeout) it can wait again, until `stop()`.
    public func waitForCallback(expectedState: String, timeout: Duration) async throws -> [(String, String)] {
        let deadline = ContinuousClock.now + timeout
        guard state.beginWait() else { throw CancellationError() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[(String, String)], any Error>) in
                let thread = Thread { [self] in
                    let result = Result { try self.serve(expectedState: expectedState, until: deadline) }
                    // The port stays open until stop(): if this redirect fails (access denied, a code that
                    // does not exchange), the user can go through the browser again and another wait gets it.
                    if state.endWait() { close(socketFD) }
                    continuation.resume(with: result)
                }
                thread.name = "gmail-tui redirect listener"
                thread.start()
            }
        } onCancel: {
            self.stop()
        }
    }

    /// True from the moment a wait has begun (its poll loop's thread is being started) until it ends.
    var isWaiting: Bool { state.isWaiting }

    /// Closes the socket; a pending wait throws `CancellationError`.
    public func stop() {
        if state.stop() { close(socketFD) }
    }

    // MARK: - The poll loop

    private struct Connection {
        var fd: Int32
        var head: [UInt8] = []
        var openedAt: ContinuousClock.Instant
    }

    private func serve(expectedState: String, until deadline: ContinuousClock.Instant) throws -> [(String, String)] {
        var connections: [Connection] = []
        defer { for c in connections { close(c.fd) } }
        while true {
            if state.isStopped { throw CancellationError() }
            let now = ContinuousClock.now
            let remaining = deadline - now
            if remaining <= .zero { throw OAuthError.listenerTimedOut }
            // Connections that never finished their request in time are closed without an answer.
            connections.removeAll { c in
                guard now - c.openedAt >= idleTimeout else { return false }
                close(c.fd)
                return true
            }
            // Short slices so that stop(), the deadline and idle connections are noticed promptly.
            let slice = Int32(min(100, max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)))
            var fds = [pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)]
                + connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), slice)
            if ready < 0 && errno != EINTR { throw RedirectListenerError.cannotListen(errnoDescription()) }
            if ready <= 0 { continue }
            // stop() may have come while poll waited: a request arriving after it is not served.
            if state.isStopped { throw CancellationError() }

            for i in stride(from: connections.count - 1, through: 0, by: -1) where fds[i + 1].revents != 0 {
                if let query = serveReadable(&connections, at: i, expectedState: expectedState) { return query }
            }

            if fds[0].revents & Int16(POLLIN) != 0 {
                while true {
                    let fd = accept(socketFD, nil, nil)
                    if fd < 0 { break }
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                    if connections.count >= Self.maxConnections {
                        // The newest connection is the likeliest to be the browser: make room for it.
                        close(connections.removeFirst().fd)
                    }
                    connections.append(Connection(fd: fd, openedAt: .now))
                    // A browser's request is usually there already: answer it before more connections arrive.
                    if let query = serveReadable(&connections, at: connections.count - 1, expectedState: expectedState) { return query }
                }
            }
        }
    }

    /// Reads from connection `i`; once its request is whole, answers it and closes it. Returns the query when
    /// it was the redirect.
    private func serveReadable(_ connections: inout [Connection], at i: Int, expectedState: String) -> [(String, String)]? {
        let outcome = readHead(&connections[i])
        if case .pending = outcome { return nil }
        let fd = connections.remove(at: i).fd
        defer { close(fd) }
        switch outcome {
        case .pending, .closed:
            return nil
        case .tooLarge:
            Self.respond(fd, status: "431 Request Header Fields Too Large", html: "")
            return nil
        case .head(let text):
            switch Self.classify(text, expectedState: expectedState) {
            case .redirect(let query):
                Self.respond(fd, status: "200 OK", html: Self.page(for: query))
                return query
            case .refused:
                Self.respond(fd, status: "400 Bad Request", html: Self.refusedPage)
                return nil
            case .notFound:
                Self.respond(fd, status: "404 Not Found", html: "<!doctype html><title>Not found</title><p>Not found.</p>")
                return nil
            }
        }
    }

    /// Sorts a request head into the redirect, a refused look-alike, or something else.
    static func classify(_ head: String, expectedState: String) -> Classification {
        guard let query = targetQuery(head) else { return .notFound }
        guard query.contains(where: { $0.0 == "code" || $0.0 == "error" || $0.0 == "state" }) else { return .notFound }
        guard FormEncoding.value("state", in: query) == expectedState,
              FormEncoding.value("code", in: query).map({ !$0.isEmpty }) ?? (FormEncoding.value("error", in: query) != nil) else {
            return .refused
        }
        return .redirect(query)
    }

    /// What a request to the listener is.
    enum Classification {
        /// The browser's redirect for this attempt: a `code` or an `error`, with the right `state`.
        case redirect([(String, String)])
        /// `GET /?...` that is not this attempt's redirect (wrong or missing state, neither code nor error).
        case refused
        /// Any other method or path (a favicon, a `GET /` with no query).
        case notFound
    }

    /// The decoded query of `GET /?...`; nil for another method or path, or no query.
    static func targetQuery(_ head: String) -> [(String, String)]? {
        let requestLine = head.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count >= 2, parts[0] == "GET" else { return nil }
        let target = parts[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard target[0] == "/", target.count == 2 else { return nil }
        return FormEncoding.decode(String(target[1]))
    }

    /// The answer to a request that is not this attempt's redirect. It says nothing about the attempt.
    static let refusedPage = """
        <!doctype html><html><head><meta charset="utf-8"><title>gmail-tui</title></head><body>\
        <h1>gmail-tui: this is not the authorization in progress</h1>\
        <p>This address does not belong to the sign-in that gmail-tui is waiting for, so it was ignored. \
        Use the URL gmail-tui shows now.</p></body></html>
        """

    private enum ReadOutcome {
        /// No complete head yet: keep the connection.
        case pending
        /// The peer closed or failed before sending a whole head.
        case closed
        case tooLarge
        case head(String)
    }

    /// Reads what is there without blocking, and says whether a whole request head has arrived.
    private func readHead(_ connection: inout Connection) -> ReadOutcome {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return .pending }
        if n <= 0 { return .closed }
        connection.head += buffer[0..<n]
        if let end = connection.head.firstRange(of: [13, 10, 13, 10]) {
            return .head(String(decoding: connection.head[..<end.lowerBound], as: UTF8.self))
        }
        return connection.head.count > Self.maxRequestBytes ? .tooLarge : .pending
    }

    /// The query of `GET /?code=...` or `GET /?error=...` (any state); nil for anything else.
    static func callbackQuery(_ head: String) -> [(String, String)]? {
        guard let query = targetQuery(head), query.contains(where: { $0.0 == "code" || $0.0 == "error" }) else { return nil }
        return query
    }

    static func page(for query: [(String, String)]) -> String {
        if let error = FormEncoding.value("error", in: query) {
            let escaped = error.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            return """
            <!doctype html><html><head><meta charset="utf-8"><title>gmail-tui</title></head><body>\
            <h1>gmail-tui: authorization failed</h1><p>Google answered <code>\(escaped)</code>: access was not granted. \
            You can close this tab; the terminal says what to do next.</p></body></html>
            """
        }
        return """
        <!doctype html><html><head><meta charset="utf-8"><title>gmail-tui</title></head><body>\
        <h1>gmail-tui: authorization received, you can close this tab</h1>\
        <p>Return to the terminal to continue.</p></body></html>
        """
    }

    private static func respond(_ fd: Int32, status: String, html: String) {
        let body = Array(html.utf8)
        let head = "HTTP/1.1 \(status)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(body.count)\r\n"
            + "Cache-Control: no-store\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            sent += n
        }
    }
}

/// Why the loopback listener could not start.
public enum RedirectListenerError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotListen(String)
    public var description: String {
        switch self {
        case .cannotListen(let reason): return "cannot listen on 127.0.0.1 for the browser's redirect: \(reason); paste the code instead"
        }
    }
}

/// The listener's lifecycle under a lock: who closes the socket, and whether a wait must end.
private final class ListenerState: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var waiting = false
    private var closed = false

    var isStopped: Bool { lock.withLock { stopped } }
    var isWaiting: Bool { lock.withLock { waiting } }

    /// False when stopped or already waiting.
    func beginWait() -> Bool {
        lock.withLock {
            if stopped || waiting { return false }
            waiting = true
            return true
        }
    }

    /// Ends a wait; true when the caller must close the socket (stopped during the wait).
    func endWait() -> Bool {
        lock.withLock {
            waiting = false
            if stopped && !closed { closed = true; return true }
            return false
        }
    }

    /// Marks stopped; true when the caller must close the socket now (no wait is using it).
    func stop() -> Bool {
        lock.withLock {
            stopped = true
            if !waiting && !closed { closed = true; return true }
            return false
        }
    }

    func markClosedIfOpen() -> Bool {
        lock.withLock {
            if closed { return false }
            closed = true
            return true
        }
    }
}

private func errnoDescription() -> String { String(cString: strerror(errno)) }
