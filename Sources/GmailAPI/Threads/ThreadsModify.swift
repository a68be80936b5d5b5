// users.threads.modify
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/modify
import Foundation

/// The answer of the thread methods that change mail: every message of the thread with its labels afterwards.
public struct ModifiedThread: Codable, Sendable, Equatable {
    public var id: String
    public var messages: [ModifiedMessage]?
}

extension GmailClient {
    /// `users.threads.modify`: the call.
    public static func threadsModifyCall(id: String, _ change: LabelChangeRequest) -> GmailCall {
        GmailCall(method: .post, segments: ["threads", id, "modify"], body: change.json)
    }

    /// `users.threads.modify`: adds and removes labels of every message of a thread.
    public func threadsModify(id: String, _ change: LabelChangeRequest, accessToken: String) async throws(GmailError) -> ModifiedThread {
        try await perform(Self.threadsModifyCall(id: id, change), as: ModifiedThread.self, accessToken: accessToken)
    }
}
