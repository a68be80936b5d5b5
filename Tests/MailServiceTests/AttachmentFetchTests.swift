import Foundation
import Testing
import HTTPCore
import GmailAPI
import TestSupport
@testable import MailService

/// `attachmentData`: one `attachments.get`, or the message fetched again when the id went stale or the bytes
/// were in the message itself.
@Suite struct AttachmentFetchTests {
    static let invalidToken = jsonResponse(400, #"{"error":{"code":400,"message":"Invalid attachment token","errors":[{"message":"Invalid attachment token","domain":"global","reason":"invalidArgument"}],"status":"INVALID_ARGUMENT"}}"#)

    /// A message whose part "1" is behind `attachmentId` `fresh`, and whose part "2" carries its bytes inline.
    static func full(fresh: String) -> HTTPResponse {
        jsonResponse(#"""
        {"id":"m1","threadId":"t1","payload":{"partId":"","mimeType":"multipart/mixed","headers":[{"name":"Subject","value":"x"}],"body":{"size":0},
         "parts":[{"partId":"0","mimeType":"text/plain","body":{"size":3,"data":"aGk_"}},
                  {"partId":"1","mimeType":"application/pdf","filename":"a.pdf","body":{"attachmentId":"\#(fresh)","size":4}},
                  {"partId":"2","mimeType":"image/png","filename":"b.png","body":{"size":3,"data":"AAEC"}}]}}
        """#)
    }

    func harness(stale: Set<String> = []) -> Harness {
        Harness(retry: RetryPolicy(maxAttempts: 1, baseDelay: .zero), routes: [route(messagesPath + "/", { request in
            let path = request.url.path
            if path.hasSuffix("/attachments/NEW") { return jsonResponse(#"{"size":4,"data":"JVBERg=="}"#) }
            if path.contains("/attachments/") { return stale.contains(request.url.lastPathComponent) ? Self.invalidToken : jsonResponse(#"{"size":4,"data":"JVBERg"}"#) }
            return Self.full(fresh: "NEW")
        })])
    }

    @Test func anAttachmentIdIsOneRequest() async throws {
        let h = harness()
        let data = try await h.service.attachmentData(messageID: "m1", attachment: AttachmentSummary(filename: "a.pdf", mimeType: "application/pdf", size: 4, partID: "1", attachmentID: "OLD"))
        #expect(data == Data("%PDF".utf8))
        #expect(h.requests(messagesPath).map(\.url.path) == [messagesPath + "/m1/attachments/OLD"])
    }

    @Test func aStaleIdIsFoundAgainThroughTheMessage() async throws {
        let h = harness(stale: ["OLD"])
        let data = try await h.service.attachmentData(messageID: "m1", attachment: AttachmentSummary(filename: "a.pdf", mimeType: "application/pdf", size: 4, partID: "1", attachmentID: "OLD"))
        #expect(data == Data("%PDF".utf8))
        #expect(h.requests(messagesPath).map(\.url.path) == [messagesPath + "/m1/attachments/OLD", messagesPath + "/m1", messagesPath + "/m1/attachments/NEW"])
    }

    @Test func bytesInTheMessageItselfComeFromIt() async throws {
        let h = harness()
        let data = try await h.service.attachmentData(messageID: "m1", attachment: AttachmentSummary(filename: "b.png", mimeType: "image/png", size: 3, partID: "2"))
        #expect(data == Data([0, 1, 2]))
        #expect(h.requests(messagesPath).map(\.url.path) == [messagesPath + "/m1"])
    }

    @Test func aPartGmailDoesNotAddressCannotBeFetched() async {
        let h = harness()
        await #expect(throws: MailServiceError.self) {
            try await h.service.attachmentData(messageID: "m1", attachment: AttachmentSummary(filename: "c.txt", mimeType: "text/plain", size: 1))
        }
        #expect(h.requests(messagesPath).isEmpty)
    }
}
