// users.threads.get
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/get
import Foundation

extension Sandbox {
    func getThread(_ id: String, _ request: SandboxRequest, _ caller: Caller) throws(ErrorResponse) -> SandboxResponse {
        let thread = try self.thread(id)
        let f = try Sandbox.format(request, allowRaw: false, caller: caller, requestType: "GetThreadRequest")
        let headers = request.queryValues("metadataHeaders")
        let messages = thread.messages.map { messageJSON($0, format: f, metadataHeaders: headers) }
        let historyId = state.withLock { s in thread.messages.map { s.messageHistoryId[$0.id] ?? 0 }.max() ?? 0 }
        return .json(200, .object([("id", .string(thread.id)), ("historyId", .string(String(historyId))), ("messages", .array(messages))]))
    }
}
