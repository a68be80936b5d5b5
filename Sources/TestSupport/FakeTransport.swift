import Foundation
import HTTPCore

/// An in-memory transport for tests: answers with a handler and records every request.
public final class FakeTransport: HTTPTransport, @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequest) async throws -> HTTPResponse
    private let lock = NSLock()
    private var handler: Handler
    private var _requests: [HTTPRequest] = []

    public init(_ handler: @escaping Handler = { _ in HTTPResponse(status: 404) }) { self.handler = handler }

    /// Replaces the handler.
    public func respond(_ handler: @escaping Handler) { lock.withLock { self.handler = handler } }

    /// Every request sent so far, in order.
    public var requests: [HTTPRequest] { lock.withLock { _requests } }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let h: Handler = lock.withLock { _requests.append(request); return handler }
        return try await h(request)
    }
}

/// A JSON response, for fakes.
public func jsonResponse(_ status: Int = 200, _ json: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
    var h = headers
    h["Content-Type"] = "application/json; charset=UTF-8"
    return HTTPResponse(status: status, headers: h, body: Data(json.utf8))
}
