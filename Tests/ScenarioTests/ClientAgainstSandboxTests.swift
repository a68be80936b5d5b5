import Foundation
import Testing
import HTTPCore
import CurlTransport
import GoogleOAuth
import GmailAPI
import MailService
import GmailSandbox
import TestSupport

/// The real client (libcurl transport, OAuth, Gmail client, MailService) against the sandbox on a loopback port.
///
/// Each test starts its own sandbox on port 0 and stops it at the end.
@Suite struct ClientAgainstSandboxTests {
    /// A sandbox, the client wired to it, and a credential store in a temporary folder.
    struct Fixture {
        let server: SandboxServer
        let transport = CurlTransport()
        let oauth: OAuthClient
        let gmail: GmailClient
        let store: FileCredentialStore
        let folder: URL

        static func start(_ configure: (inout SandboxOptions) -> Void = { _ in }) async throws -> Fixture {
            var options = SandboxOptions()
            configure(&options)
            let server = try await SandboxServer.start(options)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scenario-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let secrets = try ClientSecrets.parse(server.clientSecretsJSON(kind: "installed"), path: "sandbox")
            let transport = CurlTransport()
            return Fixture(
                server: server,
                oauth: OAuthClient(secrets: secrets, transport: transport,
                                   userinfoURL: server.rootURL.appendingPathComponent("oauth2/v2/userinfo"),
                                   retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), jitter: 0)),
                gmail: GmailClient(transport: transport, apiRoot: server.rootURL),
                store: FileCredentialStore(path: folder.appendingPathComponent("credentials.json").path),
                folder: folder)
        }

        func stop() async {
            await server.stop()
            try? FileManager.default.removeItem(at: folder)
        }

        /// The whole browser dance: the loopback listener, the consent page's redirect followed by hand
        /// (as a browser does), the code exchanged with PKCE, userinfo, and the credentials stored.
        func authorize(loginHint: String? = nil, forceConsent: Bool = true) async throws -> Credentials {
            let listener = try RedirectListener.start()
            defer { listener.stop() }
            let request = oauth.makeAuthorizationRequest(redirectURI: listener.redirectURI, loginHint: loginHint, forceConsent: forceConsent)
            async let callback = listener.waitForCallback(expectedState: request.state, timeout: .seconds(30))
            let consent = try await transport.send(HTTPRequest(url: request.url))
            #expect(consent.status == 302)
            let location = try #require(consent.headers["Location"].flatMap(URL.init(string:)))
            #expect(location.absoluteString.hasPrefix(listener.redirectURI))
            let landing = try await transport.send(HTTPRequest(url: location))
            #expect(landing.status == 200)
            let code = try OAuthClient.code(fromCallbackQuery: try await callback, for: request)
            return try await oauth.completeAuthorization(code: code, for: request, store: store)
        }

        func service(_ account: Credentials) -> MailService {
            MailService(oauth: oauth, gmail: gmail, store: store, account: account,
                        retryPolicy: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50), jitter: 1))
        }

        func paths() -> [String] { server.sandbox.requestLog().map(\.path) }
    }

    @Test func authorizeWithPKCEAndStateThenListPages() async throws {
        let f = try await Fixture.start()
        defer { Task { await f.stop() } }
        let account = try await f.authorize()
        #expect(account.email == Sandbox.defaultUserEmail)
        #expect(account.refreshToken != nil)
        #expect(try f.store.account(email: nil)?.userID == account.userID)

        let mail = f.service(account)
        var ids: [String] = []
        var token: String? = nil
        var pages = 0
        repeat {
            let page = try await mail.page(query: "in:inbox", pageToken: token, pageSize: 20, cache: .reload)
            #expect(page.messages.count <= 20)
            ids += page.messages.map(\.id)
            token = page.nextPageToken
            pages += 1
        } while token != nil && pages < 50
        #expect(pages > 1)
        #expect(Set(ids).count == ids.count, "pages overlap")
        let dates = try await mail.page(query: "in:inbox", pageToken: nil, pageSize: 50, cache: .reload).messages.compactMap(\.date)
        #expect(dates == dates.sorted(by: >), "newest first")
    }

    @Test func storedCredentialsSurviveARestart() async throws {
        let f = try await Fixture.start()
        defer { Task { await f.stop() } }
        let account = try await f.authorize()
        // A new store on the same file, as the next run of gmail-tui would open it.
        let reopened = FileCredentialStore(path: f.store.path)
        let stored = try #require(try reopened.account(email: account.email))
        #expect(stored.refreshToken == account.refreshToken)
        let page = try await f.service(stored).page(query: "is:unread", pageToken: nil, pageSize: 5, cache: .reload)
        #expect(!page.messages.isEmpty)
    }

    @Test func expiredAccessTokenIsFixedByARefresh() async throws {
        let f = try await Fixture.start()
        defer { Task { await f.stop() } }
        let account = try await f.authorize()
        let mail = f.service(account)
        _ = try await mail.page(query: "is:unread", pageToken: nil, pageSize: 5, cache: .reload)
        f.server.sandbox.expireAccessTokens()
        let before = f.paths().filter { $0.hasSuffix("/token") }.count
        let page = try await mail.page(query: "is:unread", pageToken: nil, pageSize: 5, cache: .reload)
        #expect(!page.messages.isEmpty)
        #expect(f.paths().filter { $0.hasSuffix("/token") }.count == before + 1, "one refresh")
        // The refreshed token was saved, and the refresh token kept.
        let stored = try #require(try f.store.account(email: account.email))
        #expect(stored.accessToken != account.accessToken)
        #expect(stored.refreshToken == account.refreshToken)
    }

    @Test func revocationAsksForReauthorizationThenTheRetrySucceeds() async throws {
        let f = try await Fixture.start()
        defer { Task { await f.stop() } }
        let account = try await f.authorize()
        let mail = f.service(account)
        _ = try await mail.page(query: "is:unread", pageToken: nil, pageSize: 5, cache: .reload)
        f.server.sandbox.revokeGrants(email: account.email)
        await #expect(throws: MailServiceError.reauthorizationRequired(email: account.email, reason: .grantRevoked)) {
            _ = try await mail.page(query: "is:unread", pageToken: nil, pageSize: 5, cache: .reload)
        }
        // Authorize again (login_hint set), hand the new grant to the same service, rerun the failed request.
        let renewed = try await f.authorize(loginHint: account.email)
        #expect(renewed.userID == account.userID)
        await mail.replaceAccount(renewed)
        let page = try await mail.page(query: "is:unread", pageToken: nil, pageSize: 5, cache: .reload)
        #expect(!page.messages.isEmpty)
    }

    @Test func rateLimitIsRetriedWithBackoff() async throws {
        let f = try await Fixture.start()
        defer { Task { await f.stop() } }
        let account = try await f.authorize()
        f.server.sandbox.failNext(pathContaining: "/gmail/v1/users/me/messages", status: 429, count: 2)
        let page = try await f.service(account).page(query: "is:unread", pageToken: nil, pageSize: 10, cache: .reload)
        #expect(page.messages.count == 10)
        #expect(f.server.sandbox.requestLog().filter { $0.status == 429 }.count == 2)
    }

    @Test func notFoundIsNotRetried() async throws {
        let f = try await Fixture.start()
        defer { Task { await f.stop() } }
        let account = try await f.authorize()
        await #expect(throws: MailServiceError.notFound) {
            _ = try await f.service(account).message(id: "00000000deadbeef", cache: .reload)
        }
        #expect(f.paths().filter { $0.contains("00000000deadbeef") }.count == 1)
    }

    @Test func batchWithADeletedMessageAnswers404ForThatPart() async throws {
        let f = try await Fixture.start()
        defer { Task { await f.stop() } }
        let account = try await f.authorize()
        let token = try #require(account.accessToken)
        let list = try await f.gmail.messagesList(MessagesListParameters(maxResults: 3), accessToken: token)
        var ids = (list.messages ?? []).map(\.id)
        ids.insert("00000000deadbeef", at: 1)
        let results = try await f.gmail.messagesGetBatch(ids.map { MessagesGetParameters.summary(id: $0) }, accessToken: token)
        #expect(results.count == 4)
        for (i, result) in results.enumerated() {
            switch result {
            case .success(let message): #expect(i != 1 && message.id == ids[i])
            case .failure(let error): #expect(i == 1 && error == .notFound("Requested entity was not found."))
            }
        }
    }

    @Test func emptyResultIsAnEmptyPage() async throws {
        let f = try await Fixture.start()
        defer { Task { await f.stop() } }
        let account = try await f.authorize()
        let page = try await f.service(account).page(query: "subject:zzqqxx-no-such-subject", pageToken: nil, pageSize: 50, cache: .reload)
        #expect(page.messages.isEmpty)
        #expect(page.nextPageToken == nil)
        #expect(page.resultSizeEstimate == 0)
    }

    @Test func openedMessageHasItsBodyText() async throws {
        let f = try await Fixture.start()
        defer { Task { await f.stop() } }
        let account = try await f.authorize()
        let mail = f.service(account)
        let first = try #require(try await mail.page(query: "in:inbox", pageToken: nil, pageSize: 5, cache: .reload).messages.first)
        let detail = try await mail.message(id: first.id, cache: .reload)
        #expect(detail.id == first.id)
        #expect(detail.subject == first.subject)
        #expect(!detail.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func deniedConsentIsReported() async throws {
        let f = try await Fixture.start()
        defer { Task { await f.stop() } }
        f.server.sandbox.addUser(email: "refuses@example.com", denyConsent: true)
        await #expect(throws: OAuthError.authorizationDenied("access_denied")) {
            _ = try await f.authorize(loginHint: "refuses@example.com")
        }
    }
}
