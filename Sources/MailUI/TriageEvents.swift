import Foundation
import MailModels
import TerminalCells

// What comes back from triage effects, and how the screen follows: confirmed, rolled back, or held
// behind the screen that asks for `gmail.modify`.
extension BrowserState {
    /// Folds a triage event in; nil when `event` is not one.
    mutating func triageEvent(_ event: BrowserEvent) -> [BrowserEffect]? {
        switch event {
        case .modifyPermission(let granted):
            triage.canModify = granted
            return []
        case .mailChanged(let change, let altered):
            if let altered { threadChangeMade(change, altered) }
            finished(change.serial)
            return []
        case .mailChangeFailed(let change, let error):
            return changeFailed(change, error)
        case .labelChoicesLoaded(let labels):
            let user = labels.filter { !$0.isSystem }
            triage.userLabels = user
            if triage.labelPicker?.labels == nil { triage.labelPicker?.labels = user }
            return []
        case .labelChoicesFailed(let error):
            triage.labelPicker?.error = Self.describe(error, retry: "Esc, then l to try again")
            return []
        default:
            return nil
        }
    }

    /// Puts `changes` on screen and remembers how to take them back.
    mutating func show(_ changes: [MailChange], transform: ScreenTransform, confirmation: String, undoable: Bool) -> ShownChange {
        let counts = showLabelCounts(of: changes, transform: transform)
        let shown = ShownChange(changes: changes, waiting: Set(changes.map(\.serial)), query: list.query, tokens: list.pageTokens,
                                transform: transform, pageBefore: list.page, detailBefore: message?.detail,
                                confirmation: confirmation, undoable: undoable, labelCounts: counts, labelsGeneration: labels.generation)
        perform(transform)
        triage.inFlight.append(shown)
        return shown
    }

    /// Changes the rows and the open message as `transform` says.
    mutating func perform(_ transform: ScreenTransform) {
        switch transform {
        case .none:
            return
        case .apply(let action, let ids):
            let set = Set(ids)
            if var page = list.page {
                if action.removesFromList(list.query) {
                    let before = page.messages.prefix(max(0, list.selection)).filter { set.contains($0.id) }.count
                    let removed = page.messages.filter { set.contains($0.id) }.count
                    page.messages.removeAll { set.contains($0.id) }
                    page.resultSizeEstimate = max(0, page.resultSizeEstimate - removed)
                    list.selection -= before
                } else {
                    for i in page.messages.indices where set.contains(page.messages[i].id) {
                        page.messages[i].labelIDs = action.applied(to: page.messages[i].labelIDs)
                        page.messages[i].isUnread = page.messages[i].labelIDs.contains("UNREAD")
                    }
                }
                list.page = page
                clampList()
            }
            if var detail = message?.detail, set.contains(detail.id) {
                detail.labelIDs = action.applied(to: detail.labelIDs)
                detail.isUnread = detail.labelIDs.contains("UNREAD")
                message?.detail = detail
            }
        case .restore(let undone, let ids):
            let set = Set(ids)
            if var page = list.page, let before = undone.pageBefore {
                var firstBack: String?
                for (index, row) in before.messages.enumerated() where set.contains(row.id) {
                    if let i = page.messages.firstIndex(where: { $0.id == row.id }) {
                        page.messages[i] = row
                    } else {
                        // Back where it was: after the rows that were above it then and are still here.
                        let above = Set(before.messages.prefix(index).map(\.id))
                        let at = (page.messages.lastIndex { above.contains($0.id) }).map { $0 + 1 } ?? 0
                        page.messages.insert(row, at: at)
                        page.resultSizeEstimate += 1
                        firstBack = firstBack ?? row.id
                    }
                }
                // The selection goes to the first row that came back, where the user was when they acted.
                if let firstBack, let at = page.messages.firstIndex(where: { $0.id == firstBack }) { list.selection = at }
                list.page = page
                clampList()
            }
            if let detail = undone.detailBefore, message?.id == detail.id, set.contains(detail.id) {
                message?.detail?.labelIDs = detail.labelIDs
                message?.detail?.isUnread = detail.isUnread
            }
        }
    }

    /// Gmail accepted request `serial`: its change stays on screen.
    mutating func finished(_ serial: Int) {
        guard let i = triage.inFlight.firstIndex(where: { $0.waiting.contains(serial) }) else { return }
        triage.inFlight[i].waiting.remove(serial)
        if triage.undo?.waiting.contains(serial) == true { triage.undo?.waiting.remove(serial) }
        if triage.inFlight[i].waiting.isEmpty { triage.inFlight.remove(at: i) }
    }

    mutating func changeFailed(_ change: MailChange, _ error: MailServiceError) -> [BrowserEffect] {
        guard let i = triage.inFlight.firstIndex(where: { $0.waiting.contains(change.serial) }) else { return [] }
        let quiet = !triage.inFlight[i].undoable && triage.inFlight[i].confirmation.isEmpty
        switch error {
        case .modifyPermissionRequired(let email):
            triage.canModify = false
            // Opening a message asks for nothing: without the permission it just stays unread.
            if quiet { rollBack(at: i, reason: nil); return [] }
            remember(.changeMail(change))
            return needModifyPermission(email: email)
        case .reauthorizationRequired(let email, let reason):
            remember(.changeMail(change))
            return needAuthorization(email: email, reason: reason)
        default:
            let what = triage.inFlight[i].confirmation
            rollBack(at: i, reason: quiet ? "Could not mark the message read: \(ErrorWords.sentence(error))"
                                          : "Not done (\(what)): \(ErrorWords.sentence(error)); put back as it was")
            return []
        }
    }

    /// Takes change `i` off the screen: the page and message go back to how they were before it, and the
    /// changes made after it that are still on their way are shown again on top.
    mutating func rollBack(at i: Int, reason: String?) {
        let record = triage.inFlight.remove(at: i)
        if triage.undo?.changes == record.changes { triage.undo = nil }
        revertLabelCounts(record)
        if record.query == list.query, record.tokens == list.pageTokens, let before = record.pageBefore {
            let selectedID = list.page.flatMap { p in list.selection < p.messages.count ? p.messages[list.selection].id : nil }
            list.page = before
            if let selectedID, let at = before.messages.firstIndex(where: { $0.id == selectedID }) { list.selection = at }
            clampList()
        }
        if let detail = record.detailBefore, message?.id == detail.id {
            message?.detail?.labelIDs = detail.labelIDs
            message?.detail?.isUnread = detail.isUnread
        }
        for j in i..<triage.inFlight.count {
            triage.inFlight[j].pageBefore = list.page
            triage.inFlight[j].detailBefore = message?.detail
            perform(triage.inFlight[j].transform)
        }
        if let reason {
            if screen == .message { message?.notice = reason } else if screen == .conversation { conversation?.notice = reason } else { list.error = reason }
        }
    }

    // MARK: - Asking for gmail.modify

    /// Shows the authorization screen asking for `gmail.modify`, the change waiting behind it.
    mutating func needModifyPermission(email: String) -> [BrowserEffect] {
        if screen == .authorization, authorization != nil { return [] }
        var a = AuthorizationState(url: nil, email: email, reason: nil)
        a.permission = Self.modifyPermissionReason(email: email)
        authorization = a
        showingHelp = false
        triage.labelPicker = nil
        push(.authorization)
        return [.requestModifyPermission(loginHint: email)]
    }

    static func modifyPermissionReason(email: String) -> String {
        let who = email.isEmpty ? "this account" : email
        return "Changing mail (archive, trash, star, labels, read and unread) needs one more permission for \(who): "
            + "gmail.modify, which lets gmail-tui read and change labels and move mail to the trash; it never deletes or sends mail. "
            + "Allow it once below, and the change is made. Esc goes back, read-only."
    }

    /// Esc on the permission screen: back where the user was, the waiting changes taken off the screen.
    mutating func cancelPermission() -> [BrowserEffect] {
        let waiting: [MailChange] = pendingRetries.compactMap { if case .changeMail(let c) = $0 { return c } else { return nil } }
        pendingRetries.removeAll { if case .changeMail = $0 { return true } else { return false } }
        authorization = nil
        pop()
        for change in waiting {
            if let i = triage.inFlight.firstIndex(where: { $0.waiting.contains(change.serial) }) { rollBack(at: i, reason: nil) }
        }
        setTriageNotice("Nothing changed: the account stays read-only")
        return [.cancelAuthorization]
    }
}
