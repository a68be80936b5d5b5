import Foundation
import HTTPCore
import Testing
@testable import GmailSandbox

/// Gmail endpoints through `handle` (no socket).
@Suite struct GmailTests {
    let base = "/gmail/v1/users/me"

    func list(_ s: Sandbox, _ q: String, extra: String = "") async -> [String] {
        ids(await s.call("\(base)/messages?q=\(FormEncoding.escape(q))\(extra)", token: s.readonlyToken()))
    }

    func subjects(_ s: Sandbox, _ q: String) async -> Set<String> {
        var out = Set<String>()
        for id in await list(s, q) {
            let m = await s.call("\(base)/messages/\(id)?format=metadata&metadataHeaders=Subject", token: s.readonlyToken())
            let headers = ((m.object["payload"] as? [String: Any])?["headers"] as? [[String: String]]) ?? []
            out.insert(headers.first?["value"] ?? "")
        }
        return out
    }

    @Test func profile() async throws {
        let s = try Fixture.sandbox()
        let r = await s.call("\(base)/profile", token: s.readonlyToken())
        #expect(r.status == 200)
        #expect(r.object["emailAddress"] as? String == Sandbox.defaultUserEmail)
        #expect(r.object["messagesTotal"] as? Int == 7)
        #expect(r.object["threadsTotal"] as? Int == 6)
        #expect(r.object["historyId"] is String)
        let byEmail = await s.call("/gmail/v1/users/demo@gmail-tui.example/profile", token: s.readonlyToken())
        #expect(byEmail.status == 200)
        let other = await s.call("/gmail/v1/users/other@example.com/profile", token: s.readonlyToken())
        #expect(other.status == 403)
    }

    @Test func authErrorsWordForWord() async throws {
        let s = try Fixture.sandbox()
        let none = await s.call("\(base)/messages")
        #expect(none.status == 401)
        #expect(none.googleError.message == "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.")
        #expect(none.googleError.reason == "required")
        let key = await s.call("\(base)/messages?key=AIzaFAKE")
        #expect(key.googleError.message?.hasPrefix("API keys are not supported by this API.") == true)
        let bad = await s.call("\(base)/messages", token: "ya29.nope")
        #expect(bad.status == 401)
        #expect(bad.header("WWW-Authenticate") == #"Bearer realm="https://accounts.google.com/", error="invalid_token""#)
        #expect(bad.bodyText == #"{"error":{"code":401,"message":"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.","errors":[{"message":"Invalid Credentials","domain":"global","reason":"authError","location":"Authorization","locationType":"header"}],"status":"UNAUTHENTICATED"}}"#)
        let token = s.readonlyToken()
        s.expireAccessTokens()
        let expired = await s.call("\(base)/messages", token: token)
        #expect(expired.status == 401)
        #expect(expired.bodyText.contains("ACCESS_TOKEN_EXPIRED"))
        let viaQuery = await s.call("\(base)/profile?access_token=\(s.readonlyToken())")
        #expect(viaQuery.status == 200)
    }

    @Test func readonlyCannotModify() async throws {
        let s = try Fixture.sandbox()
        let id = try #require(await list(s, "subject:\"Hello world\"").last)
        let r = await s.call("\(base)/messages/\(id)/modify", method: "POST", token: s.readonlyToken(), body: Data(#"{"removeLabelIds":["UNREAD"]}"#.utf8))
        #expect(r.status == 403)
        #expect(r.googleError.message == "Request had insufficient authentication scopes.")
        #expect(r.googleError.reason == "insufficientPermissions")
        #expect(r.googleError.status == "PERMISSION_DENIED")
        #expect(r.header("WWW-Authenticate")?.contains(#"error="insufficient_scope", scope=""#) == true)
        #expect(r.bodyText.contains("caribou.api.proto.MailboxService.ModifyMessage"))
    }

    @Test func metadataScopeRestrictions() async throws {
        let s = try Fixture.sandbox()
        let token = s.issueAccessToken(scopes: [SandboxScope.metadata])
        let q = await s.call("\(base)/messages?q=is:unread", token: token)
        #expect(q.status == 403)
        #expect(q.googleError.message == "Metadata scope does not support 'q' parameter")
        let plain = await s.call("\(base)/messages?labelIds=UNREAD", token: token)
        #expect(plain.status == 200)
        let id = try #require(ids(plain).first)
        #expect(await s.call("\(base)/messages/\(id)?format=full", token: token).status == 403)
        #expect(await s.call("\(base)/messages/\(id)?format=metadata", token: token).status == 200)
    }

    @Test func listNewestFirstExcludingSpam() async throws {
        let s = try Fixture.sandbox()
        let r = await s.call("\(base)/messages", token: s.readonlyToken())
        #expect(r.status == 200)
        let list = ids(r)
        #expect(list.count == 6)
        #expect(r.object["resultSizeEstimate"] as? Int == 6)
        #expect(list == list.sorted(by: >), "ids follow date order, newest first")
        #expect(r.object["nextPageToken"] == nil)
        let withSpam = await s.call("\(base)/messages?includeSpamTrash=true", token: s.readonlyToken())
        #expect(ids(withSpam).count == 7)
        let entry = try #require((r.object["messages"] as? [[String: Any]])?.first)
        #expect(Set(entry.keys) == ["id", "threadId"])
        for id in list { #expect(id.count == 16 && id.allSatisfy { "0123456789abcdef".contains($0) }) }
    }

    @Test func emptyResultBodyIsExact() async throws {
        let s = try Fixture.sandbox()
        let r = await s.call("\(base)/messages?q=zzzznotfound", token: s.readonlyToken())
        #expect(r.status == 200)
        #expect(r.bodyText == #"{"resultSizeEstimate":0}"#)
        let t = await s.call("\(base)/threads?q=zzzznotfound", token: s.readonlyToken())
        #expect(t.bodyText == #"{"resultSizeEstimate":0}"#)
    }

    @Test func paging() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        var seen: [String] = []
        var pageToken: String?
        var pages = 0
        repeat {
            let r = await s.call("\(base)/messages?maxResults=2" + (pageToken.map { "&pageToken=\($0)" } ?? ""), token: token)
            #expect(r.status == 200)
            #expect(r.object["resultSizeEstimate"] as? Int == 6)
            seen += ids(r)
            pageToken = r.object["nextPageToken"] as? String
            pages += 1
        } while pageToken != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == ids(await s.call("\(base)/messages", token: token)))
        let bad = await s.call("\(base)/messages?pageToken=garbage", token: token)
        #expect(bad.status == 400)
        #expect(bad.bodyText == #"{"error":{"errors":[{"domain":"global","reason":"invalidArgument","message":"Invalid pageToken"}],"code":400,"message":"Invalid pageToken"}}"#)
        // A token from another query is refused too.
        let first = await s.call("\(base)/messages?maxResults=2", token: token)
        let t = try #require(first.object["nextPageToken"] as? String)
        #expect(await s.call("\(base)/messages?maxResults=2&q=is:unread&pageToken=\(t)", token: token).status == 400)
    }

    @Test func defaultAndMaximumPageSize() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-many-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for i in 0..<620 {
            let text = "From: x\(i)@example.com\r\nSubject: n\(i)\r\nDate: Mon, 02 Mar 2026 10:\(String(format: "%02d", i % 60)):\(String(format: "%02d", (i / 60) % 60)) +0000\r\n\r\nbody \(i)\r\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("m\(i).eml"))
        }
        var o = SandboxOptions()
        o.mailboxDirectory = dir
        let s = try Sandbox(options: o)
        let token = s.readonlyToken()
        #expect(ids(await s.call("\(base)/messages", token: token)).count == 100)
        let big = await s.call("\(base)/messages?maxResults=10000", token: token)
        #expect(ids(big).count == 500)
        #expect(big.object["resultSizeEstimate"] as? Int == 620)
        #expect(big.object["nextPageToken"] is String)
    }

    /// Gmail's own list writes a nested label's search as its name lowercased, with `-` for spaces and `/`.
    @Test func aNestedLabelIsFoundByItsHyphenatedName() async throws {
        let dir = try Fixture.directory()
        try Data("""
        {"labels":[{"id":"Label_1","name":"Work Stuff"},{"id":"Label_2","name":"Projects/Alpha Docs"}],
         "messages":{"a.eml":["INBOX","UNREAD","Label_2"],"c.eml":["INBOX","Label_1"]}}
        """.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("labels.json"))
        var o = SandboxOptions()
        o.mailboxDirectory = dir
        let s = try Sandbox(options: o)
        #expect(await subjects(s, "label:projects-alpha-docs") == ["Hello world"])
        #expect(await subjects(s, "label:Projects-Alpha-Docs") == ["Hello world"])
        #expect(await subjects(s, "label:projects-alpha").isEmpty, "a parent name is not the child's label")
    }

    @Test func queryOperators() async throws {
        let s = try Fixture.sandbox()
        #expect(await subjects(s, "is:unread") == ["Hello world", "No date folded subject line"])
        #expect(await subjects(s, "is:read") == ["Re: Hello world", "Report attached", "=?UTF-8?B?Q2Fmw6kg4piV?=", ""])
        #expect(await subjects(s, "is:starred") == ["Report attached"])
        #expect(await subjects(s, "in:inbox").count == 5)
        #expect(await subjects(s, "in:sent") == ["Re: Hello world"])
        #expect(await subjects(s, "label:work-stuff") == ["Report attached"])
        #expect(await subjects(s, "label:Label_1") == ["Report attached"])
        #expect(await subjects(s, "from:alice") == ["Hello world"])
        #expect(await subjects(s, "to:alice") == ["Re: Hello world"])
        #expect(await subjects(s, "subject:report") == ["Report attached"])
        #expect(await subjects(s, "subject:café") == ["=?UTF-8?B?Q2Fmw6kg4piV?="], "subjects are searched decoded")
        #expect(await subjects(s, "newer_than:30d") == ["Hello world", "Re: Hello world"])
        #expect(await subjects(s, "older_than:1y") == ["=?UTF-8?B?Q2Fmw6kg4piV?="])
        #expect(await subjects(s, "lunch") == ["Hello world"], "words match the body")
        #expect(await subjects(s, "\"usual place\"") == ["Hello world"])
        #expect(await subjects(s, "hello -from:alice") == ["Re: Hello world"])
        #expect(await subjects(s, "from:alice OR from:bob") == ["Hello world", "Report attached"])
        #expect(await subjects(s, "{from:alice from:bob}") == ["Hello world", "Report attached"])
        #expect(await subjects(s, "in:inbox (from:alice OR from:carol)") == ["Hello world", "=?UTF-8?B?Q2Fmw6kg4piV?="])
        #expect(await subjects(s, "has:attachment") == ["Report attached"])
        #expect(await subjects(s, "after:2026/06/01 before:2026/11/01") == ["Report attached"])
        #expect(await subjects(s, "in:spam") == ["WIN MONEY"])
        #expect(await subjects(s, "money") == [], "spam is excluded unless asked for")
        #expect(await subjects(s, "in:anywhere money") == ["WIN MONEY"])
    }

    @Test func outOfRangeDatesInQueriesMatchNothing() async throws {
        let s = try Fixture.sandbox()
        for q in ["newer_than:1e300d", "older_than:infd", "after:9223372036854775807", "before:9223372036854775807/1/1", "after:2026/1/99999999999999"] {
            let r = await s.call("\(base)/messages?q=\(FormEncoding.escape(q))", token: s.readonlyToken())
            #expect(r.status == 200, "\(q)")
            #expect(ids(r).isEmpty, "\(q)")
        }
    }

    @Test func labelIdsAreANDed() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        #expect(ids(await s.call("\(base)/messages?labelIds=INBOX&labelIds=UNREAD", token: token)).count == 2)
        #expect(ids(await s.call("\(base)/messages?labelIds=INBOX&labelIds=STARRED", token: token)).count == 1)
        #expect(ids(await s.call("\(base)/messages?labelIds=SENT&labelIds=UNREAD", token: token)).isEmpty)
    }

    @Test func getFormats() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let id = try #require(await list(s, "subject:\"Hello world\" from:alice").first)
        let full = await s.call("\(base)/messages/\(id)", token: token)
        #expect(full.status == 200)
        let o = full.object
        #expect(o["id"] as? String == id)
        #expect(o["snippet"] as? String == "Lunch tomorrow? The usual place.")
        #expect(o["labelIds"] as? [String] == ["INBOX", "UNREAD"])
        #expect(o["internalDate"] as? String == "1794304800000")
        #expect(o["historyId"] is String)
        #expect(o["sizeEstimate"] as? Int == Fixture.files["a.eml"]!.utf8.count)
        let payload = try #require(o["payload"] as? [String: Any])
        #expect(payload["partId"] as? String == "")
        #expect(payload["mimeType"] as? String == "text/plain")
        let body = try #require(payload["body"] as? [String: Any])
        let data = try #require(SandboxBase64.decode(body["data"] as? String ?? ""))
        #expect(String(decoding: data, as: UTF8.self).contains("Lunch tomorrow?"))
        #expect(body["size"] as? Int == data.count)
        #expect(full.bodyText.hasPrefix(#"{"id":""#))

        let meta = await s.call("\(base)/messages/\(id)?format=metadata&metadataHeaders=subject&metadataHeaders=From", token: token)
        let mp = try #require(meta.object["payload"] as? [String: Any])
        #expect(Set(mp.keys) == ["mimeType", "headers"])
        let names = (mp["headers"] as? [[String: String]])?.compactMap { $0["name"] }
        #expect(names == ["From", "Subject"], "message order, case-insensitive filter")

        let minimal = await s.call("\(base)/messages/\(id)?format=minimal", token: token)
        #expect(minimal.object["payload"] == nil)
        #expect(minimal.object["labelIds"] != nil)

        let raw = await s.call("\(base)/messages/\(id)?format=raw", token: token)
        let rawData = try #require(SandboxBase64.decode(raw.object["raw"] as? String ?? ""))
        #expect(rawData == Data(Fixture.files["a.eml"]!.utf8))
        #expect(raw.object["payload"] == nil)

        let bogus = await s.call("\(base)/messages/\(id)?format=weird", token: token)
        #expect(bogus.status == 400)
    }

    @Test func unfoldedHeadersAndMissingDate() async throws {
        let s = try Fixture.sandbox()
        let id = try #require(await list(s, "subject:\"no date\"").first)
        let m = await s.call("\(base)/messages/\(id)", token: s.readonlyToken())
        let headers = ((m.object["payload"] as? [String: Any])?["headers"] as? [[String: String]]) ?? []
        #expect(headers.contains { $0["name"] == "Subject" && $0["value"] == "No date folded subject line" })
        #expect(m.object["internalDate"] as? String == String(Mailbox.undatedInternalDate))
    }

    @Test func notFoundAndInvalidId() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let missing = await s.call("\(base)/messages/0123456789abcdef", token: token)
        #expect(missing.status == 404)
        #expect(missing.bodyText == #"{"error":{"code":404,"message":"Requested entity was not found.","errors":[{"message":"Requested entity was not found.","domain":"global","reason":"notFound"}],"status":"NOT_FOUND"}}"#)
        let invalid = await s.call("\(base)/messages/not-an-id!", token: token)
        #expect(invalid.status == 400)
        #expect(invalid.googleError.message == "Invalid id value")
        #expect(invalid.googleError.reason == "invalidArgument")
        #expect(await s.call("\(base)/threads/0123456789abcdef", token: token).status == 404)
        #expect(await s.call("\(base)/labels/Label_99", token: token).status == 404)
        #expect(await s.call("/gmail/v1/nothing", token: token).status == 404)
    }

    @Test func threads() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let r = await s.call("\(base)/threads?q=hello", token: token)
        let threads = try #require(r.object["threads"] as? [[String: Any]])
        #expect(threads.count == 1)
        #expect(Set(threads[0].keys) == ["id", "snippet", "historyId"])
        let tid = try #require(threads[0]["id"] as? String)
        let t = await s.call("\(base)/threads/\(tid)?format=metadata", token: token)
        #expect(t.status == 200)
        let messages = try #require(t.object["messages"] as? [[String: Any]])
        #expect(messages.count == 2)
        #expect(messages[0]["id"] as? String == tid, "threadId is the id of the first message")
        #expect(messages.allSatisfy { $0["threadId"] as? String == tid })
        #expect(await s.call("\(base)/threads/\(tid)?format=raw", token: token).status == 400)
        #expect(ids(await s.call("\(base)/threads", token: token), key: "threads").count == 5)
    }

    @Test func labelsListAndGet() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let r = await s.call("\(base)/labels", token: token)
        let labels = try #require(r.object["labels"] as? [[String: Any]])
        let inbox = try #require(labels.first { $0["id"] as? String == "INBOX" })
        #expect(inbox["name"] as? String == "INBOX" && inbox["type"] as? String == "system")
        #expect(inbox["messagesTotal"] == nil)
        #expect(r.bodyText.contains(#"{"id":"INBOX","name":"INBOX","messageListVisibility":"hide","labelListVisibility":"labelShow","type":"system"}"#))
        #expect(labels.contains { $0["id"] as? String == "Label_1" && $0["name"] as? String == "Work Stuff" && $0["type"] as? String == "user" })
        let g = await s.call("\(base)/labels/INBOX", token: token)
        #expect(g.object["messagesTotal"] as? Int == 5)
        #expect(g.object["messagesUnread"] as? Int == 2)
        #expect(g.object["threadsTotal"] as? Int == 5)
        #expect(g.object["threadsUnread"] as? Int == 2)
        let labelScope = s.issueAccessToken(scopes: [SandboxScope.labels])
        #expect(await s.call("\(base)/labels", token: labelScope).status == 200)
        #expect(await s.call("\(base)/messages", token: labelScope).status == 403)
    }

    @Test func attachments() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let id = try #require(await list(s, "from:bob").first)
        let m = await s.call("\(base)/messages/\(id)", token: token)
        let payload = try #require(m.object["payload"] as? [String: Any])
        #expect(payload["mimeType"] as? String == "multipart/mixed")
        #expect((payload["body"] as? [String: Any])?["size"] as? Int == 0)
        let parts = payload["parts"] as? [[String: Any]] ?? []
        try #require(parts.count == 3)
        do {
            #expect(parts.map { $0["partId"] as? String } == ["0", "1", "2"])
            #expect(parts[1]["filename"] as? String == "report.pdf")
            let attBody = try #require(parts[1]["body"] as? [String: Any])
            let attId = try #require(attBody["attachmentId"] as? String)
            #expect(attBody["data"] == nil)
            let big = try #require(parts[2]["body"] as? [String: Any])
            #expect(big["attachmentId"] is String, "parts over 16 KiB go behind an attachmentId")
            let a = await s.call("\(base)/messages/\(id)/attachments/\(attId)", token: token)
            #expect(a.status == 200)
            let data = try #require(SandboxBase64.decode(a.object["data"] as? String ?? ""))
            #expect(data.starts(with: Data("%PDF-1.4".utf8)))
            #expect(a.object["size"] as? Int == data.count)
            let md = s.issueAccessToken(scopes: [SandboxScope.metadata])
            #expect(await s.call("\(base)/messages/\(id)/attachments/\(attId)", token: md).status == 403)
        }
        #expect(await s.call("\(base)/messages/\(id)/attachments/nope", token: token).status == 400)
    }

    @Test func parserDefeatingMessageStillLoads() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        for id in ids(await s.call("\(base)/messages?includeSpamTrash=true", token: token)) {
            for format in ["full", "metadata", "minimal", "raw"] {
                #expect(await s.call("\(base)/messages/\(id)?format=\(format)", token: token).status == 200)
            }
        }
    }
}

@Suite struct PartialResponseTests {
    @Test func fieldsSelectsPaths() async throws {
        let s = try Fixture.sandbox()
        let token = s.readonlyToken()
        let list = await s.call("/gmail/v1/users/me/messages?fields=messages/id,resultSizeEstimate", token: token)
        #expect(list.bodyText.hasPrefix(#"{"messages":[{"id":""#))
        #expect(!list.bodyText.contains("threadId"))
        #expect(list.object["resultSizeEstimate"] as? Int == 6)
        let id = try #require(ids(list).first)
        let m = await s.call("/gmail/v1/users/me/messages/\(id)?fields=id,payload(mimeType,headers/name)", token: token)
        #expect(Set(m.object.keys) == ["id", "payload"])
        let payload = try #require(m.object["payload"] as? [String: Any])
        #expect(Set(payload.keys) == ["mimeType", "headers"])
        #expect((payload["headers"] as? [[String: Any]])?.allSatisfy { Set($0.keys) == ["name"] } == true)
        let broken = await s.call("/gmail/v1/users/me/messages/\(id)?fields=id,(", token: token)
        #expect(broken.object["payload"] != nil, "an unparsable selection leaves the answer whole")
        #expect(FieldSelection.parse("a,b/c,d(e,f/g)") != nil)
    }
}
