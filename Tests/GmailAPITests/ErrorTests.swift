import Foundation
import Testing
import HTTPCore
import TestSupport
@testable import GmailAPI

@Suite struct ErrorEnvelopeTests {
    @Test func expiredToken401() {
        let body = #"{"error":{"code":401,"message":"Request had invalid authentication credentials.","errors":[{"message":"Invalid Credentials","domain":"global","reason":"authError","location":"Authorization","locationType":"header"}],"status":"UNAUTHENTICATED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_EXPIRED","domain":"googleapis.com"}]}}"#
        #expect(GmailError(response: jsonResponse(401, body)) == .unauthenticated("Request had invalid authentication credentials."))
    }

    @Test func insufficientScope403() {
        let body = #"{"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"message":"Insufficient Permission","domain":"global","reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED"}}"#
        #expect(GmailError(response: jsonResponse(403, body)) == .insufficientScope("Request had insufficient authentication scopes."))
    }

    @Test func insufficientScopeFromDetailsOnly() {
        let body = #"{"error":{"code":403,"message":"nope","status":"PERMISSION_DENIED","details":[{"reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT"}]}}"#
        #expect(GmailError(response: jsonResponse(403, body)) == .insufficientScope("nope"))
    }

    @Test func notFound404() {
        let body = #"{"error":{"code":404,"message":"Requested entity was not found.","errors":[{"message":"Requested entity was not found.","domain":"global","reason":"notFound"}],"status":"NOT_FOUND"}}"#
        let error = GmailError(response: jsonResponse(404, body))
        #expect(error == .notFound("Requested entity was not found."))
        #expect(!error.isRetryable)
    }

    @Test func tooManyRequests429WithRetryAfter() {
        let body = #"{"error":{"code":429,"message":"Too many concurrent requests for user","errors":[{"domain":"usageLimits","reason":"rateLimitExceeded","message":"Too many concurrent requests for user"}],"status":"RESOURCE_EXHAUSTED"}}"#
        let error = GmailError(response: jsonResponse(429, body, headers: ["Retry-After": "7"]))
        #expect(error == .rateLimited(reason: "rateLimitExceeded", retryAfter: .seconds(7)))
        #expect(error.isRetryable)
    }

    @Test func bare429() {
        #expect(GmailError(response: HTTPResponse(status: 429)) == .rateLimited(reason: "rateLimitExceeded", retryAfter: nil))
    }

    @Test(arguments: ["userRateLimitExceeded", "rateLimitExceeded", "dailyLimitExceeded"])
    func usageLimits403(reason: String) {
        let body = #"{"error":{"code":403,"message":"Limit","errors":[{"domain":"usageLimits","reason":"\#(reason)","message":"Limit"}]}}"#
        let error = GmailError(response: jsonResponse(403, body))
        #expect(error == .rateLimited(reason: reason, retryAfter: nil))
        #expect(error.isRetryable == (reason != "dailyLimitExceeded"))
    }

    @Test func other403IsNotRetried() {
        let body = #"{"error":{"code":403,"message":"Metadata scope does not support 'q' parameter","errors":[{"domain":"global","reason":"forbidden"}],"status":"PERMISSION_DENIED"}}"#
        let error = GmailError(response: jsonResponse(403, body))
        #expect(error == .other(status: 403, message: "Metadata scope does not support 'q' parameter"))
        #expect(!error.isRetryable)
    }

    @Test func oldShapeWithoutWrapperOrStatus() {
        let body = #"{"errors":[{"domain":"global","reason":"invalidArgument","message":"Invalid pageToken"}],"code":400,"message":"Invalid pageToken"}"#
        #expect(GmailError(response: jsonResponse(400, body)) == .badRequest("Invalid pageToken"))
    }

    @Test func backendError500OldShape() {
        let body = #"{"code":500,"message":"Backend Error","errors":[{"domain":"global","reason":"backendError","message":"Backend Error"}]}"#
        let error = GmailError(response: jsonResponse(500, body))
        #expect(error == .backendError(status: 500))
        #expect(error.isRetryable)
    }

    @Test func nonJSONBodies() {
        #expect(GmailError(response: HTTPResponse(status: 502, body: Data("<html>Bad Gateway</html>".utf8))) == .backendError(status: 502))
        #expect(GmailError(response: HTTPResponse(status: 400, body: Data("plain words".utf8))) == .badRequest("plain words"))
        #expect(GmailError(response: HTTPResponse(status: 418)) == .other(status: 418, message: "HTTP 418"))
        #expect(GmailError(response: HTTPResponse(status: 401, body: Data("x".utf8))) == .unauthenticated("x"))
    }

    @Test func decodeThrowsEnvelopeForErrorStatus() {
        #expect(throws: GmailError.notFound("HTTP 404")) { try GmailClient.decode(Message.self, from: HTTPResponse(status: 404)) }
    }

    @Test func unreadableSuccessIsInvalidResponse() {
        #expect {
            try GmailClient.decode(Message.self, from: jsonResponse("[1,2]"))
        } throws: { error in
            if case .invalidResponse = error as? GmailError { return true }
            return false
        }
    }
}
