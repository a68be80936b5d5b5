import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import NIOCore
import NIOSSL
import HTTPTypes
import Logging
import ServiceLifecycle
import HTTPCore

/// The request context of the sandbox's server: Hummingbird's basics plus the peer and its connection.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var remoteAddress: String?
    /// `HTTP/2` or `HTTP/1.1`.
    var httpVersion: String
    /// The peer's address and port, which name its TCP connection.
    var connectionId: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let channel = source.channel
        remoteAddress = channel.remoteAddress?.ipAddress
        // An HTTP/2 request arrives on a stream channel whose parent is the connection (whose parent is
        // the listening socket); an HTTP/1.1 request arrives on the connection itself.
        httpVersion = channel.parent?.parent != nil ? "HTTP/2" : "HTTP/1.1"
        connectionId = "\(channel.remoteAddress?.ipAddress ?? "?"):\(channel.remoteAddress?.port ?? 0)"
    }

    /// Batch bodies and raw messages can be large.
    var maxUploadSize: Int { 64 * 1024 * 1024 }
}

/// Adapts Hummingbird requests to `Sandbox.handle` and back.
struct SandboxResponder: HTTPResponder {
    let sandbox: Sandbox
    let tls: Bool

    func respond(to request: Request, context: SandboxRequestContext) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let rawPath = request.uri.path
        var sandboxRequest = SandboxRequest(
            method: request.method.rawValue,
            path: rawPath.removingPercentEncoding ?? rawPath,
            query: FormEncodingBridge.decode(request.uri.query ?? ""),
            headers: request.headers.map { ($0.name.rawName, $0.value) },
            body: Data(buffer.readableBytesView),
            remoteAddress: context.remoteAddress)
        sandboxRequest.connection = SandboxConnection(httpVersion: context.httpVersion, tls: tls, id: context.connectionId)
        let answer = await sandbox.handle(sandboxRequest)
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
        }
        return Response(status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

/// Query decoding shared with `SandboxRequest(url:)`.
enum FormEncodingBridge {
    static func decode(_ s: String) -> [(String, String)] { FormEncoding.decode(s) }
}

/// The sandbox on a loopback port, served by Hummingbird.
public final class SandboxServer: Sendable {
    /// `http://127.0.0.1:PORT/`, or `https://127.0.0.1:PORT/` with `options.tls`.
    public let rootURL: URL
    public let sandbox: Sandbox
    /// The throwaway CA and server certificate when serving HTTPS; nil for plain HTTP.
    public let certificates: SandboxCertificates?
    private let task: Task<Void, any Error>
    /// Runs the server so that `stop()` can shut it down gracefully (see there).
    private let group: ServiceGroup

    private init(rootURL: URL, sandbox: Sandbox, certificates: SandboxCertificates?, task: Task<Void, any Error>, group: ServiceGroup) {
        self.rootURL = rootURL
        self.sandbox = sandbox
        self.certificates = certificates
        self.task = task
        self.group = group
    }

    /// Loads the mailbox, binds 127.0.0.1 (port 0 picks one) and returns once the server accepts connections.
    ///
    /// With `options.tls` it serves HTTPS, offering HTTP/2 and HTTP/1.1 by ALPN, on a certificate from a
    /// CA made for this server alone (`certificates.authorityPEM` is what clients must trust).
    public static func start(_ options: SandboxOptions) async throws -> SandboxServer {
        let sandbox = try Sandbox(options: options)
        let certificates = options.tls ? try SandboxCertificates.make() : nil
        let server: HTTPServerBuilder
        if let certificates {
            server = try .http2Upgrade(tlsConfiguration: certificates.serverConfiguration())
        } else {
            server = .http1()
        }
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: SandboxResponder(sandbox: sandbox, tls: certificates != nil),
            server: server,
            configuration: .init(address: .hostname("127.0.0.1", port: options.port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: {
                var logger = Logger(label: "gmail-sandbox")
                logger.logLevel = .critical
                return logger
            }())
        var lifecycleLogger = Logger(label: "gmail-sandbox.lifecycle")
        lifecycleLogger.logLevel = .critical
        let group = ServiceGroup(configuration: .init(services: [app], logger: lifecycleLogger))
        let task = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var port: Int?
        for await p in portStream { port = p; break }
        guard let port, port > 0 else {
            task.cancel()
            let failure: String
            switch await task.result {
            case .failure(let error): failure = String(describing: error)
            case .success: failure = "the server stopped before it was listening"
            }
            throw SandboxError.cannotListen(failure)
        }
        let root = "\(certificates == nil ? "http" : "https")://127.0.0.1:\(port)/"
        sandbox.rootURL.withLock { $0 = root }
        guard let url = URL(string: root) else { throw SandboxError.cannotListen(root) }
        return SandboxServer(rootURL: url, sandbox: sandbox, certificates: certificates, task: task, group: group)
    }

    /// A client secrets file pointing at this server, for an `installed` or `web` client.
    public func clientSecretsJSON(kind: String) -> Data {
        sandbox.clientSecrets(kind: kind).data
    }

    /// Stops accepting connections and waits for the server to wind down.
    ///
    /// Gracefully: cancelling the serving task while a just-accepted connection is still queued makes NIO trap
    /// ("Deinited NIOAsyncWriter without calling finish()", apple/swift-nio#3481), which ended whole test runs.
    /// Idle keep-alive connections are closed at once; a request still being answered gets `gracePeriod` to
    /// finish before the task is cancelled after all.
    public func stop(gracePeriod: Duration = .seconds(5)) async {
        await group.triggerGracefulShutdown()
        let task = self.task
        let deadline = Task {
            try await Task.sleep(for: gracePeriod)
            task.cancel()
        }
        _ = await task.result
        deadline.cancel()
    }
}
