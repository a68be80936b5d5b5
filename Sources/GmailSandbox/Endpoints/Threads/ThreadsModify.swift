// users.threads.modify
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/modify
import Foundation

extension Sandbox {
    func modifyThread(_ id: String, _ request: SandboxRequest) throws(ErrorResponse) -> SandboxResponse {
        let thread = try self.thread(id)
        let changes = try labelChanges(Sandbox.jsonBody(request))
        let results: [JSON] = state.withLock { s in
            thread.messages.map { m in
                Sandbox.labelledMessage(m, labels: Sandbox.apply(&s, m.id, add: changes.add, remove: changes.remove))
            }
        }
        return .json(200, .object([("id", .string(thread.id)), ("messages", .array(results))]))
    }
}
