// users.messages.modify
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/modify
import Foundation

extension Sandbox {
    func modifyMessage(_ id: String, _ request: SandboxRequest) throws(ErrorResponse) -> SandboxResponse {
        let changes = try labelChanges(Sandbox.jsonBody(request))
        return try relabel(id, add: changes.add, remove: changes.remove)
    }
}
