import Foundation
import HTTPCore

// Gmail's JSON models. Every field Google documents as optional is optional here;
// `historyId` and `internalDate` are strings on the wire.

/// A message id and its thread, as `messages.list` returns them.
public struct MessageRef: Codable, Sendable, Equatable {
    public var id: String
    public var threadId: String?
    /// The message's labels, in history records (right after the change; right before it for a deletion).
    public var labelIds: [String]?
    public init(id: String, threadId: String?, labelIds: [String]? = nil) { self.id = id; self.threadId = threadId; self.labelIds = labelIds }
}

/// `Message`.
public struct Message: Codable, Sendable, Equatable {
    public var id: String
    public var threadId: String?
    public var labelIds: [String]?
    public var snippet: String?
    public var historyId: String?
    /// Epoch milliseconds, as a string.
    public var internalDate: String?
    public var sizeEstimate: Int?
    public var payload: MessagePart?
    /// The whole RFC 822 message in base64url (`format=raw` only).
    public var raw: String?

    public init(id: String, threadId: String? = nil, labelIds: [String]? = nil, snippet: String? = nil, historyId: String? = nil,
                internalDate: String? = nil, sizeEstimate: Int? = nil, payload: MessagePart? = nil, raw: String? = nil) {
        self.id = id; self.threadId = threadId; self.labelIds = labelIds; self.snippet = snippet; self.historyId = historyId
        self.internalDate = internalDate; self.sizeEstimate = sizeEstimate; self.payload = payload; self.raw = raw
    }

    /// `internalDate` as a date.
    public var internalDateValue: Date? {
        guard let internalDate, let ms = Double(internalDate) else { return nil }
        return Date(timeIntervalSince1970: ms / 1000)
    }

    /// The first top-level header with this name (case-insensitive).
    public func header(_ name: String) -> String? { payload?.header(name) }

    /// The raw bytes of a `format=raw` message.
    public var rawData: Data? { raw.flatMap(Base64URL.decode) }
}

/// `MessagePart`: one node of the payload tree.
public struct MessagePart: Codable, Sendable, Equatable {
    public var partId: String?
    public var mimeType: String?
    public var filename: String?
    public var headers: [MessageHeader]?
    public var body: MessagePartBody?
    public var parts: [MessagePart]?

    public init(partId: String? = nil, mimeType: String? = nil, filename: String? = nil, headers: [MessageHeader]? = nil,
                body: MessagePartBody? = nil, parts: [MessagePart]? = nil) {
        self.partId = partId; self.mimeType = mimeType; self.filename = filename; self.headers = headers
        self.body = body; self.parts = parts
    }

    public func header(_ name: String) -> String? {
        headers?.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// One header of a part.
public struct MessageHeader: Codable, Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) { self.name = name; self.value = value }
}

/// `MessagePartBody`: inline data, or an `attachmentId` to fetch it separately.
public struct MessagePartBody: Codable, Sendable, Equatable {
    public var attachmentId: String?
    /// Decoded size in bytes.
    public var size: Int?
    /// base64url, with or without padding.
    public var data: String?
    public init(attachmentId: String? = nil, size: Int? = nil, data: String? = nil) {
        self.attachmentId = attachmentId; self.size = size; self.data = data
    }
    /// `data` decoded (nil when absent or not base64url).
    public var decodedData: Data? { data.flatMap(Base64URL.decode) }
}

/// `Label`. Counts come only from `labels.get`.
public struct Label: Codable, Sendable, Equatable {
    public struct Color: Codable, Sendable, Equatable {
        public var textColor: String?
        public var backgroundColor: String?
    }
    public var id: String
    public var name: String?
    /// `system` or `user`.
    public var type: String?
    public var messageListVisibility: String?
    public var labelListVisibility: String?
    public var messagesTotal: Int?
    public var messagesUnread: Int?
    public var threadsTotal: Int?
    public var threadsUnread: Int?
    public var color: Color?

    public init(id: String, name: String? = nil, type: String? = nil, messagesTotal: Int? = nil, messagesUnread: Int? = nil) {
        self.id = id; self.name = name; self.type = type; self.messagesTotal = messagesTotal; self.messagesUnread = messagesUnread
    }
}

/// `Thread`.
public struct MailThread: Codable, Sendable, Equatable {
    public var id: String
    public var snippet: String?
    public var historyId: String?
    public var messages: [Message]?
}

/// `Profile`.
public struct Profile: Codable, Sendable, Equatable {
    public var emailAddress: String?
    public var messagesTotal: Int?
    public var threadsTotal: Int?
    public var historyId: String?
}
