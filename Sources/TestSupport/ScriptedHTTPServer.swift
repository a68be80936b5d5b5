import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deliberately simple HTTP/1.1 server on 127.0.0.1 whose every answer the test scripts, byte for byte:
/// a server that echoes secrets, sends a gzip bomb, answers 200 with HTML, or accepts and never answers.
///
/// One thread accepts and serves connections one request at a time. It stops on `stop()`, or by itself
/// after `lifetime`, so a failing test never leaves it running (the serving thread holds the server, so
/// releasing it alone does not stop it).
public final class ScriptedHTTPServer: @unchecked Sendable {
    /// A request as received: the request line's method and target, headers, body.
    public struct Request: Sendable {
        public var method: String
        public var target: String
        public var headers: [String: String]
        public var body: Data
        /// A header's value, by case-insensitive name.
        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// What to do with a request.
    public enum Reply: Sendable {
        /// Send these bytes (status line, headers and body) and close the connection.
        case raw(Data)
        /// Send nothing, keep the connection open until the server stops.
        case silence
    }

    public let port: Int
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/")! }

    private let listenFD: Int32
    private let lock = NSLock()
    private var stopped = false
    private var received: [Request] = []
    private var held: [Int32] = []

    /// Starts serving; `script` decides each answer (called on the server's thread).
    public init(lifetime: Duration = .seconds(120), script: @escaping @Sendable (Request) -> Reply) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ScriptedServerError.cannotListen }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { close(fd); throw ScriptedServerError.cannotListen }
        listenFD = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let deadline = ContinuousClock.now + lifetime
        let thread = Thread { [self] in serve(script: script, until: deadline) }
        thread.name = "ScriptedHTTPServer"
        thread.start()
    }

    /// Every request received so far.
    public var requests: [Request] { lock.withLock { received } }

    /// Stops accepting and closes every connection kept open.
    public func stop() {
        let fds: [Int32]? = lock.withLock {
            if stopped { return nil }
            stopped = true
            defer { held = [] }
            return held
        }
        guard let fds else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
        fds.forEach { close($0) }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func serve(script: @Sendable (Request) -> Reply, until deadline: ContinuousClock.Instant) {
        while !isStopped {
            if ContinuousClock.now >= deadline { stop(); return }
            var poller = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let client = accept(listenFD, nil, nil)
            if client < 0 { continue }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard let request = Self.readRequest(client) else { close(client); continue }
            lock.withLock { received.append(request) }
            switch script(request) {
            case .raw(let bytes):
                Self.sendAll(client, bytes)
                close(client)
            case .silence:
                let keep = lock.withLock { () -> Bool in
                    if stopped { return false }
                    held.append(client)
                    return true
                }
                if !keep { close(client) }
            }
        }
    }

    private static func readRequest(_ fd: Int32) -> Request? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headEnd: Int?
        var contentLength = 0
        while true {
            if let end = headEnd, data.count >= end + contentLength { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            data += buffer[0..<n]
            if headEnd == nil, let range = data.firstRange(of: [13, 10, 13, 10]) {
                headEnd = range.upperBound
                let head = String(decoding: data[..<range.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        contentLength = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
            }
            if data.count > 1 << 24 { return nil }
        }
        guard let end = headEnd else { return nil }
        let head = String(decoding: data[..<(end - 4)], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                       body: Data(data[end..<min(data.count, end + contentLength)]))
    }

    private static func sendAll(_ fd: Int32, _ data: Data) {
        let bytes = [UInt8](data)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            sent += n
        }
    }

    /// A whole HTTP/1.1 answer: status line, `Content-Length`, the given headers, the body.
    public static func response(_ status: Int, _ reason: String = "OK", headers: [(String, String)] = [], body: Data) -> Reply {
        var head = "HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return .raw(Data((head + "\r\n").utf8) + body)
    }

    /// `response` with a UTF-8 text body.
    public static func response(_ status: Int, _ reason: String = "OK", headers: [(String, String)] = [], text: String) -> Reply {
        response(status, reason, headers: headers, body: Data(text.utf8))
    }
}

public enum ScriptedServerError: Error { case cannotListen }

/// A gzip stream that inflates to `size` zero bytes from about `size / 160` bytes: one fixed-Huffman
/// deflate block of back-references of 258 bytes at distance 1.
///
/// The trailer's CRC is computed only when asked (`checksum`): a bomb is meant to be refused long before its end.
public enum GzipBomb {
    public static func make(inflatedSize size: Int, checksum: Bool = false) -> Data {
        var out: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]
        var bitBuffer: UInt32 = 0
        var bitCount = 0
        func bits(_ value: UInt32, _ count: Int) {
            // Deflate packs fields from the least significant bit of each byte.
            bitBuffer |= value << UInt32(bitCount)
            bitCount += count
            while bitCount >= 8 {
                out.append(UInt8(bitBuffer & 0xff))
                bitBuffer >>= 8
                bitCount -= 8
            }
        }
        func huffman(_ code: UInt32, _ length: Int) {
            // Huffman codes go most significant bit first.
            for i in stride(from: length - 1, through: 0, by: -1) { bits((code >> UInt32(i)) & 1, 1) }
        }
        bits(1, 1)          // BFINAL
        bits(1, 2)          // BTYPE 01: fixed Huffman codes
        huffman(0x30, 8)    // literal 0
        var produced = 1
        while produced + 258 <= size {
            huffman(0xC5, 8) // length code 285: 258 bytes
            huffman(0, 5)    // distance code 0: distance 1
            produced += 258
        }
        huffman(0, 7)       // end of block
        if bitCount > 0 { out.append(UInt8(bitBuffer & 0xff)) }
        let length = UInt32(truncatingIfNeeded: produced)
        let crc = checksum ? crc32OfZeros(produced) : 0
        out += [UInt8(crc & 0xff), UInt8((crc >> 8) & 0xff), UInt8((crc >> 16) & 0xff), UInt8(crc >> 24)]
        out += [UInt8(length & 0xff), UInt8((length >> 8) & 0xff), UInt8((length >> 16) & 0xff), UInt8(length >> 24)]
        return Data(out)
    }

    /// CRC-32 (the gzip trailer's) of `count` zero bytes.
    static func crc32OfZeros(_ count: Int) -> UInt32 {
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[i] = c
        }
        var crc: UInt32 = 0xFFFF_FFFF
        for _ in 0..<count { crc = table[Int(crc & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
