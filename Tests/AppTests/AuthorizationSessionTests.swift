import Foundation
import Testing
import HTTPCore
import GoogleOAuth
import GmailSandbox
@testable import App

/// The one authorization attempt the browser and `gmail-tui auth` share.
@Suite struct AuthorizationSessionTests {
    @Test func theFirstAnswerIsExchangedAndASecondAtTheSameTimeIsNot() async throws {
        try await withRunner { _, services, _, _ in
            let session = try AuthorizationSession(services: services, loginHint: nil)
            defer { session.stop() }
            let code = try await sandboxCode(for: session, services)
            async let first = session.complete(code: code)
            async let second = session.complete(code: code)
            let answers = try await [first, second]
            #expect(answers.compactMap { $0?.email } == [Sandbox.defaultUserEmail])
            #expect(session.isFinished)
            #expect(try await session.complete(code: code) == nil, "a finished attempt exchanges nothing more")
        }
    }

    @Test func aRefusedCodeLetsTheNextAnswerTry() async throws {
        try await withRunner { _, services, _, _ in
            let session = try AuthorizationSession(services: services, loginHint: nil)
            defer { session.stop() }
            await #expect(throws: OAuthError.self) { try await session.complete(code: "4/not-a-code") }
            #expect(!session.isFinished)
            let code = try await sandboxCode(for: session, services)
            #expect(try await session.complete(code: code)?.email == Sandbox.defaultUserEmail)
        }
    }

    @Test func consentIsAskedOnceOnlyWhenNoRefreshTokenIsStored() async throws {
        try await withRunner { _, services, _, _ in
            let first = try AuthorizationSession(services: services, loginHint: nil)
            #expect(first.forceConsent, "nothing is stored yet")
            #expect(try first.withConsent() == nil, "consent was already asked for")
            first.stop()
            // Once an account with a refresh token is stored, the URL for it no longer forces consent;
            // the retry after "no refresh token" does.
            let stored = try AuthorizationSession(services: services, loginHint: nil)
            _ = try await stored.complete(code: try await sandboxCode(for: stored, services))
            let again = try AuthorizationSession(services: services, loginHint: Sandbox.defaultUserEmail)
            #expect(!again.forceConsent)
            let retry = try #require(try again.withConsent())
            #expect(retry.forceConsent)
            #expect(retry.loginHint == Sandbox.defaultUserEmail)
            #expect(retry.url.absoluteString.contains("prompt=consent"))
            retry.stop()
        }
    }
}

/// The code the sandbox hands out for `session`'s URL, read from its redirect without following it.
func sandboxCode(for session: AuthorizationSession, _ services: Services) async throws -> String {
    let answer = try await services.transport.send(HTTPRequest(url: session.url))
    let location = try #require(answer.headers["Location"])
    return try session.code(fromPasted: location)
}
