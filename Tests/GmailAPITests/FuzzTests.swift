import Foundation
import Testing
import HTTPCore
import MIME
import TestSupport
@testable import GmailAPI

/// Bounded random-input tests of what Gmail sends back: JSON answers decoded into the models (and a
/// decoded message rendered), error bodies, and batch answers. Real answers are mutated with fixed seeds;
/// each input must complete, and a decoded answer must keep the invariants the client relies on.
///
/// The loops yield between inputs: run beside the other tests, they must not hold the cooperative
/// pool for seconds (a test whose task starts a listener would wait for a free thread and time out).
@Suite struct GmailAnswerFuzzTests {
    static let answers: [String] = [
        ModelTests.fullCapture,
        #"{"messages":[{"id":"18d9f2a3b4c5d6e7","threadId":"18d9f2a3b4c5d6e7"},{"id":"18d9f2a3b4c5d6e8","threadId":"18d9f2a3b4c5d6e7"}],"nextPageToken":"09876","resultSizeEstimate":201}"#,
        #"{"id":"a1","threadId":"a1","labelIds":["UNREAD","INBOX"],"snippet":"Hi &amp; bye","internalDate":"1707809515000","payload":{"mimeType":"text/plain","headers":[{"name":"From","value":"=?koi8-r?B?6dfBziDwxdTSz9c=?="},{"name":"Subject","value":"a\tb"},{"name":"Date","value":"Tue, 13 Feb 2024 14:31:55 +0700"}]}}"#,
        #"{"id":"f1","payload":{"mimeType":"multipart/mixed","headers":[{"name":"Content-Type","value":"multipart/mixed; boundary=x"}],"parts":[{"partId":"0","mimeType":"message/rfc822","headers":[{"name":"Content-Type","value":"message/rfc822"}],"body":{"size":40,"data":"RnJvbTogYUBiDQpTdWJqZWN0OiBzDQoNCmlubmVyIHRleHQNCg"}}]}}"#,
        #"{"id":"r1","raw":"RnJvbTogYUBiDQpDb250ZW50LVR5cGU6IHRleHQvcGxhaW47IGNoYXJzZXQ9dXRmLTcNCg0KK1plVm5MSXFlLQ0K"}"#,
        ##"{"labels":[{"id":"INBOX","name":"INBOX","messageListVisibility":"hide","labelListVisibility":"labelShow","type":"system"},{"id":"Label_4","name":"Work","type":"user","color":{"textColor":"#000000","backgroundColor":"#ffffff"}}]}"##,
        #"{"id":"INBOX","name":"INBOX","type":"system","messagesTotal":10,"messagesUnread":3,"threadsTotal":8,"threadsUnread":2}"#,
        #"{"history":[{"id":"31040","messagesAdded":[{"message":{"id":"a","threadId":"a","labelIds":["INBOX"]}}],"labelsRemoved":[{"message":{"id":"b"},"labelIds":["UNREAD"]}]}],"historyId":"31050","nextPageToken":"p2"}"#,
        #"{"id":"t1","historyId":"31031","messages":[{"id":"a","threadId":"t1","snippet":"x"}]}"#,
        #"{"threads":[{"id":"t1","snippet":"x","historyId":"31031"}],"resultSizeEstimate":1}"#,
        #"{"emailAddress":"demo@gmail-tui.example","messagesTotal":60,"threadsTotal":58,"historyId":"31031"}"#,
        #"{"size":12,"data":"SW4gZ2FwIFNPUw0K"}"#,
    ]

    static let errorBodies: [String] = [
        #"{"error":{"code":404,"message":"Requested entity was not found.","errors":[{"message":"Requested entity was not found.","domain":"global","reason":"notFound"}],"status":"NOT_FOUND"}}"#,
        #"{"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"message":"Insufficient Permission","domain":"global","reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED"}}"#,
        #"{"error":{"code":429,"message":"Too many concurrent requests for user","errors":[{"domain":"usageLimits","reason":"rateLimitExceeded"}],"status":"RESOURCE_EXHAUSTED"}}"#,
        #"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#,
        "<html><body>502 Bad Gateway</body></html>",
    ]

    static let jsonMutator = ByteMutator(tokens: [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "null", "true", "0", "-1", "1e999", "9223372036854775808",
        "\"parts\":[", "\"payload\":{", "\"body\":{", "\"data\":\"", "\"attachmentId\":\"x\"", "\"mimeType\":\"message/rfc822\"",
        "\"mimeType\":\"multipart/encrypted\"", "\"size\":-5", "\"headers\":[{\"name\":\"Content-Type\",\"value\":\"", "=?utf-8?B?", "+AGE",
    ])

    /// Decodes `body` as every answer type; a message that decodes is converted and rendered as the client does.
    static func check(_ body: [UInt8], status: Int, _ label: String) {
        let response = HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=UTF-8"], body: Data(body))
        if let message = try? GmailClient.decode(Message.self, from: response) {
            if let entity = message.mimeEntity() {
                let rendered = MessageRenderer.render(entity)
                #expect(!rendered.text.isEmpty, "\(label)")
                #expect(!rendered.text.contains("\r"), "\(label)")
            }
            _ = message.internalDateValue
            _ = message.header("From")
        }
        _ = try? GmailClient.decode(MessagesListResponse.self, from: response)
        _ = try? GmailClient.decode(LabelsListResponse.self, from: response)
        _ = try? GmailClient.decode(Label.self, from: response)
        _ = try? GmailClient.decode(HistoryListResponse.self, from: response)
        _ = try? GmailClient.decode(MailThread.self, from: response)
        _ = try? GmailClient.decode(ThreadsListResponse.self, from: response)
        _ = try? GmailClient.decode(Profile.self, from: response)
        _ = (try? GmailClient.decode(MessagePartBody.self, from: response))?.decodedData
        if status >= 400 {
            let error = GmailError(response: response)
            #expect(!String(describing: error).isEmpty, "\(label)")
        }
    }

    @Test func mutatedJSONAnswers() async {
        var rng = SeededGenerator(seed: 0x4A53_4F4E)
        var count = 0
        for (index, answer) in Self.answers.enumerated() {
            for round in 0..<250 {
                Self.check(Self.jsonMutator.mutate(Array(answer.utf8), using: &rng), status: 200, "answer \(index) mutation \(round)")
                count += 1
                await Task.yield()
            }
        }
        for (index, body) in Self.errorBodies.enumerated() {
            for round in 0..<200 {
                let status = [400, 401, 403, 404, 429, 500, 503][round % 7]
                Self.check(Self.jsonMutator.mutate(Array(body.utf8), using: &rng), status: status, "error \(index) mutation \(round)")
                count += 1
                await Task.yield()
            }
        }
        for round in 0..<500 {
            Self.check(Self.jsonMutator.randomInput(maximumLength: 512, using: &rng), status: 200, "random \(round)")
            count += 1
            await Task.yield()
        }
        #expect(count == Self.answers.count * 250 + Self.errorBodies.count * 200 + 500)
    }

    @Test func deeplyNestedPayloadCompletes() async {
        // Thousands of nested parts: the decoder may refuse them, but nothing may overflow the stack.
        for depth in [100, 1000, 20000] {
            let open = String(repeating: #"{"mimeType":"multipart/mixed","parts":["#, count: depth)
            let leaf = #"{"mimeType":"message/rfc822","body":{"data":"RnJvbTogYUBiDQoNCmhp"}}"#
            let json = #"{"id":"deep","payload":"# + open + leaf + String(repeating: "]}", count: depth) + "}"
            Self.check(Array(json.utf8), status: 200, "depth \(depth)")
            await Task.yield()
        }
    }

    @Test func mutatedBatchAnswers() async throws {
        var rng = SeededGenerator(seed: 0xBA7C)
        let mutator = ByteMutator(tokens: ["--batch_xyz", "--batch_xyz--", "\r\n", "\r\n\r\n", "HTTP/1.1 ", "200 OK", "404", "-1",
                                           "99999999999999999999", "Content-ID: <response-item-", ">", "0", "7", "Content-Type: application/http"])
        let answer = batchAnswer(boundary: "batch_xyz", parts: [
            ("<response-item-2>", "200 OK", #"{"id":"b","labelIds":["UNREAD"]}"#),
            ("<response-item-1>", "200 OK", ModelTests.fullCapture),
            (nil, "404 Not Found", notFoundJSON),
            ("<response-item-4>", "429 Too Many Requests", Self.errorBodies[2]),
        ])
        let original = [UInt8](answer.body)
        let contentType = try #require(answer.headers["Content-Type"])
        for round in 0..<2000 {
            await Task.yield()
            let body = round % 10 == 9 ? mutator.randomInput(maximumLength: 1024, using: &rng) : mutator.mutate(original, using: &rng)
            let count = round % 6
            guard let parts = try? GmailBatch.decode(Data(body), contentType: contentType, count: count) else { continue }
            #expect(parts.count == count, "round \(round)")
            for part in parts.compactMap({ $0 }) {
                // A part is an HTTP answer: a three-digit status the client can classify.
                #expect((100...599).contains(part.status), "round \(round): status \(part.status)")
                if !part.isSuccess { _ = GmailError(response: part) }
            }
        }
    }
}
