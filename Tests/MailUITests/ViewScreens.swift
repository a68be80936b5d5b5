/// Expected whole screens of the label list, the attachment list, row markers and message view extras.
enum ViewScreens {
    static let accounts80x24 =
        """
         Accounts · demo@gmail-tui.example
          Account                                                      Access
          a.very.long.address.that.does.not.fit.before.the.permission… read only
        * demo@gmail-tui.example                                       read only
          张伟@例子.中国                                               read and modify
          🦊fox@example.org                                            authorize again
















        * the account in use
         j/k move · Enter switch · + add an account · r refresh · q back
        """

    static let labels80x24 =
        """
         Labels · demo@gmail-tui.example
          Label                                                         Unread    Total
          Inbox                                                             37    1,234
          Starred                                                            1        9
          Sent                                                                      210
          Drafts                                                                      3
          Important                                                          5       88
          Spam                                                              41       41
          Trash                                                                      12
          Primary                                                           20      900
          Social                                                             2       60
          Promotions                                                       400      450
          Updates                                                           12      300
          Forums                                                             1        7
          A very long label name that goes on and on past where the…         1        1
          Receipts
          Work                                                               3       40
            Projects 🚀                                                              12
          家族
            旅行 ✈️                                                          5        5



         j/k move · Enter show the label · r refresh · q back
        """

    static let reply80x24 =
        """
         Re: 旅行の写真 📷
        From: 佐藤花子 <hanako@example.jp>
        To: demo@gmail-tui.example
        Date: Fri 20 Nov 2026 23:45 +0000
        Subject: Re: 旅行の写真 📷

        写真はこちらです 🎉:
        https://example.com/trips/2026/kyoto/photos?album=%E4%BA%AC%E9%83%BD&token=3f9a8
        b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a&view=grid#day-2 (two days)

        Short link: https://example.com/a

        On Fri, Ada wrote:
        > Could you send the photos?
        > > 京都 was lovely








         q back · n/p next/previous · j/k scroll · All
        """

    static let replyAllHeaders80x24 =
        """
         Re: 旅行の写真 📷
        Received: from mx.example.jp by mx.google.com; Fri, 20 Nov 2026 23:45:10 +0000
        From: 佐藤花子 <hanako@example.jp>
        To: demo@gmail-tui.example
        Subject: Re: 旅行の写真 📷
        Date: Sat, 21 Nov 2026 08:45:00 +0900
        Message-ID: <r1@example.jp>
        X-Mailer: 📮 Mailer 日本 2.0

        写真はこちらです 🎉:
        https://example.com/trips/2026/kyoto/photos?album=%E4%BA%AC%E9%83%BD&token=3f9a8
        b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a&view=grid#day-2 (two days)

        Short link: https://example.com/a

        On Fri, Ada wrote:
        > Could you send the photos?
        > > 京都 was lovely





         q back · n/p next/previous · j/k scroll · All
        """

    static let attachments80x24 =
        """
         Attachments · 会議の議事録について
         #   Name                                        Type                      Size
          1  議事録.pdf                                  application/pdf        12.3 KB
          2  photo 🎉.jpg                                image/jpeg              2.3 MB
          3  a-very-long-file-name-for-the-quarterly-re… application/vnd.ope…     512 B


















         Enter open · s save to Downloads · 1-9 pick · q back
        """

    static let markedList80x24 =
        """
         demo@gmail-tui.example │ in:inbox │ page 1 │ 1-6 of ~1,234
        ●★09:05       Ada Lovelace          [Work] Notes on the Analytical Engine — The…
        ● Nov 3       山田太郎              📎 [旅行 ✈️] [Projects 🚀] 会議の議事録につ…
         ★Mar 15      Party Bot 🎉          📎 🎂 Birthday party 🎈 on Friday 👨‍👩‍👧 — Brin…
          2025-12-31  דוד כהן               שלום עולם: פגישה מחר — מה שלומך? נתראה מחר
          2024-03-15  Bartholomew Maximil…  Invoice 2024-03 final — Please find␇attached
        ●             Zoë Ångström          Café au lait
















         j/k move · Enter open · n/p page · / search · r sync · ? help · q quit
        """
}
