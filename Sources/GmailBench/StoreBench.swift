import Foundation
import Glibc
import HTTPCore
import CurlTransport
import GoogleOAuth
import GmailAPI
import MailService
import MailStore
import GmailSandbox
import GmailSandboxClient

/// The local store's rows: a sync through history against a cold page at the same latency, a stored
/// body, a stored page read from a large store, and the binary's peak RSS with that store.
enum StoreRows {
    static func measure(latencyMilliseconds latency: Int, runs: Int, into table: inout Table) async throws {
        var options = SandboxOptions()
        options.latency = .milliseconds(latency)
        try await SandboxServer.run(options) { server in try await measure(server, latency: latency, runs: runs, into: &table) }
    }

    static func measure(_ server: SandboxServer, latency: Int, runs: Int, into table: inout Table) async throws {
        let clock = ContinuousClock()
        var cold: [Double] = [], coldUnits: [Int] = []
        var quiet: [Double] = [], quietTrips: [Int] = [], quietUnits: [Int] = []
        var busy: [Double] = [], busyTrips: [Int] = [], busyUnits: [Int] = []
        var opened: [Double] = [], openedRequests: [Int] = []
        for run in 0...runs {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gmail-bench-store-\(getpid())-\(run)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let client = try SandboxClient(sandbox: server.sandbox, rootURL: server.rootURL, transport: CurlTransport(maxConnectionsPerHost: 32))
            // Units as the sandbox charged them (its per-method table), from before a step to after it.
            func charged() -> Int { server.sandbox.stats().quotaUnitsCharged }
            let account = try client.mintAccount()
            let store = try MailStore(cacheDirectory: folder, userID: account.userID)
            func service(_ mailStore: MailStore?) -> MailService {
                MailService(oauth: client.oauth, gmail: client.gmail, store: client.store, account: account, mailStore: mailStore)
            }
            // The reference: the first page of 50 cold, with no store.
            var unitsBefore = charged()
            var t = clock.now
            _ = try await service(nil).page(query: "", pageToken: nil, pageSize: 50, cache: .reload)
            let coldPage = clock.now - t
            let coldCost = charged() - unitsBefore

            let mail = service(store)
            _ = try await mail.sync(query: "", pageToken: nil, pageSize: 50)   // the first sync: a full one
            // Nothing new.
            unitsBefore = charged()
            var logStart = server.sandbox.requestLog().count
            t = clock.now
            let same = try await mail.sync(query: "", pageToken: nil, pageSize: 50)
            let quietSync = clock.now - t
            let quietLog = Array(server.sandbox.requestLog().dropFirst(logStart))
            let quietCost = charged() - unitsBefore
            guard same.newMessageIDs.isEmpty, !same.resynced else { throw BenchError("a sync with nothing new brought something") }
            // Ten new messages.
            for n in 1...10 { _ = try server.sandbox.deliver(subject: "Bench delivery \(run)-\(n)") }
            unitsBefore = charged()
            logStart = server.sandbox.requestLog().count
            t = clock.now
            let ten = try await mail.sync(query: "", pageToken: nil, pageSize: 50)
            let busySync = clock.now - t
            let busyLog = Array(server.sandbox.requestLog().dropFirst(logStart))
            let busyCost = charged() - unitsBefore
            guard ten.newMessageIDs.count == 10 else { throw BenchError("a sync after 10 deliveries found \(ten.newMessageIDs.count) new") }
            // A stored body, opened by a new instance (nothing in memory).
            _ = try await mail.message(id: ten.page.messages[0].id, cache: .useCached)
            let reader = service(store)
            logStart = server.sandbox.requestLog().count
            t = clock.now
            _ = try await reader.message(id: ten.page.messages[0].id, cache: .useCached)
            let storedOpen = clock.now - t
            let storedOpenRequests = server.sandbox.requestLog().count - logStart

            if run == 0 { continue }   // warm-up
            cold.append(ms(coldPage)); coldUnits.append(coldCost)
            quiet.append(ms(quietSync)); quietTrips.append(roundTrips(quietLog)); quietUnits.append(quietCost)
            busy.append(ms(busySync)); busyTrips.append(roundTrips(busyLog)); busyUnits.append(busyCost)
            opened.append(ms(storedOpen)); openedRequests.append(storedOpenRequests)
        }
        let c = median(cold)
        table.add("[\(latency) ms] cold first page of 50 (reference)", "\(format(c)), \(medianInt(coldUnits)) quota units")
        for (label, times, trips, units) in [("sync, nothing new", quiet, quietTrips, quietUnits), ("sync, 10 new messages", busy, busyTrips, busyUnits)] {
            let m = median(times)
            table.add("[\(latency) ms] \(label)", "\(format(m)) = " + String(format: "%.2fx the cold page", m / c)
                      + ", \(medianInt(trips)) round trips, \(medianInt(units)) quota units (cold page \(medianInt(coldUnits)))")
        }
        table.add("stored body opened", "\(format(median(opened))), \(medianInt(openedRequests)) requests")
    }
}

/// A stored page of 50 read from a store of 10,000 messages, and gmail-tui's peak RSS with that store.
enum LargeStore {
    static let userID = Sandbox.defaultUserId

    /// 200 pages of 50 of the query "" with their summaries, as syncs would have left them.
    static func fill(_ folder: URL) throws -> MailStore {
        let store = try MailStore(cacheDirectory: folder, userID: userID)
        let now = Date()
        for page in 0..<200 {
            let ids = (0..<50).map { String(format: "%016x", 0x19f0_0000_0000_0000 + page * 50 + $0) }
            let summaries = ids.enumerated().map { i, id in
                StoredSummary(id: id, threadID: id, labelIDs: i % 3 == 0 ? ["INBOX", "UNREAD"] : ["INBOX"],
                              from: StoredAddress(name: "Sender \(i)", email: "sender\(i)@example.com"),
                              subject: "Stored subject \(page * 50 + i) with some words to fill the column",
                              date: now.addingTimeInterval(Double(-(page * 50 + i) * 600)), snippet: "snippet of message \(page * 50 + i)",
                              sizeEstimate: 4_000, hasAttachment: i % 10 == 0)
            }
            try store.savePage(StoredPage(query: "", pageIndex: page, pageToken: page == 0 ? nil : "token-\(page)", messageIDs: ids,
                                          nextPageToken: page == 199 ? nil : "token-\(page + 1)", resultSizeEstimate: 10_000,
                                          fetchedAt: now), summaries: summaries)
        }
        return store
    }

    static func measure(tui: String?, runs: Int, into table: inout Table) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gmail-bench-large-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try fill(folder.appendingPathComponent("cache"))
        guard try store.summaryCount() == 10_000 else { throw BenchError("the large store does not hold 10,000 messages") }
        let clock = ContinuousClock()
        var first: [Double] = [], middle: [Double] = []
        for run in 0...max(runs, 20) {
            var t = clock.now
            let a = MailService.storedPage(in: store, query: "", pageToken: nil)
            let firstRead = clock.now - t
            t = clock.now
            let b = MailService.storedPage(in: store, query: "", pageToken: "token-100")
            let middleRead = clock.now - t
            guard a?.messages.count == 50, b?.messages.count == 50 else { throw BenchError("a stored page of 50 did not read back whole") }
            if run > 0 { first.append(ms(firstRead)); middle.append(ms(middleRead)) }
        }
        table.add("stored page of 50 read, store of 10,000", "\(format(median(first))) first page, \(format(median(middle))) page 101")
        guard let tui else { return }
        try await SandboxServer.run(SandboxOptions()) { server in
            let env = try TUIEnvironment.make(server)
            defer { env.remove() }
            var environment = env.environment
            environment["GMAIL_TUI_CACHE_DIR"] = folder.appendingPathComponent("cache").path
            let child = try PTYProcess(executable: tui, arguments: ["--query", "", "--page-size", "50"], environment: environment,
                                       cols: 200, rows: 60, watchFor: "q quit")
            try child.run()
            defer { child.finish() }
            let deadline = Date().addingTimeInterval(20)
            while child.sawWatchedTextAt == nil, child.process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            // The first page listed and written through to the store.
            while server.sandbox.requestLog().filter({ $0.path.contains("format=metadata") }).count < 50, Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(300))
            let peak = child.peakRSSKilobytes ?? 0
            child.send("q")
            table.add("peak RSS, gmail-tui on a store of 10,000", String(format: "%.1f MB (VmHWM; first page drawn and written through)", Double(peak) / 1024))
        }
        withExtendedLifetime(store) {}
    }
}
