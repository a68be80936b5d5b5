import Foundation
import GoogleOAuth
import GmailAPI
import MailService
import MailUI
import TerminalCells
import GmailSandbox
import GmailSandboxClient
import CurlTransport

/// Triage: how fast `e` takes a row off the screen (no network wait: the change is shown before it is
/// sent), and what archiving costs in requests and in the sandbox's quota units.
enum Triage {
    static func measure(runs: Int, into table: inout Table) async throws {
        table.add("e to the row gone from the screen", format(keyToRowGone(runs: max(runs, 7) * 100)) + " (state machine + render, 200x60, 50 rows)")
        try await SandboxServer.run(SandboxOptions()) { server in
            for count in [1, 50] {
                let (requests, units) = try await archiveCost(count, server)
                table.add("archive \(count) message\(count == 1 ? "" : "s")", "\(requests) request\(requests == 1 ? "" : "s"), \(units) quota units")
            }
        }
    }

    /// The median time from `e` on a list of 50 to a drawn frame without that row.
    static func keyToRowGone(runs: Int) -> Double {
        let now = Date()
        let messages = (0..<50).map { i in
            MessageSummary(id: String(format: "%016x", i), threadID: String(format: "%016x", i),
                           from: MailAddress(name: "Sender \(i)", email: "sender\(i)@example.com"),
                           subject: "Subject line number \(i) with some words to fill the column",
                           date: now.addingTimeInterval(Double(-i * 600)), snippet: "snippet \(i)", isUnread: true, labelIDs: ["INBOX", "UNREAD"])
        }
        var ready = BrowserState(account: "bench@example.com", query: "in:inbox", pageSize: 50, cols: 200, rows: 60, now: now)
        _ = ready.start()
        _ = ready.update(.pageLoaded(MessagePage(query: "in:inbox", pageToken: nil, messages: messages, nextPageToken: nil, resultSizeEstimate: 50)))
        _ = ready.update(.modifyPermission(true))
        let clock = ContinuousClock()
        var times: [Double] = []
        var gone = true
        for _ in 0..<runs {
            var state = ready
            let t0 = clock.now
            _ = state.update(.key(.character("e")))
            let frame = state.render()
            let elapsed = clock.now - t0
            gone = gone && !frame.lines()[1].contains("Subject line number 0 ")
            times.append(ms(elapsed))
        }
        return gone ? median(times) : .nan
    }

    /// Archives `count` fresh messages through MailService; returns the requests sent and the quota units the
    /// sandbox charged for them.
    static func archiveCost(_ count: Int, _ server: SandboxServer) async throws -> (requests: Int, units: Int) {
        let client = try SandboxClient(sandbox: server.sandbox, rootURL: server.rootURL, transport: CurlTransport(maxConnectionsPerHost: 32))
        let account = try client.mintAccount(scopes: [SandboxScope.modify])
        let mail = client.mailService(account)
        var ids: [String] = []
        for i in 0..<count { ids.append(try server.sandbox.deliver(subject: "bench archive \(i)").id) }
        let logStart = server.sandbox.requestLog().count
        let unitsBefore = server.sandbox.stats().quotaUnitsCharged
        try await mail.apply(.archive, to: ids)
        let requests = server.sandbox.requestLog().count - logStart
        guard ids.allSatisfy({ !server.sandbox.labels(ofMessage: $0).contains("INBOX") }) else { throw BenchError("the archive did not happen") }
        return (requests, server.sandbox.stats().quotaUnitsCharged - unitsBefore)
    }
}
