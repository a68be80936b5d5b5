import Foundation
import Testing
import HTTPCore
import GmailAPI
import TestSupport
@testable import MailService

@Suite struct ContentTests {
    @Test func labelsCarryCountsInListOrder() async throws {
        let counter = InFlightCounter()
        let h = Harness(strategy: .parallel(maxInFlight: 2), routes: [
            route(labelsPath + "/", { r in
                counter.enter(); defer { counter.leave() }
                try await Task.sleep(for: .milliseconds(2))
                switch r.url.lastPathComponent {
                case "INBOX": return jsonResponse(#"{"id":"INBOX","name":"INBOX","type":"system","messagesTotal":10,"messagesUnread":3,"threadsTotal":8,"threadsUnread":2}"#)
                case "Label_4": return jsonResponse(#"{"id":"Label_4","name":"Work","type":"user","messagesTotal":5,"messagesUnread":0}"#)
                default: return notFound
                }
            }),
            route(labelsPath, { _ in jsonResponse(#"{"labels":[{"id":"INBOX","name":"INBOX","type":"system"},{"id":"Label_4","name":"Work","type":"user"},{"id":"CHAT","name":"CHAT","type":"system"}]}"#) }),
        ])
        let labels = try await h.service.labels()
        #expect(labels == [
            LabelSummary(id: "INBOX", name: "INBOX", isSystem: true, messagesTotal: 10, messagesUnread: 3),
            LabelSummary(id: "Label_4", name: "Work", isSystem: false, messagesTotal: 5, messagesUnread: 0),
            LabelSummary(id: "CHAT", name: "CHAT", isSystem: true, messagesTotal: nil, messagesUnread: nil),
        ])
        #expect(counter.maximum <= 2)
    }

    @Test func messageDetailParsesHeadersAndAttachments() async throws {
        let full = #"""
        {"id":"m1","threadId":"t1","labelIds":["INBOX","UNREAD"],
         "payload":{"mimeType":"multipart/mixed","headers":[
            {"name":"From","value":"\"Ann Example\" <ann@example.com>"},
            {"name":"To","value":"bob@example.com, \"Doe, Carol\" <carol@example.com>"},
            {"name":"Cc","value":"dave@example.com (Dave)"},
            {"name":"Subject","value":"Plans"},{"name":"Date","value":"Wed, 14 Feb 2024 09:00:00 +0000 (UTC)"},
            {"name":"Content-Type","value":"multipart/mixed; boundary=x"}],
          "body":{"size":0},
          "parts":[{"partId":"0","mimeType":"text/plain","headers":[{"name":"Content-Type","value":"text/plain; charset=UTF-8"}],"body":{"size":6,"data":"SGVsbG8K"}},
                   {"partId":"1","mimeType":"application/pdf","filename":"plan.pdf","headers":[{"name":"Content-Type","value":"application/pdf"},{"name":"Content-Disposition","value":"attachment; filename=\"plan.pdf\""}],"body":{"attachmentId":"ANG","size":2048}}]}}
        """#
        let h = Harness(routes: [route(messagesPath + "/", { _ in jsonResponse(full) })])
        let detail = try await h.service.message(id: "m1", cache: .reload)
        #expect(h.requests(messagesPath).first?.url.query == "format=full")
        #expect(detail.from == MailAddress(name: "Ann Example", email: "ann@example.com"))
        #expect(detail.to == [MailAddress(name: nil, email: "bob@example.com"), MailAddress(name: "Doe, Carol", email: "carol@example.com")])
        #expect(detail.cc == [MailAddress(name: "Dave", email: "dave@example.com")])
        #expect(detail.subject == "Plans")
        #expect(detail.date == Date(timeIntervalSince1970: 1_707_901_200))
        #expect(detail.isUnread)
        #expect(detail.threadID == "t1")
        // Rendered through MIME: the text part's body, the attachment listed with its size.
        #expect(detail.body.trimmingCharacters(in: .whitespacesAndNewlines) == "Hello")
        #expect(detail.attachments == [AttachmentSummary(filename: "plan.pdf", mimeType: "application/pdf", size: 2048,
                                                                 partID: "1", attachmentID: "ANG")], "with where Gmail keeps its bytes")
    }

    @Test func encodedWordsInSummaryAreDecoded() async throws {
        let h = Harness(routes: [
            route(messagesPath + "/", { r in
                metadataJSON(messageID(r), from: "=?UTF-8?B?VGhp4buHbg==?= <t@example.com>", subject: "=?ISO-8859-1?Q?Caf=E9_menu?=")
            }),
            route(messagesPath, { _ in listJSON(["a"]) }),
        ])
        let page = try await h.service.page(query: "", pageToken: nil, pageSize: 1, cache: .reload)
        #expect(page.messages.first?.from == MailAddress(name: "Thiện", email: "t@example.com"))
        #expect(page.messages.first?.subject == "Café menu")
    }

    @Test func htmlOnlyMessageRendersAsText() async throws {
        let full = #"{"id":"h1","threadId":"h1","payload":{"mimeType":"text/html","headers":[{"name":"Content-Type","value":"text/html; charset=UTF-8"},{"name":"Content-Transfer-Encoding","value":"quoted-printable"}],"body":{"size":26,"data":"PHA-SGk8L3A-PHA-dGhlcmU8L3A-"}}}"#
        let h = Harness(routes: [route(messagesPath + "/", { _ in jsonResponse(full) })])
        let detail = try await h.service.message(id: "h1", cache: .reload)
        #expect(detail.body.contains("Hi"))
        #expect(detail.body.contains("there"))
        #expect(!detail.body.contains("<p>"))
    }
}

@Suite struct HeaderParsingTests {
    @Test func addressForms() {
        #expect(HeaderParsing.address("<a@b.c>") == MailAddress(name: nil, email: "a@b.c"))
        #expect(HeaderParsing.address("\"Q \\\"Z\\\"\" <q@z.c>") == MailAddress(name: "Q \"Z\"", email: "q@z.c"))
        #expect(HeaderParsing.addresses("a@b.c, , C <c@d.e>").map(\.email) == ["a@b.c", "c@d.e"])
        #expect(HeaderParsing.address("   ") == nil)
    }

    @Test func dateForms() {
        let expected = Date(timeIntervalSince1970: 1_707_809_515)
        #expect(HeaderParsing.date("Tue, 13 Feb 2024 14:31:55 +0700") == expected)
        #expect(HeaderParsing.date("13 Feb 2024 07:31:55 +0000") == expected)
        #expect(HeaderParsing.date("Tue, 13 Feb 2024 07:31:55 GMT") == expected)
        #expect(HeaderParsing.date("not a date") == nil)
    }
}
