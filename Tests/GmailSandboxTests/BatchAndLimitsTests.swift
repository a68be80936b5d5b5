import Foundation
import HTTPCore
import Testing
@testable import GmailSandbox

/// Batch requests, concurrency and quota limits, faults and the control API.
@Suite struct BatchAndLimitsTests {
    static func batchBody(_ parts: [(id: String, request: String)], boundary: String = "batch_foobar") -> Data {
        var text = ""
        for p in parts {
            text += "--\(boundary)\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <\(p.id)>\r\n\r\n\(p.request)\r\n\r\n"
        }
        text += "--\(boundary)--\r\n"
        return Data(text.utf8)
    }

    /// The parts of a batch response: Content-ID, status and body JSON.
    static func parseResponse(_ r: SandboxResponse) -> [(contentID: String?, status: Int, body: [String: Any])] {
        guard let boundary = BatchCodec.boundary(r.header("Content-Type")) else { return [] }
        return BatchCodec.split(r.body, boundary: boundary).map { part in
            let (head, inner) = BatchCodec.headBody(part)
            let cid = BatchCodec.headerFields(head).first { $0.0 == "Content-ID" }?.1
            let (statusHead, json) = BatchCodec.headBody(inner)
            let status = statusHead.first.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
            let body = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:]
            return (cid, status, body)
        }
    }

    @Test func batchMixedStatuses() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let id = try #require(s.messageIds.first)
        let body = Self.batchBody([
            ("item1:12930812@barnyard.example.com", "GET /gmail/v1/users/me/messages/\(id)?format=metadata HTTP/1.1"),
            ("item2", "GET /gmail/v1/users/me/messages/0123456789abcdef HTTP/1.1"),
            ("item3", "GET /gmail/v1/users/me/labels/INBOX\r\nAuthorization: Bearer ya29.bad"),
            ("item4", "POST /gmail/v1/users/me/messages/\(id)/modify HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"removeLabelIds\":[\"UNREAD\"]}"),
            ("item5", "GET /gmail/v1/users/me/profile HTTP/1.1"),
        ])
        for path in ["/batch/gmail/v1", "/batch"] {
            let r = await s.call(path, method: "POST", token: token, headers: [("Content-Type", "multipart/mixed; boundary=batch_foobar")], body: body)
            #expect(r.status == 200)
            #expect(r.header("Content-Type")?.hasPrefix("multipart/mixed; boundary=") == true)
            let parts = Self.parseResponse(r)
            #expect(parts.count == 5)
            #expect(parts.map(\.contentID) == ["<response-item1:12930812@barnyard.example.com>", "<response-item2>", "<response-item3>", "<response-item4>", "<response-item5>"])
            #expect(parts.map(\.status) == [200, 404, 401, 403, 200])
            #expect(parts[0].body["id"] as? String == id)
            #expect((parts[1].body["error"] as? [String: Any])?["message"] as? String == "Requested entity was not found.")
            #expect(parts[4].body["emailAddress"] as? String == Sandbox.defaultUserEmail)
        }
    }

    @Test func batchLimitAndMalformed() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let many = Self.batchBody((0..<101).map { ("i\($0)", "GET /gmail/v1/users/me/profile") })
        let r = await s.call("/batch/gmail/v1", method: "POST", token: token, headers: [("Content-Type", "multipart/mixed; boundary=batch_foobar")], body: many)
        #expect(r.status == 400)
        let hundred = Self.batchBody((0..<100).map { ("i\($0)", "GET /gmail/v1/users/me/profile") })
        s.setLimits(maxConcurrentPerUser: 1000)
        let ok = await s.call("/batch/gmail/v1", method: "POST", token: token, headers: [("Content-Type", "multipart/mixed; boundary=batch_foobar")], body: hundred)
        #expect(Self.parseResponse(ok).count == 100)
        let notMultipart = await s.call("/batch/gmail/v1", method: "POST", token: token, headers: [("Content-Type", "application/json")], body: Data("{}".utf8))
        #expect(notMultipart.status == 400)
    }

    @Test func batchPartsCountTowardConcurrency() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let body = Self.batchBody((0..<30).map { ("i\($0)", "GET /gmail/v1/users/me/profile") })
        let r = await s.call("/batch", method: "POST", token: token, headers: [("Content-Type", "multipart/mixed; boundary=batch_foobar")], body: body)
        let statuses = Self.parseResponse(r).map(\.status)
        #expect(statuses.count == 30)
        #expect(statuses.filter { $0 == 200 }.count == 25)
        #expect(statuses.filter { $0 == 429 }.count == 5)
        let tooMany = Self.parseResponse(r).first { $0.status == 429 }
        #expect((tooMany?.body["error"] as? [String: Any])?["message"] as? String == "Too many concurrent requests for user")
        #expect(s.stats().maxInFlightPerUser[Sandbox.defaultUserEmail] == 25)
    }

    @Test func concurrentRequestsOverTheLimitGet429() async throws {
        let s = try Fixture.sandbox { $0.latency = .milliseconds(300) }
        let token = s.readonlyToken()
        let statuses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<40 { group.addTask { await s.call("/gmail/v1/users/me/profile", token: token).status } }
            var out: [Int] = []
            for await st in group { out.append(st) }
            return out
        }
        #expect(statuses.count == 40)
        #expect(statuses.allSatisfy { $0 == 200 || $0 == 429 })
        #expect(statuses.contains(429), "more than 25 overlapping requests: some are refused")
        #expect(s.stats().maxInFlightPerUser[Sandbox.defaultUserEmail] == 25, "never more than the limit in flight")
        #expect(s.stats().tooManyRequests == statuses.filter { $0 == 429 }.count)
        let body = await s.call("/gmail/v1/users/me/profile", token: token)
        #expect(body.status == 200, "slots are released afterwards")
    }

    @Test func quotaPerMinute() async throws {
        let s = try Fixture.sandbox { $0.quotaUnitsPerMinute = 12 }
        let token = s.readonlyToken()
        // messages.list costs 5 units: two fit in 12, the third does not.
        #expect(await s.call("/gmail/v1/users/me/messages", token: token).status == 200)
        #expect(await s.call("/gmail/v1/users/me/messages", token: token).status == 200)
        let third = await s.call("/gmail/v1/users/me/messages", token: token)
        #expect(third.status == 429)
        #expect(third.googleError.message == "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:\(GoogleError.projectNumber)'.")
        #expect(third.googleError.reason == "rateLimitExceeded")
        s.setLimits(quotaUnitsPerMinute: 5, quotaStatus: 403)
        #expect(await s.call("/gmail/v1/users/me/messages", token: token).status == 200)
        let fourth = await s.call("/gmail/v1/users/me/messages", token: token)
        #expect(fourth.status == 403)
        #expect(fourth.googleError.reason == "userRateLimitExceeded")
        #expect(fourth.googleError.message == "User Rate Limit Exceeded")
        // Only what was served is charged: three lists of 5 units; the two refused cost nothing.
        #expect(s.stats().quotaUnitsCharged == 15)
        _ = await s.call("/gmail/v1/users/me/profile", token: token)
        #expect(s.stats().quotaUnitsCharged == 15, "the per-minute budget is spent: refused, not charged")
        s.setLimits(quotaUnitsPerMinute: 1_000)
        _ = await s.call("/gmail/v1/users/me/profile", token: token)
        #expect(s.stats().quotaUnitsCharged == 16, "getProfile costs 1")
    }

    @Test func faultsHitMatchingPathsNTimes() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        s.failNext(pathContaining: "/messages", status: 503, count: 2)
        #expect(await s.call("/gmail/v1/users/me/profile", token: token).status == 200)
        let first = await s.call("/gmail/v1/users/me/messages", token: token)
        #expect(first.status == 503)
        #expect(first.googleError.status == "UNAVAILABLE")
        #expect(await s.call("/gmail/v1/users/me/messages", token: token).status == 503)
        #expect(await s.call("/gmail/v1/users/me/messages", token: token).status == 200)
        s.failNext(pathContaining: "/profile", status: 500)
        let backend = await s.call("/gmail/v1/users/me/profile", token: token)
        #expect(backend.bodyText == #"{"error":{"code":500,"message":"Backend Error","errors":[{"domain":"global","reason":"backendError","message":"Backend Error"}]}}"#)
        s.failNext(pathContaining: "/token", status: 503)
        let tokenFault = await s.call("/token", method: "POST", body: Data())
        #expect(tokenFault.status == 503)
        #expect(tokenFault.object["error"] as? String == "internal_failure")
    }

    @Test func controlAPI() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        #expect(await s.call("/_sandbox/fail?path=/labels&status=429&count=1", method: "POST").status == 200)
        let limited = await s.call("/gmail/v1/users/me/labels", token: token)
        #expect(limited.status == 429)
        #expect(limited.bodyText == #"{"error":{"code":429,"message":"Too many concurrent requests for user","errors":[{"domain":"usageLimits","reason":"rateLimitExceeded","message":"Too many concurrent requests for user"}],"status":"RESOURCE_EXHAUSTED"}}"#)
        #expect(await s.call("/gmail/v1/users/me/labels", token: token).status == 200)

        #expect(await s.call("/_sandbox/expire-tokens", method: "POST").status == 200)
        #expect(await s.call("/gmail/v1/users/me/labels", token: token).status == 401)

        let fresh = s.readonlyToken()
        #expect(await s.call("/_sandbox/revoke?email=demo@gmail-tui.example", method: "POST").status == 200)
        #expect(await s.call("/gmail/v1/users/me/labels", token: fresh).status == 401)

        #expect(await s.call("/_sandbox/latency?ms=0", method: "POST").status == 200)
        #expect(await s.call("/_sandbox/limits?max-concurrent=3&quota-per-minute=100", method: "POST").status == 200)
        #expect(s.state.withLock { ($0.maxConcurrentPerUser, $0.quotaUnitsPerMinute) } == (3, 100))
        #expect(await s.call("/_sandbox/users?email=deny@example.com&deny=true", method: "POST").status == 200)
        #expect(s.state.withLock { $0.user(email: "deny@example.com")?.denyConsent } == true)
        let minted = await s.call("/_sandbox/token?scope=\(FormEncoding.escape(SandboxScope.readonly))", method: "POST")
        let access = try #require(minted.object["access_token"] as? String)
        #expect(await s.call("/gmail/v1/users/me/profile", token: access).status == 200)
        #expect(await s.call("/_sandbox/nope", method: "POST").status == 404)
        #expect(await s.call("/_sandbox/fail", method: "POST").status == 400)

        let stats = await s.call("/_sandbox/stats")
        #expect(stats.object["requestsServed"] as? Int == 5)
        #expect(stats.object["tooManyRequests"] as? Int == 1)

        let remote = await s.handle(SandboxRequest(method: "GET", path: "/_sandbox/stats", remoteAddress: "192.168.1.5"))
        #expect(remote.status == 403)
    }

    @Test func logMasksSecrets() async throws {
        let s = try Fixture.sandbox()
        _ = await s.call("/gmail/v1/users/me/profile?access_token=ya29.SECRET-ACCESS")
        _ = await s.call("/o/oauth2/auth?client_id=x&code_challenge=CHALLENGE-SECRET")
        _ = await s.call("/revoke?token=1//SECRET-REFRESH", method: "POST")
        _ = await s.call("/token", method: "POST", body: Data("client_secret=SECRET-CLIENT&code=4/SECRET-CODE".utf8))
        let log = await s.call("/_sandbox/log")
        #expect(log.status == 200)
        let requests = try #require(log.object["requests"] as? [[String: Any]])
        #expect(requests.count == 4)
        #expect(requests.first?["path"] as? String == "/gmail/v1/users/me/profile?access_token=%2A%2A%2A")
        #expect(requests.first?["status"] as? Int == 401)
        #expect(requests.first?["method"] as? String == "GET")
        #expect(!log.bodyText.contains("SECRET"))
        #expect(!s.requestLog().map(\.path).joined().contains("SECRET"))
    }
}
