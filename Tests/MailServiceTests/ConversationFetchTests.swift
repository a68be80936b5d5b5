import Foundation
import Testing
import HTTPCore
import GmailAPI
import TestSupport
@testable import MailService

/// Pages of conversations over a routing fake: the exact requests, how a row is built from a thread's
/// messages, retries, and threads that come back empty.
@Suite struct ConversationFetchTests {
    static let threadsPath = "/gmail/v1/users/me/threads"

    /// A metadata answer; with no `mimeType`, the type comes as a `Content-Type` header only.
    static func messageJSON(_ id: String, from: String, subject: String, date: String?, labels: [String],
                            mimeType: String? = "text/plain", internalDate: String = "1707809515000") -> String {
        var headers = [#"{"name":"From","value":"\#(from)"}"#, #"{"name":"Subject","value":"\#(subject)"}"#]
        if let date { headers.append(#"{"name":"Date","value":"\#(date)"}"#) }
        if mimeType == nil { headers.append(#"{"name":"Content-Type","value":"Multipart/Mixed; boundary=x"}"#) }
        let labelList = labels.map { "\"\($0)\"" }.joined(separator: ",")
        let type = mimeType.map { #""mimeType":"\#($0)","# } ?? ""
        return #"{"id":"\#(id)","threadId":"t1","labelIds":[\#(labelList)],"snippet":"snip \#(id)","internalDate":"\#(internalDate)","payload":{\#(type)"headers":[\#(headers.joined(separator: ","))]}}"#
    }

    static let threadOne = #"{"id":"t1","historyId":"900","messages":["#
        + messageJSON("m1", from: "Ann <ann@example.com>", subject: "=?utf-8?q?Caf=C3=A9?=", date: "Tue, 13 Feb 2024 14:31:55 +0700", labels: ["INBOX"]) + ","
        + messageJSON("m2", from: "bob@example.com", subject: "Re: Café", date: nil, labels: ["INBOX", "UNREAD", "STARRED"],
                      mimeType: nil, internalDate: "1707900000000") + ","
        + messageJSON("m3", from: "Ann <ann@example.com>", subject: "Re: Café", date: "Wed, 14 Feb 2024 09:00:00 +0000", labels: ["UNREAD", "Label_7"])
        + "]}"

    @Test func aRowIsItsThreadsMessagesSendersOldestFirstNewestDateUnreadCountAndLabelUnion() async throws {
        let h = Harness(routes: [
            route(Self.threadsPath + "/t1", { _ in jsonResponse(Self.threadOne) }),
            route(Self.threadsPath + "/t2", { _ in jsonResponse(#"{"id":"t2","historyId":"5","messages":[]}"#) }),
            route(Self.threadsPath, { _ in
                jsonResponse(#"{"threads":[{"id":"t1","historyId":"901"},{"id":"t2","snippet":"gone","historyId":"5"}],"nextPageToken":"n2","resultSizeEstimate":7}"#)
            }),
        ])
        let page = try await h.service.conversationPage(query: "in:inbox", pageToken: "p1", pageSize: 2, cache: .reload)
        let list = try #require(h.transport.requests.first)
        #expect(list.url.absoluteString == "https://gmail.example.test/gmail/v1/users/me/threads?q=in%3Ainbox&maxResults=2&pageToken=p1")
        let get = try #require(h.requests(Self.threadsPath + "/t1").first)
        #expect(get.url.query == "format=metadata&metadataHeaders=From&metadataHeaders=Subject&metadataHeaders=Date&metadataHeaders=Content-Type")

        #expect(page.conversations.map(\.id) == ["t1"], "a thread with no message left is left out")
        #expect(page.nextPageToken == "n2" && page.resultSizeEstimate == 7 && page.pageToken == "p1")
        let row = page.conversations[0]
        #expect(row.subject == "Café", "the first message's subject, its encoded words decoded")
        #expect(row.senders == [MailAddress(name: "Ann", email: "ann@example.com"), MailAddress(name: nil, email: "bob@example.com"),
                                MailAddress(name: "Ann", email: "ann@example.com")])
        #expect(row.messageIDs == ["m1", "m2", "m3"])
        #expect(row.unreadCount == 2)
        #expect(row.labelIDs == ["INBOX", "UNREAD", "STARRED", "Label_7"])
        #expect(row.hasAttachment, "m2's Content-Type header says multipart/mixed")
        #expect(row.date == Date(timeIntervalSince1970: 1_707_901_200), "the newest of the messages' dates (m3's Date header)")
        #expect(row.snippet == "snip m3", "no snippet in the list: the newest message's")
        #expect(row.historyID == "901", "the list's history id")
    }

    @Test func aThreadAnswered429IsRetriedAndThePageIsWhole() async throws {
        let refused = Recorder<String>()
        let h = Harness(routes: [
            route(Self.threadsPath + "/t1", { _ in
                if refused.values.isEmpty { refused.append("t1"); return tooMany }
                return jsonResponse(Self.threadOne)
            }),
            route(Self.threadsPath, { _ in jsonResponse(#"{"threads":[{"id":"t1","snippet":"s","historyId":"1"}],"resultSizeEstimate":1}"#) }),
        ])
        let page = try await h.service.conversationPage(query: "", pageToken: nil, pageSize: 50, cache: .reload)
        #expect(page.conversations.map(\.messageCount) == [3])
        #expect(h.requests(Self.threadsPath + "/t1").count == 2)
        #expect(h.sleeps.values.count == 1, "one backoff before the retry")
    }

    @Test func aWholeConversationIsOneFullThreadsGetEachMessageAsMessageRendersIt() async throws {
        let body = Base64URL.encode(Data("Hello from m1".utf8))
        let full = #"{"id":"t1","messages":[{"id":"m1","threadId":"t1","labelIds":["INBOX"],"payload":{"mimeType":"text/plain","headers":[{"name":"From","value":"Ann <ann@example.com>"},{"name":"Subject","value":"Hi"}],"body":{"size":13,"data":"\#(body)"}}}]}"#
        let h = Harness(routes: [
            route(Self.threadsPath + "/t1", { _ in jsonResponse(full) }),
            route(messagesPath + "/m1", { _ in jsonResponse(full.replacingOccurrences(of: #"{"id":"t1","messages":["#, with: "").dropLast(2).description) }),
        ])
        let conversation = try await h.service.conversation(id: "t1", cache: .useCached)
        #expect(h.transport.requests.map(\.url.query) == ["format=full"])
        #expect(conversation.messages.map(\.body) == ["Hello from m1"])
        #expect(try await h.service.message(id: "m1", cache: .reload) == conversation.messages[0])
    }
}
