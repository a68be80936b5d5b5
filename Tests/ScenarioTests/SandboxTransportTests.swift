import Foundation
import Testing
import HTTPCore
import GmailSandbox
import TestSupport

/// The in-memory transport answers as the sandbox's handler does, and fails as a transport does.
@Suite struct SandboxTransportTests {
    static func profileRequest(_ sandbox: Sandbox, root: URL = SandboxTransport.defaultRoot, timeout: Duration? = nil) -> HTTPRequest {
        let token = sandbox.issueAccessToken(scopes: [SandboxScope.readonly])
        return HTTPRequest(url: root.appendingPathComponent("gmail/v1/users/me/profile"),
                           headers: ["Authorization": "Bearer \(token)"], timeout: timeout)
    }

    @Test func aRequestReachesTheHandlerAndItsAnswerComesBack() async throws {
        let sandbox = try Sandbox(options: SandboxOptions())
        let transport = SandboxTransport(sandbox)
        let response = try await transport.send(Self.profileRequest(sandbox))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"]?.hasPrefix("application/json") == true)
        #expect(response.bodyText.contains(Sandbox.defaultUserEmail))
        #expect(response.headers["Content-Length"] == String(response.body.count))
        let log = sandbox.requestLog()
        #expect(log.map(\.path) == ["/gmail/v1/users/me/profile"])
        #expect(log.first?.connection == nil, "no socket, no connection")
    }

    @Test func queryAndFormBodyArriveDecoded() async throws {
        let sandbox = try Sandbox(options: SandboxOptions())
        let transport = SandboxTransport(sandbox)
        let token = sandbox.issueAccessToken(scopes: [SandboxScope.readonly])
        var components = URLComponents(string: "http://127.0.0.1/gmail/v1/users/me/messages")!
        components.queryItems = [URLQueryItem(name: "q", value: "subject:\"no such thing\""), URLQueryItem(name: "maxResults", value: "3")]
        let list = try await transport.send(HTTPRequest(url: components.url!, headers: ["Authorization": "Bearer \(token)"]))
        #expect(list.status == 200)
        #expect(list.bodyText.contains("\"resultSizeEstimate\": 0") || list.bodyText.contains("\"resultSizeEstimate\":0"))
        // A token endpoint with a form body: a bad grant is Google's invalid_grant, not a parse failure.
        let refresh = try await transport.send(.form(URL(string: "http://127.0.0.1/token")!, [
            ("grant_type", "refresh_token"), ("refresh_token", "1//no-such-token"),
            ("client_id", Sandbox.installedClientId), ("client_secret", Sandbox.clientSecret),
        ]))
        #expect(refresh.status == 400)
        #expect(refresh.bodyText.contains("invalid_grant"))
    }

    @Test func injectedFaultsAndTheConcurrencyLimitApply() async throws {
        let sandbox = try Sandbox(options: SandboxOptions())
        let transport = SandboxTransport(sandbox)
        sandbox.failNext(pathContaining: "/profile", status: 503, count: 1)
        #expect(try await transport.send(Self.profileRequest(sandbox)).status == 503)
        #expect(try await transport.send(Self.profileRequest(sandbox)).status == 200)
        // Three at once against a limit of two, each held by latency: one is refused with Gmail's 429.
        sandbox.setLimits(maxConcurrentPerUser: 2)
        sandbox.setLatency(.milliseconds(300))
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 { group.addTask { try await transport.send(Self.profileRequest(sandbox)).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.sorted() == [200, 200, 429])
        #expect(sandbox.stats().tooManyRequests == 1)
    }

    @Test func aSlowAnswerEndsWithTheRequestsTimeout() async throws {
        var options = SandboxOptions()
        options.latency = .seconds(30)
        let sandbox = try Sandbox(options: options)
        let transport = SandboxTransport(sandbox)
        await #expect(throws: TransportError.timedOut(host: "127.0.0.1")) {
            _ = try await transport.send(Self.profileRequest(sandbox, timeout: .milliseconds(50)))
        }
        await #expect(throws: TransportError.timedOut(host: "127.0.0.1")) {
            try await RequestDeadline.$current.withValue(.now - .seconds(1)) {
                _ = try await transport.send(Self.profileRequest(sandbox))
            }
        }
    }

    @Test func cancellingTheCallerEndsTheWait() async throws {
        var options = SandboxOptions()
        options.latency = .seconds(30)
        let sandbox = try Sandbox(options: options)
        let transport = SandboxTransport(sandbox)
        let request = Self.profileRequest(sandbox)
        let task = Task { try await transport.send(request) }
        task.cancel()
        await #expect(throws: TransportError.cancelled) { _ = try await task.value }
    }

    @Test func otherHostsAndPlainHTTPOffLoopbackAreRefused() async throws {
        let sandbox = try Sandbox(options: SandboxOptions())
        let transport = SandboxTransport(sandbox, rootURL: URL(string: "http://127.0.0.1:8765/")!)
        await #expect(throws: TransportError.connectionRefused(host: "127.0.0.1")) {
            _ = try await transport.send(Self.profileRequest(sandbox))
        }
        #expect(try await transport.send(Self.profileRequest(sandbox, root: transport.rootURL)).status == 200)
        await #expect(throws: TransportError.insecureURL(host: "gmail.googleapis.com")) {
            _ = try await transport.send(HTTPRequest(url: URL(string: "http://gmail.googleapis.com/gmail/v1/users/me/profile")!))
        }
        #expect(sandbox.requestLog().count == 1, "refused requests never reach the sandbox")
    }
}
