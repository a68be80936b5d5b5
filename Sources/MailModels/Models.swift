import Foundation

/// Who the service is signed in as.
public struct MailAccount: Sendable, Equatable {
    public var email: String
    public var userID: String
    public init(email: String, userID: String) { self.email = email; self.userID = userID }
}

/// A person in a From/To/Cc header.
public struct MailAddress: Sendable, Equatable, Hashable {
    public var name: String?
    public var email: String
    public init(name: String?, email: String) { self.name = name; self.email = email }
    /// The name if there is one, else the address.
    public var displayName: String { (name?.isEmpty == false ? name : nil) ?? email }
}

/// One row of the message list.
public struct MessageSummary: Sendable, Equatable, Identifiable {
    public var id: String
    public var threadID: String
    public var from: MailAddress
    public var subject: String
    public var date: Date?
    public var snippet: String
    public var isUnread: Bool
    public var labelIDs: [String]
    /// True when the message is `multipart/mixed`, the shape a message with attached files has: Gmail's
    /// metadata names no attachments, and this costs no request beyond the row's own.
    public var hasAttachment: Bool
    public init(id: String, threadID: String, from: MailAddress, subject: String, date: Date?, snippet: String, isUnread: Bool, labelIDs: [String],
                hasAttachment: Bool = false) {
        self.id = id; self.threadID = threadID; self.from = from; self.subject = subject; self.date = date
        self.snippet = snippet; self.isUnread = isUnread; self.labelIDs = labelIDs; self.hasAttachment = hasAttachment
    }
    /// Starred (`STARRED` among the labels).
    public var isStarred: Bool { labelIDs.contains("STARRED") }
}

/// One page of a query's results.
public struct MessagePage: Sendable, Equatable {
    public var query: String
    /// The token this page was fetched with (nil for the first page).
    public var pageToken: String?
    public var messages: [MessageSummary]
    public var nextPageToken: String?
    public var resultSizeEstimate: Int
    /// Nil when Gmail listed this page just now; when it was answered from the local store instead (at start,
    /// or with Gmail unreachable), the time Gmail last listed it, for the header's "synced 2 min ago".
    public var storedAt: Date?
    public init(query: String, pageToken: String?, messages: [MessageSummary], nextPageToken: String?, resultSizeEstimate: Int,
                storedAt: Date? = nil) {
        self.query = query; self.pageToken = pageToken; self.messages = messages
        self.nextPageToken = nextPageToken; self.resultSizeEstimate = resultSizeEstimate; self.storedAt = storedAt
    }
}

/// An attachment as listed in the message view.
public struct AttachmentSummary: Sendable, Equatable, Hashable {
    public var filename: String
    public var mimeType: String
    public var size: Int
    /// Gmail's `partId` of the part (`"1"`, `"0.2"`): where its bytes are found again. Nil for a part Gmail
    /// does not address on its own (inside a forwarded message sent as one part).
    public var partID: String?
    /// Gmail's `attachmentId` for `messages.attachments.get`, when the bytes were left out of the message.
    public var attachmentID: String?
    public init(filename: String, mimeType: String, size: Int, partID: String? = nil, attachmentID: String? = nil) {
        self.filename = filename; self.mimeType = mimeType; self.size = size; self.partID = partID; self.attachmentID = attachmentID
    }
}

/// One header line of a message, its value decoded for display.
public struct MailHeader: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) { self.name = name; self.value = value }
}

/// A whole message, ready to read.
public struct MessageDetail: Sendable, Equatable, Identifiable {
    public var id: String
    public var threadID: String
    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var date: Date?
    public var subject: String
    public var body: String
    public var attachments: [AttachmentSummary]
    public var isUnread: Bool
    public var labelIDs: [String]
    /// Every header of the message, in order (`H` in the message view).
    public var headers: [MailHeader]
    public init(id: String, threadID: String, from: MailAddress, to: [MailAddress], cc: [MailAddress], date: Date?, subject: String, body: String, attachments: [AttachmentSummary], isUnread: Bool, labelIDs: [String],
                headers: [MailHeader] = []) {
        self.id = id; self.threadID = threadID; self.from = from; self.to = to; self.cc = cc; self.date = date
        self.subject = subject; self.body = body; self.attachments = attachments; self.isUnread = isUnread; self.labelIDs = labelIDs
        self.headers = headers
    }
}

/// A label with its counts.
public struct LabelSummary: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var isSystem: Bool
    public var messagesTotal: Int?
    public var messagesUnread: Int?
    public init(id: String, name: String, isSystem: Bool, messagesTotal: Int?, messagesUnread: Int?) {
        self.id = id; self.name = name; self.isSystem = isSystem; self.messagesTotal = messagesTotal; self.messagesUnread = messagesUnread
    }
}

/// Why the grant is gone.
public enum ReauthorizationReason: Sendable, Equatable {
    /// The refresh token was refused (`invalid_grant`): revoked, expired (7 days in Testing), or password changed.
    case grantRevoked
    /// Google answered 401 right after a successful refresh.
    case rejectedAfterRefresh
    /// No refresh token is stored for this account.
    case noRefreshToken
}

/// What the service reports to the UI. Messages say what the user can do; none carries a secret.
public enum MailServiceError: Error, Sendable, Equatable {
    /// The grant is gone: show the authorization screen (with `login_hint` = `email`), then retry.
    case reauthorizationRequired(email: String, reason: ReauthorizationReason)
    /// No HTTP answer (after retries).
    case network(String)
    /// Rate limited (after retries).
    case rateLimited
    /// The message or page does not exist (deleted since listed).
    case notFound
    /// Any other failure Google reported.
    case api(status: Int, message: String)
    /// The account was forgotten (`gmail-tui logout`) by another gmail-tui while this one ran: its
    /// credentials are not written back, and nothing more is fetched for it.
    case loggedOutElsewhere(email: String)
    /// Gmail answered with something that cannot be read: `summary` in the user's words ("Gmail sent an
    /// answer that is not JSON"), `detail` for the log.
    case badAnswer(String, detail: String)
    /// Google's token endpoint failed (5xx after retries, or an answer that cannot be read).
    case tokenEndpoint(String)
    /// The set-up is wrong and retrying cannot help: the OAuth client was refused (`invalid_client`), or
    /// an address is plain `http://` off loopback.
    case configuration(String)
    /// Changing mail needs `gmail.modify`, which the grant of `email` lacks (never asked for, or removed in
    /// the Google account's settings: Gmail answered 403 `insufficientPermissions`). Ask for it, then retry.
    case modifyPermissionRequired(email: String)
}
