import Foundation

/// What a row's labels say about whether it belongs to a query's list.
///
/// A list keeps the ids Gmail listed; a change made since (an archive, a trash, a read here or history
/// from another device) changes the rows' labels at once, but the list only at its next listing. For the
/// plain terms whose meaning is a label (`in:inbox`, `is:unread`, ...), a row whose labels now contradict
/// them no longer belongs: an archived message does not come back in a stored Inbox at start or offline,
/// and leaves the Inbox on screen, but stays in a search or a label's list. Anything the labels cannot
/// decide (words, `from:`, `OR`, negation, braces, quotes) keeps the row: the next listing decides.
public struct LabelQuery: Sendable, Equatable {
    /// Labels every row must carry (each a plain term of the query).
    public let required: Set<String>
    /// Labels no row may carry: Gmail's lists leave out spam and trash unless the query names them.
    public let excluded: Set<String>

    static let labelTerms: [String: String] = [
        "in:inbox": "INBOX", "label:inbox": "INBOX", "is:starred": "STARRED", "label:starred": "STARRED",
        "is:unread": "UNREAD", "label:unread": "UNREAD", "in:sent": "SENT", "label:sent": "SENT",
        "in:trash": "TRASH", "label:trash": "TRASH", "in:spam": "SPAM", "label:spam": "SPAM",
        "in:draft": "DRAFT", "in:drafts": "DRAFT", "is:important": "IMPORTANT", "label:important": "IMPORTANT",
    ]

    public init(query: String) {
        let lowered = query.lowercased()
        let terms = lowered.split(whereSeparator: \.isWhitespace).map(String.init)
        let compound = terms.contains { $0 == "or" || $0.hasPrefix("-") || $0.hasPrefix("{") || $0.hasPrefix("(") || $0 == "and" }
            || lowered.contains("\"")
        required = compound ? [] : Set(terms.compactMap { Self.labelTerms[$0] })
        let namesHidden = ["trash", "spam", "anywhere"].contains { lowered.contains($0) }
        excluded = namesHidden ? [] : ["TRASH", "SPAM"]
    }

    /// True when a row with `labels` may still belong to the query's list.
    public func keeps(_ labels: [String]) -> Bool {
        required.isSubset(of: labels) && excluded.isDisjoint(with: labels)
    }

    /// As `keeps`, for a conversation: its labels are the union of its messages', so a thread is left out
    /// only when no message carries a required label (an excluded label on one message says nothing of
    /// the others).
    public func keepsConversation(_ labels: [String]) -> Bool { required.isSubset(of: labels) }
}
