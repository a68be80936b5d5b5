// users.labels.get
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels/get
import Foundation

/// Parameters of `users.labels.get`.
public struct LabelsGetParameters: Sendable, Equatable {
    public var id: String
    public init(id: String) { self.id = id }
}

extension GmailClient {
    /// `users.labels.get`: the call.
    public static func labelsGetCall(_ parameters: LabelsGetParameters) -> GmailCall {
        GmailCall(segments: ["labels", parameters.id])
    }

    /// `users.labels.get`: one label with its message and thread counts.
    public func labelsGet(_ parameters: LabelsGetParameters, accessToken: String) async throws(GmailError) -> Label {
        try await perform(Self.labelsGetCall(parameters), as: Label.self, accessToken: accessToken)
    }
}
