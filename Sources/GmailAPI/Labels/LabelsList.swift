// users.labels.list
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels/list
import Foundation

/// The answer of `users.labels.list` (entries carry no counts).
public struct LabelsListResponse: Codable, Sendable, Equatable {
    public var labels: [Label]?
}

extension GmailClient {
    /// `users.labels.list`: the call.
    public static func labelsListCall() -> GmailCall { GmailCall(path: "labels") }

    /// `users.labels.list`: every label, without counts.
    public func labelsList(accessToken: String) async throws(GmailError) -> LabelsListResponse {
        try await perform(Self.labelsListCall(), as: LabelsListResponse.self, accessToken: accessToken)
    }
}
