import Foundation
import Testing
import HTTPCore
import TestSupport
@testable import GmailAPI

/// The methods that change mail: paths, JSON bodies, and batchModify's 1,000-id split.
@Suite struct ModifyRequestTests {
    let root = URL(string: "https://gmail.example.test/")!

    @Test func modifyPostsTheLabelChangeAsJSON() async throws {
        let fake = FakeTransport { _ in jsonResponse(#"{"id":"a1","threadId":"a1","labelIds":["STARRED"]}"#) }
        let answer = try await GmailClient(transport: fake, apiRoot: root)
            .messagesModify(id: "a1", LabelChangeRequest(addLabelIds: ["STARRED"], removeLabelIds: ["INBOX", "UNREAD"]), accessToken: "t")
        #expect(answer.labelIds == ["STARRED"])
        let request = try #require(fake.requests.first)
        #expect(request.method == .post)
        #expect(request.url.absoluteString == "https://gmail.example.test/gmail/v1/users/me/messages/a1/modify")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.body.map { String(decoding: $0, as: UTF8.self) } == #"{"addLabelIds":["STARRED"],"removeLabelIds":["INBOX","UNREAD"]}"#)
    }

    @Test func anEmptyListIsLeftOut() {
        let call = GmailClient.messagesModifyCall(id: "a1", LabelChangeRequest(removeLabelIds: ["INBOX"]))
        #expect(call.body.map { String(decoding: $0, as: UTF8.self) } == #"{"removeLabelIds":["INBOX"]}"#)
    }

    @Test func trashAndThreadPaths() {
        #expect(GmailClient.messagesTrashCall(id: "a1").pathAndQuery == "/gmail/v1/users/me/messages/a1/trash")
        #expect(GmailClient.messagesUntrashCall(id: "a1").pathAndQuery == "/gmail/v1/users/me/messages/a1/untrash")
        #expect(GmailClient.threadsTrashCall(id: "t1").pathAndQuery == "/gmail/v1/users/me/threads/t1/trash")
        #expect(GmailClient.threadsUntrashCall(id: "t1").pathAndQuery == "/gmail/v1/users/me/threads/t1/untrash")
        let modify = GmailClient.threadsModifyCall(id: "t1", LabelChangeRequest(addLabelIds: ["Label_1"]))
        #expect(modify.pathAndQuery == "/gmail/v1/users/me/threads/t1/modify" && modify.method == .post)
        #expect(GmailClient.messagesTrashCall(id: "a1").body == nil)
    }

    @Test func batchModifySplitsAboveAThousandIdsAndAcceptsAnEmptyAnswer() async throws {
        let fake = FakeTransport { _ in HTTPResponse(status: 204) }
        let ids = (0..<2_500).map { String(format: "%016x", $0) }
        try await GmailClient(transport: fake, apiRoot: root)
            .messagesBatchModify(MessagesBatchModifyParameters(ids: ids, change: LabelChangeRequest(removeLabelIds: ["INBOX"])), accessToken: "t")
        #expect(fake.requests.count == 3)
        let sent = try fake.requests.map { request -> [String] in
            #expect(request.url.path == "/gmail/v1/users/me/messages/batchModify")
            let object = try #require(JSONSerialization.jsonObject(with: request.body ?? Data()) as? [String: Any])
            #expect(object["removeLabelIds"] as? [String] == ["INBOX"])
            return object["ids"] as? [String] ?? []
        }
        #expect(sent.map(\.count) == [1_000, 1_000, 500])
        #expect(sent.flatMap { $0 } == ids)
    }

    @Test func aBatchPartCarriesItsBody() {
        let call = GmailClient.messagesModifyCall(id: "a1", LabelChangeRequest(addLabelIds: ["STARRED"]))
        let text = String(decoding: GmailBatch.encode([call], boundary: "b", accessToken: "t"), as: UTF8.self)
        #expect(text.contains("POST /gmail/v1/users/me/messages/a1/modify HTTP/1.1\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\n\r\n{\"addLabelIds\":[\"STARRED\"]}\r\n"))
    }

    @Test func scopeRefusalIsInsufficientScope() async throws {
        let fake = FakeTransport { _ in
            jsonResponse(403, #"{"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"message":"Insufficient Permission","domain":"global","reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED"}}"#)
        }
        await #expect(throws: GmailError.self) {
            _ = try await GmailClient(transport: fake, apiRoot: root).messagesTrash(id: "a1", accessToken: "t")
        }
        do {
            _ = try await GmailClient(transport: fake, apiRoot: root).messagesTrash(id: "a1", accessToken: "t")
        } catch {
            guard case .insufficientScope = error else { Issue.record("got \(error)"); return }
        }
    }
}
