import Foundation
import GmailAPI
import MailStore

// Labels and their counts in the local store: written through from `labels()`, read back before any
// request, and kept current by sync (Gmail's counts for the labels history touched) and by triage.
extension MailService {
    /// The labels the local store holds, read without any request (the label list and the rows' tags
    /// before Gmail answers, and offline); nil with no store or no labels stored. `storedAt` is when
    /// Gmail last listed them.
    public nonisolated func storedLabels() -> LabelList? {
        guard let mailStore, let stored = try? mailStore.labels(), !stored.isEmpty else { return nil }
        return LabelList(labels: stored.map(Self.labelSummary), storedAt: (try? mailStore.labelsFetchedAt()) ?? nil)
    }

    static func storedLabel(_ label: Label) -> StoredLabel {
        StoredLabel(id: label.id, name: label.name ?? label.id, type: label.type ?? "user", messagesTotal: label.messagesTotal,
                    messagesUnread: label.messagesUnread, threadsTotal: label.threadsTotal, threadsUnread: label.threadsUnread)
    }

    static func labelSummary(_ label: StoredLabel) -> LabelSummary {
        LabelSummary(id: label.id, name: label.name, isSystem: label.isSystem, messagesTotal: label.messagesTotal,
                     messagesUnread: label.messagesUnread)
    }

    /// Writes a full listing through to the store; a store that cannot be written costs the offline copy only.
    func saveLabelList(_ labels: [Label]) {
        try? mailStore?.saveLabelList(labels.map(Self.storedLabel), fetchedAt: now())
    }

    /// Labels whose counts no list shows and nobody asks for: `UNREAD` is a state (its counts are those of
    /// all unread mail) and `CHAT` holds no mail gmail-tui lists.
    static let uncountedLabels: Set<String> = ["UNREAD", "CHAT"]

    /// After a resync: the labels listed again when some were stored (what changed in the history gap is
    /// unknown), nil otherwise or when listing them failed.
    func relistedLabels() async -> [LabelSummary]? {
        guard storedLabels() != nil else { return nil }
        // `labels()` writes what Gmail listed through to the store, so its answer is what is stored now.
        return try? await labels()
    }

    /// After a sync applied history: Gmail's counts for the labels it `touched` (`labels.get` for each of those
    /// only), or every label again (`labels.list` too) when history or the `listed` page names one the store
    /// does not know (a new label). A label Gmail no longer has (404) is forgotten. Nothing is asked when the
    /// labels were never listed (the label list lists them the first time) or nothing was touched.
    ///
    /// Returns every stored label after that, or nil when nothing was asked. A failure leaves the stored
    /// counts as they were: the sync itself has succeeded.
    func refreshLabelCounts(touched: Set<String>, listed: [String], _ mailStore: MailStore) async -> [LabelSummary]? {
        guard let stored = try? mailStore.labels(), !stored.isEmpty else { return nil }
        let known = Set(stored.map(\.id))
        let wanted = touched.subtracting(Self.uncountedLabels)
        // Only a user label can be new; a system id `labels.list` leaves out (Gmail has a few) would
        // otherwise list every label again at every sync.
        let unknown = wanted.union(listed).subtracting(known).filter { !Self.isSystemID($0) }
        if !unknown.isEmpty {
            guard (try? await labels()) != nil else { return nil }
            return storedLabels()?.labels
        }
        let gmail = self.gmail
        let ids = stored.map(\.id).filter { wanted.contains($0) }
        guard !ids.isEmpty else { return nil }
        let fresh: [Label?]
        do throws(MailServiceError) {
            fresh = try await inOrder(count: ids.count) { index in
                do throws(MailServiceError) {
                    return .success(try await self.call { token throws(GmailError) in
                        try await gmail.labelsGet(LabelsGetParameters(id: ids[index]), accessToken: token)
                    })
                } catch .notFound {
                    return .success(nil)
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            return nil
        }
        for (id, label) in zip(ids, fresh) {
            if let label { try? mailStore.saveLabel(Self.storedLabel(label)) } else { try? mailStore.deleteLabel(id: id) }
        }
        return storedLabels()?.labels
    }

    /// Gmail's system label ids are upper case (`INBOX`, `CATEGORY_SOCIAL`); user ones are `Label_N`.
    static func isSystemID(_ id: String) -> Bool {
        !id.isEmpty && id.allSatisfy { $0.isUppercase || $0 == "_" || $0.isNumber }
    }

    /// The labels a history record's changes touch: those added or removed, and every label of the message
    /// (its unread count moves with `UNREAD`; a message added or deleted moves each total).
    static func touchedLabels(in record: HistoryRecord) -> Set<String> {
        var out = Set<String>()
        for entry in (record.messagesAdded ?? []) + (record.messagesDeleted ?? []) { out.formUnion(entry.message.labelIds ?? []) }
        for entry in (record.labelsAdded ?? []) + (record.labelsRemoved ?? []) {
            out.formUnion(entry.labelIds ?? [])
            out.formUnion(entry.message.labelIds ?? [])
        }
        return out
    }

    /// Moves the stored counts by what a change accepted by Gmail did to the stored summaries (`before` and
    /// `after`, by id).
    func adjustStoredCounts(before: [StoredSummary], after: [StoredSummary]) {
        guard let mailStore else { return }
        let old = Dictionary(before.map { ($0.id, $0.labelIDs) }, uniquingKeysWith: { first, _ in first })
        var changes = LabelCountChanges()
        for summary in after { changes.add(LabelCountChanges(from: old[summary.id] ?? summary.labelIDs, to: summary.labelIDs)) }
        guard !changes.isEmpty else { return }
        try? mailStore.adjustLabelCounts(total: changes.byLabel.mapValues(\.total), unread: changes.byLabel.mapValues(\.unread))
    }
}
