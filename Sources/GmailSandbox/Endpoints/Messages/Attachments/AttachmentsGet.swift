// users.messages.attachments.get
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages.attachments/get
import Foundation

extension Sandbox {
    func getAttachment(_ messageId: String, _ attachmentId: String) throws(ErrorResponse) -> SandboxResponse {
        let m = try message(messageId)
        guard let data = parsed(m).attachments[attachmentId] else {
            return GoogleError.invalidArgument("Invalid attachment token")
        }
        return .json(200, .object([("size", .int(data.count)), ("data", .string(SandboxBase64.encode(data)))]))
    }
}
