import Foundation

/// Label changes, shared by messages.modify, trash, untrash, batchModify and threads.modify.
extension Sandbox {
    /// `addLabelIds` and `removeLabelIds` of a body, each id checked to exist and, when added, to be applicable.
    func labelChanges(_ body: JSON) throws(ErrorResponse) -> (add: [String], remove: [String]) {
        let add = body["addLabelIds"]?.strings ?? []
        let remove = body["removeLabelIds"]?.strings ?? []
        if add.count > 100 || remove.count > 100 {
            throw ErrorResponse(GoogleError.invalidArgument("Too many label ids (maximum 100)"))
        }
        let known = Set(Sandbox.systemLabels.map(\.id)).union(state.withLock { $0.userLabels.map(\.id) })
        for id in add + remove where !known.contains(id) || (add.contains(id) && (id == "SENT" || id == "DRAFT")) {
            throw ErrorResponse(GoogleError.invalidArgument("Invalid label: \(id)"))
        }
        return (add, remove)
    }

    /// Changes one message's labels; answers with its short form.
    func relabel(_ id: String, add: [String], remove: [String]) throws(ErrorResponse) -> SandboxResponse {
        let m = try message(id)
        let labels = state.withLock { s in Sandbox.apply(&s, m.id, add: add, remove: remove) }
        return .json(200, Sandbox.labelledMessage(m, labels: labels))
    }

    /// Changes one message's labels and writes the history records; returns its labels after.
    static func apply(_ s: inout SandboxState, _ id: String, add: [String], remove: [String]) -> Set<String> {
        var labels = s.labels[id] ?? []
        let added = add.filter { !labels.contains($0) }
        let removed = remove.filter { labels.contains($0) && !add.contains($0) }
        for a in added { labels.insert(a) }
        for r in removed { labels.remove(r) }
        s.labels[id] = labels
        for (kind, ids) in [(HistoryRecord.Kind.labelsAdded, added), (.labelsRemoved, removed)] where !ids.isEmpty {
            s.historyId += 1
            s.history.append(HistoryRecord(id: s.historyId, messageId: id, kind: kind, labelIds: ids))
            s.messageHistoryId[id] = s.historyId
        }
        return labels
    }
}
