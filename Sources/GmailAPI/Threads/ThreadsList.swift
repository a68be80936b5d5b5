// users.threads.list
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/list
import Foundation

/// Parameters of `users.threads.list` (the same as `users.messages.list`).
public typealias ThreadsListParameters = MessagesListParameters

/// A thread as listed: id, snippet, history id, no messages.
public struct ThreadRef: Codable, Sendable, Equatable {
    public var id: String
    public var snippet: String?
    public var historyId: String?
}

/// The answer of `users.threads.list`. `threads` is absent when nothing matches.
public struct ThreadsListResponse: Codable, Sendable, Equatable {
    public var threads: [ThreadRef]?
    public var nextPageToken: String?
    public var resultSizeEstimate: Int?
}

extension GmailClient {
    /// `users.threads.list`: the call.
    public static func threadsListCall(_ parameters: ThreadsListParameters) -> GmailCall {
        GmailCall(path: "threads", query: parameters.query)
    }

    /// `users.threads.list`: one page of threads matching a query.
    public func threadsList(_ parameters: ThreadsListParameters, accessToken: String) async throws(GmailError) -> ThreadsListResponse {
        try await perform(Self.threadsListCall(parameters), as: ThreadsListResponse.self, accessToken: accessToken)
    }
}
