// users.history.list
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.history/list
import Foundation

/// Parameters of `users.history.list`.
public struct HistoryListParameters: Sendable, Equatable {
    /// Required: changes after this id.
    public var startHistoryId: String
    /// `messageAdded`, `messageDeleted`, `labelAdded`, `labelRemoved` (repeated).
    public var historyTypes: [String]
    public var labelId: String?
    public var maxResults: Int?
    public var pageToken: String?

    public init(startHistoryId: String, historyTypes: [String] = [], labelId: String? = nil, maxResults: Int? = nil, pageToken: String? = nil) {
        self.startHistoryId = startHistoryId; self.historyTypes = historyTypes; self.labelId = labelId
        self.maxResults = maxResults; self.pageToken = pageToken
    }

    var query: [QueryItem] {
        var items = [QueryItem("startHistoryId", startHistoryId)]
        items.append("historyTypes", each: historyTypes)
        items.append("labelId", labelId)
        items.append("maxResults", maxResults.map { String(min(max($0, 1), 500)) })
        items.append("pageToken", pageToken)
        return items
    }
}

/// One change record.
public struct HistoryRecord: Codable, Sendable, Equatable {
    public struct MessageChange: Codable, Sendable, Equatable {
        public var message: MessageRef
    }
    public struct LabelChange: Codable, Sendable, Equatable {
        public var message: MessageRef
        public var labelIds: [String]?
    }
    public var id: String
    public var messages: [MessageRef]?
    public var messagesAdded: [MessageChange]?
    public var messagesDeleted: [MessageChange]?
    public var labelsAdded: [LabelChange]?
    public var labelsRemoved: [LabelChange]?
}

/// The answer of `users.history.list`; with no changes only `historyId` comes back.
public struct HistoryListResponse: Codable, Sendable, Equatable {
    public var history: [HistoryRecord]?
    public var nextPageToken: String?
    public var historyId: String?
}

extension GmailClient {
    /// `users.history.list`: the call.
    public static func historyListCall(_ parameters: HistoryListParameters) -> GmailCall {
        GmailCall(path: "history", query: parameters.query)
    }

    /// `users.history.list`: changes since a history id (404 `.notFound` means: do a full sync).
    public func historyList(_ parameters: HistoryListParameters, accessToken: String) async throws(GmailError) -> HistoryListResponse {
        try await perform(Self.historyListCall(parameters), as: HistoryListResponse.self, accessToken: accessToken)
    }
}
