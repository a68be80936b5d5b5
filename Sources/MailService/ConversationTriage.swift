import Foundation
import GmailAPI

// Changing whole conversations: `threads.modify`, `threads.trash` and `threads.untrash`.
extension MailService {
    /// Applies `action` to the messages `ids` (`.messages`, as `apply(_:to:)`) or to every message of the
    /// threads `ids` (`.conversations`).
    ///
    /// Threads go one request each (`threads.trash`/`untrash` for trash and its undo, `threads.modify`
    /// otherwise), at most `inFlightLimit` at a time, as foreground requests of the budget. Permissions are
    /// handled as for messages: without `gmail.modify` nothing is sent, and a 403 `insufficientPermissions`
    /// throws `.modifyPermissionRequired`. Every thread is tried; the threads Gmail changed are reflected in
    /// memory and in the store (with the labels Gmail says their messages now have), and the first failure,
    /// if any, is thrown after that.
    ///
    /// For threads, the answer is the messages the change altered (`ChangedMessage`), which their undo must
    /// revert, one by one (`target: .messages`): the labels each had before come from memory or the store
    /// (`knownLabelsBefore`), else from a `threads.get format=minimal` sent just before that thread's change.
    /// Nil for messages (the caller knows what it changed).
    @discardableResult
    public func apply(_ action: MailAction, to ids: [String], target: ChangeTarget) async throws(MailServiceError) -> [ChangedMessage]? {
        switch target {
        case .messages:
            try await apply(action, to: ids)
            return nil
        case .conversations: return try await applyToThreads(action, ids)
        }
    }

    private func applyToThreads(_ action: MailAction, _ ids: [String]) async throws(MailServiceError) -> [ChangedMessage] {
        guard !ids.isEmpty else { return [] }
        let email = credentials.email
        guard canModify else { throw .modifyPermissionRequired(email: email) }
        let gmail = self.gmail
        let missingScope = MailServiceError.modifyPermissionRequired(email: email)
        let change = LabelChangeRequest(addLabelIds: action.addedLabels, removeLabelIds: action.removedLabels)
        let known = knownLabelsBefore(ids)
        budget.beginForeground()
        defer { perform(budget.finish(.foreground)) }
        // Each outcome is a success for `inOrder`, so that one refused thread does not stop the others.
        let outcomes: [Result<(ModifiedThread, [ChangedMessage]), MailServiceError>] = try await inOrder(count: ids.count) { index in
            let id = ids[index]
            do throws(MailServiceError) {
                var before = known[id]
                if before == nil {
                    // Without it the undo could not tell which messages to revert; if it fails, the change goes
                    // on (its own request says whether Gmail can be reached).
                    let thread = try? await self.call { token throws(GmailError) in
                        try await gmail.threadsGet(Self.minimalThreadParameters(id), accessToken: token)
                    }
                    before = thread.map { Dictionary(($0.messages ?? []).map { ($0.id, $0.labelIds ?? []) }, uniquingKeysWith: { a, _ in a }) }
                }
                let thread = try await self.call(insufficientScope: missingScope) { token throws(GmailError) -> ModifiedThread in
                    switch action {
                    case .trash: return try await gmail.threadsTrash(id: id, accessToken: token)
                    case .untrash: return try await gmail.threadsUntrash(id: id, accessToken: token)
                    default: return try await gmail.threadsModify(id: id, change, accessToken: token)
                    }
                }
                return .success(.success((thread, Self.changedMessages(action, thread, before: before))))
            } catch {
                return .success(.failure(error))
            }
        }
        var labels: [String: [String]] = [:]
        var changed: [String] = []
        var altered: [ChangedMessage] = []
        var failure: MailServiceError?
        for outcome in outcomes {
            switch outcome {
            case .success(let (thread, alteredHere)):
                altered += alteredHere
                for message in thread.messages ?? [] {
                    changed.append(message.id)
                    labels[message.id] = message.labelIds ?? []
                }
            case .failure(let error):
                if failure == nil { failure = error }
            }
        }
        if !changed.isEmpty { reflect(action, on: changed, labels: labels) }
        if let failure { throw failure }
        return altered
    }

    /// Makes the conversations in memory show a change Gmail accepted (called by `reflect`). A cached
    /// conversation's messages take their new labels. A page row is recomputed in place when the change is
    /// a star, read or importance change and Gmail said the labels of each of its messages (a change of
    /// whole threads); otherwise the cached pages of conversations are dropped, their rows being unknown.
    func reflectInConversations(_ action: MailAction, on changed: Set<String>, labels known: [String: [String]]) {
        func newLabels(_ id: String, _ labels: [String]) -> [String]? {
            changed.contains(id) ? known[id] ?? action.applied(to: labels) : nil
        }
        tables.conversations.updateCached { conversation in
            for i in conversation.messages.indices {
                guard let labels = newLabels(conversation.messages[i].id, conversation.messages[i].labelIDs) else { continue }
                conversation.messages[i].labelIDs = labels
                conversation.messages[i].isUnread = labels.contains("UNREAD")
            }
        }
        var inPlace = Set(action.addedLabels + action.removedLabels).isSubset(of: ["STARRED", "UNREAD", "IMPORTANT"])
        if inPlace {
            tables.conversationPages.updateCached { page in
                for i in page.conversations.indices {
                    let row = page.conversations[i]
                    guard row.messageIDs.contains(where: changed.contains) else { continue }
                    let each = row.messageIDs.compactMap { known[$0] }
                    guard each.count == row.messageIDs.count else { inPlace = false; continue }
                    var union: [String] = []
                    for labels in each { for label in labels where !union.contains(label) { union.append(label) } }
                    page.conversations[i].labelIDs = union
                    page.conversations[i].unreadCount = each.filter { $0.contains("UNREAD") }.count
                }
            }
        }
        if !inPlace {
            let budget = self.budget
            perform(self.budget.abandon(tables.conversationPages.invalidate { budget.isAbandonable($0.ticket) }.map(\.ticket)))
        }
    }
}
