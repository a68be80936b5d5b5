import Foundation

/// Runs a command in a detached tmux session so a test can type into it and read its screen.
///
/// Each session gets its own tmux server socket (`-L`), so tests never touch the user's tmux
/// and can run in parallel. The session is killed when the value is deinitialized.
final class TmuxSession: @unchecked Sendable {
    let name: String
    let socket: String
    let cols: Int
    let rows: Int
    /// Where the tmux server listens; tmux leaves the file behind when killed, so deinit removes it.
    private var socketPath: String?

    enum Failure: Error, CustomStringConvertible {
        case tmux(String)
        case timeout(waitingFor: String, screen: String)
        var description: String {
            switch self {
            case .tmux(let m): return "tmux: \(m)"
            case .timeout(let w, let s): return "timed out waiting for \(w); screen was:\n\(s)"
            }
        }
    }

    /// Starts `command` (run by /bin/sh) in a `cols`x`rows` pane with `environment` added.
    init(command: String, environment: [String: String] = [:], cols: Int = 120, rows: Int = 40) throws {
        let id = UUID().uuidString.prefix(8)
        name = "e2e-\(id)"
        socket = "gmail-tui-e2e-\(id)"
        self.cols = cols
        self.rows = rows
        var env = ["TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"]
        env += environment.map { "\($0.key)=\($0.value)" }
        // `remain-on-exit` keeps the pane after the program ends, so its last screen can still be read.
        let script = "env \(env.map(Self.quote).joined(separator: " ")) \(command)"
        try Self.run(["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(cols)", "-y", "\(rows)", script])
        try Self.run(["-L", socket, "set-option", "-t", name, "remain-on-exit", "on"])
        socketPath = try? Self.run(["-L", socket, "display-message", "-p", "#{socket_path}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        _ = try? Self.run(["-L", socket, "kill-server"])
        if let socketPath, socketPath.hasSuffix("/\(socket)") { try? FileManager.default.removeItem(atPath: socketPath) }
    }

    /// Types keys (tmux key names such as `Enter`, `Escape`, `C-c`, or literal text with `literal`).
    func send(_ keys: String..., literal: Bool = false) throws {
        try Self.run(["-L", socket, "send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    /// Pastes text as a terminal paste (bracketed when the program asked for it).
    func paste(_ text: String) throws {
        try Self.run(["-L", socket, "set-buffer", "-b", "e2e", text])
        try Self.run(["-L", socket, "paste-buffer", "-p", "-b", "e2e", "-t", name])
    }

    /// The visible screen, one string per row.
    func screen() throws -> String {
        try Self.run(["-L", socket, "capture-pane", "-p", "-t", name])
    }

    /// Whether the program in the pane has exited.
    func isDead() throws -> Bool {
        try Self.run(["-L", socket, "display-message", "-p", "-t", name, "#{pane_dead}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Polls the screen until `predicate` holds, or throws with the last screen after `timeout`.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 20, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failure.timeout(waitingFor: what, screen: last)
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(text: String, timeout: TimeInterval = 20) throws -> String {
        try waitFor("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let result = try Subprocess.run("/usr/bin/tmux", arguments)
        guard result.status == 0 else {
            throw Failure.tmux("\(arguments.prefix(4).joined(separator: " ")): \(result.stderr)")
        }
        return result.stdout
    }
}

/// Paths of the package and its built executables (built by `make test` before the tests run).
enum Package {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static func executable(_ name: String) -> URL {
        root.appendingPathComponent(".build/debug/\(name)")
    }
}
