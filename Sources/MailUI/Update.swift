import Foundation
import MailModels
import TerminalCells

extension BrowserState {
    /// Folds `event` into the state and returns the effects to perform, in order.
    public mutating func update(_ event: BrowserEvent) -> [BrowserEffect] {
        switch event {
        case .key(let pressed):
            if pressed == .control("c") { return [.quit] }
            // Behind "Terminal too small" nothing shows, so nothing may act: only quitting works.
            if isTooSmall { return pressed == .character("q") ? [.quit] : [] }
            if showingHelp { showingHelp = false; return [] }
            let key: Key
            switch routeKey(pressed) {
            case .done(let effects): return effects
            case .key(let routed): key = routed
            }
            if let effects = triageKey(key) { return effects }
            switch screen {
            case .authorization: return authorizationKey(key)
            case .list: return listKey(key)
            case .message: return messageKey(key)
            case .labels: return labelListKey(key)
            case .attachments: return attachmentListKey(key)
            case .accounts: return accountListKey(key)
            case .conversation: return conversationKey(key)
            }
        case .paste(let text):
            if isTooSmall || showingHelp { return [] }
            if screen == .authorization, authorization?.exchanging == false {
                // In place: a copy of the field would copy its text on every paste.
                let fitted = authorization?.field.insert(text) ?? true
                authorization?.error = nil
                authorization?.notice = fitted ? nil : Self.fieldFull
            } else if screen == .list, list.editor != nil {
                let fitted = list.editor?.insert(text) ?? true
                list.notice = fitted ? nil : Self.fieldFull
            }
            return []
        case .resize(let c, let r):
            cols = max(0, c); rows = max(0, r)
            clampList()
            clampMessage(relayout: true)
            clampLabels()
            clampConversation(relayout: true)
            return []
        case .tick:
            spinnerFrame = (spinnerFrame + 1) % Spinner.frames.count
            return restedSelectionPrefetch()
        case .pageLoaded(let page):
            guard let p = list.pending, !p.conversations, p.query == page.query, p.token == page.pageToken else { return [] }
            return showArrivedPage(page, request: p)
        case .pageFailed(let query, let token, let error):
            guard let p = list.pending, !p.conversations, p.query == query, p.token == token else { return [] }
            return pageRequestFailed(p, error: error)
        case .messageLoaded(let detail):
            guard screen == .message || screens.contains(.message), message?.id == detail.id else { return [] }
            message?.detail = detail
            message?.error = nil
            clampMessage(relayout: true)
            let read = markOpenedRead(detail)
            // `n` in the message view opens the next message on the page: fetch it while this one is read.
            guard let index = message?.index, let messages = list.page?.messages, index + 1 < messages.count else { return read }
            return read + [.prefetchMessage(id: messages[index + 1].id)]
        case .messageFailed(let id, let error):
            guard message?.id == id, message?.detail == nil else { return [] }
            if case .reauthorizationRequired(let email, let reason) = error {
                remember(.fetchMessage(id: id))
                return needAuthorization(email: email, reason: reason)
            }
            noteFetchFailed(error)
            message?.error = Self.describeMessageFailure(error)
            return []
        case .synced(let result):
            return synced(result)
        case .syncFailed(let query, let token, let error):
            return syncFailed(query: query, pageToken: token, error: error)
        case .authorizationNeeded(let url, let email, let reason):
            var a = authorization ?? AuthorizationState()
            a.url = url
            if let email { a.email = email }
            if let reason { a.reason = reason }
            a.exchanging = false
            authorization = a
            push(.authorization)
            return []
        case .authorizationExchangeStarted:
            authorization?.exchanging = true
            authorization?.error = nil
            return []
        case .authorizationFailed(let message):
            authorization?.exchanging = false
            authorization?.error = message
            authorization?.field = TextField()
            return []
        case .browserLaunch(let launch):
            if screen == .authorization { authorization?.notice = Self.describe(launch) }
            return []
        case .copiedToClipboard(let route):
            if screen == .authorization { authorization?.notice = Self.describe(route) }
            return []
        case .waitNote(let note):
            waitNote = note
            return []
        case .clock(let date):
            now = date
            return dueSync()
        case .notice(let text):
            switch screen {
            case .authorization: authorization?.notice = text
            case .list: list.notice = text
            case .message: message?.notice = text
            case .labels: labels.notice = text
            case .attachments: attachmentList?.notice = text
            case .accounts: accounts.notice = text
            case .conversation: conversation?.notice = text
            }
            return []
        case .labelsLoaded, .labelsFailed:
            return labelsEvent(event)
        case .conversationPageLoaded, .conversationPageFailed, .conversationLoaded, .conversationFailed, .conversationsSynced:
            return conversationEvent(event)
        case .accountsLoaded, .accountsFailed, .accountSwitched, .accountSwitchFailed:
            return accountEvent(event)
        case .attachmentHandled(let outcome):
            return attachmentEvent(outcome)
        case .modifyPermission, .mailChanged, .mailChangeFailed, .labelChoicesLoaded, .labelChoicesFailed:
            return triageEvent(event) ?? []
        case .authorizationSucceeded(let email):
            if authorization?.addingAccount == true { return accountAdded(email: email) }
            account = email
            authorization = nil
            pop()
            var effects = pendingRetries
            pendingRetries = []
            if effects.isEmpty, list.page == nil {
                effects.append(list.pending.map { $0.effect(pageSize: pageSize) }
                               ?? request(PageRequest(query: list.query, tokens: [nil])))
            }
            return effects
        }
    }

    /// Shows the authorization screen for a lost grant and asks the caller for a URL.
    mutating func needAuthorization(email: String, reason: ReauthorizationReason) -> [BrowserEffect] {
        if screen == .authorization, authorization != nil { return [] }
        // A late failure of the account being left must not ask for its grant again.
        if accounts.returning, accounts.switching != nil { return [] }
        authorization = AuthorizationState(url: nil, email: email, reason: reason)
        showingHelp = false
        push(.authorization)
        return [.startAuthorization(loginHint: email)]
    }

    // MARK: - Authorization screen

    mutating func authorizationKey(_ key: Key) -> [BrowserEffect] {
        // The field is edited in place (`authorization?.field`), never through a copy of the state, so
        // that its text is not copied on every key.
        guard authorization != nil else { return [] }
        authorization?.notice = nil
        if key == .escape, authorization?.addingAccount == true {
            return authorization?.exchanging == true ? [] : cancelAddingAccount()
        }
        if key == .escape, let back = reauthorizationReturn {
            return authorization?.exchanging == true ? [] : leaveReauthorization(to: back)
        }
        if key == .escape { return [.quit] }
        if authorization?.exchanging == true { return [] }
        // What `c` and `o` did is said when the terminal answers (`.copiedToClipboard`, `.browserLaunch`).
        if authorization?.field.isEmpty == true, let url = authorization?.url {
            if key == .character("c") { return [.copyToClipboard(url.absoluteString)] }
            if key == .character("o") { return [.openURL(url)] }
        }
        if key == .enter {
            let code = (authorization?.field.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !code.isEmpty else { return [] }
            authorization?.exchanging = true
            authorization?.error = nil
            return [.submitCode(code)]
        }
        let full = authorization.map { $0.field.count >= $0.field.capacity } ?? false
        if authorization?.field.handle(key) == true {
            authorization?.error = nil
            if full, case .character = key { authorization?.notice = Self.fieldFull }
        }
        return []
    }

    // MARK: - Message list

    mutating func listKey(_ key: Key) -> [BrowserEffect] {
        list.notice = nil
        if list.editor != nil {
            switch key {
            case .escape:
                list.editor = nil
            case .up, .down:
                recallQuery(key)
            case .enter:
                list.query = (list.editor?.text ?? "").trimmingCharacters(in: .whitespaces)
                list.editor = nil
                return [request(PageRequest(query: list.query, tokens: [nil]))] + rememberQuery(list.query)
            default:
                let full = list.editor.map { $0.count >= $0.capacity } ?? false
                // Edited in place, so the text is not copied on every key.
                if list.editor?.handle(key) == true, full, case .character = key { list.notice = Self.fieldFull }
            }
            return []
        }
        let count = list.page?.messages.count ?? 0
        let selected = list.selection
        defer { if list.selection != selected { list.selectionMovedAt = now } }
        if let effects = conversationListKey(key) { return effects }
        if let effects = continuousListKey(key) { return effects }
        switch key {
        case .character("j"), .down: list.selection += 1
        case .character("k"), .up: list.selection -= 1
        case .pageDown, .character(" "): list.selection += listRows; list.scroll += listRows
        case .pageUp, .character("b"): list.selection -= listRows; list.scroll -= listRows
        case .control("d"): list.selection += max(1, listRows / 2); list.scroll += max(1, listRows / 2)
        case .control("u"): list.selection -= max(1, listRows / 2); list.scroll -= max(1, listRows / 2)
        case .control("z"): return [.suspend]
        case .character("g"), .home: list.selection = 0
        case .character("G"), .end: list.selection = count - 1
        case .enter:
            guard let m = list.page?.messages, list.selection < m.count, list.selection >= 0 else { return [] }
            message = MessageViewState(id: m[list.selection].id, index: list.selection)
            push(.message)
            return [.fetchMessage(id: m[list.selection].id)]
        case .character("n"):
            guard let page = list.page else { return [] }
            guard let next = page.nextPageToken else { list.notice = "This is the last page"; return [] }
            return [request(PageRequest(query: list.query, tokens: list.pageTokens + [next]))]
        case .character("p"):
            guard list.pageTokens.count > 1 else { list.notice = "This is the first page"; return [] }
            return [request(PageRequest(query: list.query, tokens: Array(list.pageTokens.dropLast())))]
        case .character("r"):
            return requestSync(userAsked: true).map { [$0] } ?? []
        case .character("/"):
            list.editor = TextField(list.query)
        case .character("?"):
            showingHelp = true
        case .character("L"):
            return openLabels()
        case .character("A"):
            return openAccounts()
        case .character("q"):
            return quitKey()
        default:
            unboundKey(key)
            return []
        }
        clampList()
        return []
    }

    /// The prefetch of the selected message once the selection has rested `prefetchDelay` on it.
    mutating func restedSelectionPrefetch() -> [BrowserEffect] {
        guard screen == .list, list.editor == nil, let moved = list.selectionMovedAt,
              now.timeIntervalSince(moved) >= Self.prefetchDelay else { return [] }
        guard let messages = list.page?.messages, list.selection >= 0, list.selection < messages.count else { return [] }
        list.selectionMovedAt = nil
        return [prefetchRow(messages[list.selection].id)]
    }

    /// Keeps the selection on a message and in view.
    mutating func clampList() {
        let count = list.page?.messages.count ?? 0
        list.selection = max(0, min(list.selection, count - 1))
        let visible = listRows
        list.scroll = max(0, min(list.scroll, count - visible))
        if list.selection < list.scroll { list.scroll = list.selection }
        if list.selection >= list.scroll + visible { list.scroll = list.selection - visible + 1 }
    }

    // MARK: - Message view

    mutating func messageKey(_ key: Key) -> [BrowserEffect] {
        if let effects = messageViewExtraKey(key) { return effects }
        guard var m = message else { pop(); return [] }
        m.notice = nil
        let page = messageRows
        switch key {
        case .character("q"), .escape:
            message = nil
            pop()
            clampList()
            return []
        case .character("j"), .down, .enter: m.scroll += 1
        case .character("k"), .up: m.scroll -= 1
        case .character(" "), .pageDown: m.scroll += page
        case .pageUp, .character("b"): m.scroll -= page
        case .control("d"): m.scroll += max(1, page / 2)
        case .control("u"): m.scroll -= max(1, page / 2)
        case .control("z"): return [.suspend]
        case .character("g"), .home: m.scroll = 0
        case .character("G"), .end: m.scroll = Int.max / 2
        case .character("n"), .character("p"):
            let messages = list.page?.messages ?? []
            let target = m.index + (key == .character("n") ? 1 : -1)
            guard target >= 0, target < messages.count else {
                message = m
                if let effects = continuousMessageStep(forward: key == .character("n")) { return effects }
                m.notice = key == .character("n") ? "This is the last message on this page" : "This is the first message on this page"
                message = m
                return []
            }
            list.selection = target
            clampList()
            message = MessageViewState(id: messages[target].id, index: target)
            return [.fetchMessage(id: messages[target].id)]
        case .character("r"):
            guard m.error != nil else { break }
            m.error = nil
            message = m
            return [.fetchMessage(id: m.id)]
        case .character("?"):
            showingHelp = true
        default:
            message = m
            unboundKey(key)
            return []
        }
        message = m
        clampMessage()
        return []
    }

    /// Keeps the message scroll within its text.
    mutating func clampMessage(relayout: Bool = false) {
        guard var m = message else { return }
        if relayout { m.lineCount = m.detail.map { MessageDocument.lines(for: $0, width: cols, state: self).count } ?? 0 }
        m.scroll = max(0, min(m.scroll, m.lineCount - messageRows))
        message = m
    }

    /// An error in words, with what the user can do.
    static func describe(_ error: MailServiceError, retry: String) -> String { ErrorWords.statusLine(error, retry: retry) }
}
