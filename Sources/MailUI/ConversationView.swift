import Foundation
import MailModels
import TerminalCells

/// The conversation view: which conversation, its messages once loaded, which are expanded, the cursor message
/// and the scroll position.
public struct ConversationViewState: Sendable, Equatable {
    /// The thread id.
    public var id: String
    /// Its row on the list's page when it opened.
    public var index: Int
    /// True when it opens at its last message (`p` from the conversation after it).
    public var atEnd: Bool
    /// Set by `.conversationLoaded`.
    public internal(set) var conversation: Conversation?
    /// The messages shown whole; the others are one line (sender, date, snippet).
    public internal(set) var expanded: Set<String> = []
    /// The message `n`/`p` move between and `Enter`, `H`, `v` act on.
    public internal(set) var cursor = 0
    public internal(set) var scroll = 0
    /// The first row of each message, and the rows in all, at the current width: worked out when the text,
    /// the width or what is expanded changes, so that scrolling does not wrap every message again.
    public internal(set) var starts: [Int] = []
    public internal(set) var lineCount = 0
    /// The messages showing every header (`H`).
    public internal(set) var allHeaders: Set<String> = []
    public var error: String?
    public var notice: String?

    public init(id: String, index: Int, atEnd: Bool = false) { self.id = id; self.index = index; self.atEnd = atEnd }

    /// Shows `c` as Gmail does: the unread messages and the last one expanded, the cursor on the first unread.
    mutating func show(_ c: Conversation) {
        conversation = c
        let last = c.messages.last?.id
        expanded = Set(c.messages.filter { $0.isUnread || $0.id == last }.map(\.id))
        let end = max(0, c.messages.count - 1)
        cursor = atEnd ? end : (c.messages.firstIndex(where: \.isUnread) ?? end)
    }

    /// The message under the cursor, once loaded.
    public var cursorMessage: MessageDetail? {
        guard let messages = conversation?.messages, messages.indices.contains(cursor) else { return nil }
        return messages[cursor]
    }

    /// The message the row `line` belongs to.
    func message(atLine line: Int) -> Int { max(0, (starts.lastIndex { $0 <= line }) ?? 0) }

    /// Brings the cursor message into view: an expanded one to the top, so that as much of it as fits shows.
    mutating func scrollToCursor(rows: Int) {
        guard starts.indices.contains(cursor) else { return }
        let start = starts[cursor]
        let expandedCursor = cursorMessage.map { expanded.contains($0.id) } ?? false
        if start < scroll || start >= scroll + rows || (expandedCursor && start > 0 && start != scroll) { scroll = start }
    }
}

// The keys of the conversation view.
extension BrowserState {
    /// True while the conversation showing has not arrived (the spinner turns).
    var conversationLoading: Bool {
        screen == .conversation && conversation?.conversation == nil && conversation?.error == nil
    }

    mutating func conversationKey(_ key: Key) -> [BrowserEffect] {
        guard var v = conversation else { pop(); return [] }
        v.notice = nil
        let page = messageRows
        var scrolled = true
        switch key {
        case .character("q"), .escape:
            return closeConversation()
        case .character("j"), .down: v.scroll += 1
        case .character("k"), .up: v.scroll -= 1
        case .character(" "), .pageDown: v.scroll += page
        case .pageUp, .character("b"): v.scroll -= page
        case .control("d"): v.scroll += max(1, page / 2)
        case .control("u"): v.scroll -= max(1, page / 2)
        case .character("g"), .home: v.scroll = 0
        case .character("G"), .end: v.scroll = Int.max / 2
        case .control("z"): return [.suspend]
        case .character("n"), .character("p"):
            conversation = v
            return conversationStep(forward: key == .character("n"))
        case .enter:
            guard let m = v.cursorMessage else { return [] }
            if v.expanded.remove(m.id) == nil { v.expanded.insert(m.id) }
            conversation = v
            clampConversation(relayout: true)
            scrollConversationToCursor()
            return []
        case .character("H"):
            guard let m = v.cursorMessage else { v.notice = "The conversation is still loading"; break }
            if v.allHeaders.remove(m.id) == nil { v.allHeaders.insert(m.id) }
            v.expanded.insert(m.id)
            if m.headers.isEmpty { v.notice = "No other headers were fetched for this message" }
            conversation = v
            clampConversation(relayout: true)
            return []
        case .character("v"):
            conversation = v
            return openConversationAttachments()
        case .character("r"):
            guard v.error != nil else { scrolled = false; break }
            v.error = nil
            conversation = v
            return [.fetchConversation(id: v.id)]
        case .character("?"):
            showingHelp = true
            scrolled = false
        default:
            conversation = v
            unboundKey(key)
            return []
        }
        conversation = v
        clampConversation()
        if scrolled { cursorFollowsScroll() }
        return []
    }

    /// After scrolling, a cursor message gone out of view gives way to the message at the top row.
    mutating func cursorFollowsScroll() {
        guard var v = conversation, v.conversation != nil, v.starts.indices.contains(v.cursor) else { return }
        let start = v.starts[v.cursor]
        let end = v.cursor + 1 < v.starts.count ? v.starts[v.cursor + 1] : v.lineCount
        if end <= v.scroll || start >= v.scroll + messageRows { v.cursor = v.message(atLine: v.scroll) }
        conversation = v
    }

    /// `n`/`p`: the next or previous message; past the conversation's ends, the next or previous conversation
    /// on the list, going on across pages as the message view does.
    mutating func conversationStep(forward: Bool) -> [BrowserEffect] {
        guard var v = conversation else { return [] }
        let count = v.conversation?.messages.count ?? 0
        let target = v.cursor + (forward ? 1 : -1)
        if v.conversation != nil, target >= 0, target < count {
            v.cursor = target
            conversation = v
            scrollConversationToCursor()
            return []
        }
        let rows = list.page?.messages ?? []
        let at = rows.firstIndex { $0.id == v.id } ?? v.index
        let next = at + (forward ? 1 : -1)
        if rows.indices.contains(next) { return openConversation(at: next, atEnd: !forward) }
        if let effects = continuousMessageStep(forward: forward) {
            if !effects.isEmpty { conversation?.notice = forward ? "Loading the next page…" : "Loading the previous page…" }
            return effects
        }
        conversation?.notice = forward ? "This is the last conversation" : "This is the first conversation"
        return []
    }

    /// `q`/`Esc`: back to the list, on the same conversation.
    mutating func closeConversation() -> [BrowserEffect] {
        if let id = conversation?.id, let at = list.page?.messages.firstIndex(where: { $0.id == id }) { list.selection = at }
        conversation = nil
        message = nil
        pop()
        clampList()
        return []
    }

    /// `v`: the attachment list of the cursor message (the message view's, shown for that message).
    mutating func openConversationAttachments() -> [BrowserEffect] {
        guard let v = conversation, let m = v.cursorMessage else {
            conversation?.notice = "The conversation is still loading"
            return []
        }
        guard !m.attachments.isEmpty else { conversation?.notice = "This message has no attachments"; return [] }
        var shown = MessageViewState(id: m.id, index: v.index)
        shown.detail = m
        message = shown
        attachmentList = AttachmentListState()
        push(.attachments)
        return []
    }

    mutating func scrollConversationToCursor() {
        let rows = messageRows
        conversation?.scrollToCursor(rows: rows)
        clampConversation()
    }

    /// Keeps the scroll within the conversation's rows; `relayout` works the rows out again first.
    mutating func clampConversation(relayout: Bool = false) {
        guard var v = conversation else { return }
        if relayout {
            let doc = ConversationDocument.rows(v, width: cols, state: self)
            v.starts = doc.starts
            v.lineCount = doc.rows.count
        }
        v.scroll = max(0, min(v.scroll, v.lineCount - messageRows))
        conversation = v
    }
}
