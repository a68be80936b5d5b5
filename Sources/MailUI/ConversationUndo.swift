import Foundation
import MailModels

// A change of whole conversations, once Gmail made it, and its undo: Gmail says which messages of the threads
// it altered (`ChangedMessage`), and `z` reverts exactly those, message by message, so that a message the
// change did not alter (the one unstarred message of a thread that was starred, the sent message an archive
// found outside the inbox) stays as it was.
extension BrowserState {
    /// Gmail made the change of threads `change`, altering `altered`: the label counts follow, and the change's
    /// undo learns what to revert.
    mutating func threadChangeMade(_ change: MailChange, _ altered: [ChangedMessage]) {
        if var undo = triage.undo, undo.changes.contains(where: { $0.serial == change.serial }) {
            undo.altered = (undo.altered ?? []) + altered
            triage.undo = undo
        }
        // Which messages the change altered is known only now: the counts could not move when it was shown.
        let counts = altered.labelCounts
        if let all = labels.all, !counts.isEmpty { labels.all = counts.applied(to: all) }
    }

    /// `z` after a change of threads Gmail made: the inverse of what it did to each message it altered, sent
    /// for those messages (`.messages`), and the rows of their threads put back as they were.
    mutating func undoThreadChange(_ last: ShownChange, _ altered: [ChangedMessage]) -> [BrowserEffect] {
        var rows: [String] = []
        for message in altered where !rows.contains(message.threadID) { rows.append(message.threadID) }
        return sendUndo(last, altered.undoGroups.map { ($0.action, $0.ids) }, target: .messages, rows: rows)
    }
}
