import Foundation
import MailModels
import TerminalCells

/// The conversation list's own facts (`t`): what each row's conversation is beyond what a row holds.
///
/// A page of conversations is shown as a `MessagePage` whose rows stand for threads (id = thread id, labels =
/// the union of the messages', unread when any message is): moving, paging, the continuous list, sync and the
/// triage keys then work on conversations as they do on messages, and this keeps the senders and counts.
public struct ConversationRows: Sendable, Equatable {
    /// Conversations by thread id, as last listed (rows taken back by an undo still find theirs).
    public internal(set) var byID: [String: ConversationSummary] = [:]
    public init() {}

    mutating func remember(_ conversations: [ConversationSummary]) {
        for c in conversations { byID[c.id] = c }
    }

    /// A conversation as a list row.
    static func row(_ c: ConversationSummary) -> MessageSummary {
        // The row is unread exactly when `UNREAD` is among its labels: triage's transforms read it there.
        var labels = c.labelIDs.filter { $0 != "UNREAD" }
        if c.isUnread { labels.append("UNREAD") }
        return MessageSummary(id: c.id, threadID: c.id, from: c.senders.last ?? MailAddress(name: nil, email: ""),
                              subject: c.subject, date: c.date, snippet: c.snippet, isUnread: c.isUnread,
                              labelIDs: labels, hasAttachment: c.hasAttachment)
    }

    /// A page of conversations as the list's page.
    static func page(_ p: ConversationPage) -> MessagePage {
        MessagePage(query: p.query, pageToken: p.pageToken, messages: p.conversations.map(row),
                    nextPageToken: p.nextPageToken, resultSizeEstimate: p.resultSizeEstimate, storedAt: p.storedAt)
    }
}

// `t`, `Enter` on a conversation, and the answers to the conversation effects.
extension BrowserState {
    /// What changes of mail apply to: whole threads on the conversation list and in the conversation view.
    var changeTarget: ChangeTarget {
        screen == .conversation || (list.conversations != nil && screen == .list) ? .conversations : .messages
    }

    /// The silent prefetch of a row the selection rests on: its message, or its whole conversation.
    func prefetchRow(_ id: String) -> BrowserEffect {
        list.conversations != nil ? .prefetchConversation(id: id) : .prefetchMessage(id: id)
    }

    /// The list's keys that differ with conversations: `t`, and `Enter` on a conversation. Nil for the others.
    mutating func conversationListKey(_ key: Key) -> [BrowserEffect]? {
        switch key {
        case .character("t"):
            return toggleConversations()
        case .enter where list.conversations != nil:
            guard let rows = list.page?.messages, rows.indices.contains(list.selection) else { return [] }
            return openConversation(at: list.selection, atEnd: false)
        default:
            return nil
        }
    }

    /// `t`: the same query as conversations, or as messages again, from its first page.
    mutating func toggleConversations() -> [BrowserEffect] {
        // A change still on its way is rolled back on the rows it was made on: those rows must stay.
        if triage.inFlight.contains(where: { !$0.waiting.isEmpty }) {
            list.notice = "Still sending a change to Gmail; t again in a moment"
            return []
        }
        let rows = list.page?.messages ?? []
        let thread = rows.indices.contains(list.selection) ? rows[list.selection].threadID : nil
        list.conversations = list.conversations == nil ? ConversationRows() : nil
        // Selected rows and the last change name messages or threads: neither means anything in the other list.
        triage.selected = []
        triage.undo = nil
        list.page = nil
        list.pageTokens = [nil]
        list.selection = 0; list.scroll = 0
        list.selectionMovedAt = nil
        // A sync of the other list still out is answered for a list no longer shown.
        sync.pending = nil
        sync.userAsked = false
        var first = PageRequest(query: list.query, tokens: [nil])
        if let thread { first.landing = .thread(thread) }
        return [request(first)]
    }

    /// Opens the conversation of row `index`: at its first unread message, or at its last (`p` from the next one).
    mutating func openConversation(at index: Int, atEnd: Bool) -> [BrowserEffect] {
        guard let rows = list.page?.messages, rows.indices.contains(index) else { return [] }
        list.selection = index
        clampList()
        message = nil
        conversation = ConversationViewState(id: rows[index].id, index: index, atEnd: atEnd)
        push(.conversation)
        return [.fetchConversation(id: rows[index].id)]
    }

    /// `n`/`p` on a conversation's last (or first) message asked for the neighbouring page: open its first
    /// (or last) conversation.
    mutating func landConversation(_ landing: PageLanding) -> [BrowserEffect] {
        let count = list.page?.messages.count ?? 0
        guard count > 0 else { conversation?.notice = nil; return [] }
        return openConversation(at: landing == .openFirst ? 0 : count - 1, atEnd: landing == .openLast)
    }

    /// Folds in the answers to the conversation effects.
    mutating func conversationEvent(_ event: BrowserEvent) -> [BrowserEffect] {
        switch event {
        case .conversationPageLoaded(let page):
            guard let p = list.pending, p.conversations, list.conversations != nil,
                  p.query == page.query, p.token == page.pageToken else { return [] }
            list.conversations?.remember(page.conversations)
            return showArrivedPage(ConversationRows.page(page), request: p)
        case .conversationPageFailed(let query, let token, let error):
            guard let p = list.pending, p.conversations, p.query == query, p.token == token else { return [] }
            return pageRequestFailed(p, error: error)
        case .conversationLoaded(let loaded):
            return conversationArrived(loaded)
        case .conversationFailed(let id, let error):
            guard conversation?.id == id, conversation?.conversation == nil else { return [] }
            if case .reauthorizationRequired(let email, let reason) = error {
                remember(.fetchConversation(id: id))
                return needAuthorization(email: email, reason: reason)
            }
            noteFetchFailed(error)
            conversation?.error = Self.describeConversationFailure(error)
            return []
        case .conversationsSynced(let result):
            return conversationsSynced(result)
        default:
            return []
        }
    }

    mutating func conversationArrived(_ loaded: Conversation) -> [BrowserEffect] {
        guard screens.contains(.conversation), var v = conversation, v.id == loaded.id else { return [] }
        v.show(loaded)
        v.error = nil
        conversation = v
        clampConversation(relayout: true)
        scrollConversationToCursor()
        var effects: [BrowserEffect] = []
        if triage.canModify, triage.markReadOnOpen, loaded.messages.contains(where: \.isUnread) {
            // Quietly, as a message opening does: no confirmation, no undo; rolled back if Gmail refuses.
            let change = MailChange(serial: triage.nextSerial, action: .markRead, ids: [loaded.id], target: .conversations)
            triage.nextSerial += 1
            _ = show([change], transform: .apply(.markRead, [loaded.id]), confirmation: "", undoable: false)
            effects.append(.changeMail(change))
        }
        // `n` on its last message opens the next conversation: fetch it while this one is read.
        let rows = list.page?.messages ?? []
        if let at = rows.firstIndex(where: { $0.id == loaded.id }), at + 1 < rows.count {
            effects.append(.prefetchConversation(id: rows[at + 1].id))
        }
        return effects
    }

    mutating func conversationsSynced(_ result: ConversationSyncResult) -> [BrowserEffect] {
        let key = SyncKey(query: result.page.query, pageToken: result.page.pageToken, conversations: true)
        guard sync.pending == key else { return [] }
        let shown = key == shownKey && list.conversations != nil
        let known = Set((list.page?.messages ?? []).flatMap { list.conversations?.byID[$0.id]?.messageIDs ?? [] })
        if shown { list.conversations?.remember(result.page.conversations) }
        let effects = synced(SyncResult(page: ConversationRows.page(result.page), resynced: result.resynced, labels: result.labels), conversations: true)
        guard shown else { return effects }
        // New mail: messages of the listed conversations that the rows did not hold before.
        let listed = Set(result.page.conversations.flatMap(\.messageIDs))
        let arrived = Set(result.newMessageIDs.filter { listed.contains($0) && !known.contains($0) })
        if !arrived.isEmpty {
            let words = arrived.count == 1 ? "1 new message" : "\(arrived.count) new messages"
            list.notice = words
            if screen == .conversation { conversation?.notice = words }
        }
        return effects
    }

    /// Why a conversation could not be opened, in words: a network failure means it is not stored either.
    static func describeConversationFailure(_ error: MailServiceError) -> String {
        if case .network(let m) = error {
            return "Offline: this conversation is not stored on this computer, and Gmail cannot be reached: \(m) (r to retry, q back)"
        }
        return describe(error, retry: "r to retry, q back")
    }
}
