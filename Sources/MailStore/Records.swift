import Foundation

// The values the store reads and writes. Each one maps 1:1 to a MailModels value (or a Gmail answer)
// so that the service converts without losing anything; the store keeps its own types only so that it
// depends on nothing but GRDB and Foundation.

/// A sender as stored: `MailAddress` in MailModels.
public struct StoredAddress: Sendable, Equatable, Hashable {
    /// The display name, when the header has one.
    public var name: String?
    public var email: String
    public init(name: String?, email: String) { self.name = name; self.email = email }
}

/// One message list row as stored: `MessageSummary` in MailModels (its `isUnread` is
/// `labelIDs.contains("UNREAD")`), built from `messages.get` with `format=metadata`.
public struct StoredSummary: Sendable, Equatable, Identifiable {
    public var id: String
    public var threadID: String
    /// Gmail's `labelIds`, in Gmail's order; history records add and remove entries.
    public var labelIDs: [String]
    public var from: StoredAddress
    public var subject: String
    /// `internalDate`, kept to the millisecond (Gmail's own precision).
    public var date: Date?
    public var snippet: String
    /// Gmail's `sizeEstimate` in bytes.
    public var sizeEstimate: Int
    public var hasAttachment: Bool

    public init(id: String, threadID: String, labelIDs: [String], from: StoredAddress, subject: String, date: Date?,
                snippet: String, sizeEstimate: Int, hasAttachment: Bool) {
        self.id = id; self.threadID = threadID; self.labelIDs = labelIDs; self.from = from; self.subject = subject
        self.date = date; self.snippet = snippet; self.sizeEstimate = sizeEstimate; self.hasAttachment = hasAttachment
    }
}

/// How a stored body is kept: the message as Gmail sent it, or text already rendered for reading.
public enum BodyFormat: String, Sendable, Equatable, CaseIterable {
    /// The RFC 822 bytes (`format=raw`), parsed again when shown.
    case raw
    /// Text ready for the message view (MailModels' `MessageDetail.body` and its headers, encoded by the service).
    case rendered
}

/// A message body kept for offline reading.
public struct StoredBody: Sendable, Equatable {
    public var messageID: String
    public var format: BodyFormat
    public var content: Data
    public init(messageID: String, format: BodyFormat, content: Data) {
        self.messageID = messageID; self.format = format; self.content = content
    }
}

/// One page of one query's results as Gmail listed them: `MessagePage` in MailModels without the
/// summaries, which are stored once per message and joined when read.
public struct StoredPage: Sendable, Equatable {
    /// The Gmail query exactly as sent (`q`), so that `is:unread` and `is:unread ` are two lists.
    public var query: String
    /// 0 for the first page.
    public var pageIndex: Int
    /// The token this page was fetched with (nil for the first page).
    public var pageToken: String?
    /// Message ids in Gmail's order.
    public var messageIDs: [String]
    public var nextPageToken: String?
    public var resultSizeEstimate: Int
    /// When Gmail answered, kept to the millisecond; the header's "synced 2 min ago".
    public var fetchedAt: Date

    public init(query: String, pageIndex: Int, pageToken: String?, messageIDs: [String], nextPageToken: String?,
                resultSizeEstimate: Int, fetchedAt: Date) {
        self.query = query; self.pageIndex = pageIndex; self.pageToken = pageToken; self.messageIDs = messageIDs
        self.nextPageToken = nextPageToken; self.resultSizeEstimate = resultSizeEstimate; self.fetchedAt = fetchedAt
    }
}

/// A stored page with the summaries the store holds for it, in the page's order. Ids whose summary is
/// not stored are in `missingIDs` (the service fetches their metadata).
public struct StoredPageContent: Sendable, Equatable {
    public var page: StoredPage
    public var summaries: [StoredSummary]
    public var missingIDs: [String]
}

/// A label with its counts: `LabelSummary` in MailModels, from `labels.list` and `labels.get`.
public struct StoredLabel: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    /// Gmail's `type`: `system` or `user`.
    public var type: String
    public var messagesTotal: Int?
    public var messagesUnread: Int?
    public var threadsTotal: Int?
    public var threadsUnread: Int?

    public init(id: String, name: String, type: String, messagesTotal: Int? = nil, messagesUnread: Int? = nil,
                threadsTotal: Int? = nil, threadsUnread: Int? = nil) {
        self.id = id; self.name = name; self.type = type; self.messagesTotal = messagesTotal
        self.messagesUnread = messagesUnread; self.threadsTotal = threadsTotal; self.threadsUnread = threadsUnread
    }

    public var isSystem: Bool { type == "system" }
}

/// One change from `history.list`, flattened in the order Gmail lists them: each record's
/// `messagesAdded`, `messagesDeleted`, `labelsAdded` and `labelsRemoved` entries become one change each.
public enum HistoryChange: Sendable, Equatable {
    /// A message arrived (or was restored); `labelIDs` as the record gives them.
    case messageAdded(id: String, threadID: String, labelIDs: [String]?)
    /// A message was deleted for good (not trashed: trashing is `labelsAdded` `TRASH`).
    case messageDeleted(id: String)
    case labelsAdded(id: String, labelIDs: [String])
    case labelsRemoved(id: String, labelIDs: [String])
}

/// What applying a run of history changes did.
public struct HistoryOutcome: Sendable, Equatable {
    /// False when the store already held a newer `historyId` (another instance synced further):
    /// nothing was changed, and the caller reads the store instead.
    public var applied: Bool
    /// Added messages with no stored summary, in the order they arrived: the metadata to fetch.
    public var missingIDs: [String]
    /// Deleted messages that were removed from summaries, bodies and pages.
    public var deletedIDs: [String]
    /// Stored messages whose labels changed.
    public var changedIDs: [String]

    public init(applied: Bool, missingIDs: [String] = [], deletedIDs: [String] = [], changedIDs: [String] = []) {
        self.applied = applied; self.missingIDs = missingIDs; self.deletedIDs = deletedIDs; self.changedIDs = changedIDs
    }
}
