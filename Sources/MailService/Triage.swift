import Foundation
import MailStore
import GmailAPI

// Changing mail: archive, trash, star, read, labels, and their undo.
extension MailService {
    /// Whether the stored grant lets this account change mail (`gmail.modify`, or full access).
    public var canModify: Bool { ModifyScope.isGranted(in: credentials.scopes) }

    /// Applies `action` to the messages `ids` in Gmail, as a foreground request of the budget.
    ///
    /// One message goes by `messages.modify` (`messages.trash`/`untrash` for trash and its undo), several by
    /// `messages.batchModify`, one request per 1,000 ids. Without `gmail.modify` in the stored scopes nothing is
    /// sent and `.modifyPermissionRequired` is thrown; Gmail's 403 `insufficientPermissions` (the scope was
    /// removed in the Google account's settings) throws the same. Once Gmail accepted the change, the pages
    /// and messages in memory show it (`reflect`).
    ///
    /// When a later request of a split batch fails, the ids of the requests before it are changed (and
    /// reflected) and the error is thrown.
    public func apply(_ action: MailAction, to ids: [String]) async throws(MailServiceError) {
        guard !ids.isEmpty else { return }
        let email = credentials.email
        guard canModify else { throw .modifyPermissionRequired(email: email) }
        let gmail = self.gmail
        let missingScope = MailServiceError.modifyPermissionRequired(email: email)
        let change = LabelChangeRequest(addLabelIds: action.addedLabels, removeLabelIds: action.removedLabels)
        budget.beginForeground()
        defer { perform(budget.finish(.foreground)) }
        if ids.count == 1, let id = ids.first {
            let answer = try await call(insufficientScope: missingScope) { token throws(GmailError) -> ModifiedMessage in
                switch action {
                case .trash: return try await gmail.messagesTrash(id: id, accessToken: token)
                case .untrash: return try await gmail.messagesUntrash(id: id, accessToken: token)
                default: return try await gmail.messagesModify(id: id, change, accessToken: token)
                }
            }
            reflect(action, on: ids, labels: [id: answer.labelIds ?? []])
            return
        }
        var done: [String] = []
        defer { if !done.isEmpty { reflect(action, on: done, labels: [:]) } }
        for chunk in MessagesBatchModifyParameters(ids: ids, change: change).chunks {
            try await call(insufficientScope: missingScope) { token throws(GmailError) in
                try await gmail.messagesBatchModify(chunk, accessToken: token)
            }
            done += chunk.ids
        }
    }

    /// Makes what is in memory show a change Gmail accepted: the labels of cached messages and page rows
    /// (`labels` where Gmail said what they are now, else `action` applied to what was there). A change of
    /// `INBOX`, `TRASH` or user labels may move messages in or out of lists, so cached pages are dropped
    /// (their messages stay); a star or read change keeps the pages, rows updated in place.
    func reflect(_ action: MailAction, on ids: [String], labels known: [String: [String]]) {
        let changed = Set(ids)
        func newLabels(_ id: String, _ labels: [String]) -> [String]? {
            changed.contains(id) ? known[id] ?? action.applied(to: labels) : nil
        }
        tables.messages.updateCached { detail in
            guard let labels = newLabels(detail.id, detail.labelIDs) else { return }
            detail.labelIDs = labels
            detail.isUnread = labels.contains("UNREAD")
        }
        let touched = Set(action.addedLabels + action.removedLabels)
        if touched.isSubset(of: ["STARRED", "UNREAD", "IMPORTANT"]) {
            tables.pages.updateCached { page in
                for i in page.messages.indices {
                    guard let labels = newLabels(page.messages[i].id, page.messages[i].labelIDs) else { continue }
                    page.messages[i].labelIDs = labels
                    page.messages[i].isUnread = labels.contains("UNREAD")
                }
            }
        } else {
            let budget = self.budget
            perform(self.budget.abandon(tables.pages.invalidate { budget.isAbandonable($0.ticket) }.map(\.ticket)))
        }
        reflectInConversations(action, on: changed, labels: known)
        recordApplied(action, on: ids, labels: known)
    }

    /// The one place where a change Gmail accepted is written beyond memory: the stored summaries take the new
    /// labels, so that a stored page or body read later (at the next start, offline) shows it. The history
    /// records of the change, read at the next sync, say the same again and change nothing more.
    func recordApplied(_ action: MailAction, on ids: [String], labels known: [String: [String]]) {
        guard let mailStore, let stored = try? mailStore.summaries(ids: ids), !stored.isEmpty else { return }
        let updated = stored.map { summary -> StoredSummary in
            var summary = summary
            summary.labelIDs = known[summary.id] ?? action.applied(to: summary.labelIDs)
            return summary
        }
        do { try mailStore.saveSummaries(updated) } catch {
            // The change is made at Gmail and on screen; the store catches up at the next sync.
        }
    }
}
