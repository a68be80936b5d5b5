import Foundation

/// The connection a request came in on, as the sandbox's request log records it.
///
/// Tests and the bench count connections and read the negotiated protocol from the log, server-side,
/// so a client that claims HTTP/2 but opens a connection per request cannot pass.
public struct SandboxConnection: Sendable, Equatable, Hashable {
    /// `HTTP/2` or `HTTP/1.1`.
    public var httpVersion: String
    /// Whether the connection is TLS (the sandbox started with `--tls`).
    public var tls: Bool
    /// The peer's address and port: one value per TCP connection while it is open.
    public var id: String

    public init(httpVersion: String, tls: Bool, id: String) {
        self.httpVersion = httpVersion
        self.tls = tls
        self.id = id
    }

    /// `h2`, `http/1.1` (the ALPN names) or `http/1.1 (plain)`.
    public var protocolName: String {
        switch (httpVersion, tls) {
        case ("HTTP/2", _): "h2"
        case (_, true): "http/1.1"
        default: "http/1.1 (plain)"
        }
    }
}
