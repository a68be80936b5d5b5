import Foundation
import HTTPCore
import Testing
@testable import GoogleOAuth
import TestSupport

@Suite struct PKCETests {
    /// RFC 7636 Appendix B's verifier and challenge.
    @Test func rfc7636AppendixBVector() {
        let pkce = PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test func generatedVerifiersAreLongRandomAndUnreserved() {
        let a = PKCE.generate(), b = PKCE.generate()
        #expect(a.verifier != b.verifier)
        #expect((43...128).contains(a.verifier.count) && a.verifier.count >= 64)
        #expect(a.verifier.allSatisfy { PKCE.unreserved.contains($0) })
        #expect(a.challenge == PKCE(verifier: a.verifier).challenge)
        #expect(!a.challenge.contains("=") && !a.challenge.contains("+") && !a.challenge.contains("/"))
    }
}

@Suite struct AuthorizationURLTests {
    let client = makeClient(FakeTransport())

    @Test func urlCarriesExactlyTheDesignedParameters() throws {
        let req = client.makeAuthorizationRequest(redirectURI: "http://127.0.0.1:4321/", loginHint: "ann@example.com", forceConsent: true)
        let url = req.url.absoluteString
        #expect(url.hasPrefix("https://accounts.example.com/o/oauth2/auth?"))
        let pairs = queryPairs(req.url)
        #expect(pairs.map(\.0) == ["client_id", "redirect_uri", "response_type", "scope", "access_type", "prompt",
                                   "login_hint", "state", "code_challenge", "code_challenge_method"])
        let q = Dictionary(pairs, uniquingKeysWith: { a, _ in a })
        #expect(q["client_id"] == testSecrets.clientID)
        #expect(q["redirect_uri"] == "http://127.0.0.1:4321/")
        #expect(q["response_type"] == "code")
        #expect(q["scope"] == OAuthScopes.all.joined(separator: " "))
        #expect(q["access_type"] == "offline")
        #expect(q["prompt"] == "consent")
        #expect(q["login_hint"] == "ann@example.com")
        #expect(q["state"] == req.state)
        #expect(q["code_challenge"] == req.pkce.challenge)
        #expect(q["code_challenge_method"] == "S256")
        // The scope's spaces are %20, and the redirect URI is fully escaped.
        #expect(url.contains("scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly%20https%3A"))
        #expect(url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A4321%2F&"))
        #expect(!url.contains(req.pkce.verifier))
    }

    @Test func promptAndLoginHintOnlyWhenAsked() {
        let req = client.makeAuthorizationRequest(redirectURI: "http://127.0.0.1:1/", loginHint: nil, forceConsent: false)
        let names = queryPairs(req.url).map(\.0)
        #expect(!names.contains("prompt"))
        #expect(!names.contains("login_hint"))
        #expect(req.forcedConsent == false)
    }

    @Test func addingAnAccountAsksForTheChooserAndConsentWithoutAHint() {
        let req = client.makeAuthorizationRequest(redirectURI: "http://127.0.0.1:1/", loginHint: nil, forceConsent: true, selectAccount: true)
        let pairs = queryPairs(req.url)
        #expect(pairs.first { $0.0 == "prompt" }?.1 == "select_account consent")
        #expect(!pairs.map(\.0).contains("login_hint"))
        #expect(req.url.absoluteString.contains("prompt=select_account%20consent&"))
        #expect(req.selectsAccount && req.forcedConsent)
        let chooserOnly = client.makeAuthorizationRequest(redirectURI: "r", loginHint: nil, forceConsent: false, selectAccount: true)
        #expect(queryPairs(chooserOnly.url).first { $0.0 == "prompt" }?.1 == "select_account")
    }

    @Test func stateIsFreshAnd32RandomBytes() throws {
        let a = client.makeAuthorizationRequest(redirectURI: "r", loginHint: nil, forceConsent: false)
        let b = client.makeAuthorizationRequest(redirectURI: "r", loginHint: nil, forceConsent: false)
        #expect(a.state != b.state)
        #expect(a.pkce != b.pkce)
        #expect(a.state.count == 43) // 32 bytes, base64url without padding
    }
}

@Suite struct PastedCodeTests {
    let req = AuthorizationRequest(url: URL(string: "https://a.example/")!, state: "S-1_x", pkce: PKCE(verifier: String(repeating: "k", count: 50)),
                                   redirectURI: "http://127.0.0.1:8080/", loginHint: nil, forcedConsent: false)

    @Test func bareCodeWithWhitespace() throws {
        #expect(try OAuthClient.code(fromPasted: "  4/0AfJohXabc-DEF_g \n", for: req) == "4/0AfJohXabc-DEF_g")
    }

    @Test func bareEncodedCodeIsDecoded() throws {
        #expect(try OAuthClient.code(fromPasted: "4%2F0AfJohXabc", for: req) == "4/0AfJohXabc")
    }

    @Test func fullRedirectURLWithEncodedCode() throws {
        let pasted = "\thttp://127.0.0.1:8080/?state=S-1_x&code=4%2F0AfJohX%2Bq&scope=email+profile+openid+https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fuserinfo.email&authuser=0&prompt=consent\n"
        #expect(try OAuthClient.code(fromPasted: pasted, for: req) == "4/0AfJohX+q")
    }

    @Test func queryStringAloneWithOrWithoutQuestionMark() throws {
        #expect(try OAuthClient.code(fromPasted: "?code=4%2F0Ab&state=S-1_x", for: req) == "4/0Ab")
        #expect(try OAuthClient.code(fromPasted: "code=4%2F0Ab&state=S-1_x", for: req) == "4/0Ab")
    }

    @Test func stateMismatchOrMissingIsRefused() {
        #expect(throws: OAuthError.stateMismatch) { try OAuthClient.code(fromPasted: "http://127.0.0.1:8080/?state=other&code=4%2F0Ab", for: req) }
        #expect(throws: OAuthError.stateMismatch) { try OAuthClient.code(fromPasted: "http://127.0.0.1:8080/?code=4%2F0Ab", for: req) }
    }

    @Test func accessDeniedIsReported() {
        #expect(throws: OAuthError.authorizationDenied("access_denied")) {
            try OAuthClient.code(fromPasted: "http://127.0.0.1:8080/?error=access_denied&state=S-1_x", for: req)
        }
    }

    @Test func urlWithoutCodeOrEmptyPasteIsMissingCode() {
        #expect(throws: OAuthError.missingCode) { try OAuthClient.code(fromPasted: "http://127.0.0.1:8080/?state=S-1_x", for: req) }
        #expect(throws: OAuthError.missingCode) { try OAuthClient.code(fromPasted: "http://127.0.0.1:8080/", for: req) }
        #expect(throws: OAuthError.missingCode) { try OAuthClient.code(fromPasted: "   \n", for: req) }
    }

    @Test func callbackQuery() throws {
        #expect(try OAuthClient.code(fromCallbackQuery: [("state", "S-1_x"), ("code", "4/0Ab")], for: req) == "4/0Ab")
        #expect(throws: OAuthError.stateMismatch) { try OAuthClient.code(fromCallbackQuery: [("state", "x"), ("code", "c")], for: req) }
        #expect(throws: OAuthError.authorizationDenied("access_denied")) {
            try OAuthClient.code(fromCallbackQuery: [("error", "access_denied"), ("state", "S-1_x")], for: req)
        }
    }
}

@Suite struct CompleteAuthorizationTests {
    let req = AuthorizationRequest(url: URL(string: "https://a.example/")!, state: "s", pkce: PKCE(verifier: String(repeating: "k", count: 50)),
                                   redirectURI: "http://127.0.0.1:8080/", loginHint: nil, forcedConsent: false)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func google(refreshToken: String?) -> FakeTransport {
        FakeTransport { request in
            if request.url == testSecrets.tokenURI {
                let refresh = refreshToken.map { #","refresh_token":"\#($0)""# } ?? ""
                return jsonResponse(200, #"{"access_token":"ya29.new","expires_in":3599,"scope":"a b"\#(refresh)}"#)
            }
            return jsonResponse(200, #"{"id":"42","email":"ann@example.com"}"#)
        }
    }

    @Test func storesWhatGoogleAnsweredUnderTheUserID() async throws {
        let store = InMemoryCredentialStore()
        let creds = try await makeClient(google(refreshToken: "1//fresh")).completeAuthorization(code: "c", for: req, store: store, now: now)
        #expect(creds == Credentials(userID: "42", email: "ann@example.com", refreshToken: "1//fresh", accessToken: "ya29.new",
                                     expiresAt: now.addingTimeInterval(3599), scopes: ["a", "b"], clientID: testSecrets.clientID))
        #expect(try store.load().accounts == [creds])
        #expect(try store.load().lastUsed == "42")
    }

    @Test func anAnswerWithoutRefreshTokenKeepsTheStoredOne() async throws {
        let old = Credentials(userID: "42", email: "ann@example.com", refreshToken: "1//old", accessToken: "ya29.old",
                              expiresAt: nil, scopes: ["a"], clientID: "c")
        let store = InMemoryCredentialStore([old])
        let creds = try await makeClient(google(refreshToken: nil)).completeAuthorization(code: "c", for: req, store: store, now: now)
        #expect(creds.refreshToken == "1//old")
        #expect(creds.accessToken == "ya29.new")
        #expect(try store.load().accounts.first?.refreshToken == "1//old")
    }

    @Test func noRefreshTokenAnywhereThrows() async throws {
        let store = InMemoryCredentialStore()
        await #expect(throws: OAuthError.noRefreshToken) {
            try await makeClient(google(refreshToken: nil)).completeAuthorization(code: "c", for: req, store: store, now: now)
        }
        #expect(try store.load().accounts.isEmpty)
    }
}

@Suite struct ClientSecretsTests {
    func parse(_ json: String) throws(ClientSecretsError) -> ClientSecrets { try ClientSecrets.parse(Data(json.utf8), path: "/cfg/cs.json") }

    @Test func desktopDownloadParses() throws {
        let s = try parse(#"{"installed":{"client_id":"NNN.apps.googleusercontent.com","project_id":"p","auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":"https://oauth2.googleapis.com/token","auth_provider_x509_cert_url":"https://www.googleapis.com/oauth2/v1/certs","client_secret":"GOCSPX-x","redirect_uris":["http://localhost"]}}"#)
        #expect(s == ClientSecrets(kind: .installed, clientID: "NNN.apps.googleusercontent.com", clientSecret: "GOCSPX-x",
                                   authURI: URL(string: "https://accounts.google.com/o/oauth2/auth")!,
                                   tokenURI: URL(string: "https://oauth2.googleapis.com/token")!, redirectURIs: ["http://localhost"]))
        #expect(s.revocationEndpoint.absoluteString == "https://oauth2.googleapis.com/revoke")
    }

    @Test func installedWithoutRedirectURIsAndWithRevokeURI() throws {
        let s = try parse(#"{"installed":{"client_id":"c","client_secret":"s","auth_uri":"http://127.0.0.1:9/auth","token_uri":"http://127.0.0.1:9/token","revoke_uri":"http://127.0.0.1:9/rv"}}"#)
        #expect(s.redirectURIs.isEmpty)
        #expect(s.revocationEndpoint.absoluteString == "http://127.0.0.1:9/rv")
    }

    @Test func webNeedsRedirectURIs() throws {
        let base = #""client_id":"c","client_secret":"s","auth_uri":"https://a.example/auth","token_uri":"https://a.example/token""#
        #expect(throws: ClientSecretsError.missingKey(path: "/cfg/cs.json", key: "redirect_uris")) { try parse("{\"web\":{\(base)}}") }
        #expect(throws: ClientSecretsError.self) { try parse("{\"web\":{\(base),\"redirect_uris\":[]}}") }
        let s = try parse("{\"web\":{\(base),\"redirect_uris\":[\"https://app.example/cb\"]}}")
        #expect(s.kind == .web && s.redirectURIs == ["https://app.example/cb"])
    }

    @Test(arguments: ["client_id", "client_secret", "auth_uri", "token_uri"])
    func missingRequiredKeyIsNamed(key: String) {
        var fields = ["client_id": "c", "client_secret": "s", "auth_uri": "https://a.example/a", "token_uri": "https://a.example/t"]
        fields[key] = nil
        let body = fields.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
        #expect(throws: ClientSecretsError.missingKey(path: "/cfg/cs.json", key: key)) { try parse("{\"installed\":{\(body)}}") }
        let description = ClientSecretsError.missingKey(path: "/cfg/cs.json", key: key).description
        #expect(description.contains("/cfg/cs.json") && description.contains(key) && description.contains("--demo"))
    }

    @Test func plainHTTPOnlyForLoopbackAndOtherMalformedFiles() {
        #expect(throws: ClientSecretsError.self) {
            try parse(#"{"installed":{"client_id":"c","client_secret":"s","auth_uri":"http://accounts.example/a","token_uri":"https://a.example/t"}}"#)
        }
        #expect(throws: ClientSecretsError.malformed(path: "/cfg/cs.json", reason: "not a JSON object")) { try parse("[1]") }
        #expect(throws: ClientSecretsError.self) { try parse(#"{"other":{}}"#) }
    }

    @Test func loadReportsAMissingFile() throws {
        let dir = try makeTempFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: ClientSecretsError.missing(path: dir + "/none.json")) { try ClientSecrets.load(path: dir + "/none.json") }
        let file = dir + "/cs.json"
        try Data(#"{"installed":{"client_id":"c","client_secret":"s","auth_uri":"https://a.example/a","token_uri":"https://a.example/t"}}"#.utf8)
            .write(to: URL(fileURLWithPath: file))
        #expect(try ClientSecrets.load(path: file).clientID == "c")
    }
}
