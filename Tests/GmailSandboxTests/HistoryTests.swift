import Foundation
import HTTPCore
import Testing
@testable import GmailSandbox

/// history.list as Gmail keeps it, and the control calls that change the mailbox as another device would.
@Suite struct HistoryTests {
    let base = "/gmail/v1/users/me"

    func records(_ s: Sandbox, _ query: String, token: String) async -> (status: Int, records: [[String: Any]], object: [String: Any]) {
        let r = await s.call("\(base)/history?\(query)", token: token)
        return (r.status, (r.object["history"] as? [[String: Any]]) ?? [], r.object)
    }

    func change(_ record: [String: Any], _ member: String) -> [String: Any]? {
        (record[member] as? [[String: Any]])?.first
    }

    @Test func historyIdsRiseWithGapsAndFollowEveryChange() async throws {
        let s = try Fixture.sandbox()
        let token = s.modifyToken()
        let start = try #require(Int(await s.call("\(base)/profile", token: token).object["historyId"] as? String ?? ""))
        var ids: [Int] = []
        for (i, id) in s.messageIds.enumerated() {
            for label in ["STARRED", "IMPORTANT"] {
                let r = await s.call("\(base)/messages/\(id)/modify", method: "POST", token: token,
                                     body: Data(#"{"\#(i % 2 == 0 ? "add" : "remove")LabelIds":["\#(label)"],"addLabelIds":["\#(label)"]}"#.utf8))
                #expect(r.status == 200)
                let m = await s.call("\(base)/messages/\(id)?format=minimal", token: token)
                ids.append(Int(m.object["historyId"] as? String ?? "") ?? 0)
            }
        }
        let (_, all, object) = await records(s, "startHistoryId=\(start)", token: token)
        let recordIds = all.compactMap { Int($0["id"] as? String ?? "") }
        #expect(recordIds.count == all.count && !recordIds.isEmpty)
        #expect(recordIds.first! > start && zip(recordIds, recordIds.dropFirst()).allSatisfy { $0 < $1 }, "rising")
        #expect(zip(recordIds, recordIds.dropFirst()).contains { $1 - $0 > 1 }, "with gaps")
        #expect(Set(ids.filter { $0 > start }).isSubset(of: Set(recordIds)), "each message's historyId is its latest record's")
        #expect(object["historyId"] as? String == String(recordIds.last!))
        #expect(await s.call("\(base)/profile", token: token).object["historyId"] as? String == String(recordIds.last!))
        // A change that changes nothing writes nothing.
        let id = try #require(s.messageIds.first)
        _ = await s.call("\(base)/messages/\(id)/modify", method: "POST", token: token, body: Data(#"{"addLabelIds":["STARRED"]}"#.utf8))
        _ = await s.call("\(base)/messages/\(id)/modify", method: "POST", token: token, body: Data(#"{"addLabelIds":["STARRED"]}"#.utf8))
        let after = await records(s, "startHistoryId=\(recordIds.last!)", token: token)
        #expect(after.records.count <= 1)
    }

    @Test func everyKindOfRecordAndItsFilters() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let start = s.historyId
        let delivered = try s.deliver(subject: "Fresh mail")
        try s.changeLabels(messageId: delivered.id, add: ["STARRED"], remove: ["UNREAD"])
        let gone = try #require(await idBySubject(s, "Report attached"))
        try s.deleteMessage(gone)

        let (status, all, _) = await records(s, "startHistoryId=\(start)", token: token)
        #expect(status == 200)
        #expect(all.map { Set($0.keys).subtracting(["id", "messages"]) } == [["messagesAdded"], ["labelsAdded"], ["labelsRemoved"], ["messagesDeleted"]])
        let added = try #require(change(all[0], "messagesAdded")?["message"] as? [String: Any])
        #expect(added["id"] as? String == delivered.id && added["threadId"] as? String == delivered.threadId)
        #expect(added["labelIds"] as? [String] == ["INBOX", "UNREAD"])
        #expect(all[0]["id"] as? String == String(delivered.historyId))
        #expect(change(all[1], "labelsAdded")?["labelIds"] as? [String] == ["STARRED"])
        #expect((change(all[2], "labelsRemoved")?["message"] as? [String: Any])?["labelIds"] as? [String] == ["INBOX", "STARRED"])
        #expect((change(all[3], "messagesDeleted")?["message"] as? [String: Any])?["id"] as? String == gone)
        #expect((all[3]["messages"] as? [[String: String]]) == [["id": gone, "threadId": gone]])

        for (types, expected) in [("messageAdded", ["messagesAdded"]), ("messageDeleted", ["messagesDeleted"]),
                                  ("labelAdded&historyTypes=labelRemoved", ["labelsAdded", "labelsRemoved"])] {
            let (_, filtered, _) = await records(s, "startHistoryId=\(start)&historyTypes=\(types)", token: token)
            #expect(filtered.map { Set($0.keys).subtracting(["id", "messages"]).first ?? "" } == expected, "\(types)")
        }
        // labelId: label changes of that label, and messages added or deleted carrying it.
        let starred = await records(s, "startHistoryId=\(start)&labelId=STARRED", token: token).records
        // The deleted report was starred; removing UNREAD from a starred message is not a STARRED change.
        #expect(starred.map { Set($0.keys).subtracting(["id", "messages"]) } == [["labelsAdded"], ["messagesDeleted"]])
        let inbox = await records(s, "startHistoryId=\(start)&labelId=INBOX", token: token).records
        #expect(inbox.map { $0["messagesAdded"] != nil || $0["messagesDeleted"] != nil } == [true, true])
        let bad = await s.call("\(base)/history?startHistoryId=\(start)&historyTypes=labelsAdded", token: token)
        #expect(bad.status == 400)
        #expect(bad.googleError.reason == "invalidArgument")
        #expect(await s.call("\(base)/messages/\(gone)", token: token).status == 404)
    }

    @Test func pagesFollowNextPageTokenAndMaxResults() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let start = s.historyId
        for id in s.messageIds { try s.changeLabels(messageId: id, add: ["IMPORTANT"]) }
        let whole = await records(s, "startHistoryId=\(start)", token: token).records.map { $0["id"] as? String }
        #expect(whole.count == Fixture.files.count)
        var paged: [String?] = []
        var sizes: [Int] = []
        var pageToken: String?
        repeat {
            let tokenPart = pageToken.map { "&pageToken=\(FormEncoding.escape($0))" } ?? ""
            let page = await records(s, "startHistoryId=\(start)&maxResults=3\(tokenPart)", token: token)
            #expect(page.status == 200)
            paged += page.records.map { $0["id"] as? String }
            sizes.append(page.records.count)
            pageToken = page.object["nextPageToken"] as? String
            if sizes.count == 1 {
                // Written between two pages: it comes at the end, nothing shifts.
                try s.changeLabels(messageId: try #require(s.messageIds.first), add: ["CATEGORY_UPDATES"])
            }
        } while pageToken != nil && sizes.count < 10
        #expect(sizes == [3, 3, 2])
        #expect(Array(paged.prefix(whole.count)) == whole)
        let first = await s.call("\(base)/history?startHistoryId=\(start)&maxResults=3", token: token)
        let token1 = try #require(first.object["nextPageToken"] as? String)
        let foreign = await s.call("\(base)/history?startHistoryId=\(start)&labelId=INBOX&pageToken=\(FormEncoding.escape(token1))", token: token)
        #expect(foreign.googleError.message == "Invalid pageToken")
        #expect(await s.call("\(base)/history?startHistoryId=\(start)&maxResults=x", token: token).status == 400)
        #expect(await records(s, "startHistoryId=\(start)&maxResults=0", token: token).records.count == 8, "0 means the default, 100")
    }

    @Test func startIdsOlderThanTheKeptHistoryAre404() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let early = s.historyId
        try s.changeLabels(messageId: try #require(s.messageIds.first), add: ["STARRED"])
        let middle = s.historyId
        try s.changeLabels(messageId: try #require(s.messageIds.last), add: ["STARRED"])
        #expect(await records(s, "startHistoryId=\(early)", token: token).records.count == 2)

        let forgot = await s.handle(SandboxRequest(method: "POST", url: "/_sandbox/forget-history?before=\(middle)"))
        #expect(forgot.status == 200)
        #expect(forgot.object["oldestHistoryId"] as? String == String(middle))
        let old = await s.call("\(base)/history?startHistoryId=\(early)", token: token)
        #expect(old.status == 404)
        #expect(old.googleError.message == "Requested entity was not found.")
        #expect(old.googleError.reason == "notFound" && old.googleError.status == "NOT_FOUND")
        #expect(await records(s, "startHistoryId=\(middle)", token: token).records.count == 1)
        #expect(await s.call("\(base)/history?startHistoryId=999", token: token).status == 404, "never issued")
        #expect(await s.call("\(base)/history?startHistoryId=abc", token: token).status == 400)
        #expect(await s.call("\(base)/history", token: token).status == 400)
        // Forgetting everything: only the current id still answers, with no records.
        s.forgetHistory()
        #expect(await s.call("\(base)/history?startHistoryId=\(middle)", token: token).status == 404)
        let now = await s.call("\(base)/history?startHistoryId=\(s.historyId)", token: token)
        #expect(now.bodyText == #"{"historyId":"\#(s.historyId)"}"#)
    }

    @Test func controlCallsDeliverRelabelAndDeleteOverHTTP() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let start = s.historyId
        let reply = Data("From: Alice Example <alice@example.com>\r\nTo: demo@gmail-tui.example\r\nSubject: Re: Hello world\r\nDate: Tue, 10 Nov 2026 11:00:00 +0000\r\nMessage-ID: <a2@example.com>\r\nIn-Reply-To: <a@example.com>\r\n\r\nSee you at noon.\r\n".utf8)
        let d = await s.handle(SandboxRequest(method: "POST", url: "/_sandbox/deliver?labelId=INBOX&labelId=UNREAD&labelId=Label_1", body: reply))
        #expect(d.status == 200)
        let id = try #require(d.object["id"] as? String)
        let hello = try #require(await idBySubject(s, "Hello world"))
        #expect(d.object["threadId"] as? String == hello, "joins the thread its In-Reply-To names")
        let list = await s.call("\(base)/messages", token: token)
        #expect(ids(list).first == id, "arrived now, so listed first")
        let raw = await s.call("\(base)/messages/\(id)?format=raw", token: token)
        #expect(SandboxBase64.decode(raw.object["raw"] as? String ?? "") == reply)
        #expect(raw.object["labelIds"] as? [String] == ["INBOX", "Label_1", "UNREAD"])
        #expect(Int(raw.object["internalDate"] as? String ?? "") ?? 0 > 1_795_219_200_000)

        let generated = await s.handle(SandboxRequest(method: "POST", url: "/_sandbox/deliver?subject=Ping"))
        let gid = try #require(generated.object["id"] as? String)
        #expect(gid > id && generated.object["threadId"] as? String == gid)
        let meta = await s.call("\(base)/messages/\(gid)?format=metadata&metadataHeaders=Subject", token: token)
        #expect(((meta.object["payload"] as? [String: Any])?["headers"] as? [[String: String]])?.first?["value"] == "Ping")

        let m = await s.handle(SandboxRequest(method: "POST", url: "/_sandbox/modify?id=\(gid)&add=STARRED&remove=UNREAD"))
        #expect(m.object["labelIds"] as? [String] == ["INBOX", "STARRED"])
        #expect(await s.handle(SandboxRequest(method: "POST", url: "/_sandbox/modify?id=\(gid)&add=SENT")).status == 400)
        #expect(await s.handle(SandboxRequest(method: "POST", url: "/_sandbox/deliver?labelId=Nope")).status == 400)
        #expect(await s.handle(SandboxRequest(method: "POST", url: "/_sandbox/delete?id=\(gid)")).status == 200)
        #expect(await s.handle(SandboxRequest(method: "POST", url: "/_sandbox/delete?id=\(gid)")).status == 404)
        #expect(await s.call("\(base)/messages/\(gid)", token: token).status == 404)

        let kinds = await records(s, "startHistoryId=\(start)", token: token).records.map { Set($0.keys).subtracting(["id", "messages"]).first ?? "" }
        #expect(kinds == ["messagesAdded", "messagesAdded", "labelsAdded", "labelsRemoved", "messagesDeleted"])
        let outside = SandboxRequest(method: "POST", path: "/_sandbox/deliver", remoteAddress: "192.0.2.7")
        #expect(await s.handle(outside).status == 403)
        #expect(s.messageCount == Fixture.files.count + 1)
    }
}
