// users.threads.trash
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/trash
import Foundation

extension GmailClient {
    /// `users.threads.trash`: the call (no body).
    public static func threadsTrashCall(id: String) -> GmailCall {
        GmailCall(method: .post, segments: ["threads", id, "trash"])
    }

    /// `users.threads.trash`: moves every message of a thread to the trash.
    public func threadsTrash(id: String, accessToken: String) async throws(GmailError) -> ModifiedThread {
        try await perform(Self.threadsTrashCall(id: id), as: ModifiedThread.self, accessToken: accessToken)
    }
}
