import Foundation
import Testing
import HTTPCore
import GmailAPI
import TestSupport
@testable import MailService

@Suite struct RetryTests {
    /// Answers with `first` for the first `count` calls, then a message.
    static func failing(_ count: Int, with first: HTTPResponse) -> FakeTransport.Handler {
        let seen = Recorder<Int>()
        return { request in
            seen.append(1)
            return seen.values.count <= count ? first : metadataJSON(messageID(request))
        }
    }

    @Test func tooManyRequestsThenSuccessIsRetriedHonouringRetryAfter() async throws {
        var limited = tooMany
        limited.headers["Retry-After"] = "7"
        let h = Harness(routes: [route(messagesPath + "/", Self.failing(1, with: limited))])
        let detail = try await h.service.message(id: "abc", cache: .reload)
        #expect(detail.id == "abc")
        #expect(h.requests(messagesPath).count == 2)
        #expect(h.sleeps.values == [.seconds(7)])
    }

    @Test func backoffIsExponentialWithFullJitter() async throws {
        // random() is 0.5: waits are half of 1s, 2s, 4s.
        let h = Harness(routes: [route(messagesPath + "/", Self.failing(3, with: jsonResponse(503, #"{"error":{"code":503,"message":"Backend Error"}}"#)))])
        _ = try await h.service.message(id: "abc", cache: .reload)
        #expect(h.sleeps.values == [.milliseconds(500), .seconds(1), .seconds(2)])
    }

    @Test func backoffIsCappedAtMaxDelay() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxDelay: .seconds(8), jitter: 0)
        #expect((1...6).map { policy.delay(retry: $0, retryAfter: nil, random: 0.3) } == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)])
        #expect(policy.delay(retry: 2, retryAfter: .seconds(30), random: 0.3) == .seconds(30))
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        let h = Harness(routes: [route(messagesPath + "/", { _ in jsonResponse(500, #"{"code":500,"message":"Backend Error"}"#) })])
        await #expect(throws: MailServiceError.api(status: 500, message: "Gmail backend error")) { try await h.service.message(id: "abc", cache: .reload) }
        #expect(h.requests(messagesPath).count == 4)
        #expect(h.sleeps.values.count == 3)
    }

    @Test func persistentRateLimitReportsRateLimited() async throws {
        let h = Harness(routes: [route(messagesPath + "/", { _ in tooMany })])
        await #expect(throws: MailServiceError.rateLimited) { try await h.service.message(id: "abc", cache: .reload) }
        #expect(h.requests(messagesPath).count == 4)
    }

    @Test func forbiddenRateLimitReasonIsRetried() async throws {
        let limited = jsonResponse(403, #"{"error":{"code":403,"message":"User Rate Limit Exceeded","errors":[{"domain":"usageLimits","reason":"userRateLimitExceeded"}]}}"#)
        let h = Harness(routes: [route(messagesPath + "/", Self.failing(1, with: limited))])
        _ = try await h.service.message(id: "abc", cache: .reload)
        #expect(h.requests(messagesPath).count == 2)
    }

    @Test func dailyLimitIsNotRetried() async throws {
        let daily = jsonResponse(403, #"{"error":{"code":403,"message":"Daily Limit Exceeded","errors":[{"domain":"usageLimits","reason":"dailyLimitExceeded"}]}}"#)
        let h = Harness(routes: [route(messagesPath + "/", { _ in daily })])
        await #expect(throws: MailServiceError.rateLimited) { try await h.service.message(id: "abc", cache: .reload) }
        #expect(h.requests(messagesPath).count == 1)
    }

    @Test func notFoundIsNotRetried() async throws {
        let h = Harness(routes: [route(messagesPath + "/", { _ in notFound })])
        await #expect(throws: MailServiceError.notFound) { try await h.service.message(id: "abc", cache: .reload) }
        #expect(h.requests(messagesPath).count == 1)
        #expect(h.sleeps.values.isEmpty)
    }

    @Test func badRequestAndInsufficientScopeAreNotRetried() async throws {
        let scope = jsonResponse(403, #"{"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED"}}"#)
        let h = Harness(routes: [route(messagesPath + "/", { _ in scope })])
        await #expect(throws: MailServiceError.self) { try await h.service.message(id: "abc", cache: .reload) }
        #expect(h.requests(messagesPath).count == 1)
    }

    @Test func transientNetworkFailureIsRetried() async throws {
        let seen = Recorder<Int>()
        let h = Harness(routes: [route(messagesPath + "/", { request in
            seen.append(1)
            if seen.values.count == 1 { throw TransportError.connectionLost(host: "gmail.example.test", detail: "reset") }
            return metadataJSON(messageID(request))
        })])
        _ = try await h.service.message(id: "abc", cache: .reload)
        #expect(h.requests(messagesPath).count == 2)
    }

    @Test func persistentNetworkFailureIsReportedAsNetwork() async throws {
        let h = Harness(routes: [route(messagesPath + "/", { _ in throw TransportError.dnsFailure(host: "gmail.example.test") })])
        await #expect(throws: MailServiceError.network(TransportError.dnsFailure(host: "gmail.example.test").description)) {
            try await h.service.message(id: "abc", cache: .reload)
        }
    }
}

@Suite struct RetryAfterBoundsTests {
    @Test func anAbsurdRetryAfterIsCapped() {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .seconds(1), maxDelay: .seconds(8), jitter: 0)
        #expect(policy.delay(retry: 1, retryAfter: .seconds(86_400), random: 0.5) == .seconds(60))
        let huge = HTTPResponse(status: 429, headers: ["Retry-After": "9223372036854775807"])
        #expect(huge.retryAfter == .seconds(86_400))
    }
}
