// users.messages.untrash
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/untrash
import Foundation

extension GmailClient {
    /// `users.messages.untrash`: the call (no body).
    public static func messagesUntrashCall(id: String) -> GmailCall {
        GmailCall(method: .post, segments: ["messages", id, "untrash"])
    }

    /// `users.messages.untrash`: takes one message out of the trash (removes `TRASH`).
    public func messagesUntrash(id: String, accessToken: String) async throws(GmailError) -> ModifiedMessage {
        try await perform(Self.messagesUntrashCall(id: id), as: ModifiedMessage.self, accessToken: accessToken)
    }
}
