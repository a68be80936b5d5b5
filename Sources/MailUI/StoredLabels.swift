import Foundation
import MailModels

// The label counts shown: from the local store before Gmail answers (and offline), replaced by Gmail's after
// `L` or a sync, and moved at once by triage (taken back when Gmail refuses the change).
extension BrowserState {
    /// Shows the labels the local store holds (before any request, at start): the label list opens on them
    /// at once and says how fresh they are, and the rows' tags are named from them.
    public mutating func useStoredLabels(_ stored: LabelList) {
        labels.all = stored.labels
        labels.listedAt = stored.storedAt
        labels.fromStore = true
        labels.generation += 1
        clampLabels()
    }

    /// Gmail's labels and counts (the label list's fetch, or a sync): they replace whatever was shown.
    mutating func labelsFromGmail(_ all: [LabelSummary]) {
        // The selection stays on the same label when the list is fetched again.
        let selected = labels.rows.indices.contains(labels.selection) ? labels.rows[labels.selection].query : nil
        labels.all = all
        labels.listedAt = now
        labels.fromStore = false
        labels.offline = false
        labels.generation += 1
        if let selected, let index = labels.rows.firstIndex(where: { $0.query == selected }) { labels.selection = index }
        clampLabels()
    }

    /// The label list's fetch could not reach Gmail: the labels shown stay browsable, marked offline.
    /// True when there were labels to keep.
    mutating func keepLabelsOffline(_ error: MailServiceError) -> Bool {
        guard case .network = error, labels.all != nil else { return false }
        labels.loading = false
        labels.offline = true
        labels.error = nil
        labels.notice = "Gmail cannot be reached: these are the stored counts (r to retry)"
        noteFetchFailed(error)
        return true
    }

    /// How fresh the label list is, for its header: nil while the counts are Gmail's of this session.
    var labelFreshness: String? {
        let ago = labels.listedAt.map { "synced " + DisplayFormat.ago(from: $0, to: now) }
        if labels.offline { return ["offline", ago].compactMap { $0 }.joined(separator: ", ") }
        guard labels.fromStore else { return nil }
        return ago ?? "stored"
    }

    // MARK: - Triage

    /// What `changes` do to the counts shown, worked out from the labels the screen shows for their messages
    /// (before `transform` changes them), and applied now.
    mutating func showLabelCounts(of changes: [MailChange], transform: ScreenTransform) -> LabelCountChanges {
        var counts = LabelCountChanges()
        for change in changes where change.target == .messages {
            for id in change.ids {
                guard let old = shownLabels(of: id, transform: transform) else { continue }
                counts.add(LabelCountChanges(from: old, to: change.action.applied(to: old)))
            }
        }
        if let all = labels.all, !counts.isEmpty { labels.all = counts.applied(to: all) }
        return counts
    }

    /// Takes back what a refused change did to the counts, unless Gmail's counts have replaced them since
    /// (they never included it).
    mutating func revertLabelCounts(_ record: ShownChange) {
        guard record.labelsGeneration == labels.generation, let all = labels.all, !record.labelCounts.isEmpty else { return }
        labels.all = record.labelCounts.inverse.applied(to: all)
    }

    /// A message's labels as the screen shows them: its row, the open message, or (for an undo) the row
    /// as the undone change left it.
    private func shownLabels(of id: String, transform: ScreenTransform) -> [String]? {
        // A message of a thread change being undone: the rows are threads (one may share its id), not it.
        if case .restore(let undone, _) = transform, let message = undone.altered?.first(where: { $0.id == id }) { return message.labels }
        if let row = list.page?.messages.first(where: { $0.id == id }) { return row.labelIDs }
        if let detail = message?.detail, detail.id == id { return detail.labelIDs }
        guard case .restore(let undone, _) = transform else { return nil }
        guard let before = undone.pageBefore?.messages.first(where: { $0.id == id })?.labelIDs
                ?? (undone.detailBefore?.id == id ? undone.detailBefore?.labelIDs : nil) else { return nil }
        return undone.changes.filter { $0.ids.contains(id) }.reduce(before) { $1.action.applied(to: $0) }
    }
}
