import Foundation
import Glibc
import HTTPCore
import CurlTransport
import GoogleOAuth
import GmailAPI
import MailService
import MailUI
import TerminalCells
import GmailSandbox

/// `gmail-bench`: the figures of `make bench`, all measured on this machine in one run.
///
/// Paging and opening use the real client (libcurl, GmailClient, MailService) against an in-process
/// sandbox on loopback with latency injected per request and the sandbox's default limits (25 in flight
/// per user, 15,000 quota units a minute). Process start and peak RSS run the release `gmail-tui`
/// binary on a pseudo-terminal of 200x60.
@main
struct GmailBench {
    static func main() async {
        let arguments = CommandLine.arguments
        func value(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        }
        let runs = value("--runs").flatMap(Int.init) ?? 7
        // 0 ms shows the local work alone (client and in-process sandbox), for reading the others.
        let latencies = (value("--latencies") ?? "0,10,50,100").split(separator: ",").compactMap { Int($0) }
        let tui = value("--tui") ?? Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("gmail-tui").path ?? "gmail-tui"
        do {
            var table = Table()
            for latency in latencies {
                try await Paging.measure(latencyMilliseconds: latency, runs: runs, into: &table)
            }
            try await ReloadWithPrefetches.measure(latencyMilliseconds: 50, runs: runs, into: &table)
            // Over HTTPS with HTTP/2, as Gmail is reached (TLSBench.swift).
            try await TLSPaging.measure(latencyMilliseconds: 50, runs: runs, into: &table)
            Frames.measure(into: &table)
            try await Triage.measure(runs: runs, into: &table)
            // The local store (StoreBench.swift): sync against a cold page in one sandbox, then a large store.
            try await StoreRows.measure(latencyMilliseconds: 50, runs: runs, into: &table)
            try await ConversationRows.measure(latencyMilliseconds: 50, runs: runs, into: &table)
            try await LargeStore.measure(tui: FileManager.default.isExecutableFile(atPath: tui) ? tui : nil, runs: runs, into: &table)
            if FileManager.default.isExecutableFile(atPath: tui) {
                try await Startup.measure(tui: tui, runs: runs, into: &table)
                try await WarmStart.measure(tui: tui, latencies: [50, 1000], runs: runs, into: &table)
                try await PeakMemory.measure(tui: tui, into: &table)
            } else {
                table.note("gmail-tui not found at \(tui): process start and peak RSS skipped")
            }
            table.print(runs: runs)
        } catch {
            FileHandle.standardError.write(Data("gmail-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}

/// The rows of the printed table.
struct Table {
    private var rows: [(String, String)] = []
    private var notes: [String] = []

    mutating func add(_ label: String, _ value: String) { rows.append((label, value)) }
    mutating func note(_ text: String) { notes.append(text) }

    func print(runs: Int) {
        let width = rows.map(\.0.count).max() ?? 10
        var out = "gmail-tui benchmark (medians of \(runs) runs unless stated; one machine, one run)\n"
        out += String(repeating: "-", count: width + 40) + "\n"
        for (label, value) in rows {
            out += label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value + "\n"
        }
        for note in notes { out += "note: " + note + "\n" }
        Swift.print(out, terminator: "")
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func medianInt(_ values: [Int]) -> Int { Int(median(values.map(Double.init)).rounded()) }

func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

func format(_ milliseconds: Double) -> String { String(format: milliseconds < 10 ? "%.2f ms" : "%.1f ms", milliseconds) }

/// First page, next page (prefetched or not), opening a message.
enum Paging {
    static func measure(latencyMilliseconds latency: Int, runs: Int, into table: inout Table) async throws {
        var options = SandboxOptions()
        options.latency = .milliseconds(latency)
        // A fresh sandbox per latency: each starts with a fresh per-minute quota, at the default 15,000 units.
        try await SandboxServer.run(options) { server in try await measure(server, latency: latency, runs: runs, into: &table) }
    }

    static func measure(_ server: SandboxServer, latency: Int, runs: Int, into table: inout Table) async throws {
        let clock = ContinuousClock()
        var first: [Double] = [], requests: [Int] = [], trips: [Int] = [], waves: [[Int]] = []
        var prefetched: [Double] = [], cold: [Double] = [], open: [Double] = [], openPrefetched: [Double] = []
        let tooManyBefore = server.sandbox.stats().tooManyRequests
        for run in 0...runs {
            // A new client each run: no cache, no open connection, a full budget.
            let client = try BenchClient.make(server)
            let mail = client.mail
            let logStart = server.sandbox.requestLog().count

            // First page drawn: the page fetched, then folded into the browser state and rendered at 200x60.
            var state = BrowserState(account: client.account.email, query: "", pageSize: 50, cols: 200, rows: 60)
            _ = state.start()
            let t0 = clock.now
            let page = try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .useCached)
            var drawn = state
            _ = drawn.update(.pageLoaded(page))
            _ = drawn.render()
            let firstPage = clock.now - t0
            let log = Array(server.sandbox.requestLog().dropFirst(logStart))

            guard let next = page.nextPageToken, page.messages.count >= 3 else { throw BenchError("the sandbox mailbox has fewer than two pages") }
            // (The state is folded again below, keeping the effects it returns: the prefetch.)
            // Next page drawn, prefetched while the first was read: the prefetch the state machine asked for
            // completes, then `n`, the fetch it asks for, the page folded in and drawn.
            for case .prefetchPage(let q, let token, let size) in state.update(.pageLoaded(page)) where token == next {
                await mail.prefetchPage(query: q, pageToken: token, pageSize: size)
            }
            let t1 = clock.now
            let second = try await pageFor(state.update(.key(.character("n"))), mail)
            _ = state.update(.pageLoaded(second))
            _ = state.render()
            let prefetchedNext = clock.now - t1
            guard second.pageToken == next, second.nextPageToken != nil else { throw BenchError("the sandbox mailbox has fewer than three pages") }

            // Next page drawn with nothing prefetched (the page after; its prefetch is not performed).
            let t2 = clock.now
            let third = try await pageFor(state.update(.key(.character("n"))), mail)
            _ = state.update(.pageLoaded(third))
            _ = state.render()
            let coldNext = clock.now - t2

            // Opening a message (Enter) until its text is drawn: cold, then after the selection rested on it.
            let t3 = clock.now
            let opened1 = try await detailFor(state.update(.key(.enter)), mail)
            _ = state.update(.messageLoaded(opened1))
            _ = state.render()
            let opened = clock.now - t3
            _ = state.update(.key(.character("q")))
            _ = state.update(.key(.character("j")))
            _ = state.update(.clock(Date().addingTimeInterval(1)))
            for case .prefetchMessage(let id) in state.update(.tick) { await mail.prefetchMessage(id: id) }
            let t4 = clock.now
            let opened2 = try await detailFor(state.update(.key(.enter)), mail)
            _ = state.update(.messageLoaded(opened2))
            _ = state.render()
            let openedPrefetched = clock.now - t4
            guard opened1.id != opened2.id, state.message?.detail != nil else { throw BenchError("the message view did not open") }

            if run == 0 { continue }   // warm-up
            first.append(ms(firstPage)); requests.append(log.count); trips.append(roundTrips(log)); waves.append(requestWaves(log))
            prefetched.append(ms(prefetchedNext)); cold.append(ms(coldNext))
            open.append(ms(opened)); openPrefetched.append(ms(openedPrefetched))
        }
        // The alternative: metadata in batch requests of 25 parts, one batch at a time (two at once would
        // be 50 parts in flight, over the limit).
        var batched: [Double] = [], batchRequests: [Int] = [], batchTrips: [Int] = []
        for run in 0...runs {
            let mail = try BenchClient.make(server, strategy: .batch(size: 25)).mail
            let logStart = server.sandbox.requestLog().count
            let t0 = clock.now
            let page = try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .useCached)
            var state = BrowserState(account: nil, query: "", pageSize: 50, cols: 200, rows: 60)
            _ = state.start()
            _ = state.update(.pageLoaded(page))
            _ = state.render()
            let elapsed = clock.now - t0
            let log = Array(server.sandbox.requestLog().dropFirst(logStart))
            if run > 0 { batched.append(ms(elapsed)); batchRequests.append(log.count); batchTrips.append(roundTrips(log)) }
        }
        let tooMany = server.sandbox.stats().tooManyRequests - tooManyBefore
        let maxInFlight = server.sandbox.stats().maxInFlightPerUser[Sandbox.defaultUserEmail] ?? 0
        let f = median(first)
        let multiple = latency > 0 ? String(format: "%.2fx latency", f / Double(latency)) : "local work only"
        table.add("[\(latency) ms] first page of 50 drawn",
                  "\(format(f)) = \(multiple), \(medianInt(requests)) requests" + (latency > 0 ? ", \(medianInt(trips)) round trips (\(wavePattern(waves)))" : ""))
        let b = median(batched)
        table.add("[\(latency) ms] (batch of 25 x2 instead)",
                  "\(format(b))" + (latency > 0 ? String(format: " = %.2fx latency", b / Double(latency)) : "")
                  + ", \(medianInt(batchRequests)) requests" + (latency > 0 ? ", \(medianInt(batchTrips)) round trips" : ""))
        table.add("[\(latency) ms] next page drawn, prefetched", format(median(prefetched)))
        table.add("[\(latency) ms] next page drawn, not prefetched", format(median(cold)))
        table.add("[\(latency) ms] message opened and drawn", format(median(open)))
        table.add("[\(latency) ms] message opened, prefetched", format(median(openPrefetched)))
        table.add("[\(latency) ms] 429s / most in flight", "\(tooMany) / \(maxInFlight) (limit 25)")
    }
}

/// Performs the `.fetchPage` among `effects` as the browser loop does (from the cache when there).
func pageFor(_ effects: [BrowserEffect], _ mail: MailService) async throws -> MessagePage {
    for case .fetchPage(let query, let token, let size, _) in effects {
        return try await mail.page(query: query, pageToken: token, pageSize: size, cache: .useCached)
    }
    throw BenchError("the browser asked for no page")
}

/// Performs the `.fetchMessage` among `effects` as the browser loop does.
func detailFor(_ effects: [BrowserEffect], _ mail: MailService) async throws -> MessageDetail {
    for case .fetchMessage(let id) in effects { return try await mail.message(id: id, cache: .useCached) }
    throw BenchError("the browser asked for no message")
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Drawing one frame of a 10,000-row list at 200x60.
enum Frames {
    static func measure(into table: inout Table) {
        let now = Date()
        let messages = (0..<10_000).map { i in
            MessageSummary(id: String(format: "%016x", i), threadID: String(format: "%016x", i),
                           from: MailAddress(name: "Sender \(i % 97)", email: "sender\(i % 97)@example.com"),
                           subject: "Subject line number \(i) with some words to fill the column",
                           date: now.addingTimeInterval(Double(-i * 600)), snippet: "snippet \(i)",
                           isUnread: i % 3 == 0, labelIDs: ["INBOX"])
        }
        var state = BrowserState(account: "bench@example.com", query: "", pageSize: 10_000, cols: 200, rows: 60, now: now)
        _ = state.start()
        _ = state.update(.pageLoaded(MessagePage(query: "", pageToken: nil, messages: messages, nextPageToken: "more", resultSizeEstimate: 20_000)))
        let clock = ContinuousClock()
        var times: [Double] = []
        for i in 0..<80 {
            // Move the selection down the list, as `j` does, so that frames differ.
            _ = state.update(.key(.character("j")))
            let t = clock.now
            let grid = state.render()
            let elapsed = clock.now - t
            if grid.cols != 200 { Swift.print("unexpected grid") }
            if i >= 10 { times.append(ms(elapsed)) }
        }
        table.add("frame, 10,000-row list at 200x60", "\(format(median(times))) (median of \(times.count) renders to the cell grid)")
    }
}
