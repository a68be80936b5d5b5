// users.getProfile
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users/getProfile
import Foundation

extension Sandbox {
    func profile(_ caller: Caller) -> SandboxResponse {
        let (box, historyId) = state.withLock { ($0.mailbox, $0.historyId) }
        return .json(200, .object([
            ("emailAddress", .string(caller.email)), ("messagesTotal", .int(box.messages.count)),
            ("threadsTotal", .int(box.threads.count)), ("historyId", .string(String(historyId))),
        ]))
    }
}
