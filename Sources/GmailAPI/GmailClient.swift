import Foundation
import HTTPCore
import MIME

/// Gmail REST API v1, as the signed-in user (`users/me`).
///
/// Each REST method lives in its own file (`Messages/List.swift` is
/// `users.messages.list`) and comes in two halves: a static builder that
/// returns a `GmailCall` (so batch can embed it), and an instance method that
/// sends it with a bearer token and decodes the answer.
public struct GmailClient: Sendable {
    public let transport: any HTTPTransport
    /// Everything goes below this root: `gmail/v1/users/...`, `batch/gmail/v1`.
    public let apiRoot: URL
    public init(transport: any HTTPTransport, apiRoot: URL = URL(string: "https://gmail.googleapis.com/")!) {
        self.transport = transport; self.apiRoot = apiRoot
    }

    /// The root as text, always ending in `/`, so that relative paths append cleanly.
    var rootText: String {
        let text = apiRoot.absoluteString
        return text.hasSuffix("/") ? text : text + "/"
    }

    /// The full request for a call, with `Authorization: Bearer`.
    public func request(for call: GmailCall, accessToken: String) -> HTTPRequest {
        var headers: HTTPHeaders = [:]
        headers["Authorization"] = "Bearer \(accessToken)"
        headers["Accept"] = "application/json"
        if call.body != nil { headers["Content-Type"] = "application/json" }
        return HTTPRequest(method: call.method, url: call.url(apiRoot: apiRoot), headers: headers, body: call.body)
    }

    /// Sends a call and returns the successful response; an HTTP error becomes a `GmailError`.
    public func send(_ call: GmailCall, accessToken: String) async throws(GmailError) -> HTTPResponse {
        let response = try await exchange(request(for: call, accessToken: accessToken))
        guard response.isSuccess else { throw GmailError(response: response, secrets: [accessToken]) }
        return response
    }

    /// Sends a call and decodes its JSON answer.
    public func perform<T: Decodable>(_ call: GmailCall, as type: T.Type, accessToken: String) async throws(GmailError) -> T {
        try GmailClient.decode(type, from: try await send(call, accessToken: accessToken))
    }

    /// One HTTP exchange; failures below HTTP become `.transport`.
    func exchange(_ request: HTTPRequest) async throws(GmailError) -> HTTPResponse {
        do {
            return try await transport.send(request)
        } catch TransportError.responseTooLarge(_, let limit) {
            // A decompression bomb or a runaway answer is a bad answer, not a network failure to retry.
            throw .invalidResponse("\(GmailError.tooLargePrefix) than \(limit) bytes once decoded")
        } catch let error as TransportError {
            throw .transport(error)
        } catch is CancellationError {
            throw .transport(.cancelled)
        } catch {
            throw .transport(.other(code: -1, detail: String(describing: error)))
        }
    }

    /// Decodes a response: an error status gives its `GmailError`, a success its JSON body.
    public static func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse) throws(GmailError) -> T {
        guard response.isSuccess else { throw GmailError(response: response) }
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // An empty body, an HTML page from a proxy, a truncated answer: "not JSON" for the user, the rest for the log.
            let start = ServerText.safe(String(decoding: response.body.prefix(120), as: UTF8.self), limit: 80)
            throw .invalidResponse("\(GmailError.notJSONPrefix) (HTTP \(response.status), \(response.body.count) bytes\(start.isEmpty ? "" : ", starting \"\(start)\""))")
        } catch {
            throw .invalidResponse("JSON that does not fit \(type): \(ServerText.safe(String(describing: error), limit: 300))")
        }
    }
}

/// One name=value pair of a query string (repeated names stay repeated).
public struct QueryItem: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// A Gmail REST call, independent of host and token: method, path below `gmail/v1/users/me/`, query,
/// and the JSON body of the methods that change mail.
public struct GmailCall: Sendable, Equatable {
    public var method: HTTPMethod
    /// Below `gmail/v1/users/me/`, segments already escaped (`messages/18c0a1b2c3d4e5f6`).
    public var path: String
    public var query: [QueryItem]
    /// JSON, sent with `Content-Type: application/json`; nil for the methods that take none.
    public var body: Data?

    public init(method: HTTPMethod = .get, path: String, query: [QueryItem] = [], body: Data? = nil) {
        self.method = method; self.path = path; self.query = query; self.body = body
    }

    /// Builds a path from raw segments, escaping each one.
    public init(method: HTTPMethod = .get, segments: [String], query: [QueryItem] = [], body: Data? = nil) {
        self.init(method: method, path: segments.map(FormEncoding.escape).joined(separator: "/"), query: query, body: body)
    }

    /// The encoded query string without `?` (empty when there is none).
    public var queryString: String { FormEncoding.encode(query.map { ($0.name, $0.value) }) }

    /// The path-only form a batch part carries: `/gmail/v1/users/me/messages/ID?format=metadata`.
    public var pathAndQuery: String {
        let path = "/gmail/v1/users/me/" + path
        return query.isEmpty ? path : path + "?" + queryString
    }

    /// The absolute URL below `apiRoot`.
    public func url(apiRoot: URL) -> URL {
        var root = apiRoot.absoluteString
        if !root.hasSuffix("/") { root += "/" }
        let text = root + "gmail/v1/users/me/" + path + (query.isEmpty ? "" : "?" + queryString)
        return URL(string: text) ?? apiRoot
    }
}

extension Array where Element == QueryItem {
    /// Appends `name=value` when the value is present.
    mutating func append(_ name: String, _ value: String?) {
        if let value { append(QueryItem(name, value)) }
    }
    /// Appends `name=value` once per value.
    mutating func append(_ name: String, each values: [String]) {
        for value in values { append(QueryItem(name, value)) }
    }
}
