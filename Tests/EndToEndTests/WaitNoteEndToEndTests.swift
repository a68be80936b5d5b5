import Foundation
import Testing
import TestSupport

/// The browser in tmux against a Gmail that is slow on purpose: the spinner line says why it waits.
@Suite(.serialized) struct WaitNoteEndToEndTests {
    func browse(_ server: ScriptedHTTPServer, _ body: (TmuxSession) async throws -> Void) async throws {
        let setup = try HostileServerCommandTests.Setup(server: server)
        let workspace = try Workspace.make()
        defer { setup.remove(); workspace.remove() }
        let tmux = try TmuxSession(command: workspace.command(setup.arguments()), cols: 100, rows: 24)
        try await body(tmux)
        try tmux.send("q")
    }

    @Test func aRetryAfterIsShownAsGmailAskingToWait() async throws {
        let server = try ScriptedHTTPServer { _ in
            ScriptedHTTPServer.response(429, "Too Many Requests", headers: [("Retry-After", "20"), ("Content-Type", "application/json")],
                                        text: #"{"error":{"code":429,"message":"Too many concurrent requests for user","status":"RESOURCE_EXHAUSTED"}}"#)
        }
        try await browse(server) { tmux in
            // A generous bound: on a loaded machine the first frame of a debug build can take many seconds, and Gmail
            // keeps answering 429 with the same wait, so the note stays until then.
            try await tmux.until(text: "Gmail asked to wait 20 s", timeout: .seconds(60))
        }
    }

    @Test func aSilentGmailIsShownAsWaitingWithTheSecondsCounting() async throws {
        let server = try ScriptedHTTPServer { _ in .silence }
        try await browse(server) { tmux in
            try await tmux.until("the wait counting past 4 s", timeout: .seconds(20)) { screen in
                guard let range = screen.range(of: "waiting for Gmail (") else { return false }
                let digits = screen[range.upperBound...].prefix { $0.isNumber }
                return (Int(digits) ?? 0) >= 4
            }
        }
    }
}
