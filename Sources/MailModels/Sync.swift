import Foundation

/// What a sync brought: the visible page as Gmail now lists it, and what changed since the last one.
///
/// `sync` goes through `history.list` from the stored `historyId` and then lists the visible page, so the
/// page is current and `newMessageIDs` names the messages that arrived since the previous sync (new mail,
/// announced with a notice and drawn at the top).
public struct SyncResult: Sendable, Equatable {
    /// The page the user is looking at, as Gmail lists it now (`storedAt` is nil: it is live).
    public var page: MessagePage
    /// Messages added to the mailbox since the last sync that this page shows.
    public var newMessageIDs: [String]
    /// True when the stored `historyId` was too old (Gmail answered 404) or missing, and the lists were fetched
    /// again from scratch.
    public var resynced: Bool
    /// Every label with the counts Gmail gave after the changes the sync found (`labels.get` for the labels
    /// they touched); nil when no count changed or the labels were never listed.
    public var labels: [LabelSummary]?
    public init(page: MessagePage, newMessageIDs: [String] = [], resynced: Bool = false, labels: [LabelSummary]? = nil) {
        self.page = page; self.newMessageIDs = newMessageIDs; self.resynced = resynced; self.labels = labels
    }
}
