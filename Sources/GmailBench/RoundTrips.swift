import Foundation
import MailService
import MailUI
import TerminalCells
import GmailSandbox

/// The most common wave sizes among runs, said as "waves 1+25+25 in 7 of 7 runs".
func wavePattern(_ runs: [[Int]]) -> String {
    guard let common = Dictionary(grouping: runs, by: { $0 }).max(by: { $0.value.count < $1.value.count }) else { return "no runs" }
    return "waves \(common.key.map(String.init).joined(separator: "+")) in \(common.value.count) of \(runs.count) runs"
}

/// `r` in the browser while prefetches are pending, performed as the run loop performs the effects the
/// state machine returns: the next page's prefetch (asked for when the first page arrived) has its list on
/// the wire, and the selection's rest timer fires while the reload's list is on the wire. Over HTTP/1.1 on
/// loopback against the sandbox's limit of 25 in flight, as Gmail's.
enum ReloadWithPrefetches {
    static func measure(latencyMilliseconds latency: Int, runs: Int, into table: inout Table) async throws {
        var options = SandboxOptions()
        options.latency = .milliseconds(latency)
        // A sandbox of its own: a fresh per-minute quota.
        try await SandboxServer.run(options) { server in try await measure(server, latency: latency, runs: runs, into: &table) }
    }

    static func measure(_ server: SandboxServer, latency: Int, runs: Int, into table: inout Table) async throws {
        let clock = ContinuousClock()
        var times: [Double] = [], requests: [Int] = [], waves: [[Int]] = []
        let tooManyBefore = server.sandbox.stats().tooManyRequests
        for run in 0...runs {
            let client = try BenchClient.make(server)
            let mail = client.mail
            var state = BrowserState(account: client.account.email, query: "", pageSize: 50, cols: 200, rows: 60)
            let shown = try await pageFor(state.start(), mail)
            let prefetches = state.update(.pageLoaded(shown))
            let nextPrefetch = Task {
                for case .prefetchPage(let query, let token, let size) in prefetches {
                    await mail.prefetchPage(query: query, pageToken: token, pageSize: size)
                }
            }
            // `r` half a round trip later, while the prefetch's list is on the wire.
            try await Task.sleep(for: .milliseconds(latency / 2))
            let pressed = Date()
            let t0 = clock.now
            guard case .sync(let query, let token, let size)? = state.update(.key(.character("r"))).first else {
                throw BenchError("`r` asked for no sync")
            }
            // As the browser's effect runner performs `.sync` (here without a local store: the page listed afresh).
            await mail.invalidateCaches()
            let reload = Task { try await mail.sync(query: query, pageToken: token, pageSize: size).page }
            // Half a round trip on, the selection has rested long enough: its body is prefetched.
            try await Task.sleep(for: .milliseconds(latency / 2))
            _ = state.update(.clock(Date().addingTimeInterval(BrowserState.prefetchDelay + 1)))
            let rested = state.update(.tick)
            let bodyPrefetch = Task {
                for case .prefetchMessage(let id) in rested { await mail.prefetchMessage(id: id) }
            }
            let page = try await reload.value
            _ = state.update(.synced(SyncResult(page: page)))
            _ = state.render()
            let elapsed = clock.now - t0
            await nextPrefetch.value
            await bodyPrefetch.value
            guard page.messages.count == 50 else { throw BenchError("the reloaded page has \(page.messages.count) messages") }

            // The reload's own requests: its list (the first page's: no pageToken) and its metadata GETs.
            let ids = Set(page.messages.map(\.id))
            let log = server.sandbox.requestLog().filter { entry in
                guard entry.time.addingTimeInterval(-Double(entry.milliseconds) / 1000) >= pressed else { return false }
                let (path, query) = (entry.path.prefix { $0 != "?" }, entry.path.drop { $0 != "?" })
                if path == "/gmail/v1/users/me/messages" { return !query.contains("pageToken=") }
                return query.contains("format=metadata") && ids.contains(String(path.split(separator: "/").last ?? ""))
            }
            if run == 0 { continue }   // warm-up
            times.append(ms(elapsed)); requests.append(log.count); waves.append(requestWaves(log))
        }
        let tooMany = server.sandbox.stats().tooManyRequests - tooManyBefore
        let maxInFlight = server.sandbox.stats().maxInFlightPerUser[Sandbox.defaultUserEmail] ?? 0
        let f = median(times)
        table.add("[\(latency) ms] first page again (r), prefetches pending",
                  "\(format(f)) = " + String(format: "%.2fx latency", f / Double(max(latency, 1)))
                  + ", \(medianInt(requests)) requests, \(medianInt(waves.map(\.count))) round trips (\(wavePattern(waves)))")
        table.add("[\(latency) ms] 429s / most in flight, (r) runs", "\(tooMany) / \(maxInFlight) (limit 25)")
    }
}
