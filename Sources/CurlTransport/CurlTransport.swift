import Foundation
import HTTPCore
internal import CCurl

/// The libcurl transport (to be built: multi handle on its own thread, HTTP/2, timeouts).
public final class CurlTransport: HTTPTransport, Sendable {
    public init() {}
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Loopback.checkSecure(request.url)
        throw TransportError.other(code: -1, detail: "CurlTransport is not built yet")
    }
}
