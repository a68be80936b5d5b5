import Foundation
import Testing
import HTTPCore
import GoogleOAuth
import GmailAPI
import TestSupport
@testable import MailService

/// A store whose refreshed-token writes stop, once armed, until the test lets them go: a credential
/// file another instance holds locked.
final class HeldCredentialStore: CredentialStore, @unchecked Sendable {
    let base: InMemoryCredentialStore
    private let lock = NSLock()
    private var armed = false
    private let release = DispatchSemaphore(value: 0)
    /// Yields once each time a held write has begun.
    let writesBegun: AsyncStream<Void>
    private let begun: AsyncStream<Void>.Continuation

    init(_ accounts: [Credentials]) {
        base = InMemoryCredentialStore(accounts)
        (writesBegun, begun) = AsyncStream.makeStream()
    }

    func hold() { lock.withLock { armed = true } }
    func letGo() { release.signal() }

    func load() throws -> (accounts: [Credentials], lastUsed: String?) { try base.load() }
    func save(_ credentials: Credentials) throws { try base.save(credentials) }
    func remove(userID: String) throws { try base.remove(userID: userID) }
    func saveRefreshed(_ credentials: Credentials, previousRefreshToken: String?) throws -> RefreshedSave {
        if lock.withLock({ armed }) {
            begun.yield()
            release.wait()
        }
        return try base.saveRefreshed(credentials, previousRefreshToken: previousRefreshToken)
    }
}

@Suite struct CredentialWriteTests {
    /// While a refresh's write waits for the credential file, the service goes on answering: the page in
    /// memory comes back at once. Were the write on the actor, the second request would never return.
    @Test(.timeLimit(.minutes(1)))
    func aPageDoesNotWaitForARefreshsDiskWrite() async throws {
        let tokens = Recorder<Int>()
        let transport = FakeTransport.routing([
            route(tokenPath, { _ in
                tokens.append(1)
                return tokenJSON("access-\(tokens.values.count)")
            }),
            route(labelsPath, { request in
                request.headers["Authorization"] == "Bearer access-1" ? unauthorized : jsonResponse(#"{"labels":[]}"#)
            }),
            route(messagesPath + "/", { request in metadataJSON(messageID(request)) }),
            route(messagesPath, { _ in listJSON(["m1"]) }),
        ])
        let credentials = validCredentials(expiresIn: 60)
        let store = HeldCredentialStore([credentials])
        let service = MailService(oauth: OAuthClient(secrets: testSecrets(), transport: transport, retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .zero)),
                                  gmail: GmailClient(transport: transport, apiRoot: apiRoot), store: store, account: credentials,
                                  sleep: { _ in }, clock: { testNow })
        let page = try await service.page(query: "", pageToken: nil, pageSize: 1, cache: .useCached)

        // The labels call gets a 401, refreshes, and its write is held.
        store.hold()
        let labels = Task { try await service.labels() }
        var begun = store.writesBegun.makeAsyncIterator()
        _ = await begun.next()
        #expect(try await service.page(query: "", pageToken: nil, pageSize: 1, cache: .useCached) == page)

        store.letGo()
        _ = try await labels.value
        #expect(try store.load().accounts.first?.accessToken == "access-2", "the refresh is saved once the file is free")
        #expect(tokens.values.count == 2)
    }
}
