import Foundation

/// Label changes, shared by messages.modify, trash, untrash, batchModify, threads.modify, trash, untrash
/// and the control API's changes "from another device".
extension Sandbox {
    /// System labels no one may add: Gmail sets them itself (its labels guide: "Can be manually applied: no").
    static let systemOnlyLabels: Set<String> = ["SENT", "DRAFT", "CHAT"]

    /// `addLabelIds` and `removeLabelIds` of a body, each id checked to exist and, when added, to be applicable.
    func labelChanges(_ body: JSON) throws(ErrorResponse) -> (add: [String], remove: [String]) {
        let add = body["addLabelIds"]?.strings ?? []
        let remove = body["removeLabelIds"]?.strings ?? []
        if add.count > 100 || remove.count > 100 {
            throw ErrorResponse(GoogleError.invalidArgument("Too many label ids (maximum 100)"))
        }
        try checkLabels(add: add, remove: remove)
        return (add, remove)
    }

    /// 400 "Invalid label: X" for an id that names no label, or a system label only Gmail may add.
    func checkLabels(add: [String], remove: [String]) throws(ErrorResponse) {
        if let bad = invalidLabel(add: add, remove: remove) {
            throw ErrorResponse(GoogleError.invalidArgument("Invalid label: \(bad)"))
        }
    }

    /// The first id that names no label, else the first system label only Gmail may add.
    func invalidLabel(add: [String], remove: [String]) -> String? {
        let known = Set(Sandbox.systemLabels.map(\.id)).union(state.withLock { $0.userLabels.map(\.id) })
        return (add + remove).first { !known.contains($0) } ?? add.first { Sandbox.systemOnlyLabels.contains($0) }
    }

    /// Changes one message's labels; answers with its short form.
    func relabel(_ id: String, add: [String], remove: [String]) throws(ErrorResponse) -> SandboxResponse {
        let m = try message(id)
        // Deleted since the lookup (the control API can delete): gone, as a lookup now would say.
        guard let labels = state.withLock({ s in Sandbox.apply(&s, m.id, add: add, remove: remove) }) else {
            throw ErrorResponse(GoogleError.notFound)
        }
        return .json(200, Sandbox.labelledMessage(m, labels: labels))
    }

    /// Changes one message's labels and writes one history record per kind of change that happened
    /// (none when nothing changed); returns its labels after, or nil for a message no longer in the mailbox
    /// (callers look it up before taking the lock, and a delivery or deletion may come in between).
    static func apply(_ s: inout SandboxState, _ id: String, add: [String], remove: [String]) -> Set<String>? {
        guard s.mailbox.byId[id] != nil else { return nil }
        var labels = s.labels[id] ?? []
        let added = add.filter { !labels.contains($0) }
        let removed = remove.filter { labels.contains($0) && !add.contains($0) }
        for a in added { labels.insert(a) }
        for r in removed { labels.remove(r) }
        s.labels[id] = labels
        let threadId = s.mailbox.byId[id].map { s.mailbox.messages[$0].threadId } ?? id
        for (kind, ids) in [(HistoryRecord.Kind.labelAdded, added), (.labelRemoved, removed)] where !ids.isEmpty {
            record(&s, kind, messageId: id, threadId: threadId, labelIds: ids, messageLabels: labels.sorted())
        }
        return labels
    }

    /// Appends a history record under a new, higher history id, which becomes the message's and the mailbox's.
    ///
    /// Gmail's ids rise but are "not contiguous with random gaps in between valid IDs" (history.list's
    /// reference), so a client that assumes +1 steps fails here too; the gaps are derived, not random,
    /// so that a run can be repeated.
    static func record(_ s: inout SandboxState, _ kind: HistoryRecord.Kind, messageId: String, threadId: String,
                       labelIds: [String] = [], messageLabels: [String]) {
        s.historyId += 1 + Int(fnv1a("\(messageId)|\(s.historyId)") % 4)
        s.history.append(HistoryRecord(id: s.historyId, messageId: messageId, threadId: threadId, kind: kind,
                                       labelIds: labelIds, messageLabels: messageLabels))
        s.messageHistoryId[messageId] = s.historyId
    }
}
