import Foundation
import HTTPCore
import Testing
@testable import GmailSandbox

/// Requests shaped as Google's own libraries send them: no PKCE, the legacy `approval_prompt=force`,
/// client credentials in HTTP Basic, identity scopes in their long form.
/// Found by the conformance suite (Tests/Conformance), which runs those libraries against the sandbox.
@Suite struct GoogleLibraryRequestTests {
    static let webRedirect = "http://127.0.0.1/_sandbox/callback"
    static let scopes = "\(SandboxScope.readonly) \(SandboxScope.userinfoEmail) \(SandboxScope.userinfoProfile)"

    /// The authorization URL of oauth2client's `OAuth2WebServerFlow`, as the server-side guide builds it.
    func guideURL(_ extra: [(String, String)] = []) -> String {
        let fields: [(String, String)] = [
            ("client_id", Sandbox.webClientId), ("redirect_uri", GoogleLibraryRequestTests.webRedirect), ("scope", GoogleLibraryRequestTests.scopes),
            ("access_type", "offline"), ("response_type", "code"), ("state", "guide-state"),
        ] + extra
        return "/o/oauth2/auth?" + FormEncoding.encode(fields)
    }

    func code(_ s: Sandbox, _ url: String) async throws -> String {
        let r = await s.call(url)
        #expect(r.status == 302, "\(r.bodyText)")
        let location = try #require(r.header("Location"))
        let query = FormEncoding.decode(String(location.split(separator: "?", maxSplits: 1)[1]))
        #expect(FormEncoding.value("state", in: query) == "guide-state")
        return try #require(FormEncoding.value("code", in: query))
    }

    func exchange(_ s: Sandbox, _ code: String, verifier: String? = nil) async -> SandboxResponse {
        var fields: [(String, String)] = [
            ("client_id", Sandbox.webClientId), ("code", code), ("scope", GoogleLibraryRequestTests.scopes), ("client_secret", Sandbox.clientSecret),
            ("grant_type", "authorization_code"), ("redirect_uri", GoogleLibraryRequestTests.webRedirect),
        ]
        if let verifier { fields.append(("code_verifier", verifier)) }
        return await s.call("/token", method: "POST", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data(FormEncoding.encode(fields).utf8))
    }

    @Test func authorizationWithoutPKCEThenExchangeWithoutVerifier() async throws {
        let s = try Fixture.sandbox()
        let c = try await code(s, guideURL([("approval_prompt", "force"), ("user_id", "")]))
        let token = await exchange(s, c)
        #expect(token.status == 200, "\(token.bodyText)")
        let access = try #require(token.object["access_token"] as? String)
        #expect(token.object["refresh_token"] is String)
        #expect(await s.call("/oauth2/v2/userinfo", token: access).object["id"] as? String == Sandbox.defaultUserId)
    }

    @Test func verifierForACodeAskedWithoutChallengeIsRefused() async throws {
        let s = try Fixture.sandbox()
        let r = await exchange(s, try await code(s, guideURL()), verifier: String(repeating: "v", count: 64))
        #expect(r.status == 400)
        #expect(r.bodyText == #"{"error":"invalid_grant","error_description":"code_verifier or verifier is not needed."}"#)
    }

    @Test func challengeStillBindsTheCode() async throws {
        let s = try Fixture.sandbox()
        let verifier = String(repeating: "w", count: 64)
        let challenge = Sandbox.s256Challenge(verifier)
        let url = guideURL([("code_challenge", challenge), ("code_challenge_method", "S256")])
        let missing = await exchange(s, try await code(s, url))
        #expect(missing.status == 400)
        #expect(missing.bodyText == #"{"error":"invalid_grant","error_description":"Missing code verifier."}"#)
        #expect(await exchange(s, try await code(s, url), verifier: verifier).status == 200)
    }

    @Test func approvalPromptForceIssuesARefreshTokenAgain() async throws {
        let s = try Fixture.sandbox()
        let first = await exchange(s, try await code(s, guideURL()))
        #expect(first.object["refresh_token"] is String)
        let again = await exchange(s, try await code(s, guideURL()))
        #expect(again.status == 200)
        #expect(again.object["refresh_token"] == nil, "a web client gets a refresh token only when consent is shown")
        let forced = await exchange(s, try await code(s, guideURL([("approval_prompt", "force")])))
        #expect(forced.object["refresh_token"] is String)
        let auto = await exchange(s, try await code(s, guideURL([("approval_prompt", "auto")])))
        #expect(auto.object["refresh_token"] == nil)
    }

    @Test func controlAPIServesBothKindsOfClientSecrets() async throws {
        let s = try Fixture.sandbox()
        let web = await s.call("/_sandbox/client-secrets?kind=web")
        #expect(web.status == 200)
        let body = try #require(web.object["web"] as? [String: Any])
        #expect(body["client_id"] as? String == Sandbox.webClientId)
        #expect(body["redirect_uris"] as? [String] == ["http://127.0.0.1/_sandbox/callback"])
        let installed = await s.call("/_sandbox/client-secrets")
        #expect((installed.object["installed"] as? [String: Any])?["client_id"] as? String == Sandbox.installedClientId)
        #expect(await s.call("/_sandbox/client-secrets?kind=service").status == 400)
        let remote = await s.handle(SandboxRequest(method: "GET", path: "/_sandbox/client-secrets", remoteAddress: "192.168.1.5"))
        #expect(remote.status == 403)
    }

    @Test func controlAPIShowsMessagesWithTheirLabels() async throws {
        let s = try Fixture.sandbox()
        let all = (await s.call("/_sandbox/messages")).object["messages"] as? [[String: Any]] ?? []
        #expect(all.compactMap { $0["id"] as? String } == s.messageIds)
        let unread = (await s.call("/_sandbox/messages?labelId=UNREAD&labelId=INBOX")).object["messages"] as? [[String: Any]] ?? []
        #expect(Set(unread.compactMap { $0["file"] as? String }) == ["a.eml", "f.eml"])
        let spam = (await s.call("/_sandbox/messages?labelId=UNREAD")).object["messages"] as? [[String: Any]] ?? []
        #expect(spam.contains { $0["file"] as? String == "e.eml" && $0["labelIds"] as? [String] == ["SPAM", "UNREAD"] })
    }

    /// requests-oauthlib (under google-auth-oauthlib) sends the client id and secret as HTTP Basic, not in the form.
    @Test func clientCredentialsInHTTPBasic() async throws {
        let s = try Fixture.sandbox()
        let c = try await code(s, guideURL())
        func basic(_ id: String, _ secret: String) -> (String, String) {
            ("Authorization", "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString())
        }
        let form = FormEncoding.encode([("grant_type", "authorization_code"), ("code", c), ("redirect_uri", GoogleLibraryRequestTests.webRedirect)])
        let wrong = await s.call("/token", method: "POST", headers: [basic(Sandbox.webClientId, "nope")], body: Data(form.utf8))
        #expect(wrong.status == 401)
        #expect(wrong.bodyText == #"{"error":"invalid_client","error_description":"Unauthorized"}"#)
        let right = await s.call("/token", method: "POST", headers: [basic(Sandbox.webClientId, Sandbox.clientSecret)], body: Data(form.utf8))
        #expect(right.status == 200, "\(right.bodyText)")
        #expect(right.object["access_token"] is String)
        let none = await s.call("/token", method: "POST", body: Data(form.utf8))
        #expect(none.bodyText == #"{"error":"invalid_request","error_description":"Could not determine client ID from request."}"#)
        let encoded = try #require(Sandbox.basicCredentials("Basic " + Data("a%3Ab:s+t".utf8).base64EncodedString()))
        #expect(encoded.id == "a:b" && encoded.secret == "s t")
        #expect(Sandbox.basicCredentials("Bearer x") == nil)
    }

    /// `userinfo.email` is `email` in long form: Google answers it with an id_token too.
    @Test func longFormIdentityScopesGetAnIdToken() async throws {
        let s = try Fixture.sandbox()
        let token = await exchange(s, try await code(s, guideURL()))
        let idToken = try #require(token.object["id_token"] as? String)
        let claims = try #require(SandboxBase64.decode(String(idToken.split(separator: ".")[1])))
        let sub = (try JSONSerialization.jsonObject(with: claims) as? [String: Any])?["sub"] as? String
        #expect(sub == Sandbox.defaultUserId)
        let gmailOnly = guideURL().replacingOccurrences(of: FormEncoding.escape(GoogleLibraryRequestTests.scopes), with: FormEncoding.escape(SandboxScope.readonly))
        let plain = await exchange(s, try await code(s, gmailOnly))
        #expect(plain.status == 200)
        #expect(plain.object["id_token"] == nil)
    }
}
