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

/// A child process on a pseudo-terminal, its output drained so that it never blocks.
final class PTYProcess: @unchecked Sendable {
    let process = Process()
    let master: Int32
    private let slave: Int32

    private let seenLock = NSLock()
    private var seenAt: Double?

    /// When `watchFor` first showed on the terminal (seconds since 1970), if it has.
    var sawWatchedTextAt: Double? { seenLock.withLock { seenAt } }

    /// Runs `executable` on a pseudo-terminal of `cols` x `rows`; with `watchFor`, notes when that text is
    /// first written to the terminal (what a user watching it would see).
    init(executable: String, arguments: [String], environment: [String: String], cols: Int, rows: Int, watchFor: String? = nil) throws {
        // posix_openpt and friends are not visible from Swift's Glibc; on Linux they are /dev/ptmx and two ioctls.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: CInt = 0, number: CInt = 0
        let TIOCSPTLCK: UInt = 0x4004_5431, TIOCGPTN: UInt = 0x8004_5430
        guard master >= 0, ioctl(master, TIOCSPTLCK, &unlock) == 0, ioctl(master, TIOCGPTN, &number) == 0 else { throw BenchError("no pseudo-terminal") }
        slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw BenchError("cannot open the pseudo-terminal") }
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(cols), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        let fd = master
        let needle = watchFor.map { Array($0.utf8) } ?? []
        let drain = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            var output: [UInt8] = []
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                guard !needle.isEmpty, sawWatchedTextAt == nil else { continue }
                output += buffer[0..<n]
                if output.count >= needle.count, (0...(output.count - needle.count)).contains(where: { output[$0..<($0 + needle.count)].elementsEqual(needle) }) {
                    let now = Date().timeIntervalSince1970
                    seenLock.withLock { seenAt = now }
                }
            }
        }
        drain.start()
    }

    func run() throws { try process.run() }

    func send(_ text: String) {
        var bytes = Array(text.utf8)
        _ = write(master, &bytes, bytes.count)
    }

    /// Peak resident set (VmHWM) in kB, while the process lives.
    var peakRSSKilobytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        return line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
    }

    func finish() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        close(slave)
        close(master)
    }
}

/// Process start to first frame of the release binary.
enum Startup {
    static func measure(tui: String, runs: Int, into table: inout Table) async throws {
        try await SandboxServer.run(SandboxOptions()) { server in try await measure(server, tui: tui, runs: runs, into: &table) }
    }

    static func measure(_ server: SandboxServer, tui: String, runs: Int, into table: inout Table) async throws {
        let env = try TUIEnvironment.make(server)
        defer { env.remove() }
        var times: [Double] = []
        var early = 0
        for run in 0...runs {
            // The list screen's footer is drawn in the first frame: seeing it on the terminal is seeing the frame.
            let (start, drawn) = try await PTYProcess.timeToText(tui, environment: env.environment, text: "q quit", what: "first frame")
            early += server.sandbox.requestLog().filter { (start..<drawn).contains($0.time.timeIntervalSince1970) }.count
            if run > 0 { times.append((drawn - start) * 1000) }
        }
        table.add("process start to first frame", "\(format(median(times))) (spawn on a 200x60 pty until the frame shows on it, no network before it)")
        if early != 0 { table.note("gmail-tui finished \(early) requests before its first frame showed") }
    }
}

extension PTYProcess {
    /// Spawns `tui` on a 200x60 pty, waits (at most 20 s) until `text` shows on it, and quits it with `q`:
    /// when it was spawned and when the text showed (seconds since 1970). `what` names the text in the error.
    static func timeToText(_ tui: String, environment: [String: String], text: String, what: String) async throws -> (start: Double, drawn: Double) {
        let child = try PTYProcess(executable: tui, arguments: [], environment: environment, cols: 200, rows: 60, watchFor: text)
        let start = Date().timeIntervalSince1970
        try child.run()
        let deadline = Date().addingTimeInterval(20)
        while child.sawWatchedTextAt == nil, child.process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(1)) }
        child.send("q")
        child.finish()
        guard let drawn = child.sawWatchedTextAt else {
            throw BenchError("gmail-tui drew no \(what) (exit status \(child.process.terminationStatus))")
        }
        return (start, drawn)
    }
}

/// Peak RSS of `gmail-tui` after paging through 2,000 messages.
enum PeakMemory {
    static func measure(tui: String, into table: inout Table) async throws {
        let mailbox = FileManager.default.temporaryDirectory.appendingPathComponent("gmail-bench-mailbox-\(getpid())")
        try generateMailbox(at: mailbox, count: 2_100)
        defer { try? FileManager.default.removeItem(at: mailbox) }
        var options = SandboxOptions()
        options.mailboxDirectory = mailbox.path
        options.latency = .milliseconds(10)
        try await SandboxServer.run(options) { server in try await measure(server, tui: tui, into: &table) }
    }

    static func measure(_ server: SandboxServer, tui: String, into table: inout Table) async throws {
        let env = try TUIEnvironment.make(server)
        defer { env.remove() }
        let child = try PTYProcess(executable: tui, arguments: ["--query", "", "--page-size", "50"], environment: env.environment, cols: 200, rows: 60)
        try child.run()
        defer { child.finish() }
        func lists() -> Int { server.sandbox.requestLog().filter { $0.path.hasPrefix("/gmail/v1/users/me/messages?") }.count }
        func metadata() -> Int {
            server.sandbox.requestLog().filter { $0.path.hasPrefix("/gmail/v1/users/me/messages/") && $0.path.contains("format=metadata") }.count
        }
        // The first page and its prefetched successor.
        try await waitFor { lists() >= 2 && metadata() >= 100 }
        let presses = 40
        for press in 1...presses {
            child.send("n")
            // Page `press + 1` is showing once page `press + 2` (its successor) is being prefetched and done.
            try await waitFor { lists() >= press + 2 && metadata() >= min(2_100, 50 * (press + 2)) }
        }
        try await Task.sleep(for: .milliseconds(200))
        let peak = child.peakRSSKilobytes ?? 0
        child.send("q")
        let pages = Set(server.sandbox.requestLog().filter { $0.path.hasPrefix("/gmail/v1/users/me/messages?") }.map(\.path)).count
        let messages = metadata()
        table.add("peak RSS after paging 2,000 messages",
                  String(format: "%.1f MB (VmHWM; %d pages, %d messages fetched, `n` pressed %d times)", Double(peak) / 1024, pages, messages, presses))
        let tooMany = server.sandbox.stats().tooManyRequests
        if tooMany > 0 { table.note("\(tooMany) 429s while paging in gmail-tui") }
    }

    static func waitFor(_ condition: () -> Bool) async throws {
        for _ in 0..<3000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw BenchError("gmail-tui did not page in time")
    }

    static func generateMailbox(at folder: URL, count: Int) throws {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let base = Date(timeIntervalSince1970: 1_790_000_000)
        for i in 0..<count {
            let body = (0..<8).map { "Line \($0) of message \(i): the quick brown fox jumps over the lazy dog." }.joined(separator: "\r\n")
            let text = "From: Sender \(i % 97) <sender\(i % 97)@example.com>\r\nTo: demo@gmail-tui.example\r\n"
                + "Subject: Bench message \(i)\r\nDate: \(formatter.string(from: base.addingTimeInterval(Double(-i * 600))))\r\n"
                + "Message-ID: <bench-\(i)@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\(body)\r\n"
            try Data(text.utf8).write(to: folder.appendingPathComponent(String(format: "m%05d.eml", i)))
        }
    }
}
