import Foundation
import Testing
@testable import MailUI
@testable import TerminalCells

@Suite struct TerminalWidthTests {
    @Test(arguments: [
        ("a", 1), ("漢", 2), ("한", 2), ("Ａ", 2), ("ｱ", 1), ("😀", 2), ("👨‍👩‍👧", 2), ("🇯🇵", 2),
        ("☺", 1), ("☺️", 2), ("e\u{301}", 1), ("\u{200B}", 0), ("\u{301}", 0), ("ש", 1), ("\u{7}", 1), ("\u{9B}", 1),
    ] as [(String, Int)])
    func widths(text: String, width: Int) {
        #expect(text.count == 1)
        #expect(TerminalWidth.of(Character(text)) == width)
    }

    @Test func controlsAreShownNotSent() {
        #expect(TerminalWidth.displayed("\u{0}") == "␀")
        #expect(TerminalWidth.displayed("\u{1b}") == "␛")
        #expect(TerminalWidth.displayed("\u{7f}") == "␡")
        #expect(TerminalWidth.displayed("\u{9b}") == "?")
        #expect(TerminalWidth.displayed("x") == "x")
    }

    @Test func truncationNeverSplitsAWideCharacter() {
        #expect(TextLayout.truncate("漢字漢字", to: 6) == "漢字 …")
        #expect(TextLayout.truncate("漢字漢字", to: 5) == "漢字…")
        #expect(TextLayout.truncate("漢字漢字", to: 8) == "漢字漢字")
        #expect(TextLayout.truncate("abc", to: 0) == "")
        #expect(TextLayout.pad("ab", to: 4) == "ab  ")
    }

    @Test func wrappingBreaksAtSpacesAndExpandsTabs() {
        func rows(_ s: String, _ w: Int) -> [String] { TextLayout.wrap(s, width: w).map { String($0.map(\.character)) } }
        #expect(rows("the quick brown fox", 10) == ["the quick", "brown fox"])
        #expect(rows("abcdefghijkl", 5) == ["abcde", "fghij", "kl"])
        #expect(rows("a\tb", 20) == ["a       b"])
        #expect(rows("漢字漢字漢", 5) == ["漢字", "漢字", "漢"])
        #expect(rows("", 5) == [""])
    }

    @Test func putJoinsAStrayCombiningMarkAndRepairsOverwrittenWideCharacters() {
        var g = CellGrid(cols: 6, rows: 1)
        g.put("漢字漢", x: 0, y: 0)
        #expect(g.lines() == ["漢字漢"])
        g.put("a", x: 1, y: 0)   // lands on the second half of 漢
        #expect(g.lines() == [" a字漢"])
        #expect(g[1, 0].width == 1)
    }
}

@Suite struct TextFieldTests {
    @Test func editingKeys() {
        var f = TextField("héllo")
        #expect(f.cursor == 5)
        _ = f.handle(.left); _ = f.handle(.left)
        _ = f.handle(.character("X"))
        #expect(f.text == "hélXlo")
        _ = f.handle(.backspace)
        _ = f.handle(.delete)
        #expect(f.text == "hélo")
        _ = f.handle(.control("k"))
        #expect(f.text == "hél")
        _ = f.handle(.home)
        #expect(f.cursor == 0)
        _ = f.handle(.backspace)
        #expect(f.text == "hél")
        f.insert("a\nb\u{7}")
        #expect(f.text == "a bhél")
        let consumed = f.handle(.pageDown)
        #expect(!consumed)
    }
}

@Suite struct DisplayFormatTests {
    let now = Fixture.now, cal = Fixture.calendar

    @Test func listDatesDependOnHowRecent() {
        #expect(DisplayFormat.listDate(Fixture.date(2026, 11, 21, 0, 5), now: now, calendar: cal) == "00:05")
        #expect(DisplayFormat.listDate(Fixture.date(2026, 11, 20, 23, 59), now: now, calendar: cal) == "Nov 20")
        #expect(DisplayFormat.listDate(Fixture.date(2026, 1, 1), now: now, calendar: cal) == "Jan 1")
        #expect(DisplayFormat.listDate(Fixture.date(2025, 12, 31, 23, 0), now: now, calendar: cal) == "2025-12-31")
        #expect(DisplayFormat.listDate(nil, now: now, calendar: cal) == "")
    }

    @Test func theCalendarsTimeZoneDecidesTheDay() {
        var tokyo = cal
        tokyo.timeZone = TimeZone(identifier: "Asia/Tokyo") ?? cal.timeZone
        // 20 Nov 20:00 UTC is 21 Nov 05:00 in Tokyo: "today" there.
        #expect(DisplayFormat.listDate(Fixture.date(2026, 11, 20, 20, 0), now: now, calendar: tokyo) == "05:00")
    }

    @Test func sizesAndCounts() {
        #expect(DisplayFormat.size(512) == "512 B")
        #expect(DisplayFormat.size(12595) == "12.3 KB")
        #expect(DisplayFormat.size(2_400_000) == "2.3 MB")
        #expect(DisplayFormat.count(1234) == "1,234")
        #expect(DisplayFormat.count(1234567) == "1,234,567")
        #expect(DisplayFormat.count(999) == "999")
        #expect(DisplayFormat.fullDate(Fixture.now, calendar: cal) == "Sat 21 Nov 2026 14:30 +0000")
    }
}
