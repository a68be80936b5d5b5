import Foundation
import Testing
import HTTPCore
import GoogleOAuth
import GmailAPI
import TestSupport
@testable import MailService

/// Another instance's logout, servers that answer badly, waits the user is told about, a deadline.
@Suite struct HardeningTests {
    let labelsOK: FakeTransport.Handler = { _ in jsonResponse(#"{"labels":[]}"#) }

    @Test func aRefreshAfterLogoutElsewhereDoesNotBringTheAccountBack() async throws {
        let h = Harness(credentials: validCredentials(expiresIn: 60), routes: [
            route(tokenPath, { _ in tokenJSON("new-access") }),
            route(labelsPath, labelsOK),
        ])
        // `gmail-tui logout` ran in another terminal.
        try h.store.remove(userID: "u1")
        await #expect(throws: MailServiceError.loggedOutElsewhere(email: "me@example.com")) { try await h.service.labels() }
        #expect(try h.store.load().accounts.isEmpty)
        // It stays forgotten: no more refreshes, no more calls.
        await #expect(throws: MailServiceError.loggedOutElsewhere(email: "me@example.com")) { try await h.service.labels() }
        #expect(h.requests(tokenPath).count == 1)
        #expect(h.requests(labelsPath).isEmpty)
    }

    @Test func aRefusedRefreshAfterLogoutRevokeLeavesNoEntryBehind() async throws {
        let h = Harness(credentials: validCredentials(expiresIn: 60), routes: [
            route(tokenPath, { _ in jsonResponse(400, #"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#) }),
            route(labelsPath, labelsOK),
        ])
        try h.store.remove(userID: "u1")
        await #expect(throws: MailServiceError.loggedOutElsewhere(email: "me@example.com")) { try await h.service.labels() }
        #expect(try h.store.load().accounts.isEmpty)
    }

    @Test func aRefreshDoesNotOverwriteAnAuthorizationMadeElsewhere() async throws {
        let h = Harness(credentials: validCredentials(expiresIn: 60), routes: [
            route(tokenPath, { _ in tokenJSON("access-from-old-grant") }),
            route(labelsPath, { request in
                request.headers["Authorization"] == "Bearer elsewhere-access" ? jsonResponse(#"{"labels":[]}"#) : unauthorized
            }),
        ])
        // Another instance authorized again: a new refresh token and a fresh access token.
        let newer = validCredentials(access: "elsewhere-access", refresh: "refresh-2", expiresIn: 3600)
        try h.store.save(newer)
        _ = try await h.service.labels()
        #expect(try h.store.account(email: nil) == newer)
        #expect(h.requests(labelsPath).last?.headers["Authorization"] == "Bearer elsewhere-access")
    }

    @Test func retryAfterIsToldToTheObserver() async throws {
        let calls = Recorder<Int>()
        let h = Harness(routes: [route(labelsPath, { _ in
            calls.append(1)
            if calls.values.count == 1 {
                return jsonResponse(429, #"{"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED"}}"#, headers: ["Retry-After": "20"])
            }
            return jsonResponse(#"{"labels":[]}"#)
        })])
        let notices = Recorder<ServiceNotice>()
        await h.service.setNoticeHandler { notices.append($0) }
        _ = try await h.service.labels()
        #expect(notices.values == [.serverAskedToWait(.seconds(20)), .retryStarted])
        #expect(h.sleeps.values == [.seconds(20)])
    }

    @Test func aDeadlineStopsRetriesThatCouldNotStartBeforeIt() async {
        let h = Harness(retry: RetryPolicy(maxAttempts: 5, baseDelay: .seconds(4), maxDelay: .seconds(8), jitter: 0),
                        routes: [route(labelsPath, { _ in throw TransportError.timedOut(host: "gmail.example.test") })])
        await RequestDeadline.$current.withValue(.now + .seconds(6)) {
            await #expect(throws: MailServiceError.network(TransportError.timedOut(host: "gmail.example.test").description)) {
                try await h.service.labels()
            }
        }
        // The first retry (after 4 s) could start in time, the second (after 8 s more) not; sleeps are not real here,
        // so only the first fits the 6 s.
        #expect(h.requests(labelsPath).count == 2)
    }

    @Test func aNonJSONAnswerIsABadAnswerInTheUsersWords() async {
        let h = Harness(routes: [route(labelsPath, { _ in HTTPResponse(status: 200, body: Data("<html>proxy</html>".utf8)) })])
        do {
            _ = try await h.service.labels()
            Issue.record("expected a throw")
        } catch {
            #expect(error.description == "Gmail sent an answer that is not JSON")
            #expect(error.logDetail.contains("not JSON"))
            #expect(!error.description.contains("Gmail error 0"))
        }
    }

    @Test func tokenEndpointFailuresAreNamedAsSuch() async {
        let h = Harness(credentials: validCredentials(expiresIn: 0), routes: [
            route(tokenPath, { _ in HTTPResponse(status: 503, body: Data("down".utf8)) }),
            route(labelsPath, labelsOK),
        ])
        do {
            _ = try await h.service.labels()
            Issue.record("expected a throw")
        } catch {
            guard case .tokenEndpoint = error else { Issue.record("got \(error)"); return }
            #expect(error.description.hasPrefix("Google's token endpoint"))
            #expect(!error.description.contains("Gmail error"))
        }
    }

    @Test func aRefusedClientIsAConfigurationError() async {
        let h = Harness(credentials: validCredentials(expiresIn: 0), routes: [
            route(tokenPath, { _ in jsonResponse(401, #"{"error":"invalid_client","error_description":"The OAuth client was not found."}"#) }),
            route(labelsPath, labelsOK),
        ])
        do {
            _ = try await h.service.labels()
            Issue.record("expected a throw")
        } catch {
            guard case .configuration(let words) = error else { Issue.record("got \(error)"); return }
            #expect(words.contains("invalid_client"))
        }
    }

    @Test func aTokenEchoedByTheTokenEndpointIsNotShown() async {
        let h = Harness(credentials: validCredentials(expiresIn: 0), routes: [
            route(tokenPath, { request in
                let form = String(decoding: request.body ?? Data(), as: UTF8.self)
                return jsonResponse(400, #"{"error":"invalid_request","error_description":"bad form: \#(form)"}"#)
            }),
            route(labelsPath, labelsOK),
        ])
        do {
            _ = try await h.service.labels()
            Issue.record("expected a throw")
        } catch {
            #expect(!error.description.contains("refresh-1"), "\(error)")
            #expect(!error.description.contains("shh"), "\(error)")
            #expect(error.description.contains("<redacted>"), "\(error)")
        }
    }
}
