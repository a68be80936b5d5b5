// users.threads.untrash
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/untrash
import Foundation

extension GmailClient {
    /// `users.threads.untrash`: the call (no body).
    public static func threadsUntrashCall(id: String) -> GmailCall {
        GmailCall(method: .post, segments: ["threads", id, "untrash"])
    }

    /// `users.threads.untrash`: takes every message of a thread out of the trash (the undo of `threads.trash`).
    public func threadsUntrash(id: String, accessToken: String) async throws(GmailError) -> ModifiedThread {
        try await perform(Self.threadsUntrashCall(id: id), as: ModifiedThread.self, accessToken: accessToken)
    }
}
