// users.getProfile
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users/getProfile
import Foundation

extension Sandbox {
    func profile(_ caller: Caller) -> SandboxResponse {
        let historyId = state.withLock { $0.historyId }
        return .json(200, .object([
            ("emailAddress", .string(caller.email)), ("messagesTotal", .int(mailbox.messages.count)),
            ("threadsTotal", .int(mailbox.threads.count)), ("historyId", .string(String(historyId))),
        ]))
    }
}
