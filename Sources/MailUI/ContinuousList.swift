import Foundation
import MailModels
import TerminalCells

/// Where the selection goes when a requested page arrives.
public enum PageLanding: Sendable, Equatable {
    /// The first row (a new query, `n`, `j` past the last row).
    case top
    /// The last row (`k` on the first row of a later page).
    case bottom
    /// The first row, and its message opens (`n` on a page's last message in the message view).
    case openFirst
    /// The last row, and its message opens (`p` on a page's first message).
    case openLast
    /// The row of this id when the page holds it (a message or a conversation), else the row of the thread
    /// of that id (its newest message, or its conversation), else the first row: `t` and a switch back to
    /// an account keep the user on the same message or conversation.
    case thread(String)
}

// The list as one continuous index: pages join at their edges.
extension BrowserState {
    /// Shows the page `request` asked for (of messages, or of conversations as rows), lands the selection,
    /// and prefetches the next page.
    mutating func showArrivedPage(_ page: MessagePage, request p: PageRequest) -> [BrowserEffect] {
        list.pending = nil
        // A different page starts at its top; a reload keeps the selection where it can.
        if list.page?.query != page.query || list.pageTokens != p.tokens {
            list.selection = 0; list.scroll = 0
        }
        list.page = page
        list.pageTokens = p.tokens
        list.error = nil
        notePageArrived(page)
        clampList()
        list.selectionMovedAt = now
        let landed = land(p) + labelsForTags(page)
        // While this page is read, the next one is fetched, so that `n` is answered from memory.
        guard let next = page.nextPageToken else { return landed }
        return landed + [p.conversations ? .prefetchConversationPage(query: page.query, pageToken: next, pageSize: pageSize)
                                         : .prefetchPage(query: page.query, pageToken: next, pageSize: pageSize)]
    }

    /// The page `p` asked for could not be fetched.
    mutating func pageRequestFailed(_ p: PageRequest, error: MailServiceError) -> [BrowserEffect] {
        list.pending = nil
        if case .reauthorizationRequired(let email, let reason) = error {
            list.pending = p
            remember(p.effect(pageSize: pageSize))
            return needAuthorization(email: email, reason: reason)
        }
        noteFetchFailed(error)
        list.error = Self.describePageFailure(error, query: p.query)
        return []
    }

    /// `j` on a page's last row asks for the next page, `k` on the first row of a later page for the previous
    /// one; nil for any other key or position (the key moves within the page as usual).
    mutating func continuousListKey(_ key: Key) -> [BrowserEffect]? {
        guard let page = list.page, list.pending == nil else { return nil }
        switch key {
        case .character("j"), .down:
            guard list.selection >= page.messages.count - 1, let next = page.nextPageToken else { return nil }
            return [request(PageRequest(query: list.query, tokens: list.pageTokens + [next]))]
        case .character("k"), .up:
            guard list.selection <= 0, list.pageTokens.count > 1 else { return nil }
            return [request(PageRequest(query: list.query, tokens: Array(list.pageTokens.dropLast()), landing: .bottom))]
        default:
            return nil
        }
    }

    /// `n`/`p` in the message view past the page's edge: the neighbouring page is asked for, and its first
    /// (or last) message opens when it arrives. Nil when there is no such page.
    mutating func continuousMessageStep(forward: Bool) -> [BrowserEffect]? {
        guard let page = list.page else { return nil }
        if let pending = list.pending {
            // Already on its way: the second press waits for the same page.
            return pending.landing == (forward ? .openFirst : .openLast) ? [] : nil
        }
        if forward {
            guard let next = page.nextPageToken else { return nil }
            message?.notice = "Loading the next page…"
            return [request(PageRequest(query: list.query, tokens: list.pageTokens + [next], landing: .openFirst))]
        }
        guard list.pageTokens.count > 1 else { return nil }
        message?.notice = "Loading the previous page…"
        return [request(PageRequest(query: list.query, tokens: Array(list.pageTokens.dropLast()), landing: .openLast))]
    }

    /// Puts the selection where `request` wanted it on the page that just arrived, and opens that message
    /// when the message view asked for it (its fetch is the effect returned).
    mutating func land(_ request: PageRequest) -> [BrowserEffect] {
        let messages = list.page?.messages ?? []
        switch request.landing {
        case .top: return []
        case .thread(let id):
            if let index = messages.firstIndex(where: { $0.id == id }) ?? messages.firstIndex(where: { $0.threadID == id }) {
                list.selection = index
                clampList()
            }
            return []
        case .bottom:
            list.selection = messages.count - 1
            clampList()
            return []
        case .openFirst, .openLast:
            if screen == .conversation { return landConversation(request.landing) }
            guard screen == .message, !messages.isEmpty else { message?.notice = nil; return [] }
            let index = request.landing == .openFirst ? 0 : messages.count - 1
            list.selection = index
            clampList()
            message = MessageViewState(id: messages[index].id, index: index)
            return [.fetchMessage(id: messages[index].id)]
        }
    }
}
