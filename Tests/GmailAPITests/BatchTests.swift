import Foundation
import Testing
import HTTPCore
import TestSupport
@testable import GmailAPI

/// Builds a batch answer the way Google writes one.
func batchAnswer(boundary: String, parts: [(contentID: String?, status: String, body: String)]) -> HTTPResponse {
    var text = "preamble to ignore\r\n"
    for part in parts {
        text += "--\(boundary)\r\nContent-Type: application/http\r\n"
        if let id = part.contentID { text += "Content-ID: \(id)\r\n" }
        text += "\r\nHTTP/1.1 \(part.status)\r\nContent-Type: application/json; charset=UTF-8\r\nETag: \"x\"\r\n\r\n\(part.body)\r\n"
    }
    text += "--\(boundary)--\r\n"
    return HTTPResponse(status: 200, headers: ["Content-Type": "multipart/mixed; boundary=\(boundary)"], body: Data(text.utf8))
}

/// The inner request lines of a batch request body, one per part.
func innerRequestLines(_ request: HTTPRequest) -> [String] {
    String(decoding: request.body ?? Data(), as: UTF8.self).components(separatedBy: "\r\n")
        .filter { $0.hasPrefix("GET ") }
}

let notFoundJSON = #"{"error":{"code":404,"message":"Requested entity was not found.","errors":[{"message":"Requested entity was not found.","domain":"global","reason":"notFound"}],"status":"NOT_FOUND"}}"#

@Suite struct BatchTests {
    @Test func encodesPartsAsPathOnlyHTTPRequests() throws {
        let calls = [GmailClient.messagesGetCall(.summary(id: "a1")), GmailClient.labelsGetCall(LabelsGetParameters(id: "INBOX"))]
        let text = String(decoding: GmailBatch.encode(calls, boundary: "BB", accessToken: "tok"), as: UTF8.self)
        let expected = "--BB\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <item-1>\r\n\r\n"
            + "GET /gmail/v1/users/me/messages/a1?format=metadata&metadataHeaders=From&metadataHeaders=Subject&metadataHeaders=Date&fields=id%2CthreadId%2ClabelIds%2Csnippet%2CinternalDate%2Cpayload%2Fheaders%2Cpayload%2FmimeType HTTP/1.1\r\n"
            + "Authorization: Bearer tok\r\n\r\n"
            + "--BB\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <item-2>\r\n\r\n"
            + "GET /gmail/v1/users/me/labels/INBOX HTTP/1.1\r\nAuthorization: Bearer tok\r\n\r\n--BB--\r\n"
        #expect(text == expected)
    }

    @Test func parsesPartsMatchedByContentIDOutOfOrder() throws {
        let answer = batchAnswer(boundary: "batch_xyz", parts: [
            ("<response-item-3>", "200 OK", #"{"id":"c"}"#),
            ("<response-item-1>", "200 OK", #"{"id":"a"}"#),
            ("<response-item-2>", "404 Not Found", notFoundJSON),
        ])
        let parts = try GmailBatch.decode(answer.body, contentType: answer.headers["Content-Type"]!, count: 3)
        #expect(parts.map { $0?.status } == [200, 404, 200])
        #expect(parts[0]?.bodyText == #"{"id":"a"}"#)
        #expect(parts[2]?.bodyText == #"{"id":"c"}"#)
        #expect(parts[0]?.headers["ETag"] == "\"x\"")
    }

    @Test func partsWithoutContentIDFallBackToOrder() throws {
        let answer = batchAnswer(boundary: "b", parts: [(nil, "200 OK", #"{"id":"a"}"#), (nil, "200 OK", #"{"id":"b"}"#)])
        let parts = try GmailBatch.decode(answer.body, contentType: "multipart/mixed; boundary=\"b\"", count: 2)
        #expect(parts.map { $0?.bodyText } == [#"{"id":"a"}"#, #"{"id":"b"}"#])
    }

    @Test func nonMultipartAnswerIsInvalid() {
        #expect(throws: GmailError.self) { try GmailBatch.decode(Data("{}".utf8), contentType: "application/json", count: 1) }
    }

    @Test func clientBatchPostsToBatchPathAndReportsPerPartStatus() async throws {
        let fake = FakeTransport { request in
            let lines = innerRequestLines(request)
            // Answer in reverse order, to show matching by Content-ID.
            let parts: [(contentID: String?, status: String, body: String)] = lines.enumerated().reversed().map { index, line in
                line.contains("/missing?")
                    ? ("<response-item-\(index + 1)>", "404 Not Found", notFoundJSON)
                    : ("<response-item-\(index + 1)>", "200 OK", #"{"id":"\#(line.split(separator: "/")[6].prefix { $0 != "?" })","labelIds":["UNREAD"]}"#)
            }
            return batchAnswer(boundary: "resp", parts: parts)
        }
        let client = GmailClient(transport: fake, apiRoot: URL(string: "http://127.0.0.1:9/")!)
        let results = try await client.messagesGetBatch(["a", "missing", "c"].map(MessagesGetParameters.summary), accessToken: "tok")
        #expect(results.count == 3)
        #expect(try results[0].get().id == "a")
        #expect(try results[2].get().id == "c")
        #expect(results[1] == .failure(.notFound("Requested entity was not found.")))
        let request = try #require(fake.requests.first)
        #expect(request.method == .post)
        #expect(request.url.absoluteString == "http://127.0.0.1:9/batch/gmail/v1")
        #expect(request.headers["Authorization"] == "Bearer tok")
        #expect(request.headers["Content-Type"]?.hasPrefix("multipart/mixed; boundary=") == true)
    }

    @Test func moreThanFiftyCallsAreSplit() async throws {
        let fake = FakeTransport { request in
            let lines = innerRequestLines(request)
            let parts: [(contentID: String?, status: String, body: String)] = lines.indices.map { ("<response-item-\($0 + 1)>", "200 OK", #"{"id":"x"}"#) }
            return batchAnswer(boundary: "r", parts: parts)
        }
        let client = GmailClient(transport: fake)
        let calls = (0..<120).map { GmailClient.messagesGetCall(MessagesGetParameters(id: "m\($0)")) }
        let results = try await client.batch(calls, accessToken: "t")
        #expect(results.count == 120)
        #expect(fake.requests.map { innerRequestLines($0).count } == [50, 50, 20])
        #expect(innerRequestLines(fake.requests[1]).first == "GET /gmail/v1/users/me/messages/m50 HTTP/1.1")
    }

    @Test func outerFailureThrows() async {
        let fake = FakeTransport { _ in jsonResponse(401, #"{"error":{"code":401,"message":"Invalid Credentials","status":"UNAUTHENTICATED"}}"#) }
        await #expect(throws: GmailError.unauthenticated("Invalid Credentials")) {
            try await GmailClient(transport: fake).batch([GmailClient.labelsListCall()], accessToken: "t")
        }
    }

    @Test func missingPartIsReportedNotCrashed() async throws {
        let fake = FakeTransport { _ in batchAnswer(boundary: "r", parts: [("<response-item-1>", "200 OK", "{}")]) }
        let results = try await GmailClient(transport: fake).batch([GmailClient.labelsListCall(), GmailClient.getProfileCall()], accessToken: "t")
        #expect(results.count == 2)
        if case .failure(.invalidResponse) = results[1] {} else { Issue.record("expected invalidResponse, got \(results[1])") }
    }
}

