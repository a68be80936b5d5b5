// users.messages.get
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/get
import Foundation

/// The `format` of `users.messages.get` and `users.threads.get`.
public enum MessageFormat: String, Sendable, Equatable {
    case minimal, metadata, full, raw
}

/// Parameters of `users.messages.get`.
public struct MessagesGetParameters: Sendable, Equatable {
    public var id: String
    public var format: MessageFormat?
    /// Only with `format=metadata`; sent as repeated `metadataHeaders`.
    public var metadataHeaders: [String]
    /// Partial response selector (`fields=`).
    public var fields: String?

    public init(id: String, format: MessageFormat? = nil, metadataHeaders: [String] = [], fields: String? = nil) {
        self.id = id; self.format = format; self.metadataHeaders = metadataHeaders; self.fields = fields
    }

    /// What a message list row needs: From, Subject, Date headers, labels, snippet and date, and the
    /// top-level MIME type (a `multipart/mixed` message is marked as having attachments).
    public static func summary(id: String) -> MessagesGetParameters {
        MessagesGetParameters(id: id, format: .metadata, metadataHeaders: ["From", "Subject", "Date"],
                              fields: "id,threadId,labelIds,snippet,internalDate,payload/headers,payload/mimeType")
    }

    var query: [QueryItem] {
        var items: [QueryItem] = []
        items.append("format", format?.rawValue)
        if format == .metadata { items.append("metadataHeaders", each: metadataHeaders) }
        items.append("fields", fields)
        return items
    }
}

extension GmailClient {
    /// `users.messages.get`: the call.
    public static func messagesGetCall(_ parameters: MessagesGetParameters) -> GmailCall {
        GmailCall(segments: ["messages", parameters.id], query: parameters.query)
    }

    /// `users.messages.get`: one message in the requested format.
    public func messagesGet(_ parameters: MessagesGetParameters, accessToken: String) async throws(GmailError) -> Message {
        try await perform(Self.messagesGetCall(parameters), as: Message.self, accessToken: accessToken)
    }
}
