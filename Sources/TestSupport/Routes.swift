import Foundation
import HTTPCore

extension FakeTransport {
    /// A fake that answers by URL path: the first route whose path prefix matches wins; otherwise 404.
    ///
    /// Routes are tried in the order given, so list longer (more specific) prefixes first.
    public static func routing(_ routes: [Route]) -> FakeTransport {
        FakeTransport { request in
            let path = request.url.path
            for route in routes where path.hasPrefix(route.prefix) {
                return try await route.handler(request)
            }
            return jsonResponse(404, #"{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}"#)
        }
    }
}

/// One entry of a routing fake: a URL path prefix and its handler.
public struct Route: Sendable {
    public var prefix: String
    public var handler: FakeTransport.Handler
    public init(_ prefix: String, _ handler: @escaping FakeTransport.Handler) { self.prefix = prefix; self.handler = handler }
}

/// A route (a function, so that a trailing handler closure is inferred `@Sendable`).
public func route(_ prefix: String, _ handler: @escaping FakeTransport.Handler) -> Route { Route(prefix, handler) }

/// Counts work in flight and remembers the most seen at once, for concurrency bounds in tests.
public final class InFlightCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private var _maximum = 0
    public init() {}
    public var maximum: Int { lock.withLock { _maximum } }
    public func enter() { lock.withLock { current += 1; _maximum = max(_maximum, current) } }
    public func leave() { lock.withLock { current -= 1 } }
}

/// Query pairs of a request's URL, in order, percent-decoding applied.
public func queryPairs(_ request: HTTPRequest) -> [(String, String)] {
    guard let query = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.percentEncodedQuery else { return [] }
    return FormEncoding.decode(query)
}

/// Records values (sleep durations, events) from concurrent code, for tests.
public final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var _values: [Value] = []
    public init() {}
    public func append(_ value: Value) { lock.withLock { _values.append(value) } }
    public var values: [Value] { lock.withLock { _values } }
}

/// A 200 JSON response, for fakes (`jsonResponse(status, json)` with the status left out).
public func jsonResponse(_ json: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
    jsonResponse(200, json, headers: headers)
}
