// users.labels.list
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels/list
import Foundation

extension Sandbox {
    func listLabels() -> SandboxResponse {
        .json(200, .object([("labels", .array(allLabelEntries().map { .object($0.entry) }))]))
    }
}
