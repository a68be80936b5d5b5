import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// Compares a grid with an expected screen line by line (trailing spaces trimmed), naming the first differing line.
func expectScreen(_ grid: CellGrid, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = grid.lines()
    let wanted = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(actual.count == wanted.count, "rows", sourceLocation: sourceLocation)
    for (i, (a, w)) in zip(actual, wanted).enumerated() where a != w {
        Issue.record("line \(i):\n  got  \"\(a)\"\n  want \"\(w)\"", sourceLocation: sourceLocation)
    }
    // Every row fills exactly the grid's width: wide cells are followed by their continuation cells.
    for y in 0..<grid.rows {
        var x = 0, columns = 0
        while x < grid.cols {
            let cell = grid[x, y]
            #expect(cell.width == 1 || cell.width == 2, "row \(y) col \(x)", sourceLocation: sourceLocation)
            if cell.width == 2 { #expect(x + 1 < grid.cols && grid[x + 1, y].width == 0, sourceLocation: sourceLocation) }
            #expect(TerminalWidth.of(cell.character) == cell.width, "row \(y) col \(x)", sourceLocation: sourceLocation)
            columns += max(1, cell.width); x += max(1, cell.width)
        }
        #expect(columns == grid.cols, sourceLocation: sourceLocation)
    }
}

@Suite struct ScreenTests {
    func listState() -> BrowserState {
        var s = Fixture.loaded(Fixture.mixedPage)
        _ = s.update(.key(.down))
        return s
    }

    @Test func listAt80x24() { expectScreen(render(listState(), cols: 80, rows: 24), Screens.list80x24) }
    @Test func listAt120x40() { expectScreen(render(listState(), cols: 120, rows: 40), Screens.list120x40) }
    @Test func tooSmallAt20x6() { expectScreen(render(listState(), cols: 20, rows: 6), Screens.tooSmall20x6) }

    @Test func theSelectedRowIsReversedAndUnreadSendersAreBold() {
        let g = render(listState(), cols: 80, rows: 24)
        #expect((0..<80).allSatisfy { g[$0, 2].style.reverse })
        #expect(!g[0, 1].style.reverse)
        #expect(g[14, 1].style.bold)       // "Ada Lovelace", unread
        #expect(!g[14, 3].style.bold)      // "Party Bot", read
        #expect(g[70, 1].style.dim)        // the snippet
        #expect(g[0, 0].style.reverse)     // the header bar
    }

    func messageState() -> BrowserState {
        var s = listState()
        _ = s.update(.key(.enter))
        _ = s.update(.messageLoaded(Fixture.japaneseDetail))
        return s
    }

    @Test func messageAt80x24() { expectScreen(render(messageState(), cols: 80, rows: 24), Screens.message80x24) }
    @Test func messageAt120x40() { expectScreen(render(messageState(), cols: 120, rows: 40), Screens.message120x40) }

    @Test func messageFooterShowsThePositionWhenScrolled() {
        var s = messageState()
        var long = Fixture.japaneseDetail
        long.body = (1...100).map { "line \($0)" }.joined(separator: "\n")
        _ = s.update(.messageLoaded(long))
        _ = s.update(.key(.pageDown))
        let lines = render(s, cols: 80, rows: 24).lines()
        #expect(lines[1] == "line 17")
        #expect(lines[23] == " q back · n/p next/previous · j/k scroll · 40%")  // rows 23-44 of 109
    }

    @Test func authorizationExchanging() {
        var s = BrowserState(account: nil, now: Fixture.now, calendar: Fixture.calendar)
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        s.type("4/0AcQ")
        _ = s.update(.key(.enter))
        expectScreen(render(s, cols: 80, rows: 24), Screens.authExchanging80x24)
        _ = s.update(.authorizationFailed("Google rejected the code: it was already used or has expired. Open the URL again (o) for a new one."))
        expectScreen(render(s, cols: 80, rows: 24), Screens.authRejected80x24)
    }

    @Test func theURLRowsCarryNoDecoration() {
        var s = BrowserState(account: nil, now: Fixture.now, calendar: Fixture.calendar)
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        let g = render(s, cols: 80, rows: 24)
        let rows = 7...9
        #expect(rows.map { g.lines()[$0] }.joined() == Fixture.authURL.absoluteString)
        for y in rows { #expect((0..<80).allSatisfy { g[$0, y].style == .plain }) }
    }

    @Test func reauthorizationSaysWhyAndForWhom() {
        var s = Fixture.loaded(Fixture.mixedPage)
        _ = s.update(.key(.character("r")))
        _ = s.update(.syncFailed(query: "in:inbox", pageToken: nil, error: .reauthorizationRequired(email: Fixture.account, reason: .grantRevoked)))
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: Fixture.account, reason: .grantRevoked))
        expectScreen(render(s, cols: 120, rows: 40), Screens.reauth120x40)
    }

    @Test func helpOverlay() {
        var s = Fixture.loaded(Fixture.mixedPage)
        _ = s.update(.key(.character("?")))
        expectScreen(render(s, cols: 80, rows: 24), Screens.help80x24)
    }

    @Test func emptyResultWithTheQueryEditorOpen() {
        var s = Fixture.loaded(Fixture.page(query: "is:unread", count: 0))
        _ = s.update(.key(.character("/")))
        s.type(" from:ada")
        expectScreen(render(s, cols: 80, rows: 24), Screens.emptyWithEditor80x24)
        // The cursor (at the end of the text) is a reversed cell.
        #expect(render(s, cols: 80, rows: 24)[26, 22].style.reverse)
    }

    @Test func loadingAndNetworkErrorsShowInTheListAndStatusLine() {
        var s = BrowserState(account: Fixture.account, query: "is:unread", now: Fixture.now, calendar: Fixture.calendar)
        _ = s.start()
        var lines = render(s, cols: 80, rows: 24).lines()
        #expect(lines[0] == " demo@gmail-tui.example │ is:unread │ page 1")
        #expect(lines[2] == "  Loading…")
        #expect(lines[22] == "⠋ Loading…")
        _ = s.update(.tick)
        #expect(render(s, cols: 80, rows: 24).lines()[22] == "⠙ Loading…")
        _ = s.update(.pageFailed(query: "is:unread", pageToken: nil, error: .network("could not connect to gmail.googleapis.com")))
        lines = render(s, cols: 80, rows: 24).lines()
        #expect(lines[22] == "Offline, not stored: could not connect to gmail.googleapis.com (r to retry)")
        #expect(render(s, cols: 80, rows: 24)[0, 22].style.role == .error)
    }

    @Test func reauthorizationWhileTheURLIsBeingPrepared() {
        var s = Fixture.loaded(Fixture.mixedPage)
        _ = s.update(.key(.enter))
        _ = s.update(.messageFailed(id: "a1", error: .reauthorizationRequired(email: Fixture.account, reason: .rejectedAfterRefresh)))
        let lines = render(s, cols: 80, rows: 24).lines()
        #expect(Array(lines[2...3]) == [
            "Google refused the saved authorization for demo@gmail-tui.example even after",
            "refreshing it. Authorize again to continue.",
        ])
        #expect(lines[10] == "⠋ Preparing the authorization address…")
        #expect(lines[12] == "Code or address:")
    }

    @Test func aLongPasteShowsItsEndInTheField() {
        var s = BrowserState(account: nil, now: Fixture.now, calendar: Fixture.calendar)
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        _ = s.update(.paste("http://127.0.0.1:8765/?state=xyz&code=4/0AcQ" + String(repeating: "x", count: 80) + "END"))
        let g = render(s, cols: 80, rows: 24)
        #expect(g.lines()[11].hasPrefix("Code or address: "))
        #expect(g.lines()[11].hasSuffix("xxxEND"))
        #expect(g[79, 11].style.reverse)   // the cursor, after the text
    }

    @Test func aShortTerminalDropsTheInstructionsButKeepsTheURLAndTheField() {
        var s = Fixture.loaded(Fixture.mixedPage)
        _ = s.update(.key(.character("r")))
        _ = s.update(.syncFailed(query: "in:inbox", pageToken: nil, error: .reauthorizationRequired(email: Fixture.account, reason: .grantRevoked)))
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: Fixture.account, reason: .grantRevoked))
        expectScreen(render(s, cols: 80, rows: 13), """
             gmail-tui · Authorize access to Gmail

            Google no longer accepts the saved authorization for demo@gmail-tui.example: it
            was revoked or expired. Authorize again to continue.

            https://accounts.google.com/o/oauth2/v2/auth?client_id=123-abc.apps.googleuserco
            ntent.com&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2F&response_type=code&scope
            =https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly&state=xyz

            Code or address:


             Enter submit · o open URL · c copy URL (field empty) · Esc quit
            """)
        // One row fewer: the blank lines go.
        let short = render(s, cols: 80, rows: 12).lines()
        #expect(short[1].hasPrefix("Google no longer accepts"))
        #expect(short[3].hasPrefix("https://"))
        #expect(short[6] == "Code or address:")
        let tiny = render(s, cols: 40, rows: 10).lines()
        #expect(tiny[1].hasPrefix("https://accounts.google.com/"))
        #expect(tiny[6] == "Code or address:")
    }

    @Test func everyScreenFitsEverySize() {
        let states = [listState(), messageState()]
        for state in states {
            for (c, r) in [(40, 10), (41, 11), (59, 17), (80, 24), (133, 7), (1, 1), (0, 0)] {
                let g = render(state, cols: c, rows: r)
                #expect(g.lines().count == max(0, r))
                #expect(g.lines().allSatisfy { TerminalWidth.of($0) <= max(0, c) })
            }
        }
    }
}

/// The expected screens (the spec, checked by eye).
enum Screens {
    static let list80x24 =
        """
         demo@gmail-tui.example │ in:inbox │ page 1 │ 1-6 of ~1,234
        ● 09:05       Ada Lovelace          Notes on the Analytical Engine — The engine…
        ● Nov 3       山田太郎              会議の議事録について — お疲れ様です。本日の…
          Mar 15      Party Bot 🎉          🎂 Birthday party 🎈 on Friday 👨‍👩‍👧 — Bring  …
          2025-12-31  דוד כהן               שלום עולם: פגישה מחר — מה שלומך? נתראה מחר
          2024-03-15  Bartholomew Maximil…  Invoice 2024-03 final — Please find␇attached
        ●             Zoë Ångström          Café au lait
















         j/k move · Enter open · n/p page · / search · r sync · ? help · q quit
        """

    static let list120x40 =
        """
         demo@gmail-tui.example │ in:inbox │ page 1 │ 1-6 of ~1,234
        ● 09:05       Ada Lovelace              Notes on the Analytical Engine — The engine might compose elaborate pieces of m…
        ● Nov 3       山田太郎                  会議の議事録について — お疲れ様です。本日の会議の議事録を送ります
          Mar 15      Party Bot 🎉              🎂 Birthday party 🎈 on Friday 👨‍👩‍👧 — Bring 🍰 and 🎁
          2025-12-31  דוד כהן                   שלום עולם: פגישה מחר — מה שלומך? נתראה מחר
          2024-03-15  Bartholomew Maximilian …  Invoice 2024-03 final — Please find␇attached
        ●             Zoë Ångström              Café au lait
































         j/k move · Enter open · n/p page · / search · r sync · ? help · q quit
        """

    static let tooSmall20x6 =
        """

         Terminal too small
            (need 40x10)
              q quits


        """

    static let message80x24 =
        """
         会議の議事録について
        From: 山田太郎 <taro@example.jp>
        To: demo@gmail-tui.example, Ada Lovelace <ada@example.com>
        Cc: Charles Babbage <charles@example.com>
        Date: Tue 3 Nov 2026 18:00 +0000
        Subject: 会議の議事録について

        お疲れ様です。

        本日の会議の議事録を送ります。長い行はここで折り返されるべきです。日本語の文章に
        はスペースがありません。
                Indented        with tabs.
        A very long English line that should wrap at the edge of the screen by words,
        not in the middle of words, when possible.
        👨‍👩‍👧 family and שלום RTL.
        Bell␇ and escape␛[31m shown, not sent.

        📎 議事録.pdf (12.3 KB)
        📎 photo 🎉.jpg (2.3 MB)




         q back · n/p next/previous · j/k scroll · All
        """

    static let message120x40 =
        """
         会議の議事録について
        From: 山田太郎 <taro@example.jp>
        To: demo@gmail-tui.example, Ada Lovelace <ada@example.com>
        Cc: Charles Babbage <charles@example.com>
        Date: Tue 3 Nov 2026 18:00 +0000
        Subject: 会議の議事録について

        お疲れ様です。

        本日の会議の議事録を送ります。長い行はここで折り返されるべきです。日本語の文章にはスペースがありません。
                Indented        with tabs.
        A very long English line that should wrap at the edge of the screen by words, not in the middle of words, when possible.
        👨‍👩‍👧 family and שלום RTL.
        Bell␇ and escape␛[31m shown, not sent.

        📎 議事録.pdf (12.3 KB)
        📎 photo 🎉.jpg (2.3 MB)






















         q back · n/p next/previous · j/k scroll · All
        """

    static let authExchanging80x24 =
        """
         gmail-tui · Authorize access to Gmail

        1. Open this URL in a browser (o opens it here, c copies it).
        2. Sign in and allow access.
        3. gmail-tui continues by itself, or paste the code or the address the browser
        ended on below and press Enter.

        https://accounts.google.com/o/oauth2/v2/auth?client_id=123-abc.apps.googleuserco
        ntent.com&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2F&response_type=code&scope
        =https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly&state=xyz

        Code or address: 4/0AcQ
        ⠋ Exchanging code…










         Enter submit · o open URL · c copy URL (field empty) · Esc quit
        """

    static let authRejected80x24 =
        """
         gmail-tui · Authorize access to Gmail

        1. Open this URL in a browser (o opens it here, c copies it).
        2. Sign in and allow access.
        3. gmail-tui continues by itself, or paste the code or the address the browser
        ended on below and press Enter.

        https://accounts.google.com/o/oauth2/v2/auth?client_id=123-abc.apps.googleuserco
        ntent.com&redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2F&response_type=code&scope
        =https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly&state=xyz

        Code or address:
        ✗ Google rejected the code: it was already used or has expired. Open the URL
        again (o) for a new one.









         Enter submit · o open URL · c copy URL (field empty) · Esc quit
        """

    static let reauth120x40 =
        """
         gmail-tui · Authorize access to Gmail

        Google no longer accepts the saved authorization for demo@gmail-tui.example: it was revoked or expired. Authorize again
        to continue.

        1. Open this URL in a browser (o opens it here, c copies it).
        2. Sign in and allow access.
        3. gmail-tui continues by itself, or paste the code or the address the browser ended on below and press Enter.

        https://accounts.google.com/o/oauth2/v2/auth?client_id=123-abc.apps.googleusercontent.com&redirect_uri=http%3A%2F%2F127.
        0.0.1%3A8765%2F&response_type=code&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly&state=xyz

        Code or address:


























         Enter submit · o open URL · c copy URL (field empty) · Esc quit
        """

    static let help80x24 =
        """
         demo@gmail-tui.example │ in:inbox │ page 1 │ 1-6 of ~1,234
        ● 09:05       Ada Lovelace          Notes on the Analytical Engine — The engine…
        ┌─────────────────────────────────────────────────────────────────────────────┐…
        │ Keys: message list                                                          │…
        │                                        A           the account list         │
        │ j ↓         next row / line            x           select / unselect row    │d
        │ k ↑         previous row / line        e           archive                  │
        │ PgDn Space  page down                  #           move to trash            │
        │ PgUp b      page up                    s           star / unstar            │
        │ Ctrl-D      half a page down           I           mark read                │
        │ Ctrl-U      half a page up             U           mark unread              │
        │ g Home      first                      l           add or remove labels     │
        │ G End       last                       z           undo the last action     │
        │ Enter       open the message           ?           this help                │
        │ n           next page                  Ctrl-Z      suspend (fg resumes)     │
        │ p           previous page              q           quit                     │
        │ /           search: edit the query     Ctrl-C      quit at once             │
        │ r           sync with Gmail now                                             │
        │ t           messages ⇄ conversations   Press any key to close               │
        │ L           the label list                                                  │
        └─────────────────────────────────────────────────────────────────────────────┘


         j/k move · Enter open · n/p page · / search · r sync · ? help · q quit
        """

    static let emptyWithEditor80x24 =
        """
         demo@gmail-tui.example │ is:unread │ page 1 │ no messages

          No messages match is:unread



















        Search: is:unread from:ada
         Enter search · Esc cancel · ←/→ move · Ctrl-U clear
        """

}
