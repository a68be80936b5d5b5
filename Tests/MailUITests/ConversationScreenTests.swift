import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// Whole screens of the conversation list and the conversation view, with CJK and emoji, at 80x24 and wide.
@Suite struct ConversationScreenTests {
    @Test func theConversationListAt80x24() {
        expectScreen(Fixture.conversations().render(), ConversationScreens.list80x24)
    }

    @Test func theConversationListWide() {
        expectScreen(Fixture.conversations(cols: 120, rows: 12).render(), ConversationScreens.list120x12)
    }

    @Test func theConversationViewAt80x24() {
        expectScreen(ConversationViewTests.reading().0.render(), ConversationScreens.view80x24)
    }

    @Test func theConversationViewWideWithEveryMessageExpanded() {
        var (s, _) = ConversationViewTests.reading(cols: 120, rows: 30)
        _ = s.update(.key(.character("p")))
        _ = s.update(.key(.enter))
        _ = s.update(.key(.character("p")))
        _ = s.update(.key(.enter))
        expectScreen(s.render(), ConversationScreens.view120x30)
    }

    @Test func unreadSendersAreBoldAndTheSelectedRowReversed() {
        var s = Fixture.conversations(canModify: false)
        let g = s.render()
        let row = g.lines()[1]
        func column(of text: String) -> Int {
            TextLayout.width(String(row[..<(row.range(of: text)?.lowerBound ?? row.endIndex)]))
        }
        #expect(g[column(of: "Bob"), 1].style.bold, "Bob wrote the unread message")
        #expect(!g[column(of: "山田太郎"), 1].style.bold)
        #expect(!g[column(of: "me,"), 1].style.bold)
        #expect(g[40, 1].style.reverse)
        #expect(!g[40, 2].style.reverse)
        // Marked read: no sender is bold any more.
        _ = s.update(.modifyPermission(true))
        _ = s.update(.key(.character("I")))
        #expect(!s.render()[column(of: "Bob"), 1].style.bold)
    }

    @Test func theCursorMessagesFirstRowIsHighlighted() {
        var (s, _) = ConversationViewTests.reading()
        var g = s.render()
        #expect(g.lines()[4].hasPrefix("From: Bob Jones"))
        #expect(g[0, 4].style.reverse && !g[0, 1].style.reverse)
        _ = s.update(.key(.character("p")))
        g = s.render()
        #expect(g[3, 2].style.reverse && !g[0, 4].style.reverse)
    }

    @Test func sendersAreShortenedAsGmailDoes() {
        let me = Fixture.me
        func text(_ senders: [MailAddress], width: Int = 20) -> String {
            SenderList.parts(senders, unreadCount: 0, account: Fixture.account, width: width).map(\.text).joined()
        }
        #expect(text([Fixture.ann]) == "Ann Smith", "one sender by the whole name")
        #expect(text([Fixture.ann, Fixture.ann]) == "Ann Smith")
        #expect(text([me]) == "me")
        #expect(text([Fixture.ann, me, Fixture.ann]) == "Ann, me")
        #expect(text([MailAddress(name: nil, email: "zed@example.com"), Fixture.bob]) == "zed, Bob")
        #expect(text([Fixture.ann, Fixture.bob, Fixture.taro, Fixture.bot]) == "Ann .. 山田太郎, Party", "too many for 20 columns")
        #expect(text([Fixture.ann, Fixture.bob, Fixture.taro, Fixture.bot], width: 30) == "Ann, Bob, 山田太郎, Party", "every one that fits")
        let parts = SenderList.parts([Fixture.ann, Fixture.bob, Fixture.ann], unreadCount: 1, account: Fixture.account)
        #expect(parts.filter(\.unread).map(\.text) == ["Ann"], "the newest message is Ann's")
    }
}

enum ConversationScreens {
    static let list80x24 =
        """
         demo@gmail-tui.example │ in:inbox │ conversations │ page 1 │ 1-5 of ~1,234
        ● 09:05       山田太郎, me, Bob 3   Lunch on Friday? 🍜 ランチ — Sounds good, s…
         ★Nov 3       山田太郎, 佐藤 2      📎 [旅行 ✈️] 京都の写真 📷 — 写真はこちらで…
        ● Mar 15      Party Bot 🎉          🎂 Birthday party 🎈 on Friday 👨‍👩‍👧 — Bring  …
          2025-12-31  Ann .. Party, 佐藤 6  Plans for the trip — Everyone agrees
                      me 2                  Notes to self — remember the milk

















         j/k move · Enter open · n/p page · / search · r sync · ? help · q quit
        """

    static let list120x12 =
        """
         demo@gmail-tui.example │ in:inbox │ conversations │ page 1 │ 1-5 of ~1,234
        ● 09:05       山田太郎, me, Bob 3       Lunch on Friday? 🍜 ランチ — Sounds good, see you at noon
         ★Nov 3       山田太郎, 佐藤 2          📎 [旅行 ✈️] 京都の写真 📷 — 写真はこちらです 🎉
        ● Mar 15      Party Bot 🎉              🎂 Birthday party 🎈 on Friday 👨‍👩‍👧 — Bring 🍰 and 🎁
          2025-12-31  Ann .. Party, 佐藤 6      Plans for the trip — Everyone agrees
                      me 2                      Notes to self — remember the milk





         j/k move · Enter open · n/p page · / search · r sync · ? help · q quit
        """

    static let view80x24 =
        """
         Lunch on Friday? 🍜 ランチ · 3 messages
          山田太郎              Nov 20      Shall we have lunch on Friday? 🍜
          me                    Nov 20      Yes! Where?
        ────────────────────────────────────────────────────────────────────────────────
        From: Bob Jones <bob@example.com>
        To: Ann Smith <ann@example.com>, Demo User <demo@gmail-tui.example>
        Cc: 山田太郎 <taro@example.jp>
        Date: Sat 21 Nov 2026 09:05 +0000

        The ramen place on 3rd street, 拉麺 is great.
        See https://example.com/ramen
        > Yes! Where?

        📎 菜单 menu.pdf (47.1 KB)









         q back · n/p message · Enter expand/collapse · j/k scroll · All
        """

    static let view120x30 =
        """
         Lunch on Friday? 🍜 ランチ · 3 messages
        From: 山田太郎 <taro@example.jp>
        To: Demo User <demo@gmail-tui.example>
        Date: Fri 20 Nov 2026 09:00 +0000

        Shall we have lunch on Friday? 🍜

        > earlier quoted text
        ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
        From: Demo User <demo@gmail-tui.example>
        To: Ann Smith <ann@example.com>, Bob Jones <bob@example.com>
        Date: Fri 20 Nov 2026 10:30 +0000

        Yes! Where?
        ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
        From: Bob Jones <bob@example.com>
        To: Ann Smith <ann@example.com>, Demo User <demo@gmail-tui.example>
        Cc: 山田太郎 <taro@example.jp>
        Date: Sat 21 Nov 2026 09:05 +0000

        The ramen place on 3rd street, 拉麺 is great.
        See https://example.com/ramen
        > Yes! Where?

        📎 菜单 menu.pdf (47.1 KB)




         q back · n/p message · Enter expand/collapse · j/k scroll · All
        """
}
