import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// The small things a user sees first: the list's header with a long query, the message's date and
/// time zone, a terminal too small to draw in, and what `o` and `c` say they did.
@Suite struct FirstImpressionTests {
    // MARK: Header

    @Test func theHeaderShortensTheQueryBeforeTheCounts() {
        let query = "from:(ada@example.com OR charles@example.com) subject:(analytical engine) has:attachment newer_than:30d"
        var page = Fixture.mixedPage
        page.query = query
        let s = Fixture.loaded(page)
        let header = render(s, cols: 80, rows: 24).lines()[0]
        #expect(header.hasPrefix(" demo@gmail-tui.example │ from:(ada@"))
        #expect(header.hasSuffix(" │ page 1 │ 1-6 of ~1,234"))
        #expect(header.contains("… │ page 1"))
        #expect(TerminalWidth.of(header) == 80)
        // Narrower still: the account gives way too, and the page and counts stay whole.
        let narrow = render(s, cols: 44, rows: 24).lines()[0]
        #expect(narrow.hasSuffix(" │ page 1 │ 1-6 of ~1,234"), "\(narrow)")
        #expect(TerminalWidth.of(narrow) <= 44)
        // A query that fits is not touched.
        #expect(render(Fixture.loaded(Fixture.mixedPage), cols: 80, rows: 24).lines()[0]
                == " demo@gmail-tui.example │ in:inbox │ page 1 │ 1-6 of ~1,234")
    }

    // MARK: Dates

    @Test func theMessageViewsDateSaysItsTimeZone() {
        func dateLine(zone: String) -> String? {
            var s = Fixture.loaded(Fixture.mixedPage)
            s.calendar.timeZone = TimeZone(identifier: zone) ?? s.calendar.timeZone
            _ = s.update(.key(.enter))
            _ = s.update(.messageLoaded(Fixture.detail("a1")))   // sent 20 Nov 2026 08:15 UTC
            return render(s, cols: 80, rows: 24).lines().first { $0.hasPrefix("Date:") }
        }
        #expect(dateLine(zone: "UTC") == "Date: Fri 20 Nov 2026 08:15 +0000")
        #expect(dateLine(zone: "Europe/Paris") == "Date: Fri 20 Nov 2026 09:15 +0100")
        #expect(dateLine(zone: "America/New_York") == "Date: Fri 20 Nov 2026 03:15 -0500")
        #expect(dateLine(zone: "Asia/Kolkata") == "Date: Fri 20 Nov 2026 13:45 +0530")
    }

    // MARK: Terminal too small

    @Test func behindTerminalTooSmallOnlyQuittingActs() {
        var s = Fixture.loaded(Fixture.mixedPage)
        _ = s.update(.resize(cols: 30, rows: 8))
        #expect(s.render().lines().contains { $0.contains("Terminal too small") })
        let before = s
        for key: Key in [.enter, .character("j"), .down, .character("/"), .character("n"), .character("r"),
                         .character("?"), .escape, .pageDown, .character("G")] {
            #expect(s.update(.key(key)) == [], "\(key)")
        }
        #expect(s.update(.paste("subject:hidden")) == [])
        #expect(s == before, "a key changed the state behind the too-small screen")
        #expect(s.screen == .list && s.message == nil)
        #expect(s.update(.key(.character("q"))) == [.quit])
        #expect(s.update(.key(.control("c"))) == [.quit])
        // Back to a usable size, the same keys act again.
        _ = s.update(.resize(cols: 80, rows: 24))
        #expect(s.update(.key(.enter)) == [.fetchMessage(id: "a1")])
        #expect(s.screen == .message)
    }

    @Test func theAuthorizationFieldTakesNothingBehindTerminalTooSmall() {
        var s = BrowserState(account: nil, cols: 80, rows: 5, now: Fixture.now, calendar: Fixture.calendar)
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        s.type("4/0Ac")
        _ = s.update(.paste("http://127.0.0.1:8765/?code=x"))
        #expect(s.update(.key(.enter)) == [])
        #expect(s.authorization?.field.isEmpty == true)
        #expect(s.update(.key(.character("o"))) == [])
        _ = s.update(.resize(cols: 80, rows: 24))
        #expect(s.update(.key(.character("o"))) == [.openURL(Fixture.authURL)])
    }

    // MARK: What `o` and `c` did

    func authorizationScreen() -> BrowserState {
        var s = BrowserState(account: nil, now: Fixture.now, calendar: Fixture.calendar)
        _ = s.update(.authorizationNeeded(url: Fixture.authURL, email: nil, reason: nil))
        return s
    }

    @Test func oWithNoBrowserSaysSoAndWhatToDoInstead() {
        var s = authorizationScreen()
        #expect(s.update(.key(.character("o"))) == [.openURL(Fixture.authURL)])
        _ = s.update(.browserLaunch(.noBrowser))
        let lines = render(s, cols: 80, rows: 24).lines()
        #expect(!lines.contains { $0.contains("Opening") })
        let status = lines[12] + " " + lines[13]
        #expect(status.contains("No browser could be started"), "\(lines)")
        #expect(status.contains("$BROWSER") && status.contains("xdg-open"))
        #expect(status.contains("Copy the URL with c"))
        #expect(lines[23].contains("Esc quit"), "the footer stays")
        // An opener that started but failed (xdg-open with nothing behind it) is not a success either.
        _ = s.update(.browserLaunch(.started(command: "xdg-open")))
        #expect(s.authorization?.notice == "Asked xdg-open to open the URL in a browser.")
        _ = s.update(.browserLaunch(.failed(command: "xdg-open", status: 3)))
        #expect(s.authorization?.notice?.hasPrefix("xdg-open could not open a browser (exit status 3).") == true)
        // The next key clears the notice.
        _ = s.update(.key(.right))
        #expect(s.authorization?.notice == nil)
    }

    @Test func cSaysWhichWayTheURLWent() {
        var s = authorizationScreen()
        #expect(s.update(.key(.character("c"))) == [.copyToClipboard(Fixture.authURL.absoluteString)])
        _ = s.update(.copiedToClipboard(.tmux(buffer: true)))
        #expect(s.authorization?.notice?.contains("tmux's paste buffer") == true)
        _ = s.update(.copiedToClipboard(.tmux(buffer: false)))
        #expect(s.authorization?.notice?.contains("allow-passthrough") == true)
        // An answer that comes after the user left the screen changes nothing.
        var list = Fixture.loaded(Fixture.mixedPage)
        let before = list
        _ = list.update(.copiedToClipboard(.terminal))
        _ = list.update(.browserLaunch(.noBrowser))
        #expect(list == before)
    }
}
