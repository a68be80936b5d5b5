// users.messages.untrash
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/untrash
import Foundation

extension Sandbox {
    func untrashMessage(_ id: String) throws(ErrorResponse) -> SandboxResponse {
        try relabel(id, add: [], remove: ["TRASH"])
    }
}
