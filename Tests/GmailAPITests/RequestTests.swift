import Foundation
import Testing
import HTTPCore
import TestSupport
@testable import GmailAPI

@Suite struct RequestTests {
    let root = URL(string: "https://gmail.example.test/")!

    @Test func messagesListSendsRepeatedLabelIdsAndBearer() async throws {
        let fake = FakeTransport { _ in jsonResponse(#"{"resultSizeEstimate":0}"#) }
        let client = GmailClient(transport: fake, apiRoot: root)
        let parameters = MessagesListParameters(q: "is:unread from:a b", labelIds: ["INBOX", "UNREAD"], maxResults: 25, pageToken: "tok/1")
        _ = try await client.messagesList(parameters, accessToken: "ya29.test")
        let request = try #require(fake.requests.first)
        #expect(request.method == .get)
        #expect(request.url.absoluteString ==
            "https://gmail.example.test/gmail/v1/users/me/messages?q=is%3Aunread%20from%3Aa%20b&labelIds=INBOX&labelIds=UNREAD&maxResults=25&pageToken=tok%2F1")
        #expect(request.headers["Authorization"] == "Bearer ya29.test")
    }

    @Test func apiRootWithoutTrailingSlashStillJoins() {
        let url = GmailClient.labelsListCall().url(apiRoot: URL(string: "http://127.0.0.1:8080")!)
        #expect(url.absoluteString == "http://127.0.0.1:8080/gmail/v1/users/me/labels")
    }

    @Test func maxResultsIsCappedAt500() {
        let call = GmailClient.messagesListCall(MessagesListParameters(maxResults: 9000))
        #expect(call.query == [QueryItem("maxResults", "500")])
    }

    @Test func messagesGetMetadataRepeatsMetadataHeaders() {
        let call = GmailClient.messagesGetCall(.summary(id: "18c0a1b2c3d4e5f6"))
        #expect(call.pathAndQuery ==
            "/gmail/v1/users/me/messages/18c0a1b2c3d4e5f6?format=metadata&metadataHeaders=From&metadataHeaders=Subject&metadataHeaders=Date&fields=id%2CthreadId%2ClabelIds%2Csnippet%2CinternalDate%2Cpayload%2Fheaders%2Cpayload%2FmimeType")
    }

    @Test func metadataHeadersOnlyWithMetadataFormat() {
        let call = GmailClient.messagesGetCall(MessagesGetParameters(id: "abc", format: .full, metadataHeaders: ["From"]))
        #expect(call.pathAndQuery == "/gmail/v1/users/me/messages/abc?format=full")
        let raw = GmailClient.messagesGetCall(MessagesGetParameters(id: "abc", format: .raw))
        #expect(raw.pathAndQuery == "/gmail/v1/users/me/messages/abc?format=raw")
    }

    @Test func otherMethodPaths() {
        #expect(GmailClient.getProfileCall().pathAndQuery == "/gmail/v1/users/me/profile")
        #expect(GmailClient.attachmentsGetCall(AttachmentsGetParameters(messageId: "m1", id: "ANGj_x-1")).pathAndQuery
                == "/gmail/v1/users/me/messages/m1/attachments/ANGj_x-1")
        #expect(GmailClient.labelsGetCall(LabelsGetParameters(id: "Label_4")).pathAndQuery == "/gmail/v1/users/me/labels/Label_4")
        #expect(GmailClient.threadsListCall(ThreadsListParameters(labelIds: ["INBOX"], maxResults: 5)).pathAndQuery
                == "/gmail/v1/users/me/threads?labelIds=INBOX&maxResults=5")
        #expect(GmailClient.threadsGetCall(ThreadsGetParameters(id: "t1", format: .metadata, metadataHeaders: ["From", "To"])).pathAndQuery
                == "/gmail/v1/users/me/threads/t1?format=metadata&metadataHeaders=From&metadataHeaders=To")
        #expect(GmailClient.historyListCall(HistoryListParameters(startHistoryId: "31031", historyTypes: ["messageAdded", "labelRemoved"], labelId: "INBOX")).pathAndQuery
                == "/gmail/v1/users/me/history?startHistoryId=31031&historyTypes=messageAdded&historyTypes=labelRemoved&labelId=INBOX")
    }

    @Test func idsAreEscapedAsPathSegments() {
        #expect(GmailClient.labelsGetCall(LabelsGetParameters(id: "a/b c")).path == "labels/a%2Fb%20c")
    }

    @Test func getProfileDecodesStringHistoryId() async throws {
        let fake = FakeTransport { _ in jsonResponse(#"{"emailAddress":"me@example.com","messagesTotal":12,"threadsTotal":9,"historyId":"31031"}"#) }
        let profile = try await GmailClient(transport: fake, apiRoot: root).getProfile(accessToken: "t")
        #expect(profile.emailAddress == "me@example.com")
        #expect(profile.historyId == "31031")
        #expect(fake.requests.first?.url.path == "/gmail/v1/users/me/profile")
    }

    @Test func transportFailureBecomesTransportError() async {
        let fake = FakeTransport { _ in throw TransportError.connectionRefused(host: "gmail.example.test") }
        await #expect(throws: GmailError.transport(.connectionRefused(host: "gmail.example.test"))) {
            try await GmailClient(transport: fake, apiRoot: root).labelsList(accessToken: "t")
        }
    }

    @Test func attachmentsGetDecodesPaddedBase64URL() async throws {
        // "hi?>" encodes to "aGk_Pg==" in base64url with padding kept.
        let fake = FakeTransport { _ in jsonResponse(#"{"size":4,"data":"aGk_Pg=="}"#) }
        let body = try await GmailClient(transport: fake, apiRoot: root).attachmentsGet(AttachmentsGetParameters(messageId: "m", id: "a"), accessToken: "t")
        #expect(body.decodedData == Data("hi?>".utf8))
    }

    @Test func historyListWithNoChangesDecodes() async throws {
        let fake = FakeTransport { _ in jsonResponse(#"{"historyId":"500"}"#) }
        let answer = try await GmailClient(transport: fake, apiRoot: root).historyList(HistoryListParameters(startHistoryId: "400"), accessToken: "t")
        #expect(answer.history == nil)
        #expect(answer.historyId == "500")
    }
}
