import Foundation
import HTTPCore
import Testing
@testable import GoogleOAuth
import TestSupport

@Suite struct TokenCallTests {
    let request = AuthorizationRequest(url: URL(string: "https://x.example/")!, state: "st", pkce: PKCE(verifier: String(repeating: "v", count: 64)),
                                       redirectURI: "http://127.0.0.1:5555/", loginHint: nil, forcedConsent: false)

    @Test func exchangeSendsTheDocumentedFormAndReadsTheAnswer() async throws {
        let fake = FakeTransport { _ in
            jsonResponse(200, #"{"access_token":"ya29.a","expires_in":3599,"token_type":"Bearer","scope":"email profile","refresh_token":"1//r","id_token":"x","unknown":{"a":1}}"#)
        }
        let tokens = try await makeClient(fake).exchange(code: "4/0Ab", for: request)
        #expect(tokens == TokenResponse(accessToken: "ya29.a", expiresIn: 3599, refreshToken: "1//r", scope: "email profile", tokenType: "Bearer"))
        let sent = try #require(fake.requests.first)
        #expect(sent.method == .post)
        #expect(sent.url == testSecrets.tokenURI)
        #expect(sent.headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(formFields(sent) == [
            "code": "4/0Ab", "client_id": testSecrets.clientID, "client_secret": testSecrets.clientSecret,
            "redirect_uri": "http://127.0.0.1:5555/", "grant_type": "authorization_code", "code_verifier": request.pkce.verifier,
        ])
    }

    @Test func refreshSendsTheDocumentedFormAndAcceptsStringExpiry() async throws {
        let fake = FakeTransport { _ in jsonResponse(200, #"{"access_token":"ya29.b","expires_in":"3920","token_type":"Bearer"}"#) }
        let tokens = try await makeClient(fake).refresh(refreshToken: "1//old")
        #expect(tokens.expiresIn == 3920)
        #expect(tokens.refreshToken == nil)
        #expect(formFields(try #require(fake.requests.first)) == [
            "grant_type": "refresh_token", "client_id": testSecrets.clientID,
            "client_secret": testSecrets.clientSecret, "refresh_token": "1//old",
        ])
    }

    @Test func missingAccessTokenIsAnInvalidResponse() async {
        let fake = FakeTransport { _ in jsonResponse(200, #"{"expires_in":3599}"#) }
        await #expect(throws: OAuthError.invalidResponse("token answer has no access_token")) {
            try await makeClient(fake).refresh(refreshToken: "r")
        }
    }

    /// Every row of docs/wire.md §2's error table, on exchange and on refresh.
    @Test(arguments: [
        (400, #"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#,
         OAuthError.codeRejected("Token has been expired or revoked."), OAuthError.grantRevoked("Token has been expired or revoked.")),
        (400, #"{"error":"invalid_grant","error_description":"Bad Request"}"#,
         .codeRejected("Bad Request"), .grantRevoked("Bad Request")),
        (400, #"{"error":"invalid_grant","error_description":"Bad Request","error_subtype":"invalid_rapt"}"#,
         .codeRejected("Bad Request (invalid_rapt)"), .grantRevoked("Bad Request (invalid_rapt)")),
        (401, #"{"error":"invalid_client","error_description":"The OAuth client was not found."}"#,
         .clientMisconfigured(error: "invalid_client", description: "The OAuth client was not found."),
         .clientMisconfigured(error: "invalid_client", description: "The OAuth client was not found.")),
        (401, #"{"error":"invalid_client","error_description":"Unauthorized"}"#,
         .clientMisconfigured(error: "invalid_client", description: "Unauthorized"),
         .clientMisconfigured(error: "invalid_client", description: "Unauthorized")),
        (401, #"{"error":"deleted_client","error_description":"The OAuth client was deleted."}"#,
         .clientMisconfigured(error: "deleted_client", description: "The OAuth client was deleted."),
         .clientMisconfigured(error: "deleted_client", description: "The OAuth client was deleted.")),
        (400, #"{"error":"redirect_uri_mismatch","error_description":"Bad Request"}"#,
         .clientMisconfigured(error: "redirect_uri_mismatch", description: "Bad Request"),
         .clientMisconfigured(error: "redirect_uri_mismatch", description: "Bad Request")),
        (400, #"{"error":"unauthorized_client","error_description":"Unauthorized"}"#,
         .clientMisconfigured(error: "unauthorized_client", description: "Unauthorized"),
         .clientMisconfigured(error: "unauthorized_client", description: "Unauthorized")),
        (401, #"{"error":"unauthorized_client","error_description":"Unauthorized"}"#,
         .clientMisconfigured(error: "unauthorized_client", description: "Unauthorized"),
         .clientMisconfigured(error: "unauthorized_client", description: "Unauthorized")),
        (400, #"{"error":"invalid_request","error_description":"client_secret is missing."}"#,
         .invalidRequest("invalid_request: client_secret is missing."), .invalidRequest("invalid_request: client_secret is missing.")),
        (403, "", .invalidRequest("HTTP 403"), .invalidRequest("HTTP 403")),
    ])
    func tokenEndpointErrorsAreMapped(status: Int, body: String, onExchange: OAuthError, onRefresh: OAuthError) async {
        let fake = FakeTransport { _ in jsonResponse(status, body) }
        let client = makeClient(fake)
        await #expect(throws: onExchange) { try await client.exchange(code: "c", for: request) }
        await #expect(throws: onRefresh) { try await client.refresh(refreshToken: "r") }
        #expect(fake.requests.count == 2, "a definite refusal is not retried")
    }

    @Test func a503IsRetriedThenSucceeds() async throws {
        let calls = Counter()
        let fake = FakeTransport { _ in
            calls.next() < 2 ? jsonResponse(503, #"{"error":"temporarily_unavailable"}"#)
                             : jsonResponse(200, #"{"access_token":"ya29.c","expires_in":3599}"#)
        }
        let tokens = try await makeClient(fake).refresh(refreshToken: "r")
        #expect(tokens.accessToken == "ya29.c")
        #expect(fake.requests.count == 3)
    }

    @Test(arguments: [500, 503, 504, 408, 429])
    func persistentServerErrorsEndAsServerAfterThreeAttempts(status: Int) async {
        let fake = FakeTransport { _ in jsonResponse(status, "{}") }
        await #expect(throws: OAuthError.server(status: status)) { try await makeClient(fake).refresh(refreshToken: "r") }
        #expect(fake.requests.count == 3)
    }

    @Test(arguments: ["temporarily_unavailable", "server_error", "internal_failure"])
    func transientErrorCodesIn4xxAreRetried(code: String) async throws {
        let calls = Counter()
        let fake = FakeTransport { _ in
            calls.next() == 0 ? jsonResponse(400, #"{"error":"\#(code)"}"#) : jsonResponse(200, #"{"access_token":"ok"}"#)
        }
        #expect(try await makeClient(fake).refresh(refreshToken: "r").accessToken == "ok")
        #expect(fake.requests.count == 2)
    }

    @Test func aNetworkFailureDuringRefreshIsNetworkNotARevokedGrant() async {
        let fake = FakeTransport { _ in throw TransportError.dnsFailure(host: "oauth2.example.com") }
        await #expect(throws: OAuthError.network(.dnsFailure(host: "oauth2.example.com"))) {
            try await makeClient(fake).refresh(refreshToken: "r")
        }
        #expect(fake.requests.count == 3, "transport failures are retried")
    }

    @Test func aNetworkBlipIsRetriedThenSucceeds() async throws {
        let calls = Counter()
        let fake = FakeTransport { _ in
            if calls.next() == 0 { throw TransportError.connectionLost(host: "h", detail: "reset") }
            return jsonResponse(200, #"{"access_token":"ok"}"#)
        }
        #expect(try await makeClient(fake).refresh(refreshToken: "r").accessToken == "ok")
    }

    @Test func anInsecureURLIsNotRetried() async {
        let fake = FakeTransport { _ in throw TransportError.insecureURL(host: "evil.example") }
        await #expect(throws: OAuthError.network(.insecureURL(host: "evil.example"))) { try await makeClient(fake).refresh(refreshToken: "r") }
        #expect(fake.requests.count == 1)
    }

    @Test func userInfoSendsBearerAndReadsIdAndEmail() async throws {
        let fake = FakeTransport { _ in jsonResponse(200, #"{"id":"1234","email":"ann@example.com","verified_email":true,"name":"Ann"}"#) }
        let info = try await makeClient(fake).userInfo(accessToken: "ya29.t")
        #expect(info == UserInfo(id: "1234", email: "ann@example.com", name: "Ann"))
        let sent = try #require(fake.requests.first)
        #expect(sent.method == .get)
        #expect(sent.url.absoluteString == "https://www.example.com/oauth2/v2/userinfo")
        #expect(sent.headers["Authorization"] == "Bearer ya29.t")
    }

    @Test func userInfo401IsUnauthorized() async {
        let fake = FakeTransport { _ in jsonResponse(401, #"{"error":{"code":401,"status":"UNAUTHENTICATED"}}"#) }
        await #expect(throws: OAuthError.unauthorized) { try await makeClient(fake).userInfo(accessToken: "t") }
        #expect(fake.requests.count == 1)
    }

    @Test func revokePostsTheTokenToTheRevocationEndpoint() async throws {
        let fake = FakeTransport { _ in HTTPResponse(status: 200) }
        try await makeClient(fake).revoke(token: "1//r")
        let sent = try #require(fake.requests.first)
        #expect(sent.url.absoluteString == "https://oauth2.example.com/revoke")
        #expect(formFields(sent) == ["token": "1//r"])
    }

    @Test func revokingAnAlreadyDeadTokenSucceedsButOtherErrorsThrow() async throws {
        let dead = FakeTransport { _ in jsonResponse(400, #"{"error":"invalid_token","error_description":"Token expired or revoked"}"#) }
        try await makeClient(dead).revoke(token: "t")
        let bad = FakeTransport { _ in jsonResponse(401, #"{"error":"invalid_client","error_description":"Unauthorized"}"#) }
        await #expect(throws: OAuthError.clientMisconfigured(error: "invalid_client", description: "Unauthorized")) {
            try await makeClient(bad).revoke(token: "t")
        }
    }

    @Test func revocationEndpointComesFromRevokeURIOrTokenURI() {
        #expect(testSecrets.revocationEndpoint.absoluteString == "https://oauth2.example.com/revoke")
        var s = testSecrets
        s.revokeURI = URL(string: "https://r.example/o/revoke")
        #expect(s.revocationEndpoint.absoluteString == "https://r.example/o/revoke")
    }

    @Test func errorDescriptionsNeverShowSecrets() async {
        let fake = FakeTransport { _ in jsonResponse(400, #"{"error":"invalid_grant","error_description":"Bad Request"}"#) }
        do {
            _ = try await makeClient(fake).exchange(code: "4/0SECRETCODE", for: request)
            Issue.record("expected a throw")
        } catch {
            let text = "\(error) \(String(reflecting: error))"
            #expect(!text.contains("SECRETCODE"))
            #expect(!text.contains(testSecrets.clientSecret))
            #expect(!text.contains(request.pkce.verifier))
        }
    }
}

/// A thread-safe counter for fake handlers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    /// The count before this call.
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}

/// A thread-safe list for recording what closures saw.
final class Recorder<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func append(_ item: T) { lock.withLock { items.append(item) } }
    var values: [T] { lock.withLock { items } }
}

@Suite struct TokenRetryDelayTests {
    @Test func theTokenEndpointIsRetriedAsGooglesLibrariesDo() {
        let policy = OAuthClient(secrets: testSecrets, transport: FakeTransport()).retryPolicy
        #expect(policy.maxAttempts == 3)
        // 1 s, then 2 s, each 90 to 100 % of that.
        func near(_ d: Duration, _ ms: Int) -> Bool { abs(Double((d - .milliseconds(ms)) / .microseconds(1))) < 1 }
        #expect(near(policy.delay(retry: 1, retryAfter: nil, random: 0), 900))
        #expect(near(policy.delay(retry: 1, retryAfter: nil, random: 0.5), 950))
        #expect(near(policy.delay(retry: 2, retryAfter: nil, random: 0), 1800))
        #expect(near(policy.delay(retry: 2, retryAfter: nil, random: 1), 2000))
    }

    @Test func retryAfterLengthensTheBackoffUpToAMinute() {
        let client = makeClient(FakeTransport())
        #expect(client.delay(beforeRetry: 1, retryAfter: nil) == .zero)
        #expect(client.delay(beforeRetry: 1, retryAfter: .seconds(5)) == .seconds(5))
        #expect(client.delay(beforeRetry: 1, retryAfter: .seconds(86_400)) == .seconds(60))
    }
}
