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

    /// True when a message so changed leaves the list of `query` on screen. A trashed one leaves every list
    /// but the trash's. An archived one leaves the lists where mail is triaged (the Inbox, the unread mail
    /// the browser opens on, a search), and stays in All Mail and in the list of a place it keeps (a
    /// label, Starred, Sent), as it does in Gmail's web UI.
    public func removesFromList(_ query: String) -> Bool {
        let terms = LabelQuery(query: query)
        switch self {
        case .archive:
            let words = query.lowercased().split(whereSeparator: \.isWhitespace)
            if words.isEmpty || words.contains("in:all") || words.contains("in:anywhere") { return false }
            if words.contains(where: { $0.hasPrefix("label:") && $0 != "label:inbox" && $0 != "label:unread" }) { return false }
            return terms.required.subtracting(["INBOX", "UNREAD"]).isEmpty
        case .trash: return terms.excluded.contains("TRASH")
        default: return false
        }
    }

    /// Why the change would change nothing on a message: "not in the Inbox".
    public var unchangedWords: String {
        switch self {
        case .archive: return "not in the Inbox"
        case .moveToInbox: return "already in the Inbox"
        case .trash: return "already in the trash"
        case .untrash: return "not in the trash"
        case .star: return "already starred"
        case .unstar: return "not starred"
        case .markRead: return "already read"
        case .markUnread: return "already unread"
        case .relabel: return "its labels are already so"
        }
    }

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
