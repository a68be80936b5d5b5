// users.messages.trash
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/trash
import Foundation

extension GmailClient {
    /// `users.messages.trash`: the call (no body).
    public static func messagesTrashCall(id: String) -> GmailCall {
        GmailCall(method: .post, segments: ["messages", id, "trash"])
    }

    /// `users.messages.trash`: moves one message to the trash (adds `TRASH`, other labels stay).
    public func messagesTrash(id: String, accessToken: String) async throws(GmailError) -> ModifiedMessage {
        try await perform(Self.messagesTrashCall(id: id), as: ModifiedMessage.self, accessToken: accessToken)
    }
}
