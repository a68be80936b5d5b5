// users.messages.get
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/get
import Foundation

extension Sandbox {
    func getMessage(_ id: String, _ request: SandboxRequest, _ caller: Caller) throws(ErrorResponse) -> SandboxResponse {
        let m = try message(id)
        let f = try Sandbox.format(request, allowRaw: true, caller: caller, requestType: "GetMessageRequest")
        return .json(200, messageJSON(m, format: f, metadataHeaders: request.queryValues("metadataHeaders")))
    }
}
