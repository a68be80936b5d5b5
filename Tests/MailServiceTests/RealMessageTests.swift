import Foundation
import Testing
import HTTPCore
import GmailAPI
import TestSupport
@testable import MailService

/// Message shapes from real mail, read through Gmail's payload (hand-built: the sandbox serves one shape
/// of each, Gmail sends both).
@Suite struct RealMessagePayloadTests {
    static let inner = "From: =?iso-8859-1?q?Andr=E9?= <a@example.org>\r\nDate: Tue, 13 Feb 2024 14:31:55 +0700\r\n"
        + "Subject: Original\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe original text.\r\n"

    static let expectedForward = """
        See below.

        ---------- Attached message ----------
        From: André <a@example.org>
        Date: Tue, 13 Feb 2024 14:31:55 +0700
        Subject: Original

        The original text.
        """

    static func data(_ text: String) -> String { Base64URL.encode(Data(text.utf8)) }

    /// A `format=full` message: multipart/mixed with a short text part and `second` as the other part.
    static func mixed(_ id: String, second: String) -> String {
        #"""
        {"id":"\#(id)","threadId":"\#(id)","labelIds":["INBOX"],
         "payload":{"partId":"","mimeType":"multipart/mixed","filename":"","headers":[
            {"name":"From","value":"Bob <bob@example.com>"},{"name":"Subject","value":"Fwd: Original"},
            {"name":"Content-Type","value":"multipart/mixed; boundary=x"}],
          "body":{"size":0},
          "parts":[{"partId":"0","mimeType":"text/plain","filename":"","headers":[{"name":"Content-Type","value":"text/plain"}],
                    "body":{"size":12,"data":"\#(data("See below.\r\n"))"}},
                   \#(second)]}}
        """#
    }

    @Test func forwardedMessageAsOnePartWithItsBytesInData() async throws {
        let part = #"{"partId":"1","mimeType":"message/rfc822","filename":"","headers":[{"name":"Content-Type","value":"message/rfc822"}],"body":{"size":\#(Self.inner.utf8.count),"data":"\#(Self.data(Self.inner))"}}"#
        let h = Harness(routes: [route(messagesPath + "/", { _ in jsonResponse(Self.mixed("f1", second: part)) })])
        let detail = try await h.service.message(id: "f1", cache: .reload)
        #expect(detail.body == Self.expectedForward)
        #expect(detail.attachments.isEmpty)
    }

    @Test func forwardedMessageAsOnePartBehindAnAttachmentIdIsFetched() async throws {
        let part = #"{"partId":"1","mimeType":"message/rfc822","filename":"Original.eml","headers":[{"name":"Content-Type","value":"message/rfc822; name=\"Original.eml\""},{"name":"Content-Disposition","value":"attachment; filename=\"Original.eml\""}],"body":{"attachmentId":"ANGfwd","size":\#(Self.inner.utf8.count)}}"#
        let h = Harness(routes: [
            route(messagesPath + "/f2/attachments/ANGfwd", { _ in jsonResponse(#"{"size":\#(Self.inner.utf8.count),"data":"\#(Self.data(Self.inner))"}"#) }),
            route(messagesPath + "/", { _ in jsonResponse(Self.mixed("f2", second: part)) }),
        ])
        let detail = try await h.service.message(id: "f2", cache: .reload)
        #expect(detail.body == Self.expectedForward)
        #expect(detail.attachments == [AttachmentSummary(filename: "Original.eml", mimeType: "message/rfc822", size: Self.inner.utf8.count,
                                                                 partID: "1", attachmentID: "ANGfwd")])
        #expect(h.requests(messagesPath + "/f2/attachments/").count == 1)
    }

    @Test func forwardedMessageWithSubPartsReadsTheSame() async throws {
        let part = #"""
        {"partId":"1","mimeType":"message/rfc822","filename":"","headers":[{"name":"Content-Type","value":"message/rfc822"}],"body":{"size":0},
         "parts":[{"partId":"1.0","mimeType":"text/plain","filename":"","headers":[
            {"name":"From","value":"=?iso-8859-1?q?Andr=E9?= <a@example.org>"},{"name":"Date","value":"Tue, 13 Feb 2024 14:31:55 +0700"},
            {"name":"Subject","value":"Original"},{"name":"Content-Type","value":"text/plain; charset=utf-8"}],
           "body":{"size":20,"data":"\#(Self.data("The original text.\r\n"))"}}]}
        """#
        let h = Harness(routes: [route(messagesPath + "/", { _ in jsonResponse(Self.mixed("f3", second: part)) })])
        #expect(try await h.service.message(id: "f3", cache: .reload).body == Self.expectedForward)
    }

    @Test func onlyATextAttachmentIsFetchedAndShown() async throws {
        let full = #"""
        {"id":"t1","threadId":"t1","payload":{"partId":"","mimeType":"text/plain","filename":"test.csv","headers":[
            {"name":"From","value":"alice@test.com"},{"name":"Content-Type","value":"text/plain; name=\"test.csv\""},
            {"name":"Content-Disposition","value":"attachment; filename=\"test.csv\""}],
          "body":{"attachmentId":"ANGcsv","size":10}}}
        """#
        let h = Harness(routes: [
            route(messagesPath + "/t1/attachments/ANGcsv", { _ in jsonResponse(#"{"size":10,"data":"\#(Self.data("Test;Test\n"))"}"#) }),
            route(messagesPath + "/", { _ in jsonResponse(full) }),
        ])
        let detail = try await h.service.message(id: "t1", cache: .reload)
        #expect(detail.body == "Test;Test")
        #expect(detail.attachments == [AttachmentSummary(filename: "test.csv", mimeType: "text/plain", size: 10, partID: "", attachmentID: "ANGcsv")])
    }

    @Test func textAttachmentBesideTextIsNotFetched() async throws {
        let part = #"{"partId":"1","mimeType":"text/plain","filename":"notes.txt","headers":[{"name":"Content-Type","value":"text/plain"},{"name":"Content-Disposition","value":"attachment; filename=notes.txt"}],"body":{"attachmentId":"ANGtxt","size":5}}"#
        let h = Harness(routes: [route(messagesPath + "/", { _ in jsonResponse(Self.mixed("t2", second: part)) })])
        let detail = try await h.service.message(id: "t2", cache: .reload)
        #expect(detail.body == "See below.")
        #expect(h.requests(messagesPath + "/t2/attachments/").isEmpty)
    }

    @Test func encryptedBodySaysSo() async throws {
        let full = #"""
        {"id":"e1","threadId":"e1","payload":{"partId":"","mimeType":"multipart/encrypted","filename":"","headers":[
            {"name":"Content-Type","value":"multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=b"}],
          "body":{"size":0},
          "parts":[{"partId":"0","mimeType":"application/pgp-encrypted","filename":"","headers":[{"name":"Content-Type","value":"application/pgp-encrypted"}],"body":{"size":11,"data":"\#(Self.data("Version: 1\n"))"}},
                   {"partId":"1","mimeType":"application/octet-stream","filename":"encrypted.asc","headers":[{"name":"Content-Type","value":"application/octet-stream; name=\"encrypted.asc\""}],"body":{"attachmentId":"ANGpgp","size":900}}]}}
        """#
        let h = Harness(routes: [route(messagesPath + "/", { _ in jsonResponse(full) })])
        let detail = try await h.service.message(id: "e1", cache: .reload)
        #expect(detail.body == "encrypted message (PGP)")
        #expect(detail.attachments.map(\.filename) == ["encrypted.asc"])
        #expect(h.requests(messagesPath + "/e1/attachments/").isEmpty)
    }

    @Test func sendersWithoutAnAddressAndFromOldListSoftware() async throws {
        let h = Harness(routes: [
            route(messagesPath + "/", { r in
                switch messageID(r) {
                case "k": return metadataJSON("k", from: "=?koi8-r?B?6dfBziDwxdTSz9c=?=", subject: "=?koi8-r?B?8NLJ18XU?=")
                default: return metadataJSON("p", from: "test at example.com (Test User)", subject: "[Python-Dev]\\tRe: folded\\r")
                }
            }),
            route(messagesPath, { _ in listJSON(["k", "p"]) }),
        ])
        let page = try await h.service.page(query: "", pageToken: nil, pageSize: 2, cache: .reload)
        #expect(page.messages.map(\.from) == [
            MailAddress(name: "Иван Петров", email: ""),
            MailAddress(name: "Test User", email: "test@example.com"),
        ])
        #expect(page.messages.first?.from.displayName == "Иван Петров")
        #expect(page.messages.first?.subject == "Привет")
        // The summary keeps the header's text (as `list --json` prints it); display shows one space each.
        #expect(page.messages.last?.subject == "[Python-Dev]\tRe: folded\r")
        #expect(OneLine.display(page.messages.last?.subject ?? "") == "[Python-Dev] Re: folded ")
    }
}
