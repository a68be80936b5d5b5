// users.getProfile
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users/getProfile
import Foundation

extension GmailClient {
    /// `users.getProfile`: the call.
    public static func getProfileCall() -> GmailCall { GmailCall(path: "profile") }

    /// `users.getProfile`: the signed-in user's address and totals.
    public func getProfile(accessToken: String) async throws(GmailError) -> Profile {
        try await perform(Self.getProfileCall(), as: Profile.self, accessToken: accessToken)
    }
}
