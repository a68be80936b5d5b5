import Foundation
import Testing
import HTTPCore
import GoogleOAuth
import GmailAPI
import MailService
import GmailSandbox
import TestSupport

/// The real client (OAuth, Gmail client, MailService) against the sandbox, each scenario twice: through
/// the sandbox's handler in process, and over libcurl to its server on a loopback port.
///
/// Each run starts its own sandbox and authorizes as a user would; `withSandboxClient` stops it before the
/// test returns.
@Suite struct ClientAgainstSandboxTests {
    static let transports: [SandboxTransportKind] = [.inProcess, .curl]

    /// Authorized through the consent page, credentials in a file as the app keeps them, quick retries.
    static let options = SandboxClientOptions.with {
        $0.account = .authorized
        $0.store = .file
        $0.retryPolicy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(5), maxDelay: .milliseconds(50), jitter: 1)
    }

    @Test(arguments: transports) func authorizeWithPKCEAndStateThenListPages(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.options) { f in
            let account = f.account
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
    }

    @Test(arguments: transports) func storedCredentialsSurviveARestart(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.options) { f in
            let account = f.account
            // A new store on the same file, as the next run of gmail-tui would open it.
            let reopened = FileCredentialStore(path: f.folder.credentials.path)
            let stored = try #require(try reopened.account(email: account.email))
            #expect(stored.refreshToken == account.refreshToken)
            let page = try await f.service(stored).page(query: "is:unread", pageToken: nil, pageSize: 5, cache: .reload)
            #expect(!page.messages.isEmpty)
        }
    }

    @Test(arguments: transports) func expiredAccessTokenIsFixedByARefresh(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.options) { f in
            let account = f.account
            let mail = f.mail
            _ = try await mail.page(query: "is:unread", pageToken: nil, pageSize: 5, cache: .reload)
            f.sandbox.expireAccessTokens()
            let before = f.paths().filter { $0.hasSuffix("/token") }.count
            let page = try await mail.page(query: "is:unread", pageToken: nil, pageSize: 5, cache: .reload)
            #expect(!page.messages.isEmpty)
            #expect(f.paths().filter { $0.hasSuffix("/token") }.count == before + 1, "one refresh")
            // The refreshed token was saved, and the refresh token kept.
            let stored = try #require(try f.store.account(email: account.email))
            #expect(stored.accessToken != account.accessToken)
            #expect(stored.refreshToken == account.refreshToken)
        }
    }

    @Test(arguments: transports) func revocationAsksForReauthorizationThenTheRetrySucceeds(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.options) { f in
            let account = f.account
            let mail = f.mail
            _ = try await mail.page(query: "is:unread", pageToken: nil, pageSize: 5, cache: .reload)
            f.sandbox.revokeGrants(email: account.email)
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
    }

    @Test(arguments: transports) func rateLimitIsRetriedWithBackoff(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.options) { f in
            let account = f.account
            f.sandbox.failNext(pathContaining: "/gmail/v1/users/me/messages", status: 429, count: 2)
            let page = try await f.service(account).page(query: "is:unread", pageToken: nil, pageSize: 10, cache: .reload)
            #expect(page.messages.count == 10)
            #expect(f.sandbox.requestLog().filter { $0.status == 429 }.count == 2)
        }
    }

    @Test(arguments: transports) func notFoundIsNotRetried(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.options) { f in
            let account = f.account
            await #expect(throws: MailServiceError.notFound) {
                _ = try await f.service(account).message(id: "00000000deadbeef", cache: .reload)
            }
            #expect(f.paths().filter { $0.contains("00000000deadbeef") }.count == 1)
        }
    }

    @Test(arguments: transports) func batchWithADeletedMessageAnswers404ForThatPart(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.options) { f in
            let account = f.account
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
    }

    @Test(arguments: transports) func emptyResultIsAnEmptyPage(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.options) { f in
            let account = f.account
            let page = try await f.service(account).page(query: "subject:zzqqxx-no-such-subject", pageToken: nil, pageSize: 50, cache: .reload)
            #expect(page.messages.isEmpty)
            #expect(page.nextPageToken == nil)
            #expect(page.resultSizeEstimate == 0)
        }
    }

    @Test(arguments: transports) func openedMessageHasItsBodyText(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.options) { f in
            let mail = f.mail
            let first = try #require(try await mail.page(query: "in:inbox", pageToken: nil, pageSize: 5, cache: .reload).messages.first)
            let detail = try await mail.message(id: first.id, cache: .reload)
            #expect(detail.id == first.id)
            #expect(detail.subject == first.subject)
            #expect(!detail.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        }
    }

    @Test(arguments: transports) func deniedConsentIsReported(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.options) { f in
            f.sandbox.addUser(email: "refuses@example.com", denyConsent: true)
            await #expect(throws: OAuthError.authorizationDenied("access_denied")) {
                _ = try await f.authorize(loginHint: "refuses@example.com")
            }
        }
    }
}
