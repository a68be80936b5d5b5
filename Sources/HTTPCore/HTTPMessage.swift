import Foundation

/// An HTTP method.
public enum HTTPMethod: String, Sendable, Equatable {
    case get = "GET", post = "POST", put = "PUT", delete = "DELETE", patch = "PATCH", head = "HEAD"
}

/// One header field, as it was sent or received.
public struct HTTPField: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) { self.name = name; self.value = value }
}

/// Ordered header fields with case-insensitive lookup.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [HTTPField]

    public init(_ fields: [HTTPField] = []) { self.fields = fields }
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { HTTPField(name: $0.0, value: $0.1) }
    }

    /// The first value of the named field.
    public subscript(name: String) -> String? {
        get { fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value }
        set {
            remove(name)
            if let newValue { fields.append(HTTPField(name: name, value: newValue)) }
        }
    }

    /// Every value of the named field, in order.
    public func values(for name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) { fields.append(HTTPField(name: name, value: value)) }
    public mutating func remove(_ name: String) { fields.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame } }
    public func makeIterator() -> IndexingIterator<[HTTPField]> { fields.makeIterator() }
    public var isEmpty: Bool { fields.isEmpty }
}

/// A request to send. `timeout` bounds the whole exchange; `nil` leaves the transport's default.
public struct HTTPRequest: Sendable, Equatable {
    public var method: HTTPMethod
    public var url: URL
    public var headers: HTTPHeaders
    public var body: Data?
    public var timeout: Duration?

    public init(method: HTTPMethod = .get, url: URL, headers: HTTPHeaders = [:], body: Data? = nil, timeout: Duration? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// A form POST (`application/x-www-form-urlencoded`), as OAuth token endpoints take.
    public static func form(_ url: URL, _ fields: [(String, String)], headers: HTTPHeaders = [:]) -> HTTPRequest {
        var headers = headers
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return HTTPRequest(method: .post, url: url, headers: headers, body: Data(FormEncoding.encode(fields).utf8))
    }

    /// Written without header values or body, so that tokens never reach a log through a request.
    public var redactedDescription: String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.query = nil
        return "\(method.rawValue) \(components?.string ?? "<url>")"
    }
}

/// A response as received: status, headers and the whole (decompressed) body.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The `Retry-After` header in seconds (delta form only; an HTTP date is ignored).
    public var retryAfter: Duration? {
        guard let raw = headers["Retry-After"]?.trimmingCharacters(in: .whitespaces), let seconds = Int(raw), seconds >= 0 else { return nil }
        // Capped at a day so that Duration arithmetic downstream cannot overflow.
        return .seconds(min(seconds, 86_400))
    }
}

/// Anything that can carry a request to a server and bring back its response.
///
/// Implementations throw `TransportError` for failures below HTTP; an HTTP
/// error status is a response, not a thrown error.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
