import Foundation
import Testing
import HTTPCore
import CurlTransport
import GoogleOAuth
import GmailAPI
import MailService
import GmailSandbox
import TestSupport

/// The first page over HTTPS as Gmail serves it: HTTP/2, every request multiplexed on one connection.
///
/// Counted server-side, from the sandbox's request log (protocol and connection of each request), so a
/// client that opened a connection per request, or fell back to HTTP/1.1, would fail here.
@Suite struct TLSFirstPageTests {
    @Test func theFirstPageOfFiftyOverTLSIsOneHTTP2Connection() async throws {
        var options = SandboxOptions()
        options.tls = true
        options.latency = .milliseconds(20)
        let server = try await SandboxServer.start(options)
        defer { Task { await server.stop() } }
        let ca = Data(try #require(server.certificates).authorityPEM.utf8)
        let secrets = try ClientSecrets.parse(server.clientSecretsJSON(kind: "installed"), path: "sandbox")
        // The app's transport settings: room for 32 connections, yet HTTP/2 needs only one.
        let transport = CurlTransport(maxConnectionsPerHost: 32, extraCACertificates: ca)
        let token = server.sandbox.issueAccessToken(scopes: [SandboxScope.readonly])
        let account = Credentials(userID: "sandbox", email: Sandbox.defaultUserEmail, refreshToken: nil, accessToken: token,
                                  expiresAt: Date().addingTimeInterval(3000), scopes: [SandboxScope.readonly], clientID: secrets.clientID)
        let mail = MailService(oauth: OAuthClient(secrets: secrets, transport: transport),
                               gmail: GmailClient(transport: transport, apiRoot: server.rootURL),
                               store: InMemoryCredentialStore([]), account: account)

        let page = try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .reload)

        #expect(page.messages.count == 50)
        let log = server.sandbox.requestLog()
        #expect(log.count == 51, "one list, fifty metadata GETs")
        #expect(log.allSatisfy { $0.connection?.protocolName == "h2" }, "negotiated: \(Set(log.map { $0.connection?.protocolName ?? "none" }))")
        #expect(Set(log.compactMap { $0.connection?.id }).count == 1, "connections: \(Set(log.compactMap { $0.connection?.id }))")
        #expect(transport.statistics.connectionsOpened == 1)
        #expect(server.sandbox.stats().tooManyRequests == 0)
        #expect(server.rootURL.absoluteString.hasPrefix("https://127.0.0.1:"))
    }
}
