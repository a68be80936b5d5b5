import Foundation
import HTTPCore
import Testing
@testable import GmailSandbox

/// The authorization, token, revoke and userinfo endpoints, through `handle` (no socket).
@Suite struct OAuthTests {
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-sandbox-verifier-0123"
    static var challenge: String { Sandbox.s256Challenge(verifier) }
    static let scopes = "\(SandboxScope.readonly) \(SandboxScope.userinfoEmail) \(SandboxScope.userinfoProfile)"
    static let redirect = "http://127.0.0.1:8765/"

    func authURL(client: String = Sandbox.installedClientId, redirect: String = OAuthTests.redirect, extra: [(String, String)] = []) -> String {
        let fields: [(String, String)] = [
            ("client_id", client), ("redirect_uri", redirect), ("response_type", "code"), ("scope", OAuthTests.scopes),
            ("access_type", "offline"), ("state", "st-42"), ("code_challenge", OAuthTests.challenge), ("code_challenge_method", "S256"),
        ] + extra
        return "/o/oauth2/v2/auth?" + FormEncoding.encode(fields)
    }

    /// Authorizes and returns the code from the Location header.
    func code(_ s: Sandbox, extra: [(String, String)] = []) async throws -> String {
        let r = await s.call(authURL(extra: extra))
        #expect(r.status == 302)
        let location = try #require(r.header("Location"))
        let query = FormEncoding.decode(String(location.split(separator: "?", maxSplits: 1)[1]))
        #expect(FormEncoding.value("state", in: query) == "st-42")
        return try #require(FormEncoding.value("code", in: query))
    }

    func exchange(_ s: Sandbox, code: String, verifier: String = OAuthTests.verifier, redirect: String = OAuthTests.redirect, secret: String? = Sandbox.clientSecret, client: String = Sandbox.installedClientId) async -> SandboxResponse {
        var fields: [(String, String)] = [("grant_type", "authorization_code"), ("code", code), ("client_id", client), ("redirect_uri", redirect), ("code_verifier", verifier)]
        if let secret { fields.append(("client_secret", secret)) }
        return await s.call("/token", method: "POST", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data(FormEncoding.encode(fields).utf8))
    }

    func refresh(_ s: Sandbox, _ token: String) async -> SandboxResponse {
        let fields = [("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", Sandbox.installedClientId), ("client_secret", Sandbox.clientSecret)]
        return await s.call("/token", method: "POST", body: Data(FormEncoding.encode(fields).utf8))
    }

    @Test func s256ChallengeOfRFC7636AppendixB() {
        #expect(Sandbox.s256Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test func fullFlowWithPKCE() async throws {
        let s = try Fixture.sandbox()
        let auth = await s.call(authURL())
        #expect(auth.status == 302)
        let location = try #require(auth.header("Location"))
        #expect(location.hasPrefix(OAuthTests.redirect + "?state=st-42&code=4%2F0A"))
        #expect(location.contains("&scope="))
        #expect(auth.bodyText.contains("paste this code into gmail-tui"))
        let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
        #expect(auth.bodyText.contains(code))
        let token = await exchange(s, code: code)
        #expect(token.status == 200)
        let body = token.object
        let access = try #require(body["access_token"] as? String)
        #expect(access.hasPrefix("ya29."))
        #expect(body["expires_in"] as? Int == 3599)
        #expect(body["token_type"] as? String == "Bearer")
        #expect(body["scope"] as? String == OAuthTests.scopes)
        #expect((body["refresh_token"] as? String)?.hasPrefix("1//") == true)
        let info = await s.call("/oauth2/v2/userinfo", token: access)
        #expect(info.status == 200)
        #expect(info.object["id"] as? String == Sandbox.defaultUserId)
        #expect(info.object["email"] as? String == Sandbox.defaultUserEmail)
        #expect(info.object["verified_email"] as? Bool == true)
        #expect(info.object["name"] as? String == "Demo User")
        let profile = await s.call("/gmail/v1/users/me/profile", token: access)
        #expect(profile.status == 200)
    }

    @Test func legacyAuthPathAndLocalhostRedirect() async throws {
        let s = try Fixture.sandbox()
        let url = authURL(redirect: "http://localhost:9999/callback").replacingOccurrences(of: "/o/oauth2/v2/auth", with: "/o/oauth2/auth")
        let r = await s.call(url)
        #expect(r.status == 302)
        #expect(r.header("Location")?.hasPrefix("http://localhost:9999/callback?state=st-42&code=") == true)
    }

    @Test func authorizationErrorsArePages() async throws {
        let s = try Fixture.sandbox()
        let unknown = await s.call(authURL(client: "nobody.apps.googleusercontent.com"))
        #expect(unknown.status == 400)
        #expect(unknown.bodyText.contains("Error 401: invalid_client"))
        #expect(unknown.header("Location") == nil)
        let mismatch = await s.call(authURL(redirect: "https://evil.example/cb"))
        #expect(mismatch.status == 400)
        #expect(mismatch.bodyText.contains("Error 400: redirect_uri_mismatch"))
        let web = await s.call(authURL(client: Sandbox.webClientId, redirect: "http://127.0.0.1:9/"))
        #expect(web.bodyText.contains("redirect_uri_mismatch"))
        let badMethod = await s.call(authURL().replacingOccurrences(of: "code_challenge_method=S256", with: "code_challenge_method=S512"))
        #expect(badMethod.status == 400)
        #expect(badMethod.bodyText.contains("Invalid code_challenge_method: S512"))
        let noScope = await s.call(authURL().replacingOccurrences(of: "scope=", with: "x_scope="))
        #expect(noScope.bodyText.contains("Missing required parameter: scope"))
        let badType = await s.call(authURL().replacingOccurrences(of: "response_type=code", with: "response_type=token"))
        #expect(badType.bodyText.contains("unsupported_response_type"))
        let noType = await s.call(authURL().replacingOccurrences(of: "response_type=code", with: "x=1"))
        #expect(noType.bodyText.contains("Required parameter is missing: response_type"))
    }

    @Test func webClientUsesRegisteredRedirect() async throws {
        let s = try Fixture.sandbox()
        s.addWebRedirectURI("https://app.example/oauth2callback")
        let r = await s.call(authURL(client: Sandbox.webClientId, redirect: "https://app.example/oauth2callback"))
        #expect(r.status == 302)
        let callback = await s.call(authURL(client: Sandbox.webClientId, redirect: "http://127.0.0.1/_sandbox/callback"))
        #expect(callback.status == 302)
        let code = try #require(callback.header("Location").flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == "code" }?.value })
        let page = await s.call("/_sandbox/callback?code=\(FormEncoding.escape(code))")
        #expect(page.bodyText.contains(code))
    }

    @Test func denyingUserGetsAccessDenied() async throws {
        let s = try Fixture.sandbox()
        s.addUser(email: "no@example.com", denyConsent: true)
        let r = await s.call(authURL(extra: [("login_hint", "no@example.com")]))
        #expect(r.status == 302)
        #expect(r.header("Location") == OAuthTests.redirect + "?error=access_denied&state=st-42")
    }

    @Test func loginHintPicksUser() async throws {
        let s = try Fixture.sandbox()
        s.addUser(email: "second@example.com", name: "Second Person")
        let code = try await code(s, extra: [("login_hint", "second@example.com")])
        let access = try #require(await exchange(s, code: code).object["access_token"] as? String)
        let info = await s.call("/oauth2/v2/userinfo", token: access)
        #expect(info.object["email"] as? String == "second@example.com")
        #expect(info.object["name"] as? String == "Second Person")
    }

    @Test func wrongVerifierIsInvalidGrant() async throws {
        let s = try Fixture.sandbox()
        let r = await exchange(s, code: try await code(s), verifier: "wrong-verifier-wrong-verifier-wrong-verifier-000")
        #expect(r.status == 400)
        #expect(r.object["error"] as? String == "invalid_grant")
    }

    @Test func codeIsSingleUse() async throws {
        let s = try Fixture.sandbox()
        let c = try await code(s)
        #expect(await exchange(s, code: c).status == 200)
        let again = await exchange(s, code: c)
        #expect(again.status == 400)
        #expect(again.bodyText == #"{"error":"invalid_grant","error_description":"Bad Request"}"#)
    }

    @Test func redirectMustMatch() async throws {
        let s = try Fixture.sandbox()
        let r = await exchange(s, code: try await code(s), redirect: "http://127.0.0.1:1/")
        #expect(r.status == 400)
        #expect(r.bodyText == #"{"error":"redirect_uri_mismatch","error_description":"Bad Request"}"#)
    }

    @Test func missingSecretAndBadClient() async throws {
        let s = try Fixture.sandbox()
        let c = try await code(s)
        let missing = await exchange(s, code: c, secret: nil)
        #expect(missing.status == 400)
        #expect(missing.bodyText == #"{"error":"invalid_request","error_description":"client_secret is missing."}"#)
        let wrong = await exchange(s, code: c, secret: "nope")
        #expect(wrong.status == 401)
        #expect(wrong.bodyText == #"{"error":"invalid_client","error_description":"Unauthorized"}"#)
        let unknown = await exchange(s, code: c, client: "nobody")
        #expect(unknown.status == 401)
        #expect(unknown.bodyText == #"{"error":"invalid_client","error_description":"The OAuth client was not found."}"#)
        let grant = await s.call("/token", method: "POST", body: Data("grant_type=password".utf8))
        #expect(grant.object["error"] as? String == "unsupported_grant_type")
    }

    @Test func refreshTokenOnlyOnFirstConsentOrPromptConsent() async throws {
        let s = try Fixture.sandbox()
        let first = await exchange(s, code: try await code(s))
        let refreshToken = try #require(first.object["refresh_token"] as? String)
        let second = await exchange(s, code: try await code(s))
        #expect(second.status == 200)
        #expect(second.object["refresh_token"] == nil)
        let third = await exchange(s, code: try await code(s, extra: [("prompt", "consent")]))
        #expect(third.object["refresh_token"] is String)

        let refreshed = await refresh(s, refreshToken)
        #expect(refreshed.status == 200)
        #expect(refreshed.object["refresh_token"] == nil)
        let access = try #require(refreshed.object["access_token"] as? String)
        #expect(await s.call("/gmail/v1/users/me/profile", token: access).status == 200)
        let bogus = await refresh(s, "1//not-a-token")
        #expect(bogus.bodyText == #"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#)
    }

    @Test func revokeKillsRefreshAndAccess() async throws {
        let s = try Fixture.sandbox()
        let tokens = await exchange(s, code: try await code(s)).object
        let access = try #require(tokens["access_token"] as? String)
        let refreshToken = try #require(tokens["refresh_token"] as? String)
        let revoked = await s.call("/revoke?token=\(FormEncoding.escape(access))", method: "POST")
        #expect(revoked.status == 200)
        let r = await refresh(s, refreshToken)
        #expect(r.status == 400)
        #expect(r.bodyText == #"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#)
        #expect(await s.call("/gmail/v1/users/me/profile", token: access).status == 401)
        let twice = await s.call("/revoke", method: "POST", body: Data("token=\(FormEncoding.escape(refreshToken))".utf8))
        #expect(twice.status == 400)
        #expect(twice.bodyText == #"{"error":"invalid_token","error_description":"Token expired or revoked"}"#)
        // The grant is gone, so the next consent yields a refresh token again.
        #expect(await exchange(s, code: try await code(s)).object["refresh_token"] is String)
    }

    @Test func userinfoNeedsToken() async throws {
        let s = try Fixture.sandbox()
        let r = await s.call("/oauth2/v2/userinfo")
        #expect(r.status == 401)
        let onlyGmail = await s.call("/oauth2/v2/userinfo", token: s.readonlyToken())
        #expect(onlyGmail.status == 403)
    }

    @Test func tokenLifetimeOption() async throws {
        let s = try Fixture.sandbox { $0.tokenLifetime = .seconds(120) }
        let tokens = await exchange(s, code: try await code(s))
        #expect(tokens.object["expires_in"] as? Int == 120)
        let dead = try Fixture.sandbox { $0.tokenLifetime = .zero }
        let access = try #require(await exchange(dead, code: try await code(dead)).object["access_token"] as? String)
        let r = await dead.call("/gmail/v1/users/me/profile", token: access)
        #expect(r.status == 401)
        #expect(r.bodyText.contains("ACCESS_TOKEN_EXPIRED"))
    }

    @Test func userinfoAliasAndScopes() async throws {
        let s = try Fixture.sandbox()
        let emailOnly = s.issueAccessToken(scopes: ["email"])
        let r = await s.call("/userinfo/v2/me", token: emailOnly)
        #expect(r.status == 200)
        #expect(r.object["email"] as? String == Sandbox.defaultUserEmail)
        #expect(r.object["name"] == nil, "name needs the profile scope")
    }
}
