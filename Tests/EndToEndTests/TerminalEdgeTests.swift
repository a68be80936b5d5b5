import Foundation
import Testing
import GmailSandbox
#if canImport(Glibc)
import Glibc
#endif

/// The real binary where the terminal itself is the question: none at all, an unknown one, one that
/// closes, a 100 KB paste, and the authorization screen's `o` and `c` with no browser and inside tmux.
@Suite(.serialized) struct TerminalEdgeTests {
    static let tooMuch = "The field is full"

    // MARK: No terminal

    /// How standard input is given, as a shell would: /dev/null, a pipe already closed, a pipe left open
    /// (as `ssh host gmail-tui` without -t gives).
    static let inputs = [
        "exec timeout 20 \"$@\" < /dev/null",
        "true | timeout 20 \"$@\"",
        "{ printf q; sleep 2; } | timeout 20 \"$@\"",
    ]

    @Test(arguments: inputs, [true, false])
    func withoutATerminalTheBrowserSaysSoAndExits64(input: String, demo: Bool) async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        // Not --demo: files that do not exist, so that only the missing terminal can be the reason.
        let arguments = demo ? ["--demo", "--log-file", workspace.log.path]
            : ["--client-secrets", workspace.folder.appendingPathComponent("none.json").path,
               "--credentials", workspace.credentials.path, "--log-file", workspace.log.path]
        // `timeout` bounds the wait: a browser that spins instead of exiting ends with status 124.
        let result = try await Subprocess.runDetached("/bin/sh", ["-c", input, "sh", Package.executable("gmail-tui").path] + arguments,
                                        environment: ["PATH": "/usr/bin:/bin", "HOME": workspace.folder.path, "TERM": "xterm-256color",
                                                      "LANG": "C.UTF-8", "TMPDIR": workspace.tmp.path])
        #expect(result.status == 64, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("needs a terminal"))
        #expect(result.stderr.contains("ssh -t"))
        #expect(result.stdout.isEmpty, "nothing may be drawn without a terminal: \(result.stdout.prefix(200))")
    }

    /// A terminal that closes under the browser (its window shut, its connection dropped) ends it: on a
    /// pseudo-terminal that is not its controlling one no SIGHUP comes, so only end of input can tell.
    @Test func theBrowserExitsWhenItsTerminalCloses() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        let errors = workspace.folder.appendingPathComponent("stderr").path
        let child = try PTYChild(Package.executable("gmail-tui").path, ["--demo", "--log-file", workspace.log.path],
                                 environment: ["PATH": workspace.emptyBin.path, "HOME": workspace.folder.path, "TERM": "xterm-256color",
                                               "LANG": "C.UTF-8", "TMPDIR": workspace.tmp.path],
                                 stderrPath: errors)
        let drawn = try await child.readUntil("Authorize", timeout: .seconds(20))
        #expect(drawn, "no authorization screen was drawn")
        child.closeTerminal()
        let status = try await child.waitForExit(timeout: .seconds(20))
        #expect(status == 64)
        let stderr = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        #expect(stderr.contains("terminal closed"), "stderr: \(stderr)")
    }

    // MARK: Unknown TERM

    @Test func anUnknownTermGetsTheAppsOwnMessage() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        let tmux = try TmuxSession(command: workspace.command(["--demo", "--log-file", workspace.log.path],
                                                              environment: ["TERM": "nonexistent-term"]), cols: 100, rows: 24)
        let screen = try await tmux.until(text: Screen.exitLine)
        #expect(screen.contains("\(Screen.exitLine) 64"), "screen:\n\(screen)")
        #expect(screen.contains("gmail-tui: the terminal type \"nonexistent-term\""))
        #expect(screen.contains("xterm-256color"))
        #expect(!screen.contains("Error opening terminal"), "ncurses' own message:\n\(screen)")
        try tmux.send("Enter")
    }

    // MARK: A 100 KB paste

    /// 100 KB of text in lines of 80, written to a file for tmux to paste.
    func hundredKilobytes(in workspace: Workspace) throws -> String {
        let line = String(repeating: "abcdefghij", count: 8)
        let text = Array(repeating: line, count: 1280).joined(separator: "\n")
        let path = workspace.folder.appendingPathComponent("paste.txt").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: ["Escape", "C-c"])
    func aHundredKilobytePasteIntoTheAuthorizationFieldLeavesTheKeysWorking(quitKey: String) async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        let paste = try hundredKilobytes(in: workspace)
        let tmux = try TmuxSession(command: workspace.command(["--demo", "--log-file", workspace.log.path], appPath: workspace.emptyBin.path),
                                   cols: 80, rows: 24)
        _ = try await tmux.untilAuthorizationScreen("the demo's authorization screen")
        try tmux.pasteFile(paste)
        let screen = try await tmux.until(text: Self.tooMuch)
        let field = try #require(Screen.lines(screen).first { $0.hasPrefix("Code or address: ") })
        // The end of what was kept shows, up to the cursor in the last column.
        #expect(field.count == 79 && field.hasSuffix("abcdefghija"), "field row: \(field)")
        try tmux.send(quitKey)
        try await expectExit(tmux, status: 0)
    }

    @Test func aHundredKilobytePasteIntoTheQueryLeavesEscapeAndQWorking() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        let paste = try hundredKilobytes(in: workspace)
        let tmux = try TmuxSession(command: workspace.command(["--demo", "--log-file", workspace.log.path], appPath: workspace.emptyBin.path),
                                   cols: 80, rows: 24)
        _ = try await tmux.untilAuthorizationScreen("the demo's authorization screen")
        try tmux.send("o")
        try await tmux.until("the list") { s in Screen.lines(s).first?.contains("│ is:unread │ page 1 │") == true && !s.contains("Loading…") }
        try tmux.send("/")
        try await tmux.until(text: "Esc cancel")
        try tmux.pasteFile(paste)
        var screen = try await tmux.until(text: Self.tooMuch)
        #expect(Screen.lines(screen).contains { $0.hasPrefix("Search: ") && $0.contains("abcdefghij") })
        try tmux.send("Escape")
        screen = try await tmux.until("the editor closed") { s in !s.contains("Search: ") && Screen.lines(s).last?.contains("q quit") == true }
        #expect(Screen.lines(screen).first?.contains("│ is:unread │") == true, "the query is unchanged")
        try tmux.send("q")
        try await expectExit(tmux, status: 0)
    }

    // MARK: Terminal too small

    @Test func keysBehindTerminalTooSmallDoNothing() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        let tmux = try TmuxSession(command: workspace.command(["--demo", "--log-file", workspace.log.path], appPath: workspace.emptyBin.path),
                                   cols: 80, rows: 24)
        _ = try await tmux.untilAuthorizationScreen("the demo's authorization screen")
        try tmux.send("o")
        try await tmux.until("the list") { s in Screen.lines(s).first?.contains("│ is:unread │ page 1 │") == true && !s.contains("Loading…") }
        try await tmux.untilSelected("the first row highlighted") { $0 == 1 }
        try tmux.resize(cols: 30, rows: 8)
        try await tmux.until(text: "Terminal too small")
        // Enter would open a message and j move the selection, unseen: neither may act.
        try tmux.send("j")
        try tmux.send("Enter")
        try tmux.send("/")
        try await Task.sleep(for: .milliseconds(300))
        try tmux.resize(cols: 80, rows: 24)
        let screen = try await tmux.until("the list again") { s in
            Screen.lines(s).first?.contains("│ is:unread │ page 1 │") == true && Screen.lines(s).last?.contains("q quit") == true
        }
        #expect(!Screen.lines(screen).contains { $0.hasPrefix("From:") }, "a message opened behind the too-small screen")
        #expect(!screen.contains("Search:"))
        try await tmux.untilSelected("the first row still highlighted") { $0 == 1 }
        // q quits even while too small.
        try tmux.resize(cols: 30, rows: 8)
        try await tmux.until(text: "Terminal too small")
        try tmux.send("q")
        try tmux.resize(cols: 80, rows: 24)
        try await expectExit(tmux, status: 0)
    }

    // MARK: o and c

    @Test func oWithNoBrowserSaysSoInsteadOfClaimingToOpen() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        let server = try await SandboxServer.start(SandboxOptions())
        do {
            try workspace.writeClientSecrets(server)
            let arguments = ["--client-secrets", workspace.clientSecrets.path, "--credentials", workspace.credentials.path,
                             "--api-root", server.rootURL.absoluteString, "--log-file", workspace.log.path]
            // No $BROWSER (the environment is emptied) and no xdg-open on the PATH.
            let tmux = try TmuxSession(command: workspace.command(arguments, appPath: workspace.emptyBin.path), cols: 80, rows: 24)
            _ = try await tmux.untilAuthorizationScreen("the authorization screen")
            try tmux.send("o")
            let screen = try await tmux.until(text: "No browser could be started", forbidden: ["Opening the URL"])
            #expect(screen.contains("xdg-open"))
            #expect(screen.contains("Copy the URL with c"))
            try tmux.send("Escape")
            try await expectExit(tmux, status: 0)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func cInsideTmuxPutsTheURLInTmuxsPasteBuffer() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        let tmux = try TmuxSession(command: workspace.command(["--demo", "--log-file", workspace.log.path], keepTmux: true),
                                   cols: 100, rows: 30)
        let (_, url) = try await tmux.untilAuthorizationScreen("the demo's authorization screen")
        try tmux.send("c")
        try await tmux.until(text: "tmux's paste buffer")
        #expect(try tmux.buffer().trimmingCharacters(in: .newlines) == url.absoluteString)
        try tmux.send("Escape")
        try await expectExit(tmux, status: 0)
    }

    // MARK: Steps

    /// Waits for the program's exit line, checks its status and that the terminal was restored, then closes the pane.
    func expectExit(_ tmux: TmuxSession, status: Int) async throws {
        let screen = try await tmux.until(text: Screen.exitLine)
        #expect(screen.contains("\(Screen.exitLine) \(status), terminal modes restored"), "screen:\n\(screen)")
        try tmux.send("Enter")
    }
}

extension TmuxSession {
    /// Pastes a file's contents as a terminal paste (bracketed when the program asked for it); a file,
    /// because tmux refuses a command line as long as a big paste.
    func pasteFile(_ path: String) throws {
        try Self.run(["-L", socket, "load-buffer", "-b", "e2e-file", path])
        try Self.run(["-L", socket, "paste-buffer", "-p", "-b", "e2e-file", "-t", name])
    }

    /// The newest paste buffer's text.
    func buffer() throws -> String {
        try Self.run(["-L", socket, "show-buffer"])
    }
}

/// A program on a pseudo-terminal of its own (not its controlling terminal), whose other end the test holds.
final class PTYChild: @unchecked Sendable {
    let pid: pid_t
    private var master: Int32
    private var output = [UInt8]()

    init(_ executable: String, _ arguments: [String], environment: [String: String], stderrPath: String) throws {
        // posix_openpt and friends are not visible from Swift's Glibc; on Linux they are /dev/ptmx and two ioctls.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: CInt = 0, number: CInt = 0
        let TIOCSPTLCK: UInt = 0x4004_5431, TIOCGPTN: UInt = 0x8004_5430
        guard master >= 0, ioctl(master, TIOCSPTLCK, &unlock) == 0, ioctl(master, TIOCGPTN, &number) == 0 else {
            throw E2EFailure("no pseudo-terminal")
        }
        var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        let slavePath = "/dev/pts/\(number)"

        do {
            pid = try Subprocess.spawn(executable, arguments, environment: environment,
                                       files: [(0, slavePath, O_RDWR | O_NOCTTY), (1, slavePath, O_RDWR | O_NOCTTY),
                                               (2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC)])
        } catch {
            close(master)
            throw error
        }
    }

    deinit {
        if master >= 0 { close(master) }
        // Never leave the child behind, whatever the test did.
        if kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    /// Reads what the program draws until it contains `text`; false if it did not within `timeout`.
    func readUntil(_ text: String, timeout: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        let needle = Array(text.utf8)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while ContinuousClock.now < deadline {
            var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 1, 0) > 0 {
                let n = read(master, &buffer, buffer.count)
                if n > 0 { output += buffer[0..<n] }
                if output.count >= needle.count, (0...(output.count - needle.count)).contains(where: { output[$0..<($0 + needle.count)].elementsEqual(needle) }) {
                    return true
                }
                if n <= 0 { return false }
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        return false
    }

    /// Closes the test's end: for the program, its terminal has hung up.
    func closeTerminal() {
        close(master)
        master = -1
    }

    /// Waits for the program to exit; its status (128+N for signal N), or nil if it was still running at `timeout` (then it is killed).
    func waitForExit(timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                let signal = status & 0x7f
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(pid, SIGKILL)
        return nil
    }
}
