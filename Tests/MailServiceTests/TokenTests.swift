import Foundation
import Testing
import HTTPCore
import GoogleOAuth
import GmailAPI
import TestSupport
@testable import MailService

@Suite struct TokenTests {
    /// A labels.list that answers 200 only to `accepted` tokens, 401 otherwise.
    static func labelsAccepting(_ accepted: Set<String>) -> FakeTransport.Handler {
        { request in
            let token = request.headers["Authorization"]?.replacingOccurrences(of: "Bearer ", with: "") ?? ""
            return accepted.contains(token) ? jsonResponse(#"{"labels":[]}"#) : unauthorized
        }
    }

    @Test func expiringTokenIsRefreshedBeforeTheCallAndOldRefreshTokenKept() async throws {
        let h = Harness(credentials: validCredentials(expiresIn: 60), routes: [
            route(tokenPath, { _ in tokenJSON("new-access") }),
            route(labelsPath, Self.labelsAccepting(["new-access"])),
        ])
        _ = try await h.service.labels()
        #expect(h.requests(tokenPath).count == 1)
        #expect(h.requests(labelsPath).map { $0.headers["Authorization"] } == ["Bearer new-access"])
        let form = FormEncoding.decode(String(decoding: h.requests(tokenPath)[0].body ?? Data(), as: UTF8.self))
        #expect(FormEncoding.value("grant_type", in: form) == "refresh_token")
        #expect(FormEncoding.value("refresh_token", in: form) == "refresh-1")
        let saved = try #require(try h.store.account(email: "me@example.com"))
        #expect(saved.accessToken == "new-access")
        #expect(saved.refreshToken == "refresh-1")
        #expect(saved.expiresAt == testNow.addingTimeInterval(3599))
    }

    @Test func newRefreshTokenReplacesOld() async throws {
        let h = Harness(credentials: validCredentials(expiresIn: 0), routes: [
            route(tokenPath, { _ in tokenJSON("new-access", refresh: "refresh-2") }),
            route(labelsPath, Self.labelsAccepting(["new-access"])),
        ])
        _ = try await h.service.labels()
        #expect(try h.store.account(email: nil)?.refreshToken == "refresh-2")
    }

    @Test func validTokenIsNotRefreshed() async throws {
        let h = Harness(routes: [route(labelsPath, Self.labelsAccepting(["old-access"]))])
        _ = try await h.service.labels()
        #expect(h.requests(tokenPath).isEmpty)
    }

    @Test func unauthorizedRefreshesOnceAndRetries() async throws {
        let h = Harness(routes: [
            route(tokenPath, { _ in tokenJSON("new-access") }),
            route(labelsPath, Self.labelsAccepting(["new-access"])),
        ])
        _ = try await h.service.labels()
        #expect(h.requests(labelsPath).map { $0.headers["Authorization"] } == ["Bearer old-access", "Bearer new-access"])
        #expect(h.requests(tokenPath).count == 1)
    }

    @Test func unauthorizedAfterFreshTokenNeedsReauthorization() async throws {
        let h = Harness(routes: [
            route(tokenPath, { _ in tokenJSON("new-access") }),
            route(labelsPath, Self.labelsAccepting([])),
        ])
        await #expect(throws: MailServiceError.reauthorizationRequired(email: "me@example.com", reason: .rejectedAfterRefresh)) {
            try await h.service.labels()
        }
        #expect(h.requests(tokenPath).count == 1)
        #expect(h.requests(labelsPath).count == 2)
    }

    @Test func invalidGrantNeedsReauthorization() async throws {
        let h = Harness(credentials: validCredentials(expiresIn: 0), routes: [
            route(tokenPath, { _ in jsonResponse(400, #"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#) }),
            route(labelsPath, Self.labelsAccepting(["new-access"])),
        ])
        await #expect(throws: MailServiceError.reauthorizationRequired(email: "me@example.com", reason: .grantRevoked)) {
            try await h.service.labels()
        }
        #expect(h.requests(labelsPath).isEmpty)
        // The dead refresh token is forgotten, so the next authorization asks for consent again.
        let stored = try #require(try h.store.account(email: "me@example.com"))
        #expect(stored.refreshToken == nil)
        #expect(stored.accessToken == nil)
        await #expect(throws: MailServiceError.reauthorizationRequired(email: "me@example.com", reason: .noRefreshToken)) {
            try await h.service.labels()
        }
        #expect(h.requests(tokenPath).count == 1)
    }

    @Test func missingRefreshTokenNeedsReauthorization() async throws {
        let h = Harness(credentials: validCredentials(refresh: nil, expiresIn: 0), routes: [route(labelsPath, Self.labelsAccepting(["old-access"]))])
        await #expect(throws: MailServiceError.reauthorizationRequired(email: "me@example.com", reason: .noRefreshToken)) {
            try await h.service.labels()
        }
        #expect(h.transport.requests.isEmpty)
    }

    @Test func networkFailureDuringRefreshIsNotReauthorization() async throws {
        let h = Harness(credentials: validCredentials(expiresIn: 0), routes: [
            route(tokenPath, { _ in throw TransportError.connectionRefused(host: "oauth.example.test") }),
            route(labelsPath, Self.labelsAccepting(["new-access"])),
        ])
        do {
            _ = try await h.service.labels()
            Issue.record("expected a failure")
        } catch {
            guard case .network = error else { Issue.record("expected .network, got \(error)"); return }
        }
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        let h = Harness(credentials: validCredentials(expiresIn: 0), routes: [
            route(tokenPath, { _ in
                try await Task.sleep(for: .milliseconds(20))
                return tokenJSON("new-access")
            }),
            route(labelsPath, Self.labelsAccepting(["new-access"])),
        ])
        let service = h.service
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 { group.addTask { _ = try await service.labels() } }
            try await group.waitForAll()
        }
        #expect(h.requests(tokenPath).count == 1)
        #expect(h.requests(labelsPath).count == 5)
        #expect(h.requests(labelsPath).allSatisfy { $0.headers["Authorization"] == "Bearer new-access" })
    }

    @Test func concurrentUnauthorizedAnswersShareOneRefresh() async throws {
        // The list takes the old token; every metadata GET refuses it, all at once.
        let h = Harness(strategy: .parallel(maxInFlight: 6), routes: [
            route(tokenPath, { _ in
                try await Task.sleep(for: .milliseconds(20))
                return tokenJSON("new-access")
            }),
            route(messagesPath + "/", { r in
                r.headers["Authorization"] == "Bearer new-access" ? metadataJSON(messageID(r)) : unauthorized
            }),
            route(messagesPath, { _ in listJSON(["a", "b", "c", "d", "e", "f"]) }),
        ])
        let page = try await h.service.page(query: "", pageToken: nil, pageSize: 6, cache: .reload)
        #expect(page.messages.map(\.id) == ["a", "b", "c", "d", "e", "f"])
        #expect(h.requests(tokenPath).count == 1)
    }

    @Test func serviceIsUsableAfterReplaceAccount() async throws {
        let h = Harness(credentials: validCredentials(expiresIn: 0), routes: [
            route(tokenPath, { _ in jsonResponse(400, #"{"error":"invalid_grant","error_description":"Bad Request"}"#) }),
            route(labelsPath, Self.labelsAccepting(["reauthorized"])),
        ])
        await #expect(throws: MailServiceError.self) { try await h.service.labels() }
        var fresh = validCredentials(access: "reauthorized", refresh: "refresh-9")
        fresh.email = "me@example.com"
        await h.service.replaceAccount(fresh)
        _ = try await h.service.labels()
        #expect(await h.service.account == MailAccount(email: "me@example.com", userID: "u1"))
    }
}
