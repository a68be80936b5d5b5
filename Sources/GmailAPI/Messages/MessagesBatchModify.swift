// users.messages.batchModify
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/batchModify
import Foundation

/// Parameters of `users.messages.batchModify`: the ids and one label change for all of them.
public struct MessagesBatchModifyParameters: Sendable, Equatable {
    /// Google's limit: "a limit of 1000 ids per request"; more gets 400 "Number of ids cannot exceed 1000".
    public static let maxIds = 1000

    public var ids: [String]
    public var change: LabelChangeRequest
    public init(ids: [String], change: LabelChangeRequest) { self.ids = ids; self.change = change }

    /// The same change split into requests of at most `maxIds` ids, in order.
    public var chunks: [MessagesBatchModifyParameters] {
        stride(from: 0, to: ids.count, by: Self.maxIds).map { start in
            MessagesBatchModifyParameters(ids: Array(ids[start..<min(start + Self.maxIds, ids.count)]), change: change)
        }
    }

    var json: Data { GmailJSON.object([("ids", ids)] + change.members) }
}

extension GmailClient {
    /// `users.messages.batchModify`: the call for at most 1,000 ids (see `MessagesBatchModifyParameters.chunks`).
    public static func messagesBatchModifyCall(_ parameters: MessagesBatchModifyParameters) -> GmailCall {
        GmailCall(method: .post, path: "messages/batchModify", body: parameters.json)
    }

    /// `users.messages.batchModify`: one label change for many messages, one request per 1,000 ids.
    ///
    /// Success has no body (Google says "empty"; 200 or 204 alike). A failed request stops the rest:
    /// the chunks before it are changed, the ones after are not.
    public func messagesBatchModify(_ parameters: MessagesBatchModifyParameters, accessToken: String) async throws(GmailError) {
        for chunk in parameters.chunks {
            _ = try await send(Self.messagesBatchModifyCall(chunk), accessToken: accessToken)
        }
    }
}
