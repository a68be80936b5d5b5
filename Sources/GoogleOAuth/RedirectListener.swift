import Foundation

/// A listener on 127.0.0.1 at a random port that receives the browser's redirect.
public final class RedirectListener: Sendable {
    /// `http://127.0.0.1:PORT/`
    public let redirectURI: String
    public let port: Int
    private init(port: Int) { self.port = port; self.redirectURI = "http://127.0.0.1:\(port)/" }

    /// Binds 127.0.0.1 on a random free port.
    public static func start() throws -> RedirectListener { throw OAuthError.listenerTimedOut }

    /// Waits for the one valid redirect request (other requests get 404 and are ignored), answers it with a
    /// "you can close this tab" page, and returns its query. Throws `.listenerTimedOut` after `timeout`.
    public func waitForCallback(timeout: Duration) async throws -> [(String, String)] { throw OAuthError.listenerTimedOut }

    /// Closes the socket; a pending wait throws `CancellationError`.
    public func stop() {}
}
