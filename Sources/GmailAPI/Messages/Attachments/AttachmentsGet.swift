// users.messages.attachments.get
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages.attachments/get
import Foundation

/// Parameters of `users.messages.attachments.get`.
public struct AttachmentsGetParameters: Sendable, Equatable {
    public var messageId: String
    public var id: String
    public init(messageId: String, id: String) { self.messageId = messageId; self.id = id }
}

extension GmailClient {
    /// `users.messages.attachments.get`: the call.
    public static func attachmentsGetCall(_ parameters: AttachmentsGetParameters) -> GmailCall {
        GmailCall(segments: ["messages", parameters.messageId, "attachments", parameters.id])
    }

    /// `users.messages.attachments.get`: an attachment's body (`size`, base64url `data`; no filename).
    public func attachmentsGet(_ parameters: AttachmentsGetParameters, accessToken: String) async throws(GmailError) -> MessagePartBody {
        try await perform(Self.attachmentsGetCall(parameters), as: MessagePartBody.self, accessToken: accessToken)
    }
}
