import Foundation

/// One row of the conversation list (`t`): a Gmail thread as its messages' metadata describe it.
public struct ConversationSummary: Sendable, Equatable, Identifiable {
    /// Gmail's thread id.
    public var id: String
    /// The subject of the thread's first message.
    public var subject: String
    /// The newest message's snippet (what `threads.list` gives).
    public var snippet: String
    /// The sender of each message, oldest first (repeats kept: the row shortens them).
    public var senders: [MailAddress]
    /// The thread's message ids, oldest first.
    public var messageIDs: [String]
    /// The newest message's date.
    public var date: Date?
    /// How many of its messages are unread (the row is unread when any is).
    public var unreadCount: Int
    /// The union of its messages' labels (a thread is starred when any message is).
    public var labelIDs: [String]
    /// True when any message is `multipart/mixed` (see `MessageSummary.hasAttachment`).
    public var hasAttachment: Bool
    /// Gmail's `historyId` of the thread when listed: a stored thread whose id changed is fetched again.
    public var historyID: String?
    public init(id: String, subject: String, snippet: String, senders: [MailAddress], messageIDs: [String], date: Date?,
                unreadCount: Int, labelIDs: [String], hasAttachment: Bool = false, historyID: String? = nil) {
        self.id = id; self.subject = subject; self.snippet = snippet; self.senders = senders; self.messageIDs = messageIDs
        self.date = date; self.unreadCount = unreadCount; self.labelIDs = labelIDs; self.hasAttachment = hasAttachment
        self.historyID = historyID
    }
    public var messageCount: Int { messageIDs.count }
    public var isUnread: Bool { unreadCount > 0 }
    public var isStarred: Bool { labelIDs.contains("STARRED") }
}

/// One page of a query's results as conversations (`threads.list`).
public struct ConversationPage: Sendable, Equatable {
    public var query: String
    /// The token this page was fetched with (nil for the first page).
    public var pageToken: String?
    public var conversations: [ConversationSummary]
    public var nextPageToken: String?
    public var resultSizeEstimate: Int
    /// As `MessagePage.storedAt`: nil when Gmail listed it just now, else when Gmail last listed it.
    public var storedAt: Date?
    public init(query: String, pageToken: String?, conversations: [ConversationSummary], nextPageToken: String?,
                resultSizeEstimate: Int, storedAt: Date? = nil) {
        self.query = query; self.pageToken = pageToken; self.conversations = conversations
        self.nextPageToken = nextPageToken; self.resultSizeEstimate = resultSizeEstimate; self.storedAt = storedAt
    }
}

/// A whole conversation, ready to read: every message, oldest first.
public struct Conversation: Sendable, Equatable, Identifiable {
    public var id: String
    public var messages: [MessageDetail]
    public init(id: String, messages: [MessageDetail]) { self.id = id; self.messages = messages }
    public var subject: String { messages.first?.subject ?? "" }
}

/// What a sync brought in the conversation list: as `SyncResult`, for `threads.list`.
public struct ConversationSyncResult: Sendable, Equatable {
    public var page: ConversationPage
    /// Messages added to the mailbox since the last sync that this page's conversations hold.
    public var newMessageIDs: [String]
    public var resynced: Bool
    /// As `SyncResult.labels`: Gmail's counts of the labels the sync touched, nil when none were asked for.
    public var labels: [LabelSummary]?
    public init(page: ConversationPage, newMessageIDs: [String] = [], resynced: Bool = false, labels: [LabelSummary]? = nil) {
        self.page = page; self.newMessageIDs = newMessageIDs; self.resynced = resynced; self.labels = labels
    }
}

/// What a change of mail applies to: the messages named, or (in the conversation list) whole threads,
/// through `threads.modify`/`threads.trash`.
public enum ChangeTarget: Sendable, Equatable, Hashable {
    case messages
    case conversations
}
