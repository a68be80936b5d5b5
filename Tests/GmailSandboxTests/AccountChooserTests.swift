import Foundation
import HTTPCore
import Testing
@testable import GmailSandbox

/// `prompt=select_account` (Google's account chooser) and the control API's pick for it.
@Suite struct AccountChooserTests {
    let oauth = OAuthTests()
    static let second = "second@gmail-tui.example"

    /// The email of the user an authorization with `extra` parameters signs in, through the token and userinfo.
    func signedIn(_ s: Sandbox, extra: [(String, String)]) async throws -> String {
        let code = try await oauth.code(s, extra: extra)
        let token = await oauth.exchange(s, code: code)
        let access = try #require(token.object["access_token"] as? String)
        let info = await s.call("/oauth2/v2/userinfo", token: access)
        #expect(info.status == 200)
        return try #require(info.object["email"] as? String)
    }

    @Test func withoutAPickTheChooserSignsInTheHintsUserOrTheDefaultOneAsBefore() async throws {
        let s = try Fixture.sandbox()
        s.addUser(email: Self.second)
        #expect(try await signedIn(s, extra: [("prompt", "select_account consent")]) == Sandbox.defaultUserEmail)
        #expect(try await signedIn(s, extra: [("prompt", "select_account"), ("login_hint", Self.second)]) == Self.second)
    }

    @Test func theChooserTakesThePickOnceWhateverTheHint() async throws {
        let s = try Fixture.sandbox()
        s.addUser(email: Self.second, name: "二号 🦊")
        #expect(s.chooseAccount(email: Self.second))
        // Without the chooser the pick waits: the hint (or the default user) is signed in.
        #expect(try await signedIn(s, extra: [("prompt", "consent")]) == Sandbox.defaultUserEmail)
        #expect(try await signedIn(s, extra: [("prompt", "select_account consent"), ("login_hint", Sandbox.defaultUserEmail)]) == Self.second)
        #expect(try await signedIn(s, extra: [("prompt", "select_account consent")]) == Sandbox.defaultUserEmail, "used once")
    }

    @Test func theControlAPISetsThePickForAKnownUserOnly() async throws {
        let s = try Fixture.sandbox()
        let unknown = await s.call("/_sandbox/choose-account?email=nobody%40example.com", method: "POST")
        #expect(unknown.status == 400)
        #expect(unknown.bodyText.contains("POST users"))
        #expect(await s.call("/_sandbox/users?email=second%40gmail-tui.example", method: "POST").status == 200)
        #expect(await s.call("/_sandbox/choose-account?email=second%40gmail-tui.example", method: "POST").status == 200)
        #expect(try await signedIn(s, extra: [("prompt", "select_account consent")]) == Self.second)
    }
}
