import Foundation
import HTTPCore
import CurlTransport
import MailService
import MailUI
import GmailSandbox
import GmailSandboxClient

/// The same client over HTTPS with HTTP/2, as Gmail is reached: the sandbox with `tls`, trusted through
/// its CA as `--ca-file` does. Connections and the negotiated protocol are read from the sandbox's log.
enum TLSPaging {
    static func measure(latencyMilliseconds latency: Int, runs: Int, into table: inout Table) async throws {
        var options = SandboxOptions()
        options.latency = .milliseconds(latency)
        options.tls = true
        try await SandboxServer.run(options) { server in try await measure(server, latency: latency, runs: runs, into: &table) }
    }

    static func measure(_ server: SandboxServer, latency: Int, runs: Int, into table: inout Table) async throws {
        guard let pem = server.certificates?.authorityPEM else { throw BenchError("the TLS sandbox has no CA") }
        let ca = Data(pem.utf8)
        let clock = ContinuousClock()
        let label = "[TLS h2, \(latency) ms]"
        var first: [Double] = [], next: [Double] = [], trips: [Int] = [], requests: [Int] = []
        var connections: [Int] = [], setUp: [Double] = []
        var protocols = Set<String>()
        let tooManyBefore = server.sandbox.stats().tooManyRequests
        for run in 0...runs {
            // A new transport each run: no open connection, so the first page pays TCP, TLS and HTTP/2 set-up.
            let (mail, _) = try client(server, ca: ca)
            let logStart = server.sandbox.requestLog().count
            let t0 = clock.now
            let page = try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .useCached)
            let firstPage = clock.now - t0
            let firstLog = Array(server.sandbox.requestLog().dropFirst(logStart))
            guard let token = page.nextPageToken else { throw BenchError("the sandbox mailbox has one page only") }

            // The next page, not prefetched, on the connection the first page opened.
            let t1 = clock.now
            _ = try await mail.page(query: "", pageToken: token, pageSize: 50, cache: .useCached)
            let nextPage = clock.now - t1
            let log = Array(server.sandbox.requestLog().dropFirst(logStart))

            // The set-up alone: one request on a new connection against one on an open connection.
            let (_, fresh) = try client(server, ca: ca)
            let profile = try profileRequest(server)
            let t2 = clock.now
            _ = try await fresh.send(profile)
            let cold = clock.now - t2
            let t3 = clock.now
            _ = try await fresh.send(profile)
            let warm = clock.now - t3

            if run == 0 { continue }   // warm-up
            first.append(ms(firstPage)); requests.append(firstLog.count); trips.append(roundTrips(firstLog))
            next.append(ms(nextPage))
            connections.append(Set(log.compactMap { $0.connection?.id }).count)
            protocols.formUnion(log.compactMap { $0.connection?.protocolName })
            setUp.append(ms(cold) - ms(warm))
        }
        let f = median(first)
        table.add("\(label) first page of 50, cold",
                  "\(format(f)) = " + String(format: "%.2fx latency", f / Double(max(latency, 1)))
                  + ", \(medianInt(requests)) requests, \(medianInt(trips)) round trips, incl. connection set-up")
        table.add("\(label) next page, not prefetched", format(median(next)))
        table.add("\(label) connection set-up (TCP+TLS+h2)", "\(format(median(setUp))) (first request on a new connection minus one on it)")
        table.add("\(label) connections per client / protocol",
                  "\(connections.max() ?? 0) (max over \(connections.count) runs of both pages) / \(protocols.sorted().joined(separator: ", "))")
        let tooMany = server.sandbox.stats().tooManyRequests - tooManyBefore
        let maxInFlight = server.sandbox.stats().maxInFlightPerUser[Sandbox.defaultUserEmail] ?? 0
        table.add("\(label) 429s / most in flight", "\(tooMany) / \(maxInFlight) (limit 25)")
        try await rateLimited(server, ca: ca, label: label, runs: runs, into: &table)
    }

    /// The first page when Gmail answers some requests 429: retried after backoff on the same connection.
    static func rateLimited(_ server: SandboxServer, ca: Data, label: String, runs: Int, into table: inout Table) async throws {
        let clock = ContinuousClock()
        var times: [Double] = [], connections: [Int] = [], answered429: [Int] = []
        for run in 0...runs {
            let (mail, _) = try client(server, ca: ca)
            let logStart = server.sandbox.requestLog().count
            // Three metadata requests of the page are refused with Gmail's per-user rate-limit answer.
            server.sandbox.failNext(pathContaining: "/gmail/v1/users/me/messages/", status: 429, count: 3)
            let t0 = clock.now
            let page = try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .useCached)
            let elapsed = clock.now - t0
            let log = Array(server.sandbox.requestLog().dropFirst(logStart))
            guard page.messages.count == 50 else { throw BenchError("the rate-limited page came back short") }
            if run == 0 { continue }
            times.append(ms(elapsed))
            connections.append(Set(log.compactMap { $0.connection?.id }).count)
            answered429.append(log.filter { $0.status == 429 }.count)
        }
        table.add("\(label) first page, 3 answered 429",
                  "\(format(median(times))) (\(medianInt(answered429)) 429s retried with backoff; \(connections.max() ?? 0) connection)")
    }

    /// MailService over a transport that trusts the sandbox's CA, with an account the sandbox minted.
    static func client(_ server: SandboxServer, ca: Data) throws -> (MailService, CurlTransport) {
        // The app's settings: room for 32 connections, of which HTTP/2 needs one.
        let transport = CurlTransport(maxConnectionsPerHost: 32, extraCACertificates: ca)
        let client = try SandboxClient(sandbox: server.sandbox, rootURL: server.rootURL, transport: transport)
        return (client.mailService(try client.mintAccount()), transport)
    }

    static func profileRequest(_ server: SandboxServer) throws -> HTTPRequest {
        let token = server.sandbox.issueAccessToken(scopes: [SandboxScope.readonly])
        guard let url = URL(string: server.rootURL.absoluteString + "gmail/v1/users/me/profile") else { throw BenchError("bad sandbox URL") }
        return HTTPRequest(url: url, headers: ["Authorization": "Bearer \(token)"])
    }
}
