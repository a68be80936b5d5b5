import Foundation

/// Why a request got no HTTP response. Messages name the host, never a token.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL cannot be sent (not http or https, no host).
    case invalidURL(String)
    /// Plain `http://` to a host that is not loopback.
    case insecureURL(host: String)
    case dnsFailure(host: String)
    case connectionRefused(host: String)
    case timedOut(host: String)
    /// Certificate or handshake failure.
    case tls(host: String, detail: String)
    /// The server's certificate did not verify: not signed by a trusted CA, expired, or for another name.
    case untrustedCertificate(host: String, detail: String)
    /// The connection broke while sending or receiving.
    case connectionLost(host: String, detail: String)
    case cancelled
    /// The answer grew past `limit` bytes once decompressed (a gzip bomb, or not what was asked for):
    /// dropped, and not worth asking for again.
    case responseTooLarge(host: String, limit: Int)
    /// Any other failure, with the library's code and words.
    case other(code: Int, detail: String)

    public var description: String {
        switch self {
        case .invalidURL(let u): return "invalid URL: \(u)"
        case .insecureURL(let h): return "refusing plain http:// to \(h): only loopback hosts may use http, everything else needs https"
        case .dnsFailure(let h): return "could not resolve host \(h) (check the network or DNS)"
        case .connectionRefused(let h): return "connection to \(h) refused"
        case .timedOut(let h): return "\(h) did not answer in time (request timed out)"
        case .tls(let h, let d): return "TLS failure talking to \(h): \(d)"
        case .untrustedCertificate(let h, let d):
            return "the certificate of \(h) was not trusted (\(d)); a private CA's certificate can be added with --ca-file"
        case .connectionLost(let h, let d): return "connection to \(h) lost: \(d)"
        case .cancelled: return "request cancelled"
        case .responseTooLarge(let h, let limit): return "the answer from \(h) was larger than \(limit >> 20) MB once decoded, so it was dropped"
        case .other(let c, let d): return "network error \(c): \(d)"
        }
    }

    /// Whether trying again later may succeed (every case but a refused URL or certificate, or a cancellation).
    public var isTransient: Bool {
        switch self {
        case .invalidURL, .insecureURL, .untrustedCertificate, .cancelled, .responseTooLarge: return false
        default: return true
        }
    }
}

/// Loopback hosts, the only ones allowed plain `http://`.
public enum Loopback {
    public static func isLoopback(host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    /// Throws unless the URL is https, or http to a loopback host.
    public static func checkSecure(_ url: URL) throws {
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw TransportError.invalidURL(url.absoluteString)
        }
        switch scheme {
        case "https": return
        case "http": if !isLoopback(host: host) { throw TransportError.insecureURL(host: host) }
        default: throw TransportError.invalidURL(url.absoluteString)
        }
    }
}
