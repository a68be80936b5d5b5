// users.threads.trash
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/trash
import Foundation

extension Sandbox {
    /// Like messages.trash on every message of the thread: only TRASH changes.
    func trashThread(_ id: String) throws(ErrorResponse) -> SandboxResponse {
        try relabelThread(id, add: ["TRASH"], remove: [])
    }
}
