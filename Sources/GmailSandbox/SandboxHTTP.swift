import Foundation
import HTTPCore

/// One HTTP request as the sandbox sees it, without a socket.
public struct SandboxRequest: Sendable {
    public var method: String
    /// The path alone, percent-decoded, without the query.
    public var path: String
    /// Decoded query fields, repeated keys kept in order.
    public var query: [(String, String)]
    public var headers: [(String, String)]
    public var body: Data
    /// The peer's address when it came through a socket; `nil` in process (treated as loopback).
    public var remoteAddress: String?
    /// The connection it came through, for the request log; `nil` in process.
    public var connection: SandboxConnection? = nil

    public init(method: String, path: String, query: [(String, String)] = [], headers: [(String, String)] = [], body: Data = Data(), remoteAddress: String? = nil) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// A request from a URL or path-and-query string (`/gmail/v1/users/me/messages?q=is:unread`).
    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: Data = Data()) {
        var target = url
        if let schemeEnd = target.range(of: "://") {
            let rest = target[schemeEnd.upperBound...]
            target = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        }
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        let pathPart: String
        let queryPart: String
        if let q = target.firstIndex(of: "?") {
            pathPart = String(target[..<q])
            queryPart = String(target[target.index(after: q)...])
        } else {
            pathPart = target
            queryPart = ""
        }
        self.init(method: method, path: pathPart.removingPercentEncoding ?? pathPart, query: FormEncoding.decode(queryPart), headers: headers, body: body)
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The first value of a query field.
    public func queryValue(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    /// Every value of a repeated query field.
    public func queryValues(_ name: String) -> [String] { query.filter { $0.0 == name }.map(\.1) }

    /// Form fields of an `application/x-www-form-urlencoded` body.
    var formFields: [(String, String)] { FormEncoding.decode(String(decoding: body, as: UTF8.self)) }
}

/// One HTTP response as the sandbox produces it.
public struct SandboxResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    static func json(_ status: Int, _ value: JSON, headers: [(String, String)] = []) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "application/json; charset=UTF-8")] + headers, body: value.data)
    }

    static func html(_ status: Int, _ text: String, headers: [(String, String)] = []) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")] + headers, body: Data(text.utf8))
    }
}

/// HTTP reason phrases for the statuses the sandbox produces.
enum ReasonPhrase {
    static func of(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 302: "Found"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }
}
