import Foundation
import HTTPCore
import GmailSandbox

/// An `HTTPTransport` that hands each request to a sandbox's `handle(_:)` in this process: no socket,
/// no port, no libcurl.
///
/// Everything the sandbox does in its handler happens as over a socket (latency, injected faults,
/// the per-user concurrency limit, quota, the request log); what a transport does is kept too: plain
/// `http://` only to loopback, a request for another host finds nobody listening, the request's
/// timeout (and a `RequestDeadline`) ends the wait with `.timedOut`, and cancelling the caller ends it
/// with `.cancelled`. The request log's entries carry no connection, as the sandbox logs in-process
/// requests.
public struct SandboxTransport: HTTPTransport {
    public let sandbox: Sandbox
    /// Where the sandbox answers; requests to any other scheme, host or port are refused.
    public let rootURL: URL
    /// The bound on a request without its own `timeout`, as libcurl's default is in `CurlTransport`.
    public var defaultTimeout: Duration

    /// `rootURL` is where clients are pointed; the sandbox's own root (used for the web client's
    /// redirect) is left as it is.
    public init(_ sandbox: Sandbox, rootURL: URL = SandboxTransport.defaultRoot, defaultTimeout: Duration = .seconds(60)) {
        self.sandbox = sandbox
        self.rootURL = rootURL
        self.defaultTimeout = defaultTimeout
    }

    /// The in-process sandbox's address: the sandbox's own default root.
    public static let defaultRoot = URL(string: "http://127.0.0.1/")!

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Loopback.checkSecure(request.url)
        let host = request.url.host ?? ""
        guard request.url.scheme?.lowercased() == rootURL.scheme?.lowercased(),
              host.lowercased() == rootURL.host?.lowercased(),
              Self.port(request.url) == Self.port(rootURL) else {
            throw TransportError.connectionRefused(host: host)
        }
        if Task.isCancelled { throw TransportError.cancelled }
        var timeout = request.timeout ?? defaultTimeout
        if let left = RequestDeadline.remaining {
            guard left > .zero else { throw TransportError.timedOut(host: host) }
            timeout = min(timeout, left)
        }
        let sandboxRequest = SandboxRequest(
            method: request.method.rawValue, url: request.url.absoluteString,
            headers: request.headers.map { ($0.name, $0.value) }, body: request.body ?? Data())
        let sandbox = self.sandbox
        let limit = timeout
        let answer = try await withThrowingTaskGroup(of: SandboxResponse?.self) { group in
            group.addTask { await sandbox.handle(sandboxRequest) }
            group.addTask {
                // Cancelled once the answer is in; a nil from here means the timeout won.
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        // The sandbox's latency sleep ends early on cancellation, so its answer may be in by then:
        // a cancelled caller still gets `.cancelled`, as from libcurl.
        if Task.isCancelled { throw TransportError.cancelled }
        guard let answer else { throw TransportError.timedOut(host: host) }
        var headers = HTTPHeaders(answer.headers.map { HTTPField(name: $0.0, value: $0.1) })
        if headers["Content-Length"] == nil { headers["Content-Length"] = String(answer.body.count) }
        return HTTPResponse(status: answer.status, headers: headers, body: request.method == .head ? Data() : answer.body)
    }

    private static func port(_ url: URL) -> Int {
        url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
    }
}
