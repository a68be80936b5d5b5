import Foundation

/// How a change of mail moves the label counts: for each label, messages in it and unread ones, more or fewer.
///
/// The screen and the store show a change at once (a message marked read: one unread fewer in each of its
/// labels, Inbox included) and keep it until Gmail's own counts (`labels.get`) replace them.
public struct LabelCountChanges: Sendable, Equatable, Hashable {
    /// One label's change.
    public struct Change: Sendable, Equatable, Hashable {
        public var total: Int
        public var unread: Int
        public init(total: Int = 0, unread: Int = 0) { self.total = total; self.unread = unread }
    }

    /// Label id to its change; labels that do not change are left out.
    public private(set) var byLabel: [String: Change] = [:]

    public init() {}

    /// What one message's labels going from `old` to `new` does to the counts: it leaves the labels it loses,
    /// joins those it gains, and counts as unread in each of its labels while it carries `UNREAD`.
    public init(from old: [String], to new: [String]) {
        let wasUnread = old.contains("UNREAD"), isUnread = new.contains("UNREAD")
        let before = Set(old), after = Set(new)
        for id in before.union(after) {
            let total = (after.contains(id) ? 1 : 0) - (before.contains(id) ? 1 : 0)
            let unread = (after.contains(id) && isUnread ? 1 : 0) - (before.contains(id) && wasUnread ? 1 : 0)
            add(id, Change(total: total, unread: unread))
        }
    }

    public var isEmpty: Bool { byLabel.isEmpty }

    /// The changes that take these back (a change Gmail refused).
    public var inverse: LabelCountChanges {
        var out = LabelCountChanges()
        for (id, c) in byLabel { out.add(id, Change(total: -c.total, unread: -c.unread)) }
        return out
    }

    /// Both changes together.
    public mutating func add(_ other: LabelCountChanges) {
        for (id, c) in other.byLabel { add(id, c) }
    }

    private mutating func add(_ id: String, _ c: Change) {
        var sum = byLabel[id] ?? Change()
        sum.total += c.total
        sum.unread += c.unread
        byLabel[id] = sum == Change() ? nil : sum
    }

    /// `labels` with their counts moved; counts never go below zero, and one Gmail never gave stays unknown.
    public func applied(to labels: [LabelSummary]) -> [LabelSummary] {
        labels.map { label in
            guard let c = byLabel[label.id] else { return label }
            var label = label
            label.messagesTotal = label.messagesTotal.map { max(0, $0 + c.total) }
            label.messagesUnread = label.messagesUnread.map { max(0, $0 + c.unread) }
            return label
        }
    }
}

/// The labels with their counts, as the store or Gmail gave them.
public struct LabelList: Sendable, Equatable {
    public var labels: [LabelSummary]
    /// When Gmail listed them, for labels read from the local store; nil when they come from Gmail now.
    public var storedAt: Date?
    public init(labels: [LabelSummary], storedAt: Date? = nil) { self.labels = labels; self.storedAt = storedAt }
}
