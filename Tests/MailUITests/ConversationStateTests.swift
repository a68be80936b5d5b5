import Foundation
import Testing
import MailModels
@testable import MailUI
@testable import TerminalCells

/// `t` and the conversation list as a state machine: paging, sync, prefetch, stale answers, errors.
@Suite struct ConversationListStateTests {
    static func key(_ c: Character) -> BrowserEvent { .key(.character(c)) }
    static func ids(_ s: BrowserState) -> [String] { s.list.page?.messages.map(\.id) ?? [] }

    @Test func tSwitchesToConversationsOfTheSameQueryAndBack() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 3))
        #expect(s.update(Self.key("t")) == [.fetchConversationPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.list.conversations != nil)
        #expect(s.list.page == nil, "message rows never show as conversations")
        let effects = s.update(.conversationPageLoaded(Fixture.conversationPage))
        #expect(effects.contains(.prefetchConversationPage(query: "in:inbox", pageToken: "tok2", pageSize: 50)))
        #expect(Self.ids(s) == ["c1", "c2", "c3", "c4", "c5"])
        #expect(s.list.page?.messages[0].isUnread == true)
        #expect(s.list.page?.messages[1].isStarred == true)
        #expect(s.list.page?.messages[1].hasAttachment == true)
        #expect(s.update(Self.key("t")) == [.fetchPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.list.conversations == nil)
        _ = s.update(.pageLoaded(Fixture.page(query: "in:inbox", count: 3)))
        #expect(Self.ids(s) == ["m1", "m2", "m3"])
    }

    @Test func tStaysOnTheSameConversation() {
        // Messages of three threads; the selection on c2's newest message.
        var messages = Fixture.page(query: "in:inbox", count: 4)
        for (i, thread) in ["c1", "c2", "c2", "c3"].enumerated() { messages.messages[i].threadID = thread }
        var s = Fixture.loaded(messages)
        _ = s.update(Self.key("j"))
        _ = s.update(Self.key("t"))
        _ = s.update(.conversationPageLoaded(Fixture.conversationPage))
        #expect(Fixture.selectedID(s) == "c2", "the conversation of the message the selection was on")
        // Back to messages: the thread's newest message, the first of its rows.
        _ = s.update(Self.key("j"))   // c3
        _ = s.update(Self.key("t"))
        _ = s.update(.pageLoaded(messages))
        #expect(Fixture.selectedID(s) == "m4")
        // A conversation the first page does not hold: the first row.
        _ = s.update(Self.key("t"))
        var other = Fixture.conversationPage2
        other.pageToken = nil
        _ = s.update(.conversationPageLoaded(other))
        #expect(Fixture.selectedID(s) == "d1")
    }

    @Test func staleAnswersAreDropped() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 3))
        _ = s.update(.key(.character("n")))   // a message page still on its way when t is pressed
        _ = s.update(Self.key("t"))
        #expect(s.update(.pageLoaded(Fixture.page(query: "in:inbox", count: 2))) == [])
        #expect(s.list.page == nil)
        var other = Fixture.conversationPage
        other.query = "is:starred"
        #expect(s.update(.conversationPageLoaded(other)) == [])
        #expect(s.update(.conversationPageLoaded(Fixture.conversationPage2)) == [], "another token")
        #expect(s.list.page == nil)
        _ = s.update(.conversationPageLoaded(Fixture.conversationPage))
        #expect(Self.ids(s).first == "c1")
        // Back to messages: a late conversation page is not shown as messages.
        _ = s.update(Self.key("t"))
        #expect(s.update(.conversationPageLoaded(Fixture.conversationPage)) == [])
        #expect(s.list.page == nil)
    }

    @Test func nAndPPageAndJGoesOnAcrossPages() {
        var s = Fixture.conversations()
        #expect(s.update(Self.key("n")) == [.fetchConversationPage(query: "in:inbox", pageToken: "tok2", pageSize: 50)])
        _ = s.update(.conversationPageLoaded(Fixture.conversationPage2))
        #expect(s.list.pageNumber == 2)
        #expect(s.update(Self.key("p")) == [.fetchConversationPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        _ = s.update(.conversationPageLoaded(Fixture.conversationPage))
        _ = s.update(Self.key("G"))
        #expect(s.update(Self.key("j")) == [.fetchConversationPage(query: "in:inbox", pageToken: "tok2", pageSize: 50)])
        let effects = s.update(.conversationPageLoaded(Fixture.conversationPage2))
        #expect(effects.contains(.prefetchConversationPage(query: "in:inbox", pageToken: "tok3", pageSize: 50)))
        #expect(Fixture.selectedID(s) == "d1")
        #expect(s.update(Self.key("k")) == [.fetchConversationPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        _ = s.update(.conversationPageLoaded(Fixture.conversationPage))
        #expect(Fixture.selectedID(s) == "c5")
    }

    @Test func aSearchListsConversations() {
        var s = Fixture.conversations()
        _ = s.update(Self.key("/"))
        _ = s.update(.key(.control("u")))
        s.type("from:ann")
        let effects = s.update(.key(.enter))
        #expect(effects.first == .fetchConversationPage(query: "from:ann", pageToken: nil, pageSize: 50))
    }

    @Test func rAndThePeriodicSyncListConversations() {
        var s = Fixture.conversations()
        #expect(s.update(Self.key("r")) == [.syncConversations(query: "in:inbox", pageToken: nil, pageSize: 50)])
        // A message sync's answer for the same query is not this list's.
        #expect(s.update(.synced(SyncResult(page: Fixture.page(query: "in:inbox", count: 2)))) == [])
        #expect(Self.ids(s).count == 5)
        var page = Fixture.conversationPage
        let fresh = Fixture.conversation("c0", senders: [Fixture.hanako], subject: "新しい", unread: 1, date: Fixture.now)
        page.conversations.insert(fresh, at: 0)
        _ = s.update(.key(.down))
        _ = s.update(.conversationsSynced(ConversationSyncResult(page: page, newMessageIDs: ["c0m1", "elsewhere"])))
        #expect(Self.ids(s).first == "c0")
        #expect(Fixture.selectedID(s) == "c2", "the selection stays on the same conversation")
        #expect(s.list.notice == "1 new message")
        // The next one comes by itself, a minute later.
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(61))) == [.syncConversations(query: "in:inbox", pageToken: nil, pageSize: 50)])
    }

    @Test func aConversationSyncBringsGmailsLabelCounts() {
        var s = Fixture.conversations()
        _ = s.update(Self.key("r"))
        let counts = [LabelSummary(id: "INBOX", name: "INBOX", isSystem: true, messagesTotal: 10, messagesUnread: 3)]
        _ = s.update(.conversationsSynced(ConversationSyncResult(page: Fixture.conversationPage, labels: counts)))
        #expect(s.labels.all?.first { $0.id == "INBOX" }?.messagesUnread == 3)
    }

    @Test func aSyncOfAnotherQueryOrOfTheMessagesIsDropped() {
        var s = Fixture.conversations()
        _ = s.update(Self.key("r"))
        var other = Fixture.conversationPage
        other.query = "is:starred"
        other.conversations = [Fixture.conversation("x1", senders: [Fixture.ann], subject: "Elsewhere")]
        #expect(s.update(.conversationsSynced(ConversationSyncResult(page: other))) == [])
        #expect(Self.ids(s).first == "c1")
        #expect(s.sync.pending != nil, "still waiting for this list's answer")
        // Switched back to messages while it ran: its answer is not shown as messages.
        _ = s.update(Self.key("t"))
        _ = s.update(.pageLoaded(Fixture.page(query: "in:inbox", count: 3)))
        #expect(s.update(.conversationsSynced(ConversationSyncResult(page: Fixture.conversationPage))) == [])
        #expect(Self.ids(s) == ["m1", "m2", "m3"])
    }

    @Test func aFailedSyncIsRetriedAsConversations() {
        var s = Fixture.conversations()
        _ = s.update(Self.key("r"))
        _ = s.update(.syncFailed(query: "in:inbox", pageToken: nil, error: .network("no route to host")))
        #expect(s.list.error?.contains("r to retry") == true)
        #expect(s.render().lines()[0].contains("offline"))
        #expect(s.update(.clock(Fixture.now.addingTimeInterval(6))) == [.syncConversations(query: "in:inbox", pageToken: nil, pageSize: 50)])
    }

    @Test func theRestingSelectionPrefetchesItsConversation() {
        var s = Fixture.conversations()
        _ = s.update(.key(.down))
        _ = s.update(.clock(Fixture.now.addingTimeInterval(0.5)))
        #expect(s.update(.tick) == [.prefetchConversation(id: "c2")])
        #expect(s.update(.tick) == [], "once")
    }

    @Test func failuresShowInTheStatusLine() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 3))
        _ = s.update(Self.key("t"))
        #expect(s.update(.conversationPageFailed(query: "in:inbox", pageToken: "other", error: .network("x"))) == [])
        #expect(s.list.error == nil)
        _ = s.update(.conversationPageFailed(query: "in:inbox", pageToken: nil, error: .network("no route to host")))
        #expect(s.list.error == "Offline, not stored: no route to host (r to retry)")
        #expect(s.render().lines()[22].hasPrefix("Offline, not stored"))
        var again = Fixture.loaded(Fixture.page(query: "in:inbox", count: 3))
        _ = again.update(Self.key("t"))
        let effects = again.update(.conversationPageFailed(query: "in:inbox", pageToken: nil,
                                                           error: .reauthorizationRequired(email: Fixture.account, reason: .grantRevoked)))
        #expect(effects == [.startAuthorization(loginHint: Fixture.account)])
        #expect(again.pendingRetries == [.fetchConversationPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
    }

    @Test func aStoredPageSaysHowFreshItIs() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 3))
        _ = s.update(Self.key("t"))
        var stored = Fixture.conversationPage
        stored.storedAt = Fixture.now.addingTimeInterval(-300)
        _ = s.update(.conversationPageLoaded(stored))
        let header = s.render().lines()[0]
        #expect(header.contains("threads"), "at 80 columns the kind of list is said in fewer columns")
        #expect(header.contains("offline, synced 5 min ago"))
        let wide = render(s, cols: 120, rows: 24).lines()[0]
        #expect(wide == " demo@gmail-tui.example │ in:inbox │ conversations │ page 1 │ 1-5 of ~1,234 │ offline, synced 5 min ago")
    }

    @Test func anEmptyResultSaysSo() {
        var s = Fixture.loaded(Fixture.page(query: "in:inbox", count: 3))
        _ = s.update(Self.key("t"))
        _ = s.update(.conversationPageLoaded(ConversationPage(query: "in:inbox", pageToken: nil, conversations: [],
                                                              nextPageToken: nil, resultSizeEstimate: 0)))
        let lines = s.render().lines()
        #expect(lines[2].contains("No conversations match in:inbox"))
        #expect(lines[0].contains("no conversations"))
    }
}

/// Triage on the conversation list: whole threads, `target: .conversations`, rolled back when refused.
@Suite struct ConversationTriageTests {
    static func key(_ c: Character) -> BrowserEvent { .key(.character(c)) }
    static func row(_ s: BrowserState, _ id: String) -> MessageSummary? { s.list.page?.messages.first { $0.id == id } }

    @Test func archiveActsOnTheWholeThreadAndRollsBack() {
        var s = Fixture.conversations()
        _ = s.update(.key(.down))
        let change = MailChange(serial: 1, action: .archive, ids: ["c2"], target: .conversations)
        #expect(s.update(Self.key("e")) == [.changeMail(change)])
        #expect(ConversationListStateTests.ids(s) == ["c1", "c3", "c4", "c5"])
        #expect(s.list.notice == "Archived 1 · z undo")
        _ = s.update(.mailChangeFailed(change, .network("offline")))
        #expect(ConversationListStateTests.ids(s) == ["c1", "c2", "c3", "c4", "c5"])
        #expect(s.list.error?.hasPrefix("Not done (Archived 1)") == true)
    }

    @Test func everyKeySendsThreads() {
        var s = Fixture.conversations()
        func sent(_ effects: [BrowserEffect]) -> MailChange? {
            if case .changeMail(let c) = effects.first { return c } else { return nil }
        }
        let read = sent(s.update(Self.key("I")))
        #expect(read?.action == .markRead && read?.ids == ["c1"] && read?.target == .conversations)
        #expect(Self.row(s, "c1")?.isUnread == false)
        let unread = sent(s.update(Self.key("U")))
        #expect(unread?.action == .markUnread && unread?.target == .conversations)
        #expect(Self.row(s, "c1")?.isUnread == true)
        _ = s.update(.key(.down))
        let star = sent(s.update(Self.key("s")))
        #expect(star?.action == .unstar && star?.ids == ["c2"] && star?.target == .conversations, "c2 is starred")
        let trash = sent(s.update(Self.key("#")))
        #expect(trash?.action == .trash && trash?.ids == ["c2"] && trash?.target == .conversations)
        if let trash { _ = s.update(.mailChanged(trash)) }
        let undo = sent(s.update(Self.key("z")))
        #expect(undo?.action == .untrash && undo?.ids == ["c2"] && undo?.target == .conversations)
        #expect(Self.row(s, "c2") != nil)
    }

    @Test func aSelectionActsOnEverySelectedThread() {
        var s = Fixture.conversations()
        _ = s.update(Self.key("x"))
        _ = s.update(Self.key("x"))
        #expect(s.update(Self.key("e")) == [.changeMail(MailChange(serial: 1, action: .archive, ids: ["c1", "c2"], target: .conversations))])
    }

    @Test func theLabelChecklistLabelsThreads() {
        var s = Fixture.conversations()
        _ = s.update(Self.key("l"))
        _ = s.update(.labelChoicesLoaded(Fixture.conversationLabels))
        _ = s.update(Self.key(" "))
        #expect(s.update(.key(.enter)) == [.changeMail(MailChange(serial: 1, action: .relabel(add: ["Label_1"], remove: []),
                                                                   ids: ["c1"], target: .conversations))])
    }

    @Test func tWaitsForAChangeOnItsWayAndForgetsTheSelection() {
        var s = Fixture.conversations()
        _ = s.update(Self.key("x"))
        _ = s.update(.key(.up))
        _ = s.update(Self.key("e"))
        #expect(s.update(Self.key("t")) == [])
        #expect(s.list.notice == "Still sending a change to Gmail; t again in a moment")
        _ = s.update(.mailChanged(MailChange(serial: 1, action: .archive, ids: ["c1"], target: .conversations)))
        _ = s.update(Self.key("x"))
        #expect(s.update(Self.key("t")) == [.fetchPage(query: "in:inbox", pageToken: nil, pageSize: 50)])
        #expect(s.triage.selected.isEmpty)
        _ = s.update(.pageLoaded(Fixture.page(query: "in:inbox", count: 3)))
        #expect(s.update(Self.key("z")) == [], "the last change was to threads, not these messages")
        #expect(s.update(Self.key("e")) == [.changeMail(MailChange(serial: 2, action: .archive, ids: ["m1"]))])
    }
}
