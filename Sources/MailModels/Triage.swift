import Foundation

/// A change the user makes to messages (the triage keys), as labels added and removed.
///
/// Every action is a label change in Gmail's model: archive removes `INBOX`, trash adds `TRASH`, read
/// removes `UNREAD`. `inverse` is the change that undoes it (`z`).
public enum MailAction: Sendable, Equatable, Hashable {
    /// Remove `INBOX` (`e`).
    case archive
    /// Add `INBOX` back: the undo of an archive.
    case moveToInbox
    /// Add `TRASH` (`#`).
    case trash
    /// Remove `TRASH`: the undo of a trash.
    case untrash
    case star, unstar
    case markRead, markUnread
    /// User labels checked and unchecked in the label list (`l`).
    case relabel(add: [String], remove: [String])

    public var addedLabels: [String] {
        switch self {
        case .moveToInbox: return ["INBOX"]
        case .trash: return ["TRASH"]
        case .star: return ["STARRED"]
        case .markUnread: return ["UNREAD"]
        case .relabel(let add, _): return add
        case .archive, .untrash, .unstar, .markRead: return []
        }
    }

    public var removedLabels: [String] {
        switch self {
        case .archive: return ["INBOX"]
        case .untrash: return ["TRASH"]
        case .unstar: return ["STARRED"]
        case .markRead: return ["UNREAD"]
        case .relabel(_, let remove): return remove
        case .moveToInbox, .trash, .star, .markUnread: return []
        }
    }

    /// The change that undoes this one.
    public var inverse: MailAction {
        switch self {
        case .archive: return .moveToInbox
        case .moveToInbox: return .archive
        case .trash: return .untrash
        case .untrash: return .trash
        case .star: return .unstar
        case .unstar: return .star
        case .markRead: return .markUnread
        case .markUnread: return .markRead
        case .relabel(let add, let remove): return .relabel(add: remove, remove: add)
        }
    }

    /// `labels` after the change, in their order, added labels at the end.
    public func applied(to labels: [String]) -> [String] {
        let removed = Set(removedLabels).subtracting(addedLabels)
        var result = labels.filter { !removed.contains($0) }
        for label in addedLabels where !result.contains(label) { result.append(label) }
        return result
    }

    /// The part of this change that alters `labels` (what undo must revert): nil when it alters nothing.
    public func effective(on labels: [String]) -> MailAction? {
        let have = Set(labels)
        let add = addedLabels.filter { !have.contains($0) }
        let remove = removedLabels.filter { have.contains($0) && !addedLabels.contains($0) }
        if add.isEmpty && remove.isEmpty { return nil }
        if add == addedLabels && remove == removedLabels { return self }
        return .relabel(add: add, remove: remove)
    }

    /// True when the message leaves the list it is shown in (archive and trash, as in Gmail's web UI).
    public var removesFromList: Bool { self == .archive || self == .trash }

    /// The status line's confirmation: "Archived 3".
    public func confirmation(count: Int) -> String {
        let what: String
        switch self {
        case .archive: what = "Archived"
        case .moveToInbox: what = "Moved to Inbox"
        case .trash: what = "Moved to Trash"
        case .untrash: what = "Restored from Trash"
        case .star: what = "Starred"
        case .unstar: what = "Unstarred"
        case .markRead: what = "Marked read"
        case .markUnread: what = "Marked unread"
        case .relabel: what = "Labels changed on"
        }
        return "\(what) \(count)"
    }
}

/// The scopes that let an account change mail; `gmail.modify` is the one gmail-tui asks for.
public enum ModifyScope {
    public static let modify = "https://www.googleapis.com/auth/gmail.modify"
    /// Full access also allows every change.
    public static let full = "https://mail.google.com/"

    /// Whether a grant with `scopes` may change mail.
    public static func isGranted(in scopes: [String]) -> Bool {
        scopes.contains(modify) || scopes.contains(full)
    }
}
