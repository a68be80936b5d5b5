import Foundation
import Testing
@testable import MIME

@Suite struct MailAddressParserTests {
    private func pairs(_ value: String) -> [String] {
        MailAddressParser.parse(value).map { "\($0.name ?? "-")|\($0.email)" }
    }

    @Test func quotedNamesWithCommas() {
        #expect(pairs("\"A, B\" <a@b>, c@d") == ["A, B|a@b", "-|c@d"])
        #expect(pairs("Jane Doe <jane@x.org>") == ["Jane Doe|jane@x.org"])
        #expect(pairs("<only@x.org>") == ["-|only@x.org"])
    }

    @Test func commentsGroupsAndEncodedWords() {
        #expect(pairs("barry@python.org (Barry A. Warsaw)") == ["Barry A. Warsaw|barry@python.org"])
        #expect(pairs("Team: a@b, \"C\" <c@d>;, e@f") == ["-|a@b", "C|c@d", "-|e@f"])
        #expect(pairs("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>") == ["André Pirard|PIRARD@vm1.ulg.ac.be"])
        #expect(pairs("\"q\\\"uote\" <q@x>") == ["q\"uote|q@x"])
        #expect(pairs(" , ,") == [])
    }
}

@Suite struct RFC5322DateTests {
    private func iso(_ value: String) -> String? {
        RFC5322Date.parse(value).map { ISO8601DateFormatter().string(from: $0) }
    }

    @Test func standardAndObsoleteForms() {
        #expect(iso("Tue, 13 Feb 2024 14:31:55 +0700") == "2024-02-13T07:31:55Z")
        #expect(iso("13 Feb 2024 14:31 -0130") == "2024-02-13T16:01:00Z")
        #expect(iso("Fri, 20 Apr 2001 19:35:02 -0400") == "2001-04-20T23:35:02Z")
        #expect(iso("7 Dec 2000 19:57:26 -0000") == "2000-12-07T19:57:26Z")
        #expect(iso("Thu,  7 Dec 2000 15:03:20 -0500 (EST)") == "2000-12-07T20:03:20Z")
        #expect(iso("Mon, 2 Jan 06 15:04:05 PST") == "2006-01-02T23:04:05Z")
        #expect(iso("Mon, 2 Jan 99 15:04:05 GMT") == "1999-01-02T15:04:05Z")
        #expect(iso("monday, 02 january 2006 15:04:05 EDT") == "2006-01-02T19:04:05Z")
        #expect(iso("Mon Jan  2 15:04:05 2006") == "2006-01-02T15:04:05Z")
        #expect(iso("21 Oct 2002 14:25:12 UT") == "2002-10-21T14:25:12Z")
    }

    @Test func unreadableDates() {
        #expect(iso("") == nil)
        #expect(iso("yesterday") == nil)
        #expect(iso("31 Feb 2024 10:00:00 +0000") == nil)
        #expect(iso("12 Foo 2024 10:00") == nil)
    }
}
