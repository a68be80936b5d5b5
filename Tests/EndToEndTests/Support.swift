import Foundation
import GmailSandbox
import GmailSandboxClient
import GoogleOAuth
import TestSupport

/// A failure of an end-to-end step, with what was seen.
struct E2EFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A temporary folder with client secrets for a sandbox, and where the app keeps its credentials and log.
struct Workspace: Sendable {
    let sandboxFolder: SandboxFolder

    var folder: URL { sandboxFolder.url }
    var clientSecrets: URL { sandboxFolder.clientSecrets }
    var credentials: URL { sandboxFolder.credentials }
    var log: URL { folder.appendingPathComponent("gmail-tui.log") }
    var mailbox: URL { folder.appendingPathComponent("mailbox") }
    /// A folder with no programs in it: a PATH where neither a browser nor xdg-open can be found.
    var emptyBin: URL { folder.appendingPathComponent("empty-bin") }
    var tmp: URL { folder.appendingPathComponent("tmp") }

    static func make() throws -> Workspace {
        let w = Workspace(sandboxFolder: try SandboxFolder.make(prefix: "gmail-tui-e2e"))
        for sub in [w.emptyBin, w.tmp] { try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true) }
        return w
    }

    func remove() { sandboxFolder.remove() }

    /// Writes the sandbox's `installed` client secrets, mode 0600.
    func writeClientSecrets(_ server: SandboxServer) throws { try sandboxFolder.writeClientSecrets(server.sandbox) }

    /// Stores the sandbox's default user with tokens it minted, in the workspace's credential file as
    /// gmail-tui writes it (`FileCredentialStore`), as if they had just authorized.
    func storeMintedAccount(_ server: SandboxServer) throws {
        let client = try SandboxClient(sandbox: server.sandbox, rootURL: server.rootURL, transport: SandboxTransport(server.sandbox, rootURL: server.rootURL),
                                       store: FileCredentialStore(path: credentials.path))
        _ = try client.mintAccount()
    }

    /// The shell command that runs gmail-tui with `arguments` in a clean environment, then reports how it left the terminal.
    ///
    /// The environment is emptied (no $BROWSER, no GMAIL_TUI_*, XDG folders inside the workspace). After the
    /// program ends, the shell prints `[e2e] exit status N, terminal modes restored|changed` (comparing
    /// `stty -g` before and after) and waits for Enter, so the test can look at the terminal the program
    /// left behind; Enter then ends the pane with the program's exit status.
    /// `environment` adds to (or replaces in) that environment; `keepTmux` passes on the pane's `$TMUX`,
    /// so the program knows it runs inside the test's tmux.
    func command(_ arguments: [String], appPath: String = "/usr/bin:/bin", environment: [String: String] = [:],
                 keepTmux: Bool = false) -> String {
        let script = #"before=$(stty -g); PATH="$E2E_APP_PATH" "$@"; s=$?; after=$(stty -g); "#
            + #"if [ "$before" = "$after" ]; then t=restored; else t=changed; fi; "#
            + #"printf '\n[e2e] exit status %s, terminal modes %s\n' "$s" "$t"; read _; exit "$s""#
        let env = [
            "HOME=\(folder.path)", "PATH=/usr/bin:/bin", "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
            "TMPDIR=\(tmp.path)", "XDG_CONFIG_HOME=\(folder.path)/config", "XDG_DATA_HOME=\(folder.path)/data",
            "XDG_STATE_HOME=\(folder.path)/state", "E2E_APP_PATH=\(appPath)",
        ]
        let added = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let words = ["env", "-i"] + env + added
        let rest = ["/bin/sh", "-c", script, "sh", Package.executable("gmail-tui").path] + arguments
        // "$TMUX" is left for the pane's shell to expand: tmux sets it there, and `env -i` would drop it.
        return (words.map(TmuxSession.quote) + (keepTmux ? ["\"TMUX=$TMUX\""] : []) + rest.map(TmuxSession.quote)).joined(separator: " ")
    }

    /// The arguments that point gmail-tui at `server` with this workspace's files.
    func arguments(_ server: SandboxServer) -> [String] {
        ["--client-secrets", clientSecrets.path, "--credentials", credentials.path,
         "--api-root", server.rootURL.absoluteString, "--log-file", log.path]
    }
}

/// Reading the app's screens.
enum Screen {
    static let exitLine = "[e2e] exit status"

    /// The screen's rows (without the trailing newline of the last one).
    static func lines(_ screen: String) -> [String] {
        var lines = screen.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The authorization URL: from the line that starts with `http` up to the first blank line, rejoined.
    static func authorizationURL(in screen: String) -> URL? {
        let rows = lines(screen)
        guard let start = rows.firstIndex(where: { $0.hasPrefix("http") }) else { return nil }
        let joined = rows[start...].prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined()
        return URL(string: joined)
    }

    /// The rows of the message list: between the header (first row) and the footer (last row), not blank.
    static func listRows(_ screen: String) -> [String] {
        let rows = lines(screen)
        guard rows.count > 2 else { return [] }
        return rows[1..<(rows.count - 1)].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// For each row of `capture-pane -e` output, whether its first cell is drawn in reverse video.
    static func reverseVideoRows(_ styled: String) -> [Bool] {
        var reverse = false
        var result: [Bool] = []
        for line in lines(styled) {
            let scalars = Array(line.unicodeScalars)
            var first: Bool?
            var i = 0
            while i < scalars.count {
                if scalars[i] == "\u{1b}", i + 1 < scalars.count, scalars[i + 1] == "[" {
                    var j = i + 2
                    var params = ""
                    while j < scalars.count, !(0x40...0x7e).contains(scalars[j].value) {
                        params.unicodeScalars.append(scalars[j])
                        j += 1
                    }
                    if j < scalars.count, scalars[j] == "m" { reverse = applySGR(params, reverse: reverse) }
                    i = j + 1
                } else {
                    if first == nil { first = reverse }
                    i += 1
                }
            }
            result.append(first ?? reverse)
        }
        return result
    }

    /// The reverse-video attribute after an SGR sequence with `params` (colour arguments skipped).
    static func applySGR(_ params: String, reverse: Bool) -> Bool {
        var reverse = reverse
        let p = params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
        var k = 0
        while k < p.count {
            switch p[k] {
            case 0: reverse = false
            case 7: reverse = true
            case 27: reverse = false
            case 38, 48, 58:
                // 38;5;N or 38;2;R;G;B: the arguments are colours, not attributes.
                if k + 1 < p.count { k += p[k + 1] == 5 ? 2 : (p[k + 1] == 2 ? 4 : 0) }
            default: break
            }
            k += 1
        }
        return reverse
    }

    /// The 1-based list row (screen row below the header) drawn highlighted, if exactly one is.
    static func selectedRow(styled: String) -> Int? {
        let flags = reverseVideoRows(styled)
        guard flags.count > 2 else { return nil }
        let hits = (1..<(flags.count - 1)).filter { flags[$0] }
        return hits.count == 1 ? hits[0] : nil
    }
}

/// curl, run without blocking the test's thread.
enum Curl {
    /// Runs `/usr/bin/curl -s` with `arguments` and returns what it wrote to standard output.
    static func run(_ arguments: [String]) async throws -> String {
        let result = try await Subprocess.runDetached("/usr/bin/curl", ["-s", "--max-time", "20"] + arguments)
        guard result.status == 0 else { throw E2EFailure("curl \(arguments.first ?? "") exited with status \(result.status)") }
        return result.stdout
    }

    /// GETs `url` without following redirects and returns the Location it answered with.
    static func redirectLocation(of url: URL) async throws -> URL {
        let location = try await run(["-o", "/dev/null", "-w", "%{redirect_url}", url.absoluteString])
        guard let answer = URL(string: location), !location.isEmpty else { throw E2EFailure("no redirect from \(url)") }
        return answer
    }

    /// GETs `url` following redirects, as a browser would; returns the final status and address.
    static func follow(_ url: URL) async throws -> (status: Int, finalURL: String) {
        let answer = try await run(["-L", "-o", "/dev/null", "-w", "%{http_code} %{url_effective}", url.absoluteString])
        let parts = answer.split(separator: " ", maxSplits: 1)
        return (Int(parts.first ?? "") ?? 0, parts.count > 1 ? String(parts[1]) : "")
    }
}

extension URL {
    /// The decoded value of the query parameter `name`.
    func queryValue(_ name: String) -> String? {
        URLComponents(url: self, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == name }?.value
    }
}

extension TmuxSession {
    /// Polls the screen until `predicate` holds; fails at once if the screen shows any of `forbidden`.
    @discardableResult
    func until(_ what: String, timeout: Duration = .seconds(20), forbidden: [String] = [],
               _ predicate: (String) throws -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try screen()
            if let bad = forbidden.first(where: { last.contains($0) }) {
                throw E2EFailure("while waiting for \(what) the screen showed \"\(bad)\":\n\(last)")
            }
            if try predicate(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure.timeout(waitingFor: what, screen: last)
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func until(text: String, timeout: Duration = .seconds(20), forbidden: [String] = []) async throws -> String {
        try await until("\"\(text)\"", timeout: timeout, forbidden: forbidden) { $0.contains(text) }
    }

    /// Waits for an authorization screen whose URL reads the same on two captures in a row (so a
    /// screen caught half drawn never gives a cut URL); returns the screen and its URL.
    func untilAuthorizationScreen(_ what: String, timeout: Duration = .seconds(20),
                                  _ predicate: (String) -> Bool = { _ in true }) async throws -> (screen: String, url: URL) {
        var previous: URL?
        let screen = try await until(what, timeout: timeout) { s in
            guard s.contains("Code or address:"), predicate(s), let url = Screen.authorizationURL(in: s) else {
                previous = nil
                return false
            }
            defer { previous = url }
            return url == previous
        }
        guard let url = Screen.authorizationURL(in: screen) else { throw E2EFailure("no authorization URL on\n\(screen)") }
        return (screen, url)
    }

    /// Resizes the window, as a user dragging the terminal's corner would.
    func resize(cols: Int, rows: Int) throws {
        try Self.run(["-L", socket, "resize-window", "-t", name, "-x", "\(cols)", "-y", "\(rows)"])
    }

    /// The screen with its colours and attributes as escape sequences (`capture-pane -e`).
    func styledScreen() throws -> String {
        try Self.run(["-L", socket, "capture-pane", "-p", "-e", "-t", name])
    }

    /// A tmux format expanded for the pane, such as `#{alternate_on}`.
    func format(_ format: String) throws -> String {
        try Self.run(["-L", socket, "display-message", "-p", "-t", name, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls until the highlighted list row satisfies `predicate`; returns its number.
    @discardableResult
    func untilSelected(_ what: String, timeout: Duration = .seconds(20), _ predicate: (Int?) -> Bool) async throws -> Int? {
        let deadline = ContinuousClock.now + timeout
        var row: Int?
        while ContinuousClock.now < deadline {
            row = Screen.selectedRow(styled: try styledScreen())
            if predicate(row) { return row }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure.timeout(waitingFor: "\(what) (highlighted row: \(row.map(String.init) ?? "none"))", screen: try screen())
    }

    /// Polls until the pane's program has exited; returns its exit status (or `signal N`) if tmux
    /// learns it within a couple of seconds.
    ///
    /// tmux marks the pane dead when the terminal closes, and records the status when it reaps the
    /// process. Started from the test runner, tmux 3.3a was seen to miss the SIGCHLD now and then,
    /// leaving the status empty for good: callers check the program's status some other way too.
    func untilDead(timeout: Duration = .seconds(20)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        var statusDeadline: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            let fields = try format("#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}").split(separator: "|", omittingEmptySubsequences: false)
            if fields.count == 3, fields[0] == "1" {
                if !fields[1].isEmpty { return String(fields[1]) }
                if !fields[2].isEmpty { return "signal \(fields[2])" }
                let until = statusDeadline ?? ContinuousClock.now + .seconds(2)
                statusDeadline = until
                if ContinuousClock.now >= until { return nil }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure.timeout(waitingFor: "the program to exit", screen: try screen())
    }
}

extension SandboxServer {
    /// Polls the request log until one entry after the first `skip` satisfies `predicate`.
    func untilRequest(_ what: String, after skip: Int, timeout: Duration = .seconds(20),
                      _ predicate: (SandboxLogEntry) -> Bool) async throws -> SandboxLogEntry {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let hit = sandbox.requestLog().dropFirst(skip).first(where: predicate) { return hit }
            try await Task.sleep(for: .milliseconds(100))
        }
        let recent = sandbox.requestLog().dropFirst(skip).map { "\($0.method) \($0.path) \($0.status)" }
        throw E2EFailure("no request: \(what); requests since: \(recent.joined(separator: "\n"))")
    }
}
