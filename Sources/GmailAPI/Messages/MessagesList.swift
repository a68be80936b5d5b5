// users.messages.list
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list
import Foundation

/// Parameters of `users.messages.list`.
public struct MessagesListParameters: Sendable, Equatable {
    /// Gmail search syntax (refused under the `gmail.metadata` scope).
    public var q: String?
    /// Messages must carry every one of these labels (sent as repeated `labelIds`).
    public var labelIds: [String]
    /// 1 to 500; Google's default is 100.
    public var maxResults: Int?
    public var pageToken: String?
    public var includeSpamTrash: Bool?
    /// Partial response selector (`fields=`).
    public var fields: String?

    public init(q: String? = nil, labelIds: [String] = [], maxResults: Int? = nil, pageToken: String? = nil,
                includeSpamTrash: Bool? = nil, fields: String? = nil) {
        self.q = q; self.labelIds = labelIds; self.maxResults = maxResults; self.pageToken = pageToken
        self.includeSpamTrash = includeSpamTrash; self.fields = fields
    }

    var query: [QueryItem] {
        var items: [QueryItem] = []
        items.append("q", q.flatMap { $0.isEmpty ? nil : $0 })
        items.append("labelIds", each: labelIds)
        items.append("maxResults", maxResults.map { String(min(max($0, 1), 500)) })
        items.append("pageToken", pageToken)
        items.append("includeSpamTrash", includeSpamTrash.map { $0 ? "true" : "false" })
        items.append("fields", fields)
        return items
    }
}

/// The answer of `users.messages.list`. `messages` is absent when nothing matches.
public struct MessagesListResponse: Codable, Sendable, Equatable {
    public var messages: [MessageRef]?
    public var nextPageToken: String?
    public var resultSizeEstimate: Int?
}

extension GmailClient {
    /// `users.messages.list`: the call.
    public static func messagesListCall(_ parameters: MessagesListParameters) -> GmailCall {
        GmailCall(path: "messages", query: parameters.query)
    }

    /// `users.messages.list`: one page of message ids matching a query.
    public func messagesList(_ parameters: MessagesListParameters, accessToken: String) async throws(GmailError) -> MessagesListResponse {
        try await perform(Self.messagesListCall(parameters), as: MessagesListResponse.self, accessToken: accessToken)
    }
}
