import Foundation
import Hummingbird
import NIOCore
import HTTPTypes
import Logging
import HTTPCore

/// The request context of the sandbox's server: Hummingbird's basics plus the peer address.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var remoteAddress: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Batch bodies and raw messages can be large.
    var maxUploadSize: Int { 64 * 1024 * 1024 }
}

/// Adapts Hummingbird requests to `Sandbox.handle` and back.
struct SandboxResponder: HTTPResponder {
    let sandbox: Sandbox

    func respond(to request: Request, context: SandboxRequestContext) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let rawPath = request.uri.path
        let sandboxRequest = SandboxRequest(
            method: request.method.rawValue,
            path: rawPath.removingPercentEncoding ?? rawPath,
            query: FormEncodingBridge.decode(request.uri.query ?? ""),
            headers: request.headers.map { ($0.name.rawName, $0.value) },
            body: Data(buffer.readableBytesView),
            remoteAddress: context.remoteAddress)
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

// PUBLIC INTERFACE (fixed by the sandbox brief; others code against it).

/// The sandbox on a loopback port, served by Hummingbird.
public final class SandboxServer: Sendable {
    /// `http://127.0.0.1:PORT/`.
    public let rootURL: URL
    public let sandbox: Sandbox
    private let task: Task<Void, any Error>

    private init(rootURL: URL, sandbox: Sandbox, task: Task<Void, any Error>) {
        self.rootURL = rootURL
        self.sandbox = sandbox
        self.task = task
    }

    /// Loads the mailbox, binds 127.0.0.1 (port 0 picks one) and returns once the server accepts connections.
    public static func start(_ options: SandboxOptions) async throws -> SandboxServer {
        let sandbox = try Sandbox(options: options)
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: SandboxResponder(sandbox: sandbox),
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
        let task = Task {
            defer { portContinuation.finish() }
            try await app.run()
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
        let root = "http://127.0.0.1:\(port)/"
        sandbox.rootURL.withLock { $0 = root }
        guard let url = URL(string: root) else { throw SandboxError.cannotListen(root) }
        return SandboxServer(rootURL: url, sandbox: sandbox, task: task)
    }

    /// A client secrets file pointing at this server, for an `installed` or `web` client.
    public func clientSecretsJSON(kind: String) -> Data {
        sandbox.clientSecrets(kind: kind).data
    }

    /// Stops accepting connections and waits for the server to wind down.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}
