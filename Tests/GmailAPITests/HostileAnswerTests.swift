import Foundation
import HTTPCore
import Testing
import TestSupport
@testable import GmailAPI

/// What a server sends back never shows a token, and an unreadable answer is said in plain words.
@Suite struct HostileAnswerTests {
    let token = "ya29.a0-secret-access-token-value"
    let root = URL(string: "https://gmail.example.test/")!

    @Test func a400EchoingTheAuthorizationHeaderShowsNoToken() async {
        // The server echoes the request's headers in its error, as a broken proxy does.
        let fake = FakeTransport { request in
            let echoed = request.headers["Authorization"] ?? ""
            return HTTPResponse(status: 400, body: Data("bad: \(echoed)".utf8))
        }
        let client = GmailClient(transport: fake, apiRoot: root)
        do {
            _ = try await client.messagesList(MessagesListParameters(q: "x"), accessToken: token)
            Issue.record("expected a throw")
        } catch {
            #expect(fake.requests.first?.headers["Authorization"] == "Bearer \(token)")
            for text in ["\(error)", String(reflecting: error), error.logDetail] {
                #expect(!text.contains("a0-secret"), "\(text)")
                #expect(text.contains("<redacted>"), "\(text)")
            }
        }
    }

    @Test func anEnvelopeMessageEchoingAnOpaqueTokenIsMaskedToo() {
        // An access token of no known shape (the sandbox's, another provider's) is masked because it was sent.
        let body = #"{"error":{"code":400,"message":"bad token sbx-opaque-123456","status":"INVALID_ARGUMENT"}}"#
        let error = GmailError(response: jsonResponse(400, body), secrets: ["sbx-opaque-123456"])
        #expect(error == .badRequest("bad token <redacted>"))
    }

    @Test(arguments: ["", "<html><body>Service Unavailable</body></html>", "   ", "{\"messages\": [", "ok"])
    func aNonJSONSuccessIsNotJSONInTheUsersWords(body: String) {
        #expect {
            try GmailClient.decode(MessagesListResponse.self, from: HTTPResponse(status: 200, body: Data(body.utf8)))
        } throws: { error in
            guard let error = error as? GmailError, case .invalidResponse = error else { return false }
            return error.description == "Gmail sent an answer that is not JSON"
                && !error.description.contains("Decoding") && error.logDetail.contains("not JSON")
        }
    }

    @Test func jsonOfTheWrongShapeSaysSoWithoutSwiftWords() {
        #expect {
            try GmailClient.decode(Message.self, from: jsonResponse("[1,2]"))
        } throws: { error in
            guard let error = error as? GmailError, case .invalidResponse(let detail) = error else { return false }
            // The details (which type, what Swift said) are for the log only.
            return error.description == "Gmail sent an answer gmail-tui cannot read" && detail.contains("Message")
        }
    }

    @Test func anAnswerOverTheSizeCapIsABadAnswerNotANetworkFailure() async {
        let fake = FakeTransport { _ in throw TransportError.responseTooLarge(host: "gmail.example.test", limit: 64 << 20) }
        let client = GmailClient(transport: fake, apiRoot: root)
        do {
            _ = try await client.messagesList(MessagesListParameters(q: "x"), accessToken: token)
            Issue.record("expected a throw")
        } catch {
            #expect(error.description == "Gmail sent an answer too large to read")
            #expect(!error.isRetryable)
        }
    }
}
