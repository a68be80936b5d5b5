import Foundation
import HTTPCore
internal import CCurl

/// An `HTTPTransport` over libcurl: many requests at once on reused connections, HTTP/2 where offered.
///
/// One multi handle, driven by a dedicated thread, carries every request, so
/// connections (and HTTP/2 streams) are shared across callers. Responses are
/// decompressed (gzip, deflate, br, zstd as libcurl was built); their headers
/// are left as the server sent them. Certificates are verified, redirects are
/// not followed (callers see 3xx responses), and plain `http://` is refused
/// for every host but loopback before anything goes on the wire.
public final class CurlTransport: HTTPTransport, Sendable {
    /// Counters that show how the transport used the network.
    public struct Statistics: Sendable, Equatable {
        /// Requests handed to libcurl (cancelled-before-start ones are not counted).
        public var requestsSent = 0
        /// New connections libcurl opened; far fewer than `requestsSent` when connections are reused.
        public var connectionsOpened = 0

        public init(requestsSent: Int = 0, connectionsOpened: Int = 0) {
            self.requestsSent = requestsSent
            self.connectionsOpened = connectionsOpened
        }
    }

    /// The HTTP version a transport asks for.
    public enum HTTPVersion: Sendable, Equatable {
        /// HTTP/2 over TLS when the server offers it by ALPN (HTTP/1.1 otherwise, and for plain http://).
        case http2
        /// HTTP/1.1 only.
        case http1_1
    }

    /// The loop every request goes through (nil only if libcurl failed to start).
    let loop: MultiLoop?
    private let options: TransferOptions

    /// A transport with its own connection pool and loop thread.
    ///
    /// - Parameters:
    ///   - connectTimeout: the longest wait for a connection (TCP and TLS).
    ///   - defaultTimeout: the longest a whole exchange may take when the request sets no `timeout`.
    ///   - maxConnectionsPerHost: connections kept open to one host; more requests queue for them (or multiplex over HTTP/2).
    ///   - userAgent: the `User-Agent` header, unless a request sets its own.
    ///   - extraCACertificates: PEM certificates of CAs to trust besides the system's (`--ca-file`).
    ///   - httpVersion: HTTP/2 where the server offers it (the default), or HTTP/1.1 only.
    ///   - silenceTimeout: the longest a request may go without receiving a byte (whole seconds, rounded up).
    ///   - maxResponseBytes: the largest body kept, after decompression (Gmail's largest answers, a 25 MB
    ///     message as base64 in JSON, fit well below the 64 MB default); a larger one fails as `.responseTooLarge`.
    public init(
        connectTimeout: Duration = .seconds(10),
        defaultTimeout: Duration = .seconds(60),
        maxConnectionsPerHost: Int = 8,
        userAgent: String = "gmail-tui/0.1",
        extraCACertificates: Data? = nil,
        httpVersion: HTTPVersion = .http2,
        silenceTimeout: Duration = .seconds(30),
        maxResponseBytes: Int = 64 << 20
    ) {
        options = TransferOptions(connectTimeout: connectTimeout, defaultTimeout: defaultTimeout, userAgent: userAgent,
                                  trusted: extraCACertificates.map(TrustedCertificates.init(extraPEM:)), httpVersion: httpVersion,
                                  silenceTimeout: silenceTimeout, maxResponseBytes: max(1, maxResponseBytes))
        loop = MultiLoop(maxConnectionsPerHost: maxConnectionsPerHost)
        loop?.start()
    }

    deinit {
        loop?.stop()
    }

    /// Totals since this transport was created.
    public var statistics: Statistics {
        loop?.statistics ?? Statistics()
    }

    /// Sends `request` and returns the whole response; throws `TransportError` for failures below HTTP.
    ///
    /// Cancelling the calling task ends the wait at once with `TransportError.cancelled`
    /// and takes the transfer off the connection.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Loopback.checkSecure(request.url)
        guard let loop else {
            throw TransportError.other(code: Int(CURLE_FAILED_INIT.rawValue), detail: "libcurl could not be initialised")
        }
        if Task.isCancelled { throw TransportError.cancelled }
        let transfer = try Transfer(request: request, options: options)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if transfer.begin(continuation) { loop.submit(transfer) }
            }
        } onCancel: {
            if transfer.cancel() { loop.withdraw(transfer) }
        }
    }
}
