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
public final class RedirectListener: Sendable {
    /// `http://127.0.0.1:PORT/`
    public let redirectURI: String
    public let port: Int
    /// The listening socket, owned here: closed by `stop()`, by the wait that `stop()` ended, or in `deinit`.
    private let socketFD: Int32
    private let state = ListenerState()

    /// Largest request head read before the connection is answered 431 and dropped.
    static let maxRequestBytes = 16 * 1024
    /// Connections kept open at once; more are closed at once.
    static let maxConnections = 64

    private init(port: Int, socketFD: Int32) {
        self.port = port; self.socketFD = socketFD; self.redirectURI = "http://127.0.0.1:\(port)/"
    }

    deinit {
        if state.markClosedIfOpen() { close(socketFD) }
    }

    /// Binds 127.0.0.1 on a random free port.
    public static func start() throws -> RedirectListener {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw RedirectListenerError.cannotListen(errnoDescription()) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard ok, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else {
            let reason = errnoDescription()
            close(fd)
            throw RedirectListenerError.cannotListen(reason)
        }
        return RedirectListener(port: Int(UInt16(bigEndian: addr.sin_port)), socketFD: fd)
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

    /// Waits for the one valid redirect request (other requests get 404 and are ignored), answers it with a
    /// "you can close this tab" page, and returns its query. Throws `.listenerTimedOut` after `timeout`.
    ///
    /// The poll loop runs on its own thread, not the cooperative pool. Cancelling the task stops the listener;
    /// so does a successful wait, as only one redirect is ever accepted. After a timeout it can wait again.
    public func waitForCallback(timeout: Duration) async throws -> [(String, String)] {
        let deadline = ContinuousClock.now + timeout
        guard state.beginWait() else { throw CancellationError() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[(String, String)], any Error>) in
                let thread = Thread { [self] in
                    let result = Result { try self.serve(until: deadline) }
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

    /// Closes the socket; a pending wait throws `CancellationError`.
    public func stop() {
        if state.stop() { close(socketFD) }
    }

    // MARK: - The poll loop

    private struct Connection {
        var fd: Int32
        var head: [UInt8] = []
    }

    private func serve(until deadline: ContinuousClock.Instant) throws -> [(String, String)] {
        var connections: [Connection] = []
        defer { for c in connections { close(c.fd) } }
        while true {
            if state.isStopped { throw CancellationError() }
            let remaining = deadline - .now
            if remaining <= .zero { throw OAuthError.listenerTimedOut }
            // Short slices so that stop() and the deadline are noticed promptly.
            let slice = Int32(min(100, max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)))
            var fds = [pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)]
                + connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), slice)
            if ready < 0 && errno != EINTR { throw RedirectListenerError.cannotListen(errnoDescription()) }
            if ready <= 0 { continue }

            for i in stride(from: connections.count - 1, through: 0, by: -1) where fds[i + 1].revents != 0 {
                let outcome = readHead(&connections[i])
                if case .pending = outcome { continue }
                let fd = connections.remove(at: i).fd
                defer { close(fd) }
                switch outcome {
                case .pending, .closed:
                    break
                case .tooLarge:
                    Self.respond(fd, status: "431 Request Header Fields Too Large", html: "")
                case .head(let text):
                    if let query = Self.callbackQuery(text) {
                        Self.respond(fd, status: "200 OK", html: Self.page(for: query))
                        return query
                    }
                    Self.respond(fd, status: "404 Not Found", html: "<!doctype html><title>Not found</title><p>Not found.</p>")
                }
            }

            if fds[0].revents & Int16(POLLIN) != 0 {
                while true {
                    let fd = accept(socketFD, nil, nil)
                    if fd < 0 { break }
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                    if connections.count >= Self.maxConnections { close(fd); continue }
                    connections.append(Connection(fd: fd))
                }
            }
        }
    }

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

    /// The query of `GET /?code=...` or `GET /?error=...`; nil for anything else.
    static func callbackQuery(_ head: String) -> [(String, String)]? {
        let requestLine = head.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count >= 2, parts[0] == "GET" else { return nil }
        let target = parts[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard target[0] == "/", target.count == 2 else { return nil }
        let query = FormEncoding.decode(String(target[1]))
        guard query.contains(where: { $0.0 == "code" || $0.0 == "error" }) else { return nil }
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
