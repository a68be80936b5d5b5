// users.messages.trash
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/trash
import Foundation

extension Sandbox {
    func trashMessage(_ id: String) throws(ErrorResponse) -> SandboxResponse {
        try relabel(id, add: ["TRASH"], remove: [])
    }
}
