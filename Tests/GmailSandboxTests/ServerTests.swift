import Foundation
import HTTPCore
import Testing
@testable import GmailSandbox
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Hummingbird adapter, through a real socket on 127.0.0.1.
@Suite struct ServerTests {
    func send(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let (data, response) = try await URLSession.shared.data(for: request)
        return (data, try #require(response as? HTTPURLResponse))
    }

    @Test func servesOverLoopbackIncludingBatch() async throws {
        var options = SandboxOptions()
        options.mailboxDirectory = try Fixture.directory()
        try await SandboxServer.run(options) { server in
            #expect(server.rootURL.absoluteString.hasPrefix("http://127.0.0.1:"))
            #expect(server.rootURL.absoluteString.hasSuffix("/"))
            let token = server.sandbox.readonlyToken()

            var list = URLRequest(url: URL(string: "gmail/v1/users/me/messages?q=from%3Aalice&labelIds=INBOX&labelIds=UNREAD", relativeTo: server.rootURL)!)
            list.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (listData, listResponse) = try await send(list)
            #expect(listResponse.statusCode == 200)
            let listed = try #require(try JSONSerialization.jsonObject(with: listData) as? [String: Any])
            #expect(listed["resultSizeEstimate"] as? Int == 1)

            let unauthenticated = URLRequest(url: URL(string: "gmail/v1/users/me/profile", relativeTo: server.rootURL)!)
            let (_, unauth) = try await send(unauthenticated)
            #expect(unauth.statusCode == 401)
            #expect(unauth.value(forHTTPHeaderField: "WWW-Authenticate")?.hasPrefix("Bearer realm=") == true)

            let id = try #require(server.sandbox.messageIds.first)
            var batch = URLRequest(url: URL(string: "batch/gmail/v1", relativeTo: server.rootURL)!)
            batch.httpMethod = "POST"
            batch.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            batch.setValue("multipart/mixed; boundary=batch_foobar", forHTTPHeaderField: "Content-Type")
            batch.httpBody = BatchAndLimitsTests.batchBody([
                ("a1", "GET /gmail/v1/users/me/messages/\(id)?format=minimal HTTP/1.1"),
                ("a2", "GET /gmail/v1/users/me/messages/ffffffffffffffff HTTP/1.1"),
            ])
            let (batchData, batchResponse) = try await send(batch)
            #expect(batchResponse.statusCode == 200)
            let contentType = try #require(batchResponse.value(forHTTPHeaderField: "Content-Type"))
            let parts = BatchAndLimitsTests.parseResponse(SandboxResponse(status: 200, headers: [("Content-Type", contentType)], body: batchData))
            #expect(parts.map(\.status) == [200, 404])
            #expect(parts.map(\.contentID) == ["<response-a1>", "<response-a2>"])
            #expect(parts[0].body["id"] as? String == id)

            let secrets = try #require(try JSONSerialization.jsonObject(with: server.clientSecretsJSON(kind: "installed")) as? [String: Any])
            let installed = try #require(secrets["installed"] as? [String: Any])
            #expect(installed["client_id"] as? String == "sandbox-client.apps.googleusercontent.com")
            #expect(installed["token_uri"] as? String == server.rootURL.absoluteString + "token")
            #expect(installed["auth_uri"] as? String == server.rootURL.absoluteString + "o/oauth2/auth")
            #expect(installed["redirect_uris"] as? [String] == ["http://localhost"])
            let web = try #require(try JSONSerialization.jsonObject(with: server.clientSecretsJSON(kind: "web")) as? [String: Any])
            #expect(((web["web"] as? [String: Any])?["redirect_uris"] as? [String])?.first == server.rootURL.absoluteString + "_sandbox/callback")
            var stats = URLRequest(url: URL(string: "_sandbox/stats", relativeTo: server.rootURL)!)
            stats.httpMethod = "GET"
            let (statsData, statsResponse) = try await send(stats)
            #expect(statsResponse.statusCode == 200, "the control API answers over loopback")
            let counters = try #require(try JSONSerialization.jsonObject(with: statsData) as? [String: Any])
            #expect(counters["requestsServed"] as? Int == 3)
        }
    }
}
