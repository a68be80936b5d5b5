import Foundation
import GmailSandbox

/// Process start to the first frame showing the stored list, for the release binary on a store a
/// `gmail-tui sync` filled: the goal is under 50 ms whatever Gmail's latency, with no request before it.
enum WarmStart {
    static func measure(tui: String, latencies: [Int], runs: Int, into table: inout Table) async throws {
        try await SandboxServer.run(SandboxOptions()) { server in
            try await measure(server, tui: tui, latencies: latencies, runs: runs, into: &table)
        }
    }

    static func measure(_ server: SandboxServer, tui: String, latencies: [Int], runs: Int, into table: inout Table) async throws {
        let env = try TUIEnvironment.make(server)
        defer { env.remove() }
        try fillStore(tui: tui, environment: env.environment)
        for latency in latencies {
            server.sandbox.setLatency(.milliseconds(latency))
            var times: [Double] = [], early: [Int] = []
            for run in 0...runs {
                // Only a page from the store says how old it is in the first frame ("synced just now").
                let (start, drawn) = try await PTYProcess.timeToText(tui, environment: env.environment, text: "synced ", what: "stored list")
                // A request is logged once answered: give those still waiting out the latency time to be.
                try await Task.sleep(for: .milliseconds(latency + 200))
                // Requests that reached the sandbox before the frame showed, whenever they were answered.
                let arrived = server.sandbox.requestLog().filter { entry in
                    let arrival = entry.time.timeIntervalSince1970 - Double(entry.milliseconds) / 1000
                    return !entry.path.hasPrefix("/_sandbox/") && (start..<drawn).contains(arrival)
                }
                if run > 0 { times.append((drawn - start) * 1000); early.append(arrived.count) }
            }
            table.add("[\(latency) ms] process start to stored list drawn",
                      "\(format(median(times))), \(early.max() ?? 0) requests before it in any run (goal < 50 ms, 0)")
        }
        server.sandbox.setLatency(.zero)
    }

    /// `gmail-tui sync` for the browser's default query, so that the store holds its first page.
    static func fillStore(tui: String, environment: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tui)
        process.arguments = ["sync"]
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("gmail-tui sync exited with status \(process.terminationStatus)") }
    }
}
