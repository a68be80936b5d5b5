import Foundation
import Testing
import TerminalCells
@testable import TerminalUI

@Suite struct ClipboardSequenceTests {
    let url = "https://accounts.google.com/o/oauth2/v2/auth?client_id=1&state=xyz"
    var base64: String { Data(url.utf8).base64EncodedString() }

    @Test func outsideTmuxItIsPlainOSC52() {
        #expect(Terminal.clipboardSequence(url, throughTmux: false) == "\u{1b}]52;c;\(base64)\u{07}")
    }

    @Test func insideTmuxItIsAlsoWrappedInTmuxsPassthrough() {
        let plain = "\u{1b}]52;c;\(base64)\u{07}"
        let sequence = Terminal.clipboardSequence(url, throughTmux: true)
        #expect(sequence.hasPrefix(plain))
        let wrapped = String(sequence.dropFirst(plain.count))
        #expect(wrapped.hasPrefix("\u{1b}Ptmux;"))
        #expect(wrapped.hasSuffix("\u{1b}\\"))
        let body = String(wrapped.dropFirst("\u{1b}Ptmux;".count).dropLast(2))
        // Inside the passthrough every ESC is doubled; undoubled, it is the same OSC 52.
        #expect(body.replacingOccurrences(of: "\u{1b}\u{1b}", with: "").contains("\u{1b}") == false)
        #expect(body.replacingOccurrences(of: "\u{1b}\u{1b}", with: "\u{1b}") == plain)
    }
}

@Suite struct TerminalEnvironmentTests {
    @Test func anUnknownTermIsNamedWithWhatToDo() {
        let message = Terminal.unusableTerminal("nonexistent-term")
        #expect(message.contains("\"nonexistent-term\""))
        #expect(message.contains("TERM"))
        #expect(message.contains("xterm-256color"))
        #expect(Terminal.unusableTerminal(nil).hasPrefix("TERM is not set"))
        #expect(Terminal.unusableTerminal("").hasPrefix("TERM is not set"))
    }

    @Test func tmuxIsKnownByItsEnvironmentVariable() {
        #expect(TmuxBuffer.isInsideTmux(["TMUX": "/tmp/tmux-1000/default,4242,0"]))
        #expect(!TmuxBuffer.isInsideTmux(["TMUX": ""]))
        #expect(!TmuxBuffer.isInsideTmux([:]))
    }
}

/// What `o` reports, with real programs standing in for a browser.
@Suite(.serialized) struct BrowserLauncherTests {
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [BrowserLaunch] = []
        func add(_ r: BrowserLaunch) { lock.withLock { list.append(r) } }
        var all: [BrowserLaunch] { lock.withLock { list } }
    }

    let url = URL(string: "http://127.0.0.1:9/nothing")!

    func emptyFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmail-tui-nobrowser-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func withNeitherBrowserNorXdgOpenNothingStartsAndNothingIsClaimed() throws {
        let dir = try emptyFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reports = Reports()
        let started = BrowserLauncher.open(url, environment: ["PATH": dir.path], report: reports.add)
        #expect(!started)
        #expect(reports.all.isEmpty)
        // A $BROWSER that does not exist is no better.
        #expect(!BrowserLauncher.open(url, environment: ["PATH": dir.path, "BROWSER": "no-such-browser"], report: reports.add))
        #expect(reports.all.isEmpty)
    }

    @Test func anOpenerThatFailsIsReportedAsFailed() async throws {
        let dir = try emptyFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reports = Reports()
        #expect(BrowserLauncher.open(url, environment: ["PATH": dir.path, "BROWSER": "/bin/false"], report: reports.add))
        let deadline = ContinuousClock.now + .seconds(20)
        while reports.all.count < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(reports.all == [.started(command: "/bin/false"), .failed(command: "/bin/false", status: 1)])
    }
}
