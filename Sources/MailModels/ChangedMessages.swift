import Foundation

/// One message that a change of whole threads altered: a thread change reaches every message of the thread,
/// but only some of them lacked (or carried) the labels it adds (or removes), and only those must be taken
/// back by its undo.
public struct ChangedMessage: Sendable, Equatable, Hashable {
    public var id: String
    public var threadID: String
    /// The part of the change that altered this message (`MailAction.effective(on:)` of its labels before).
    public var change: MailAction
    /// Its labels after the change, as Gmail answered them.
    public var labels: [String]
    public init(id: String, threadID: String, change: MailAction, labels: [String]) {
        self.id = id; self.threadID = threadID; self.change = change; self.labels = labels
    }
}

extension Array where Element == ChangedMessage {
    /// The requests that undo these changes, message by message: one per distinct inverse, in the order the
    /// messages come.
    public var undoGroups: [(action: MailAction, ids: [String])] {
        var groups: [(action: MailAction, ids: [String])] = []
        for message in self {
            let inverse = message.change.inverse
            if let i = groups.firstIndex(where: { $0.action == inverse }) {
                groups[i].ids.append(message.id)
            } else {
                groups.append((inverse, [message.id]))
            }
        }
        return groups
    }

    /// What the changes did to the label counts: each message from its labels before to its labels after.
    public var labelCounts: LabelCountChanges {
        var counts = LabelCountChanges()
        for message in self { counts.add(LabelCountChanges(from: message.change.inverse.applied(to: message.labels), to: message.labels)) }
        return counts
    }
}
