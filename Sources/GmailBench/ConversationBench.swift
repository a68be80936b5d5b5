import Foundation
import Glibc
import CurlTransport
import MailService
import MailStore
import MailUI
import GmailSandbox
import GmailSandboxClient

/// Conversations (`t`): the first page of 50 threads against the sandbox with latency, as the browser
/// draws it, and a stored conversation opened by a new instance (nothing in memory).
enum ConversationRows {
    static func measure(latencyMilliseconds latency: Int, runs: Int, into table: inout Table) async throws {
        var options = SandboxOptions()
        options.latency = .milliseconds(latency)
        // A sandbox of its own: a fresh per-minute quota (a page of threads costs twice a page of messages).
        try await SandboxServer.run(options) { server in try await measure(server, latency: latency, runs: runs, into: &table) }
    }

    static func measure(_ server: SandboxServer, latency: Int, runs: Int, into table: inout Table) async throws {
        let clock = ContinuousClock()
        var first: [Double] = [], requests: [Int] = [], waves: [[Int]] = [], units: [Int] = []
        var opened: [Double] = [], openedRequests: [Int] = []
        let tooManyBefore = server.sandbox.stats().tooManyRequests
        for run in 0...runs {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gmail-bench-conversations-\(getpid())-\(run)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let client = try BenchClient.make(server)
            let mail = client.mail
            var logStart = server.sandbox.requestLog().count
            let unitsBefore = server.sandbox.stats().quotaUnitsCharged

            // The first page of conversations drawn: fetched, folded into the browser state, rendered at 200x60.
            // The list is on messages (an empty page), then `t` asks for conversations: the page is folded in
            // as the answer to that request, so a dropped answer would fail the checks below.
            var state = BrowserState(account: client.account.email, query: "", pageSize: 50, cols: 200, rows: 60)
            _ = state.start()
            _ = state.update(.pageLoaded(MessagePage(query: "", pageToken: nil, messages: [], nextPageToken: nil, resultSizeEstimate: 0)))
            let t0 = clock.now
            guard state.update(.key(.character("t"))).contains(.fetchConversationPage(query: "", pageToken: nil, pageSize: 50)) else {
                throw BenchError("t did not ask for conversations")
            }
            let page = try await mail.conversationPage(query: "", pageToken: nil, pageSize: 50, cache: .useCached)
            _ = state.update(.conversationPageLoaded(page))
            _ = state.render()
            let firstPage = clock.now - t0
            let log = Array(server.sandbox.requestLog().dropFirst(logStart))
            let pageUnits = server.sandbox.stats().quotaUnitsCharged - unitsBefore
            guard page.conversations.count == 50 else { throw BenchError("the sandbox listed \(page.conversations.count) conversations") }
            guard state.list.page?.messages.count == 50 else { throw BenchError("the browser did not show the conversations") }

            // A conversation of several messages opened once (stored), then by a new instance on the same store.
            let thread = page.conversations.max { $0.messageCount < $1.messageCount } ?? page.conversations[0]
            let sandboxClient = try SandboxClient(sandbox: server.sandbox, rootURL: server.rootURL, transport: CurlTransport(maxConnectionsPerHost: 32))
            let account = try sandboxClient.mintAccount()
            let store = try MailStore(cacheDirectory: folder, userID: account.userID)
            func service() -> MailService {
                MailService(oauth: sandboxClient.oauth, gmail: sandboxClient.gmail, store: sandboxClient.store, account: account, mailStore: store)
            }
            _ = try await service().conversation(id: thread.id, cache: .useCached)
            let later = service()
            logStart = server.sandbox.requestLog().count
            // Enter on its row opens the view that the stored conversation is drawn in.
            let row = page.conversations.firstIndex { $0.id == thread.id } ?? 0
            for _ in 0..<row { _ = state.update(.key(.character("j"))) }
            let t1 = clock.now
            guard state.update(.key(.enter)).contains(.fetchConversation(id: thread.id)) else { throw BenchError("Enter did not open the conversation") }
            let conversation = try await later.conversation(id: thread.id, cache: .useCached)
            _ = state.update(.conversationLoaded(conversation))
            _ = state.render()
            let openedStored = clock.now - t1
            guard conversation.messages.count == thread.messageCount else { throw BenchError("the stored conversation lost messages") }
            guard state.conversation?.conversation == conversation else { throw BenchError("the browser did not show the conversation") }

            if run == 0 { continue }   // warm-up
            first.append(ms(firstPage)); requests.append(log.count); waves.append(requestWaves(log)); units.append(pageUnits)
            opened.append(ms(openedStored)); openedRequests.append(server.sandbox.requestLog().count - logStart)
        }
        let tooMany = server.sandbox.stats().tooManyRequests - tooManyBefore
        let f = median(first)
        table.add("[\(latency) ms] first conversation page of 50 drawn",
                  "\(format(f)) = " + String(format: "%.2fx latency", f / Double(max(latency, 1)))
                  + ", \(medianInt(requests)) requests, \(medianInt(waves.map(\.count))) round trips (\(wavePattern(waves)))"
                  + ", \(medianInt(units)) quota units, \(tooMany) 429s")
        table.add("stored conversation opened and drawn", "\(format(median(opened))), \(medianInt(openedRequests)) requests")
    }
}
