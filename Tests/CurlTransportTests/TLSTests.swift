import Foundation
import HTTPCore
import Testing
import GmailSandbox
@testable import CurlTransport

/// The transport against the sandbox serving HTTPS on a certificate from its throwaway CA.
@Suite(.serialized) struct TLSTests {
    static func withTLSSandbox(_ body: (SandboxServer, Data) async throws -> Void) async throws {
        var options = SandboxOptions()
        options.tls = true
        let server = try await SandboxServer.start(options)
        do {
            try await body(server, Data(try #require(server.certificates).authorityPEM.utf8))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func profile(_ server: SandboxServer, host: String = "127.0.0.1") throws -> HTTPRequest {
        let token = server.sandbox.issueAccessToken(scopes: [SandboxScope.readonly])
        let port = try #require(server.rootURL.port)
        return HTTPRequest(url: try #require(URL(string: "https://\(host):\(port)/gmail/v1/users/me/profile")),
                           headers: ["Authorization": "Bearer \(token)"])
    }

    @Test func aCertificateFromAnUnknownCAIsNotTrustedAndTheErrorNamesTheHost() async throws {
        try await Self.withTLSSandbox { server, _ in
            let transport = CurlTransport()
            do {
                _ = try await transport.send(try Self.profile(server))
                Issue.record("a certificate from a CA the client was not given was accepted")
            } catch let error as TransportError {
                guard case .untrustedCertificate(let host, _) = error else {
                    Issue.record("expected an untrusted certificate, got \(error)")
                    return
                }
                #expect(host == "127.0.0.1")
                #expect(error.description.contains("certificate of 127.0.0.1 was not trusted"), "\(error)")
                #expect(!error.isTransient, "retrying cannot make the certificate trusted")
            }
            #expect(server.sandbox.requestLog().isEmpty, "nothing was sent before the handshake failed")
        }
    }

    @Test func withTheCAConcurrentRequestsShareOneHTTP2Connection() async throws {
        try await Self.withTLSSandbox { server, ca in
            let transport = CurlTransport(maxConnectionsPerHost: 32, extraCACertificates: ca)
            let requests = try (0..<20).map { _ in try Self.profile(server) }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for request in requests { group.addTask { try await transport.send(request).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 20))
            let log = server.sandbox.requestLog()
            #expect(log.count == 20)
            #expect(log.allSatisfy { $0.connection?.protocolName == "h2" })
            #expect(Set(log.compactMap { $0.connection?.id }).count == 1, "PIPEWAIT: every request waited for the one connection")
            #expect(transport.statistics.connectionsOpened == 1)
        }
    }

    @Test func theCertificateIsForLocalhostToo() async throws {
        try await Self.withTLSSandbox { server, ca in
            let transport = CurlTransport(extraCACertificates: ca)
            let response = try await transport.send(try Self.profile(server, host: "localhost"))
            #expect(response.status == 200)
        }
    }

    @Test func http11IsTheFallbackWhenTheClientOffersNoH2() async throws {
        try await Self.withTLSSandbox { server, ca in
            let transport = CurlTransport(extraCACertificates: ca, httpVersion: .http1_1)
            let response = try await transport.send(try Self.profile(server))
            #expect(response.status == 200)
            #expect(response.bodyText.contains(Sandbox.defaultUserEmail))
            let entry = try #require(server.sandbox.requestLog().first)
            #expect(entry.connection?.protocolName == "http/1.1")
            #expect(entry.connection?.tls == true)
        }
    }

    @Test func theControlAPILogGivesEachRequestsProtocolAndConnection() async throws {
        try await Self.withTLSSandbox { server, ca in
            let h2 = CurlTransport(extraCACertificates: ca)
            let h1 = CurlTransport(extraCACertificates: ca, httpVersion: .http1_1)
            _ = try await h2.send(try Self.profile(server))
            _ = try await h1.send(try Self.profile(server))
            let logURL = try #require(URL(string: server.rootURL.absoluteString + "_sandbox/log"))
            let body = try await h2.send(HTTPRequest(url: logURL)).body
            let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let entries = try #require(json["requests"] as? [[String: Any]])
            let profiles = entries.filter { ($0["path"] as? String) == "/gmail/v1/users/me/profile" }
            #expect(profiles.map { $0["protocol"] as? String } == ["h2", "http/1.1"])
            let connections = profiles.compactMap { $0["connection"] as? String }
            #expect(connections.count == 2 && connections[0] != connections[1])
            #expect(connections.allSatisfy { $0.hasPrefix("127.0.0.1:") })
        }
    }

    @Test func anotherSandboxsCAIsNotTrustedForThisOne() async throws {
        let other = try SandboxCertificates.make()
        try await Self.withTLSSandbox { server, ca in
            #expect(Data(other.authorityPEM.utf8) != ca)
            let transport = CurlTransport(extraCACertificates: Data(other.authorityPEM.utf8))
            await #expect(throws: TransportError.self) { try await transport.send(try Self.profile(server)) }
        }
    }

    @Test func extraCAsAreAddedToTheSystemStoreNotInItsPlace() throws {
        let extra = Data(try SandboxCertificates.make().authorityPEM.utf8)
        let trusted = TrustedCertificates(extraPEM: extra)
        let combined = Data(UnsafeRawBufferPointer(rebasing: trusted.bytes[0..<trusted.count]))
        #expect(combined.suffix(extra.count) == extra)
        if let system = TrustedCertificates.systemBundle(), !system.isEmpty {
            #expect(combined.prefix(system.count) == system)
            #expect(combined.count >= system.count + extra.count)
        }
    }
}
