// users.threads.modify
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/modify
import Foundation

extension Sandbox {
    func modifyThread(_ id: String, _ request: SandboxRequest) throws(ErrorResponse) -> SandboxResponse {
        let thread = try self.thread(id)
        let changes = try labelChanges(Sandbox.jsonBody(request))
        return relabel(thread, add: changes.add, remove: changes.remove)
    }

    /// Changes every message of a thread (threads.modify, trash, untrash); answers `{id, messages}`.
    func relabelThread(_ id: String, add: [String], remove: [String]) throws(ErrorResponse) -> SandboxResponse {
        relabel(try self.thread(id), add: add, remove: remove)
    }

    /// A message deleted since the lookup is left out of the answer.
    private func relabel(_ thread: (id: String, messages: [StoredMessage]), add: [String], remove: [String]) -> SandboxResponse {
        let results: [JSON] = state.withLock { s in
            thread.messages.compactMap { m in
                Sandbox.apply(&s, m.id, add: add, remove: remove).map { Sandbox.labelledMessage(m, labels: $0) }
            }
        }
        return .json(200, .object([("id", .string(thread.id)), ("messages", .array(results))]))
    }
}
