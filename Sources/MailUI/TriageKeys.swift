import Foundation
import MailModels
import TerminalCells

// The triage keys (e # s I U l x z) on the list and in the message view, the label checklist, and Esc on
// the screen that asks for `gmail.modify`.
//
// Every change shows at once: archived and trashed rows leave the list (as in Gmail's web UI, whatever the
// query), a read, unread, star or label change redraws the row in place (marking read in `is:unread`
// keeps the row, shown read, as Gmail's web UI does until the list is loaded again). The change is then
// sent (`.changeMail`); if Gmail refuses it, the screen goes back to how it was and the status line says why.
extension BrowserState {
    /// Handles `key` when it belongs to triage; nil leaves it to the screen's own keys.
    mutating func triageKey(_ key: Key) -> [BrowserEffect]? {
        if triage.labelPicker != nil { return labelPickerKey(key) }
        if screen == .authorization {
            guard key == .escape, authorization?.permission != nil else { return nil }
            return cancelPermission()
        }
        guard (screen == .list && list.editor == nil) || screen == .message || screen == .conversation else { return nil }
        if key == .escape, screen == .list, !triage.selected.isEmpty {
            triage.selected = []
            list.notice = "Selection cleared"
            return []
        }
        guard case .character(let c) = key else { return nil }
        switch c {
        case "x" where screen == .list: return toggleSelection()
        case "e": return act(.archive)
        case "#": return act(.trash)
        case "s":
            let ids = triageTargets()
            let starred = !ids.isEmpty && ids.allSatisfy { labels(of: $0)?.contains("STARRED") == true }
            return act(starred ? .unstar : .star, ids: ids)
        case "I": return act(.markRead)
        case "U": return act(.markUnread)
        case "l": return openLabelPicker()
        case "z": return undoLast()
        default: return nil
        }
    }

    /// The messages an action applies to: the open message; on the list, the selected rows of this page
    /// (in list order), else the highlighted row.
    func triageTargets() -> [String] {
        if screen == .message, let m = message { return [m.id] }
        if screen == .conversation, let c = conversation { return [c.id] }
        let rows = list.page?.messages ?? []
        let chosen = rows.filter { triage.selected.contains($0.id) }.map(\.id)
        if !chosen.isEmpty { return chosen }
        guard list.selection >= 0, list.selection < rows.count else { return [] }
        return [rows[list.selection].id]
    }

    /// A message's labels as the screen shows them now.
    func labels(of id: String) -> [String]? {
        list.page?.messages.first { $0.id == id }?.labelIDs ?? (message?.detail?.id == id ? message?.detail?.labelIDs : nil)
    }

    /// `x`: selects or unselects the highlighted row, then moves to the next one (as mutt's tag does).
    mutating func toggleSelection() -> [BrowserEffect] {
        guard let rows = list.page?.messages, list.selection >= 0, list.selection < rows.count else { return [] }
        let id = rows[list.selection].id
        if triage.selected.remove(id) == nil { triage.selected.insert(id) }
        let count = rows.filter { triage.selected.contains($0.id) }.count
        list.notice = count == 0 ? "No rows selected" : "\(count) selected · e # s I U l act on all · Esc clears"
        if list.selection + 1 < rows.count {
            list.selection += 1
            list.selectionMovedAt = now
            clampList()
        }
        return []
    }

    /// Shows `action` on `ids` (default: the targets) and sends it; without `gmail.modify` it is shown and
    /// kept for after the permission screen.
    mutating func act(_ action: MailAction, ids chosen: [String]? = nil) -> [BrowserEffect] {
        let ids = chosen ?? triageTargets()
        guard !ids.isEmpty else {
            setTriageNotice("No message to change here")
            return []
        }
        // Nothing to send when every row shown says the change would change nothing (Gmail would answer 200
        // and change nothing, and the screen must not claim it did).
        let known = ids.compactMap(labels(of:))
        if known.count == ids.count, known.allSatisfy({ action.effective(on: $0) == nil }) {
            setTriageNotice(ids.count == 1 ? "Nothing to change: \(action.unchangedWords)"
                                           : "Nothing to change: all \(ids.count) \(action.unchangedWords)")
            return []
        }
        let change = MailChange(serial: triage.nextSerial, action: action, ids: ids, target: changeTarget)
        triage.nextSerial += 1
        let shown = show([change], transform: .apply(action, ids), confirmation: action.confirmation(count: ids.count), undoable: true)
        triage.undo = shown
        triage.selected.subtract(ids)
        list.error = nil
        if action.removesFromList(list.query), screen == .message {
            // The message is gone from the list: back to it, on the row that took its place.
            message = nil
            pop()
            clampList()
        }
        if action.removesFromList(list.query), screen == .conversation { _ = closeConversation() }
        setTriageNotice("\(shown.confirmation) · z undo")
        guard triage.canModify else {
            remember(.changeMail(change))
            return needModifyPermission(email: account ?? "")
        }
        return [.changeMail(change)]
    }

    /// `z`: the inverse of the last change, for the messages it actually changed.
    mutating func undoLast() -> [BrowserEffect] {
        guard let last = triage.undo else {
            setTriageNotice("Nothing to undo")
            return []
        }
        guard last.waiting.isEmpty else {
            setTriageNotice("Still sending the last change; z again in a moment")
            return []
        }
        triage.undo = nil
        if let altered = last.altered { return undoThreadChange(last, altered) }
        var groups: [(MailAction, [String])] = []
        for change in last.changes {
            for id in change.ids {
                let before = last.pageBefore?.messages.first { $0.id == id }?.labelIDs
                    ?? (last.detailBefore?.id == id ? last.detailBefore?.labelIDs : nil)
                guard let before, let inverse = change.action.effective(on: before)?.inverse else { continue }
                if let i = groups.firstIndex(where: { $0.0 == inverse }) { groups[i].1.append(id) } else { groups.append((inverse, [id])) }
            }
        }
        return sendUndo(last, groups, target: last.changes.first?.target ?? .messages, rows: groups.flatMap(\.1))
    }

    /// Shows and sends the undo of `last`: `groups` of (inverse, ids) as requests on `target`, the `rows` put
    /// back as they were before it.
    mutating func sendUndo(_ last: ShownChange, _ groups: [(MailAction, [String])], target: ChangeTarget, rows ids: [String]) -> [BrowserEffect] {
        guard !groups.isEmpty else {
            setTriageNotice("Nothing to undo: the last change changed nothing")
            return []
        }
        var changes: [MailChange] = []
        for (action, ids) in groups {
            changes.append(MailChange(serial: triage.nextSerial, action: action, ids: ids, target: target))
            triage.nextSerial += 1
        }
        let sameView = last.query == list.query && last.tokens == list.pageTokens
        let shown = show(changes, transform: sameView ? .restore(last, ids) : .none,
                         confirmation: "Undone: \(last.confirmation)", undoable: false)
        setTriageNotice(shown.confirmation)
        guard triage.canModify else {
            for change in changes { remember(.changeMail(change)) }
            return needModifyPermission(email: account ?? "")
        }
        return changes.map { .changeMail($0) }
    }

    /// Marks a message that just opened read, quietly (no confirmation, no undo), when the grant allows it.
    mutating func markOpenedRead(_ detail: MessageDetail) -> [BrowserEffect] {
        guard triage.canModify, triage.markReadOnOpen, detail.isUnread, message?.id == detail.id else { return [] }
        let change = MailChange(serial: triage.nextSerial, action: .markRead, ids: [detail.id])
        triage.nextSerial += 1
        _ = show([change], transform: .apply(.markRead, [detail.id]), confirmation: "", undoable: false)
        return [.changeMail(change)]
    }

    /// The status line of the screen showing.
    mutating func setTriageNotice(_ text: String) {
        if screen == .message { message?.notice = text } else if screen == .conversation { conversation?.notice = text } else { list.notice = text }
    }

    // MARK: - The label checklist

    mutating func openLabelPicker() -> [BrowserEffect] {
        let ids = triageTargets()
        guard !ids.isEmpty else {
            setTriageNotice("No message to label here")
            return []
        }
        var picker = LabelPicker(ids: ids, labels: triage.userLabels)
        for id in ids { for label in labels(of: id) ?? [] { picker.counts[label, default: 0] += 1 } }
        triage.labelPicker = picker
        return triage.userLabels == nil ? [.loadLabelChoices] : []
    }

    mutating func labelPickerKey(_ key: Key) -> [BrowserEffect] {
        guard var picker = triage.labelPicker else { return [] }
        let count = picker.labels?.count ?? 0
        switch key {
        case .escape, .character("q"), .character("l"):
            triage.labelPicker = nil
            return []
        case .character("j"), .down: picker.cursor = min(max(0, count - 1), picker.cursor + 1)
        case .character("k"), .up: picker.cursor = max(0, picker.cursor - 1)
        case .character(" "), .character("x"):
            guard let labels = picker.labels, picker.cursor < labels.count else { break }
            let id = labels[picker.cursor].id
            picker.marks[id] = picker.mark(id) == .all ? LabelPicker.Mark.none : .all
        case .enter:
            triage.labelPicker = nil
            guard let action = picker.action else {
                setTriageNotice("Labels unchanged")
                return []
            }
            return act(action, ids: picker.ids)
        default:
            break
        }
        triage.labelPicker = picker
        return []
    }
}
