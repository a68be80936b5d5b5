import Foundation
import HTTPCore
import Testing
@testable import GoogleOAuth
import TestSupport

@Suite struct RefreshCredentialsTests {
    let now = Date(timeIntervalSince1970: 1_900_000_000)
    let stored = Credentials(userID: "42", email: "ann@example.com", refreshToken: "1//old", accessToken: "ya29.old",
                             expiresAt: Date(timeIntervalSince1970: 1_899_999_000), scopes: ["s1", "s2"], clientID: "cid")

    @Test func aRefreshThatReturnsNoRefreshTokenKeepsTheOldOne() async throws {
        let fake = FakeTransport { _ in jsonResponse(200, #"{"access_token":"ya29.new","expires_in":3599,"token_type":"Bearer"}"#) }
        let updated = try await makeClient(fake).refresh(credentials: stored, now: now)
        #expect(updated.refreshToken == "1//old")
        #expect(updated.accessToken == "ya29.new")
        #expect(updated.expiresAt == now.addingTimeInterval(3599))
        #expect(updated.scopes == ["s1", "s2"])
        #expect(!updated.needsRefresh(now: now))
        #expect(formFields(try #require(fake.requests.first))["refresh_token"] == "1//old")
    }

    @Test func anAnswerWithoutExpiresInIsTakenAsAnHour() async throws {
        let fake = FakeTransport { _ in jsonResponse(200, #"{"access_token":"ya29.new","token_type":"Bearer"}"#) }
        let updated = try await makeClient(fake).refresh(credentials: stored, now: now)
        #expect(updated.expiresAt == now.addingTimeInterval(3600))
        // An unknown expiry would mean refreshing before every call.
        #expect(!updated.needsRefresh(now: now.addingTimeInterval(60)))
    }

    @Test func aNewRefreshTokenReplacesTheOldOne() async throws {
        let fake = FakeTransport { _ in jsonResponse(200, #"{"access_token":"ya29.new","expires_in":3599,"refresh_token":"1//rotated","scope":"x"}"#) }
        let updated = try await makeClient(fake).refresh(credentials: stored, now: now)
        #expect(updated.refreshToken == "1//rotated")
        #expect(updated.scopes == ["x"])
    }

    @Test func invalidGrantOnRefreshMeansReauthorize() async {
        let fake = FakeTransport { _ in jsonResponse(400, #"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#) }
        await #expect(throws: OAuthError.grantRevoked("Token has been expired or revoked.")) {
            try await makeClient(fake).refresh(credentials: stored, now: now)
        }
    }

    @Test func aNetworkFailureDuringRefreshDoesNotAskForReauthorization() async {
        let fake = FakeTransport { _ in throw TransportError.timedOut(host: "oauth2.example.com") }
        do {
            _ = try await makeClient(fake).refresh(credentials: stored, now: now)
            Issue.record("expected a throw")
        } catch {
            #expect(error == .network(.timedOut(host: "oauth2.example.com")))
            if case .grantRevoked = error { Issue.record("a network failure must not look like a revoked grant") }
        }
    }

    @Test func credentialsWithoutRefreshTokenCannotBeRefreshed() async {
        var bare = stored
        bare.refreshToken = nil
        let fake = FakeTransport()
        await #expect(throws: OAuthError.noRefreshToken) { try await makeClient(fake).refresh(credentials: bare, now: now) }
        #expect(fake.requests.isEmpty)
    }

    @Test func needsRefreshAheadOfExpiry() {
        #expect(stored.needsRefresh(now: Date(timeIntervalSince1970: 1_899_998_000)) == false)
        #expect(stored.needsRefresh(now: Date(timeIntervalSince1970: 1_899_998_800)) == true)
    }
}

@Suite struct RedactionTests {
    func everyRendering<T>(_ value: T) -> String {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), dumped, "\([value])"].joined(separator: "\n")
    }

    @Test func noSecretInAnyRendering() {
        let creds = Credentials(userID: "1", email: "a@example.com", refreshToken: "1//SECRET1", accessToken: "ya29.SECRET2",
                                expiresAt: nil, scopes: [], clientID: "cid")
        let tokens = TokenResponse(accessToken: "ya29.SECRET3", expiresIn: 1, refreshToken: "1//SECRET4", scope: nil, tokenType: "Bearer")
        let pkce = PKCE(verifier: "SECRET5" + String(repeating: "v", count: 50))
        let request = AuthorizationRequest(url: URL(string: "https://a.example/?code_challenge=\(pkce.challenge)")!, state: "st", pkce: pkce,
                                           redirectURI: "http://127.0.0.1:1/", loginHint: nil, forcedConsent: false)
        var secrets = testSecrets
        secrets.clientSecret = "GOCSPX-SECRET6"
        for text in [everyRendering(creds), everyRendering(tokens), everyRendering(pkce), everyRendering(request), everyRendering(secrets)] {
            #expect(!text.contains("SECRET"), "\(text)")
        }
        #expect(everyRendering(creds).contains("a@example.com"))
    }
}
