// users.threads.modify
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/modify
import Foundation

extension Sandbox {
    func modifyThread(_ id: String, _ request: SandboxRequest) throws(ErrorResponse) -> SandboxResponse {
        _ = try self.thread(id)
        let changes = try labelChanges(Sandbox.jsonBody(request))
        return try relabelThread(id, add: changes.add, remove: changes.remove)
    }

    /// Changes every message of a thread (threads.modify, trash, untrash); answers `{id, messages}`.
    func relabelThread(_ id: String, add: [String], remove: [String]) throws(ErrorResponse) -> SandboxResponse {
        let thread = try self.thread(id)
        let results: [JSON] = state.withLock { s in
            thread.messages.map { m in
                Sandbox.labelledMessage(m, labels: Sandbox.apply(&s, m.id, add: add, remove: remove))
            }
        }
        return .json(200, .object([("id", .string(thread.id)), ("messages", .array(results))]))
    }
}
