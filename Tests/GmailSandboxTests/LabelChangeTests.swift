import Foundation
import HTTPCore
import Testing
@testable import GmailSandbox

/// messages.modify, trash, untrash, batchModify, threads.modify and the history they write.
extension GmailTests {
    @Test func modifyAndHistory() async throws {
        let s = try Fixture.sandbox()
        let token = s.modifyToken()
        let profile = await s.call("\(base)/profile", token: token)
        let start = try #require(profile.object["historyId"] as? String)
        let id = try #require(await list(s, "from:alice").first)
        let m = await s.call("\(base)/messages/\(id)/modify", method: "POST", token: token, body: Data(#"{"removeLabelIds":["UNREAD"],"addLabelIds":["STARRED"]}"#.utf8))
        #expect(m.status == 200)
        #expect(m.object["labelIds"] as? [String] == ["INBOX", "STARRED"])
        #expect(Set(m.object.keys) == ["id", "threadId", "labelIds"])
        #expect(s.labels(ofMessage: id) == ["INBOX", "STARRED"])
        #expect(await list(s, "is:unread").count == 1)

        let h = await s.call("\(base)/history?startHistoryId=\(start)", token: token)
        #expect(h.status == 200)
        let records = try #require(h.object["history"] as? [[String: Any]])
        #expect(records.count == 2)
        #expect(records[0]["labelsAdded"] != nil && records[1]["labelsRemoved"] != nil)
        let ids0 = records.compactMap { Int($0["id"] as? String ?? "") }
        #expect(ids0 == ids0.sorted() && ids0.allSatisfy { $0 > Int(start)! })
        let added = try #require((records[0]["labelsAdded"] as? [[String: Any]])?.first)
        #expect(added["labelIds"] as? [String] == ["STARRED"])
        #expect(h.object["historyId"] as? String == String(ids0.last!))
        let onlyRemoved = await s.call("\(base)/history?startHistoryId=\(start)&historyTypes=labelRemoved", token: token)
        #expect((onlyRemoved.object["history"] as? [Any])?.count == 1)
        let none = await s.call("\(base)/history?startHistoryId=\(ids0.last!)", token: token)
        #expect(none.bodyText == #"{"historyId":"\#(ids0.last!)"}"#)
        #expect(await s.call("\(base)/history?startHistoryId=5", token: token).status == 404)
        #expect(await s.call("\(base)/history", token: token).status == 400)

        let bad = await s.call("\(base)/messages/\(id)/modify", method: "POST", token: token, body: Data(#"{"addLabelIds":["Label_404"]}"#.utf8))
        #expect(bad.status == 400)
        #expect(bad.googleError.message == "Invalid label: Label_404")

        let tr = await s.call("\(base)/messages/\(id)/trash", method: "POST", token: token)
        #expect(tr.status == 200)
        #expect(await list(s, "from:alice").isEmpty)
        #expect(await s.call("\(base)/messages/\(id)/untrash", method: "POST", token: token).status == 200)
        #expect(await list(s, "from:alice").count == 1)
    }

    @Test func batchModifyAndThreadModify() async throws {
        let s = try Fixture.sandbox()
        let token = s.modifyToken()
        let unread = await list(s, "is:unread")
        let body = try JSONSerialization.data(withJSONObject: ["ids": unread, "removeLabelIds": ["UNREAD"]])
        let r = await s.call("\(base)/messages/batchModify", method: "POST", token: token, body: body)
        #expect(r.status == 204)
        #expect(r.body.isEmpty)
        #expect(await list(s, "is:unread").isEmpty)
        let tid = try #require(ids(await s.call("\(base)/threads?q=hello", token: token), key: "threads").first)
        let t = await s.call("\(base)/threads/\(tid)/modify", method: "POST", token: token, body: Data(#"{"addLabelIds":["IMPORTANT"]}"#.utf8))
        #expect(t.status == 200)
        #expect((t.object["messages"] as? [Any])?.count == 2)
        #expect(await list(s, "is:important").count == 2)
    }

    @Test func bodiesMustBeJSONObjects() async throws {
        let s = try Fixture.sandbox()
        let token = s.modifyToken()
        let id = try #require(await list(s, "from:alice").first)
        func modify(_ body: String) async -> SandboxResponse {
            await s.call("\(base)/messages/\(id)/modify", method: "POST", token: token, body: Data(body.utf8))
        }
        for bad in [#"{"addLabelIds":["STARRED"],}"#, #"["STARRED"]"#, #"{"addLabelIds":["\x"]}"#, #"{"n":01}"#, "{\"a\":\"tab\there\"}"] {
            let r = await modify(bad)
            #expect(r.status == 400, "\(bad)")
            #expect(r.googleError.message == "Invalid JSON payload received.", "\(bad)")
        }
        // Numbers of any JSON form, escapes and repeated keys are JSON: the last `addLabelIds` wins.
        let r = await modify(#"{"addLabelIds":["INBOX"],"n":[1.5e3,-0,12345678901234567890],"addLabelIds":["\u0053TARRED"]}"#)
        #expect(r.status == 200)
        #expect((r.object["labelIds"] as? [String])?.contains("STARRED") == true)
        #expect(await modify("").status == 200)
    }
}
