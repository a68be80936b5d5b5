import Foundation
import Testing
import GmailSandbox
import TestSupport

/// The real `gmail-tui` binary in tmux, against the sandbox on a loopback port.
///
/// Serialized: each test starts its own sandbox (or `--demo`) and its own tmux server, but the
/// machines that run them are small, and one full-screen program at a time keeps the waits short.
@Suite(.serialized) struct BrowserEndToEndTests {
    static let account = Sandbox.defaultUserEmail
    static let authorizeTitle = "Authorize access to Gmail"

    /// Starts a sandbox serving `TestMailbox` and a workspace, runs `body`, and cleans both up.
    func withSandbox(_ body: (SandboxServer, Workspace) async throws -> Void) async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        try TestMailbox.write(to: workspace.mailbox)
        var options = SandboxOptions()
        options.mailboxDirectory = workspace.mailbox.path
        let server = try await SandboxServer.start(options)
        do {
            try workspace.writeClientSecrets(server)
            try await body(server, workspace)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// The header of the list for `query` on `page`, up to the first row number.
    static func header(_ query: String, page: Int, first: Int) -> String {
        "\(account) │ \(query) │ page \(page) │ \(first)-"
    }

    /// Waits until the list for `query` is on screen, loaded (no spinner), with rows that satisfy `rows`.
    ///
    /// The header shows a new query or page as soon as it is asked for, while the old rows stay
    /// until the new ones arrive, so the header alone does not say the list is there; and a capture
    /// can catch the terminal half way through a redraw (new header and first row, old rows below),
    /// so the screen must also read the same on two captures in a row.
    @discardableResult
    func untilList(_ tmux: TmuxSession, _ query: String, page: Int = 1, first: Int = 1, forbidden: [String] = [],
                   rows: ([String]) -> Bool = { !$0.isEmpty }) async throws -> String {
        var previous: String?
        return try await tmux.until("the list for \(query), page \(page)", forbidden: forbidden) { screen in
            defer { previous = screen }
            return screen == previous && screen.contains(Self.header(query, page: page, first: first))
                && !screen.contains("Loading…") && rows(Screen.listRows(screen))
        }
    }

    /// Rows whose first one is message `i` of the test mailbox.
    static func startingWith(_ i: Int) -> ([String]) -> Bool {
        { rows in rows.first?.contains(TestMailbox.subject(i)) == true }
    }

    /// The rows of the `subject:otter` list.
    static func otterRows(_ rows: [String]) -> Bool {
        rows.count == TestMailbox.otters.count && rows.first?.contains(TestMailbox.subject(TestMailbox.otters[0])) == true
    }

    /// Authorize by pasting the code, page, open, search, lose the grant, re-authorize through the
    /// loopback listener, quit with the terminal restored; then start again with the stored credentials.
    /// One test, because each step starts from where the previous one left the program.
    @Test func fullSessionAgainstTheSandbox() async throws {
        try await withSandbox { server, workspace in
            let tmux = try TmuxSession(command: workspace.command(workspace.arguments(server)), cols: 120, rows: 40)

            // 1. The authorization screen: take its URL to the sandbox's consent endpoint, paste the code.
            let (_, url) = try await tmux.untilAuthorizationScreen("the authorization screen") { $0.contains(Self.authorizeTitle) }
            #expect(url.absoluteString.hasPrefix(server.rootURL.absoluteString + "o/oauth2/auth?"))
            #expect(url.queryValue("client_id") == Sandbox.installedClientId)
            #expect(url.queryValue("code_challenge_method") == "S256")
            let redirectURI = try #require(url.queryValue("redirect_uri").flatMap(URL.init(string:)))
            #expect(redirectURI.host == "127.0.0.1")
            let location = try await Curl.redirectLocation(of: url)
            #expect(location.queryValue("state") == url.queryValue("state"))
            let code = try #require(location.queryValue("code"))
            try tmux.paste(code)
            try await tmux.until(text: "Code or address: \(code)")
            try tmux.send("Enter")

            // The unread list, newest first.
            var screen = try await untilList(tmux, "is:unread", rows: Self.startingWith(1))
            var rows = Screen.listRows(screen)
            #expect(rows.first?.hasPrefix("●") == true)
            #expect(rows.first?.contains(TestMailbox.subject(1)) == true)
            #expect(rows.first?.contains(TestMailbox.senderName(1)) == true)
            #expect(Screen.lines(screen).last?.contains("q quit") == true)
            #expect(screen.contains("1-50 of"))

            // 2. Pages: the second holds the last 8 unread messages, then back to the first.
            try tmux.send("n")
            screen = try await untilList(tmux, "is:unread", page: 2, first: 51, rows: Self.startingWith(TestMailbox.unread[TestMailbox.pageSize]))
            rows = Screen.listRows(screen)
            let pageTwo = Array(TestMailbox.unread.dropFirst(TestMailbox.pageSize))
            #expect(screen.contains("51-\(TestMailbox.unread.count)"))
            #expect(rows.count == pageTwo.count)
            for (row, i) in zip(rows, pageTwo) {
                #expect(row.hasPrefix("●") && row.contains(TestMailbox.subject(i)), "row \(row) should be \(TestMailbox.subject(i))")
            }
            try tmux.send("p")
            screen = try await untilList(tmux, "is:unread", rows: Self.startingWith(1))
            #expect(Screen.listRows(screen).first?.contains(TestMailbox.subject(1)) == true)

            // 3. Open the third message and read its body; back to the list with the same row selected.
            try await tmux.untilSelected("the first row highlighted") { $0 == 1 }
            try tmux.send("j")
            try tmux.send("j")
            try await tmux.untilSelected("the third row highlighted") { $0 == 3 }
            let third = TestMailbox.unread[2]
            #expect(Screen.listRows(try tmux.screen()).dropFirst(2).first?.contains(TestMailbox.subject(third)) == true)
            try tmux.send("Enter")
            screen = try await tmux.until("the message view of \(TestMailbox.subject(third))") { s in
                let lines = Screen.lines(s)
                return lines.contains { $0.hasPrefix("From:") } && lines.contains { $0.trimmingCharacters(in: .whitespaces) == TestMailbox.bodyLine(third) }
            }
            let message = Screen.lines(screen)
            #expect(message.first?.contains(TestMailbox.subject(third)) == true)
            #expect(message.contains { $0.hasPrefix("From:") && $0.contains(TestMailbox.senderName(third)) && $0.contains(TestMailbox.senderAddress(third)) })
            #expect(message.contains { $0.hasPrefix("To:") && $0.contains(Self.account) })
            #expect(message.contains { $0.hasPrefix("Date:") })
            #expect(message.contains { $0.hasPrefix("Subject:") && $0.contains(TestMailbox.subject(third)) })
            #expect(screen.contains("Signed, \(TestMailbox.senderName(third))."))
            try tmux.send("q")
            screen = try await untilList(tmux, "is:unread", rows: Self.startingWith(1))
            try await tmux.untilSelected("the third row still highlighted") { $0 == 3 }
            #expect(Screen.listRows(try tmux.screen()).dropFirst(2).first?.contains(TestMailbox.subject(third)) == true)

            // 4. Search: the editor starts with the current query; a query that includes read messages, then one that matches nothing.
            try await search(tmux, "subject:otter", current: "is:unread")
            screen = try await untilList(tmux, "subject:otter", rows: Self.otterRows)
            try expectOtters(screen)
            try await search(tmux, "subject:narwhal", current: "subject:otter")
            screen = try await tmux.until(text: "No messages match subject:narwhal")
            #expect(Screen.lines(screen).first?.contains("subject:narwhal") == true)
            try await search(tmux, "subject:otter", current: "subject:narwhal")
            screen = try await untilList(tmux, "subject:otter", rows: Self.otterRows)

            // 5. The grant is revoked: the reload brings the authorization screen back, naming the account.
            server.sandbox.revokeGrants(email: Self.account)
            try tmux.send("r")
            let (again, secondURL) = try await tmux.untilAuthorizationScreen("the authorization screen again") { $0.contains(Self.authorizeTitle) }
            #expect(again.contains(Self.account))
            #expect(again.contains("revoked") || again.contains("no longer"))
            #expect(secondURL.queryValue("login_hint") == Self.account)
            // The rejected refresh token was forgotten, so Google is asked for consent (and a new one).
            #expect(secondURL.queryValue("prompt") == "consent")
            #expect(secondURL.queryValue("state") != url.queryValue("state"))

            // Re-authorize as a browser would: follow the redirect to the app's loopback listener.
            let before = server.sandbox.requestLog().count
            let followed = try await Curl.follow(secondURL)
            #expect(followed.status == 200)
            #expect(followed.finalURL.hasPrefix("http://127.0.0.1:"))
            #expect(!followed.finalURL.hasPrefix(server.rootURL.absoluteString))
            screen = try await untilList(tmux, "subject:otter", rows: Self.otterRows)
            try expectOtters(screen)
            // The reload that failed was sent again once the new grant was in.
            _ = try await server.untilRequest("the list retried after re-authorizing", after: before) {
                $0.method == "GET" && $0.path.hasPrefix("/gmail/v1/users/me/messages?") && $0.status == 200
            }

            // The new grant's refresh token works: with the access token expired, a reload refreshes it quietly.
            server.sandbox.expireAccessTokens()
            let beforeRefresh = server.sandbox.requestLog().count
            try tmux.send("r")
            let refresh = try await server.untilRequest("a token refresh", after: beforeRefresh) {
                $0.method == "POST" && $0.path.hasPrefix("/token")
            }
            #expect(refresh.status == 200)
            _ = try await server.untilRequest("the list after the refresh", after: beforeRefresh) {
                $0.method == "GET" && $0.path.hasPrefix("/gmail/v1/users/me/messages?") && $0.status == 200
            }
            screen = try await untilList(tmux, "subject:otter", forbidden: [Self.authorizeTitle], rows: Self.otterRows)
            try expectOtters(screen)

            // 6. Quit: the program exits 0 and leaves the terminal as it found it.
            try tmux.send("q")
            try await expectCleanExit(tmux, listHeader: "│ subject:otter │")

            // No code or token reached the log.
            try expectNoSecrets(in: workspace, alsoNot: [code])
            let attributes = try FileManager.default.attributesOfItem(atPath: workspace.credentials.path)
            #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o077 } == 0, "the credential file must not be readable by others")

            // 7. A second start with the stored credentials goes straight to the list.
            let second = try TmuxSession(command: workspace.command(workspace.arguments(server)), cols: 120, rows: 40)
            screen = try await untilList(second, "is:unread", forbidden: [Self.authorizeTitle, "Code or address:"], rows: Self.startingWith(1))
            #expect(Screen.listRows(screen).first?.contains(TestMailbox.subject(1)) == true)
            try second.send("q")
            try await expectCleanExit(second, listHeader: "│ is:unread │")
        }
    }

    /// `--demo` with no browser to start: `o` has the app follow the consent redirect itself, then it browses.
    /// At 80x24 as well as 120x40: the list, the footer on the last row, a message, nothing broken.
    @Test(arguments: zip([120, 80], [40, 24]))
    func demoAuthorizesWithoutABrowserAndBrowses(cols: Int, rows: Int) async throws {
        let workspace = try Workspace.make()
        defer { workspace.remove() }
        // No $BROWSER (the environment is emptied) and a PATH where xdg-open cannot be found.
        let tmux = try TmuxSession(command: workspace.command(["--demo", "--log-file", workspace.log.path], appPath: workspace.emptyBin.path),
                                   cols: cols, rows: rows)
        var (screen, _) = try await tmux.untilAuthorizationScreen("the demo's authorization screen") {
            $0.contains(Self.authorizeTitle) && $0.contains("Demo:")
        }
        #expect(Screen.lines(screen).count == rows)
        try tmux.send("o")
        let rowCount = rows
        screen = try await untilList(tmux, "is:unread") { $0.count >= rowCount - 3 }
        var lines = Screen.lines(screen)
        #expect(lines.count == rows)
        #expect(lines.last?.contains("q quit") == true, "the footer should be on the last row")
        let listRows = Screen.listRows(screen)
        #expect(listRows.count >= rows - 3, "the list should fill the screen between header and footer")
        #expect(listRows.allSatisfy { $0.hasPrefix("●") })
        try await tmux.untilSelected("the first row highlighted") { $0 == 1 }

        // Open the first message and come back.
        try tmux.send("Enter")
        // Wait for the whole view (its headers and its footer), not a capture taken halfway through the redraw.
        screen = try await tmux.until("the message view") { s in
            let l = Screen.lines(s)
            return l.contains { $0.hasPrefix("From:") } && l.contains { $0.hasPrefix("Subject:") } && l.last?.contains("q back") == true
        }
        lines = Screen.lines(screen)
        #expect(lines.count == rows)
        #expect(lines.last?.contains("q back") == true)
        #expect(lines.contains { $0.hasPrefix("Subject:") })
        try tmux.send("q")
        try await untilList(tmux, "is:unread")

        // Resized to the other size, the list is drawn again to fit: header first, footer last.
        let (newCols, newRows) = cols == 80 ? (120, 40) : (80, 24)
        try tmux.resize(cols: newCols, rows: newRows)
        screen = try await tmux.until("the list redrawn at \(newCols)x\(newRows)") { s in
            let lines = Screen.lines(s)
            return lines.count == newRows && lines.first?.contains(Self.header("is:unread", page: 1, first: 1)) == true
                && lines.last?.contains("q quit") == true && Screen.listRows(s).count >= newRows - 3
        }
        try tmux.send("q")
        try await expectCleanExit(tmux, listHeader: "│ is:unread │")

        // The demo's throw-away folder (client secrets, credentials) is gone.
        let left = try FileManager.default.contentsOfDirectory(atPath: workspace.tmp.path).filter { $0.hasPrefix("gmail-tui-demo") }
        #expect(left.isEmpty, "the demo left \(left) behind")
    }

    // MARK: Steps

    /// Opens the query editor (which starts with the `current` query), clears it, types `query` and runs it.
    func search(_ tmux: TmuxSession, _ query: String, current: String) async throws {
        try tmux.send("/")
        try await tmux.until("the query editor holding \(current)") { screen in
            screen.contains("Esc cancel") && Screen.lines(screen).contains { !$0.contains("│") && $0.trimmingCharacters(in: .whitespaces).hasSuffix(current) }
        }
        try tmux.send("C-u")
        try tmux.send(query, literal: true)
        try tmux.send("Enter")
    }

    /// The `subject:otter` list: every otter report, read or not, newest first, unread ones marked.
    func expectOtters(_ screen: String) throws {
        let rows = Screen.listRows(screen)
        #expect(rows.count == TestMailbox.otters.count, "rows: \(rows)")
        for (row, i) in zip(rows, TestMailbox.otters) {
            #expect(row.contains(TestMailbox.subject(i)), "row \(row) should be \(TestMailbox.subject(i))")
            #expect(row.hasPrefix("●") == !TestMailbox.read.contains(i), "unread marker of \(row)")
        }
    }

    /// After `q`: the program has ended with status 0, the terminal is back on its normal screen with
    /// the modes it had, the cursor visible and the cursor keys in normal mode; Enter then closes the pane.
    func expectCleanExit(_ tmux: TmuxSession, listHeader: String) async throws {
        let screen = try await tmux.until(text: Screen.exitLine)
        #expect(screen.contains("\(Screen.exitLine) 0, terminal modes restored"), "screen after quitting:\n\(screen)")
        #expect(!screen.contains(listHeader), "the list is still on the screen")
        #expect(try tmux.format("#{alternate_on}") == "0", "still on the alternate screen")
        #expect(try tmux.format("#{cursor_flag}") == "1", "the cursor was left hidden")
        #expect(try tmux.format("#{keypad_cursor_flag}") == "0", "the cursor keys were left in application mode")
        try tmux.send("Enter")
        // The status line above is the program's own exit status; tmux's, when it has it, must agree.
        if let status = try await tmux.untilDead() {
            #expect(status == "0")
        }
    }

    /// Neither the log nor the screen's leftovers hold a token from the credential file, nor any of `alsoNot`.
    func expectNoSecrets(in workspace: Workspace, alsoNot extra: [String]) throws {
        let log = (try? String(contentsOf: workspace.log, encoding: .utf8)) ?? ""
        var secrets = extra
        if let data = try? Data(contentsOf: workspace.credentials), let object = try? JSONSerialization.jsonObject(with: data) {
            secrets += tokens(in: object)
        }
        let stored = secrets.count - extra.count
        #expect(stored >= 2, "expected the access and refresh tokens in the credential file, found \(stored) tokens")
        for secret in secrets where secret.count >= 8 {
            #expect(!log.contains(secret), "the log holds a secret (\(secret.count) characters)")
        }
    }

    /// Every string value under a key that names a token, anywhere in `object`.
    func tokens(in object: Any) -> [String] {
        if let dict = object as? [String: Any] {
            return dict.flatMap { key, value -> [String] in
                if key.lowercased().contains("token"), let s = value as? String { return [s] }
                return tokens(in: value)
            }
        }
        if let array = object as? [Any] { return array.flatMap(tokens(in:)) }
        return []
    }
}
