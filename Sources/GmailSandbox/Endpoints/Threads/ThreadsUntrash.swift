// users.threads.untrash
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/untrash
import Foundation

extension Sandbox {
    func untrashThread(_ id: String) throws(ErrorResponse) -> SandboxResponse {
        try relabelThread(id, add: [], remove: ["TRASH"])
    }
}
