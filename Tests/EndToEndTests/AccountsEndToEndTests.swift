import Foundation
import Testing
import GmailSandbox
import TestSupport

/// A second account in the real `gmail-tui` in tmux, against the sandbox: added through `A` then `+` (the
/// sandbox's account chooser picks the user the test named), switched to, and back.
@Suite(.serialized) struct AccountsEndToEndTests {
    static let first = Sandbox.defaultUserEmail
    static let second = "second@gmail-tui.example"

    /// Whether the list's header names `account` and its first page is drawn.
    static func listShows(_ account: String, _ screen: String) -> Bool {
        let header = Screen.lines(screen).first ?? ""
        return header.contains(account) && header.contains("page 1") && !screen.contains("Loading") && !Screen.listRows(screen).isEmpty
    }

    @Test func aSecondAccountAddedThroughTheAccountListIsSwitchedToAndBack() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        try await SandboxServer.run(SandboxOptions()) { server in
            try workspace.writeClientSecrets(server)
            try workspace.storeMintedAccount(server)
            // The second person, and their pick in Google's account chooser, through the control API.
            let control = server.rootURL.absoluteString + "_sandbox/"
            _ = try await Curl.run(["-X", "POST", control + "users?email=second%40gmail-tui.example&name=%E4%BA%8C%E5%8F%B7"])
            _ = try await Curl.run(["-X", "POST", control + "choose-account?email=second%40gmail-tui.example"])

            let tmux = try TmuxSession(command: workspace.command(workspace.arguments(server)), cols: 100, rows: 30)
            try await tmux.until("the first account's list") { Self.listShows(Self.first, $0) }
            try tmux.send("A")
            let list = try await tmux.until(text: "* \(Self.first)")
            #expect(list.contains("Accounts · \(Self.first)"))
            #expect(list.contains("read only"))

            // `+`: Google's chooser and consent, no login_hint; the browser's return completes it.
            try tmux.send("+")
            let (screen, url) = try await tmux.untilAuthorizationScreen("the screen that adds an account") { $0.contains("Add a Google account") }
            #expect(screen.contains("Esc back"))
            #expect(url.queryValue("prompt") == "select_account consent")
            #expect(url.queryValue("login_hint") == nil)
            let (status, landed) = try await Curl.follow(url)
            #expect(status == 200 && landed.hasPrefix("http://127.0.0.1:"), "the loopback listener answered: \(status) \(landed)")
            try await tmux.until("the second account's list") { Self.listShows(Self.second, $0) }
            let stored = try await TriageEndToEndTests.accounts(workspace, server)
            #expect(stored.contains("* \(Self.second)"), "the account added is used last:\n\(stored)")
            #expect(stored.contains(Self.first))

            // Back to the first account, chosen on the list; it is the one used last again.
            try tmux.send("A")
            try await tmux.until(text: "* \(Self.second)")
            try tmux.send("g")
            try tmux.send("Enter")
            try await tmux.until("the first account's list again") { Self.listShows(Self.first, $0) && $0.contains("Switched to \(Self.first)") }
            #expect(try await TriageEndToEndTests.accounts(workspace, server).contains("* \(Self.first)"))

            // Esc on the add screen changes nothing.
            try tmux.send("A")
            try await tmux.until(text: "* \(Self.first)")
            try tmux.send("+")
            _ = try await tmux.untilAuthorizationScreen("the add screen again") { $0.contains("Add a Google account") }
            try tmux.send("Escape")
            try await tmux.until(text: "No account added")
            try tmux.send("q")
            try await tmux.until("the first account's list, unchanged") { Self.listShows(Self.first, $0) }
            try tmux.send("q")
            try await tmux.until(text: Screen.exitLine)
        }
    }

    @Test func escOnTheAuthorizationOfARevokedAccountGoesBackToTheFirst() async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        try await SandboxServer.run(SandboxOptions()) { server in
            try workspace.writeClientSecrets(server)
            try workspace.storeMintedAccount(server)
            let control = server.rootURL.absoluteString + "_sandbox/"
            _ = try await Curl.run(["-X", "POST", control + "users?email=second%40gmail-tui.example"])
            _ = try await Curl.run(["-X", "POST", control + "choose-account?email=second%40gmail-tui.example"])

            let tmux = try TmuxSession(command: workspace.command(workspace.arguments(server)), cols: 100, rows: 30)
            try await tmux.until("the first account's list") { Self.listShows(Self.first, $0) }
            // The second account, added with `A` then `+`; then back on the first.
            try tmux.send("A")
            try await tmux.until(text: "* \(Self.first)")
            try tmux.send("+")
            let (_, url) = try await tmux.untilAuthorizationScreen("the screen that adds an account") { $0.contains("Add a Google account") }
            _ = try await Curl.follow(url)
            try await tmux.until("the second account's list") { Self.listShows(Self.second, $0) }
            try tmux.send("A")
            try await tmux.until(text: "* \(Self.second)")
            try tmux.send("g")
            try tmux.send("Enter")
            try await tmux.until("the first account's list again") { Self.listShows(Self.first, $0) && $0.contains("Switched to \(Self.first)") }
            try tmux.send("j")

            // Google revokes the second account's grant; switching to it asks for authorization again.
            _ = try await Curl.run(["-X", "POST", control + "revoke?email=second%40gmail-tui.example"])
            try tmux.send("A")
            try await tmux.until(text: "* \(Self.first)")
            try tmux.send("G")
            try tmux.send("Enter")
            let (screen, _) = try await tmux.untilAuthorizationScreen("the second account's lost grant") {
                $0.contains("no longer accepts the saved authorization for \(Self.second)")
            }
            #expect(screen.contains("Esc back to \(Self.first)"), "\(screen)")

            // Esc: the first account's list as it was, and the browser goes on.
            try tmux.send("Escape")
            let back = try await tmux.until("the first account's list after Esc") {
                Self.listShows(Self.first, $0) && $0.contains("Switched to \(Self.first)")
            }
            #expect(!back.contains(Screen.exitLine))
            #expect(try await TriageEndToEndTests.accounts(workspace, server).contains("* \(Self.first)"))
            try tmux.send("q")
            try await tmux.until(text: Screen.exitLine)
        }
    }
}
