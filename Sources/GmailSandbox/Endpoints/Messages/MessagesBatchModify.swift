// users.messages.batchModify
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/batchModify
import Foundation

extension Sandbox {
    /// All or nothing: every id is checked before any message changes.
    func batchModify(_ request: SandboxRequest) throws(ErrorResponse) -> SandboxResponse {
        let body = try Sandbox.jsonBody(request)
        let ids = body["ids"]?.strings ?? []
        if ids.count > 1000 { return GoogleError.invalidArgument("Number of ids cannot exceed 1000") }
        let changes = try labelChanges(body)
        for id in ids { _ = try message(id) }
        // Checked again under the lock that changes them, so a deletion in between changes nothing.
        let changed = state.withLock { s -> Bool in
            guard ids.allSatisfy({ s.mailbox.byId[$0.lowercased()] != nil }) else { return false }
            for id in ids { _ = Sandbox.apply(&s, id.lowercased(), add: changes.add, remove: changes.remove) }
            return true
        }
        return changed ? SandboxResponse(status: 204) : GoogleError.notFound
    }
}
