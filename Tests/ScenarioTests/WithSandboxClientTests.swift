import Foundation
import Testing
import HTTPCore
import CurlTransport
import GoogleOAuth
import GmailSandbox
import TestSupport

/// `withSandboxClient` owns what it sets up: nothing it started outlives the call, whichever way it ends.
@Suite struct WithSandboxClientTests {
    struct Planned: Error {}

    /// What a scenario leaves behind to look at once the call is over.
    struct Left: Sendable {
        var root: URL
        var folder: URL
    }

    static func profile(_ root: URL, token: String) -> HTTPRequest {
        HTTPRequest(url: root.appendingPathComponent("gmail/v1/users/me/profile"), headers: ["Authorization": "Bearer \(token)"],
                    timeout: .seconds(5))
    }

    @Test func theServerIsStoppedAndTheFolderRemovedWhenTheBodyReturns() async throws {
        let left = try await withSandboxClient(.curl) { client in
            let token = try #require(client.account.accessToken)
            #expect(try await client.transport.send(Self.profile(client.rootURL, token: token)).status == 200)
            #expect(FileManager.default.fileExists(atPath: client.folder.clientSecrets.path))
            return Left(root: client.rootURL, folder: client.folder.url)
        }
        #expect(!FileManager.default.fileExists(atPath: left.folder.path))
        await #expect(throws: TransportError.connectionRefused(host: "127.0.0.1")) {
            _ = try await CurlTransport().send(Self.profile(left.root, token: "any"))
        }
    }

    @Test func theServerIsStoppedAndTheFolderRemovedWhenTheBodyThrows() async throws {
        let seen = Locked<Left?>(nil)
        await #expect(throws: Planned.self) {
            try await withSandboxClient(.curl) { client in
                seen.set(Left(root: client.rootURL, folder: client.folder.url))
                throw Planned()
            }
        }
        let left = try #require(seen.get())
        #expect(!FileManager.default.fileExists(atPath: left.folder.path))
        await #expect(throws: TransportError.connectionRefused(host: "127.0.0.1")) {
            _ = try await CurlTransport().send(Self.profile(left.root, token: "any"))
        }
    }

    @Test(arguments: [SandboxTransportKind.inProcess, .curl])
    func aMintedAccountIsStoredAndServedWithoutTheConsentPage(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind) { client in
            #expect(try client.store.account(email: nil) == client.account)
            // Its refresh token is one the sandbox honours.
            let refreshed = try await client.oauth.refresh(credentials: client.account)
            #expect(refreshed.accessToken != client.account.accessToken)
            let page = try await client.mail.page(query: "in:inbox", pageToken: nil, pageSize: 3, cache: .reload)
            #expect(page.messages.count == 3)
            #expect(!client.paths().contains { $0.hasPrefix("/o/oauth2") })
            #expect(client.server == nil ? kind == .inProcess : kind == .curl)
        }
    }

    @Test(arguments: [SandboxTransportKind.inProcess, .curl])
    func anAuthorizedAccountWentThroughConsentAndTheCodeExchange(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, .with { $0.account = .authorized; $0.store = .file }) { client in
            #expect(client.account.refreshToken != nil)
            let stored = try FileCredentialStore(path: client.folder.credentials.path).account(email: nil)
            #expect(stored?.userID == Sandbox.defaultUserId)
            let asked = client.paths().map { $0.split(separator: "?").first.map(String.init) ?? $0 }
            #expect(asked == ["/o/oauth2/auth", "/token", "/oauth2/v2/userinfo"])
        }
    }
}

/// A value behind a lock, for what a closure sees and a test reads after it.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
