import Foundation
import HTTPCore
import Testing
@testable import GmailSandbox

/// The methods that change mail: scope refusals, label validation, thread-wide changes, true counts.
@Suite struct TriageTests {
    let base = "/gmail/v1/users/me"

    func json(_ object: Any) -> Data { (try? JSONSerialization.data(withJSONObject: object)) ?? Data() }

    /// Every changing method on a message or thread of the fixture, with a body that would change something.
    func changes(_ s: Sandbox) async throws -> [(name: String, path: String, body: Data)] {
        let id = try #require(await idBySubject(s, "Hello world"))
        let thread = try #require(s.mailbox.messages.first { $0.id == id }?.threadId)
        return [
            ("ModifyMessage", "\(base)/messages/\(id)/modify", json(["removeLabelIds": ["UNREAD"]])),
            ("TrashMessage", "\(base)/messages/\(id)/trash", Data()),
            ("UntrashMessage", "\(base)/messages/\(id)/untrash", Data()),
            ("BatchModifyMessages", "\(base)/messages/batchModify", json(["ids": [id], "addLabelIds": ["STARRED"]])),
            ("ModifyThread", "\(base)/threads/\(thread)/modify", json(["addLabelIds": ["IMPORTANT"]])),
            ("TrashThread", "\(base)/threads/\(thread)/trash", Data()),
            ("UntrashThread", "\(base)/threads/\(thread)/untrash", Data()),
        ]
    }

    @Test func everyChangeNeedsModifyOrFullScope() async throws {
        let s = try Fixture.sandbox()
        let before = s.historyId
        for scope in [SandboxScope.readonly, SandboxScope.metadata, SandboxScope.labels] {
            let token = s.issueAccessToken(scopes: [scope, SandboxScope.userinfoEmail])
            for c in try await changes(s) {
                let r = await s.call(c.path, method: "POST", token: token, body: c.body)
                #expect(r.status == 403, "\(c.name) with \(scope)")
                #expect(r.googleError.message == "Request had insufficient authentication scopes.")
                #expect(r.googleError.reason == "insufficientPermissions")
                #expect(r.googleError.status == "PERMISSION_DENIED")
                let details = ((r.object["error"] as? [String: Any])?["details"] as? [[String: Any]])?.first
                #expect(details?["reason"] as? String == "ACCESS_TOKEN_SCOPE_INSUFFICIENT")
                #expect((details?["metadata"] as? [String: String])?["method"] == "caribou.api.proto.MailboxService.\(c.name)")
                #expect(r.header("WWW-Authenticate") == #"Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="https://mail.google.com/ https://www.googleapis.com/auth/gmail.modify""#)
            }
        }
        #expect(s.historyId == before, "a refused change wrote history")
        // Word for word, as docs/wire.md §5 gives Google's body.
        let id = try #require(await idBySubject(s, "Hello world"))
        let refused = await s.call("\(base)/messages/\(id)/modify", method: "POST", token: s.readonlyToken(), body: json(["addLabelIds": ["STARRED"]]))
        let google = #"{"error":{"code":403,"message":"Request had insufficient authentication scopes.","errors":[{"message":"Insufficient Permission","domain":"global","reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT","domain":"googleapis.com","metadata":{"method":"caribou.api.proto.MailboxService.ModifyMessage","service":"gmail.googleapis.com"}}]}}"#
        let expected = try JSONSerialization.jsonObject(with: Data(google.utf8)) as? NSDictionary
        #expect(refused.object as NSDictionary == expected)
        for scope in [SandboxScope.modify, SandboxScope.full] {
            let token = s.issueAccessToken(scopes: [scope])
            for c in try await changes(s) {
                let r = await s.call(c.path, method: "POST", token: token, body: c.body)
                #expect(r.status == (c.name == "BatchModifyMessages" ? 204 : 200), "\(c.name) with \(scope)")
            }
        }
    }

    @Test func invalidLabelsAreRefusedAndChangeNothing() async throws {
        let s = try Fixture.sandbox()
        let token = s.modifyToken()
        let id = try #require(await idBySubject(s, "Hello world"))
        let thread = try #require(s.mailbox.messages.first { $0.id == id }?.threadId)
        let before = (labels: s.labels(ofMessage: id), history: s.historyId)
        let cases: [(String, Data, String)] = [
            ("\(base)/messages/\(id)/modify", json(["addLabelIds": ["Label_404"]]), "Label_404"),
            ("\(base)/messages/\(id)/modify", json(["removeLabelIds": ["STARRED", "nope"]]), "nope"),
            ("\(base)/messages/\(id)/modify", json(["addLabelIds": ["SENT"]]), "SENT"),
            ("\(base)/messages/\(id)/modify", json(["addLabelIds": ["DRAFT"]]), "DRAFT"),
            ("\(base)/messages/\(id)/modify", json(["addLabelIds": ["CHAT"]]), "CHAT"),
            ("\(base)/messages/batchModify", json(["ids": [id], "addLabelIds": ["STARRED", "inbox"]]), "inbox"),
            ("\(base)/threads/\(thread)/modify", json(["addLabelIds": ["Label_2"]]), "Label_2"),
        ]
        for (path, body, label) in cases {
            let r = await s.call(path, method: "POST", token: token, body: body)
            #expect(r.status == 400, "\(label)")
            #expect(r.googleError.message == "Invalid label: \(label)")
            #expect(r.googleError.reason == "invalidArgument")
        }
        #expect(s.labels(ofMessage: id) == before.labels)
        #expect(s.historyId == before.history)
        // Any user may add every other label, and take SENT off a message (Gmail's table only forbids adding it).
        let sent = try #require(await idBySubject(s, "Re: Hello world"))
        let ok = await s.call("\(base)/messages/\(sent)/modify", method: "POST", token: token,
                              body: json(["addLabelIds": ["INBOX", "SPAM", "UNREAD", "STARRED", "IMPORTANT", "CATEGORY_SOCIAL", "Label_1"], "removeLabelIds": ["SENT"]]))
        #expect(ok.status == 200)
        #expect(ok.object["labelIds"] as? [String] == ["CATEGORY_SOCIAL", "IMPORTANT", "INBOX", "Label_1", "SPAM", "STARRED", "UNREAD"])
    }

    @Test func batchModifyTakesAtMostAThousandIdsAllOrNothing() async throws {
        let s = try Fixture.sandbox()
        let token = s.modifyToken()
        let all = s.messageIds
        let tooMany = Array(repeating: all, count: 1001 / all.count + 1).flatMap { $0 }.prefix(1001)
        let r = await s.call("\(base)/messages/batchModify", method: "POST", token: token, body: json(["ids": Array(tooMany), "addLabelIds": ["STARRED"]]))
        #expect(r.status == 400)
        #expect(r.googleError.message == "Number of ids cannot exceed 1000")
        let unknown = await s.call("\(base)/messages/batchModify", method: "POST", token: token, body: json(["ids": all + ["0123456789abcdef"], "addLabelIds": ["STARRED"]]))
        #expect(unknown.status == 404)
        #expect(all.filter { s.labels(ofMessage: $0).contains("STARRED") }.count == 1, "only the fixture's starred message")
        let thousand = Array(tooMany.prefix(1000))
        let ok = await s.call("\(base)/messages/batchModify", method: "POST", token: token, body: json(["ids": thousand, "addLabelIds": ["STARRED"]]))
        #expect(ok.status == 204)
        #expect(ok.body.isEmpty)
        #expect(all.allSatisfy { s.labels(ofMessage: $0).contains("STARRED") })
    }

    @Test func threadTrashAndUntrashChangeEveryMessage() async throws {
        let s = try Fixture.sandbox()
        let token = s.modifyToken()
        let id = try #require(await idBySubject(s, "Hello world"))
        let thread = try #require(s.mailbox.messages.first { $0.id == id }?.threadId)
        let members = s.mailbox.messages.filter { $0.threadId == thread }.map(\.id)
        #expect(members.count == 2)
        let start = s.historyId
        let t = await s.call("\(base)/threads/\(thread)/trash", method: "POST", token: token)
        #expect(t.status == 200)
        #expect(t.object["id"] as? String == thread)
        let answered = (t.object["messages"] as? [[String: Any]]) ?? []
        #expect(answered.count == 2 && answered.allSatisfy { ($0["labelIds"] as? [String])?.contains("TRASH") == true })
        #expect(!ids(await s.call("\(base)/threads", token: token), key: "threads").contains(thread))
        #expect(ids(await s.call("\(base)/threads?q=in:trash", token: token), key: "threads") == [thread])
        let u = await s.call("\(base)/threads/\(thread)/untrash", method: "POST", token: token)
        #expect(u.status == 200)
        #expect(members.allSatisfy { !s.labels(ofMessage: $0).contains("TRASH") })
        #expect(s.labels(ofMessage: id) == ["INBOX", "UNREAD"], "only TRASH changed")
        let h = await s.call("\(base)/history?startHistoryId=\(start)", token: token)
        let records = (h.object["history"] as? [[String: Any]]) ?? []
        #expect(records.count == 4)
        #expect(records.prefix(2).allSatisfy { $0["labelsAdded"] != nil } && records.suffix(2).allSatisfy { $0["labelsRemoved"] != nil })
        #expect(await s.call("\(base)/threads/0123456789abcdef/trash", method: "POST", token: token).status == 404)
        #expect(await s.call("\(base)/threads/not-hex/untrash", method: "POST", token: token).googleError.message == "Invalid id value")
    }

    /// labels.get's four counts against counts made here from the sandbox's own view of every message.
    @Test func labelCountsStayTrue() async throws {
        let s = try Fixture.sandbox()
        let token = s.modifyToken()
        func check(_ label: String) async throws {
            let r = await s.call("\(base)/labels/\(label)", token: token)
            let box = s.mailbox
            let with = box.messages.filter { s.labels(ofMessage: $0.id).contains(label) }
            let unread = with.filter { s.labels(ofMessage: $0.id).contains("UNREAD") }
            #expect(r.object["messagesTotal"] as? Int == with.count, "\(label)")
            #expect(r.object["messagesUnread"] as? Int == unread.count, "\(label)")
            #expect(r.object["threadsTotal"] as? Int == Set(with.map(\.threadId)).count, "\(label)")
            #expect(r.object["threadsUnread"] as? Int == Set(unread.map(\.threadId)).count, "\(label)")
        }
        let inbox = { await s.call("\(base)/labels/INBOX", token: token).object }
        let start = await inbox()
        let id = try #require(await idBySubject(s, "Hello world"))
        _ = await s.call("\(base)/messages/\(id)/modify", method: "POST", token: token, body: json(["removeLabelIds": ["UNREAD"], "addLabelIds": ["STARRED"]]))
        #expect(await inbox()["messagesUnread"] as? Int == (start["messagesUnread"] as? Int ?? 0) - 1)
        let delivered = try s.deliver(subject: "Counted")
        #expect(await inbox()["messagesTotal"] as? Int == (start["messagesTotal"] as? Int ?? 0) + 1)
        #expect(await inbox()["threadsUnread"] as? Int == (start["threadsUnread"] as? Int ?? 0))
        _ = await s.call("\(base)/messages/\(delivered.id)/trash", method: "POST", token: token)
        try s.deleteMessage(try #require(await idBySubject(s, "Report attached")))
        for label in ["INBOX", "UNREAD", "STARRED", "TRASH", "SPAM", "SENT", "Label_1"] { try await check(label) }
        let profile = await s.call("\(base)/profile", token: token)
        #expect(profile.object["messagesTotal"] as? Int == Fixture.files.count)
        #expect(profile.object["threadsTotal"] as? Int == Set(s.mailbox.messages.map(\.threadId)).count)
    }
}
