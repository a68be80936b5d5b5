import Foundation
import Testing
import HTTPCore
import MIME
import TestSupport
@testable import GmailAPI

@Suite struct ModelTests {
    @Test func emptyListDecodes() async throws {
        let fake = FakeTransport { _ in jsonResponse(#"{"resultSizeEstimate": 0}"#) }
        let list = try await GmailClient(transport: fake).messagesList(MessagesListParameters(q: "nothing"), accessToken: "t")
        #expect(list.messages == nil)
        #expect(list.resultSizeEstimate == 0)
        #expect(list.nextPageToken == nil)
    }

    @Test func emptyThreadsListDecodes() throws {
        let list = try GmailClient.decode(ThreadsListResponse.self, from: jsonResponse(#"{"resultSizeEstimate":0}"#))
        #expect(list.threads == nil)
    }

    @Test func labelsWithoutVisibilityDecode() throws {
        let list = try GmailClient.decode(LabelsListResponse.self, from: jsonResponse(
            ##"{"labels":[{"id":"INBOX","name":"INBOX","messageListVisibility":"hide","labelListVisibility":"labelShow","type":"system"},{"id":"CATEGORY_SOCIAL","name":"CATEGORY_SOCIAL","type":"system"},{"id":"Label_4","name":"Work","type":"user","color":{"textColor":"#000000","backgroundColor":"#ffffff"}}]}"##))
        #expect(list.labels?.map(\.id) == ["INBOX", "CATEGORY_SOCIAL", "Label_4"])
        #expect(list.labels?[1].labelListVisibility == nil)
        #expect(list.labels?[2].color?.backgroundColor == "#ffffff")
    }

    static let fullCapture = #"""
    {"id":"18d9f2a3b4c5d6e7","threadId":"18d9f2a3b4c5d6e7","labelIds":["IMPORTANT","CATEGORY_PERSONAL","INBOX"],"snippet":"In gap SOS",
     "payload":{"partId":"","mimeType":"multipart/mixed","filename":"",
      "headers":[{"name":"From","value":"\"Thiện Toàn Vũ\" <x@gmail.com>"},{"name":"Subject","value":"in lan 2"},
                 {"name":"Date","value":"Tue, 13 Feb 2024 14:31:55 +0700"},{"name":"Content-Type","value":"multipart/mixed; boundary=\"000\""}],
      "body":{"size":0},
      "parts":[{"partId":"0","mimeType":"multipart/alternative","filename":"","headers":[{"name":"Content-Type","value":"multipart/alternative; boundary=\"001\""}],"body":{"size":0},
                "parts":[{"partId":"0.0","mimeType":"text/plain","filename":"","headers":[{"name":"Content-Type","value":"text/plain; charset=\"UTF-8\""},{"name":"Content-Transfer-Encoding","value":"base64"}],
                          "body":{"size":12,"data":"SW4gZ2FwIFNPUw0K"}},
                         {"partId":"0.1","mimeType":"text/html","filename":"","headers":[{"name":"Content-Type","value":"text/html; charset=\"UTF-8\""}],
                          "body":{"size":35,"data":"PGRpdiBkaXI9Imx0ciI-SW4gZ2FwIFNPU8KgPC9kaXY-DQo="}}]},
               {"partId":"1","mimeType":"application/pdf","filename":"mock.pdf","headers":[{"name":"Content-Type","value":"application/pdf; name=\"mock.pdf\""}],
                "body":{"attachmentId":"ANGjdJ9aVICR","size":292885}}]},
     "sizeEstimate":406529,"historyId":"31031","internalDate":"1707809515000"}
    """#

    @Test func fullMessageDecodes() throws {
        let message = try GmailClient.decode(Message.self, from: jsonResponse(Self.fullCapture))
        #expect(message.historyId == "31031")
        #expect(message.internalDateValue == Date(timeIntervalSince1970: 1_707_809_515))
        #expect(message.header("subject") == "in lan 2")
        #expect(message.payload?.parts?[0].parts?[1].body?.decodedData == Data("<div dir=\"ltr\">In gap SOS\u{a0}</div>\r\n".utf8))
    }

    @Test func payloadBecomesMIMETree() throws {
        let message = try GmailClient.decode(Message.self, from: jsonResponse(Self.fullCapture))
        let entity = try #require(message.mimeEntity())
        #expect(entity.contentType.mimeType == "multipart/mixed")
        #expect(entity.body.isEmpty)
        #expect(entity.parts.count == 2)
        let plain = entity.parts[0].parts[0]
        #expect(plain.body == Data("In gap SOS\r\n".utf8))
        // The data is already decoded, so the transfer encoding header must not survive.
        #expect(plain.header("Content-Transfer-Encoding") == nil)
        let pdf = entity.parts[1]
        #expect(pdf.body.isEmpty)
        #expect(pdf.knownSize == 292885)
        #expect(pdf.header("Content-Disposition") == "attachment; filename=\"mock.pdf\"")
    }

    @Test func missingContentTypeIsRebuiltFromMimeType() {
        let part = MessagePart(mimeType: "text/plain", headers: [], body: MessagePartBody(size: 2, data: "aGk"))
        let entity = part.mimeEntity()
        #expect(entity.contentType.mimeType == "text/plain")
        #expect(entity.body == Data("hi".utf8))
    }

    @Test func rawFormatParsesThroughMIME() {
        let raw = "Subject: hello\r\nFrom: a@b.c\r\n\r\nbody text\r\n"
        let message = Message(id: "m", raw: Base64URL.encode(Data(raw.utf8)))
        let entity = message.mimeEntity()
        #expect(entity?.header("Subject") == "hello")
    }

    @Test func base64URLWithAndWithoutPadding() {
        #expect(Base64URL.decode("aGk_Pg==") == Data("hi?>".utf8))
        #expect(Base64URL.decode("aGk_Pg") == Data("hi?>".utf8))
        #expect(Base64URL.decode("a") == nil)
        #expect(Base64URL.encode(Data("hi?>".utf8)) == "aGk_Pg")
    }

    @Test func renderedEndToEndPrefersPlainText() throws {
        let message = try GmailClient.decode(Message.self, from: jsonResponse(Self.fullCapture))
        let rendered = MessageRenderer.render(try #require(message.mimeEntity()))
        #expect(rendered.text.contains("In gap SOS"))
        #expect(!rendered.text.contains("<div"))
    }
}
