// users.history.list
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.history/list
import Foundation

extension Sandbox {
    func listHistory(_ request: SandboxRequest) throws(ErrorResponse) -> SandboxResponse {
        guard let raw = request.queryValue("startHistoryId") else {
            return GoogleError.invalidArgument("Missing required parameter: startHistoryId")
        }
        guard let start = Int(raw), start >= 0 else { return GoogleError.invalidArgument("Invalid startHistoryId") }
        let types = Set(request.queryValues("historyTypes"))
        let labelId = request.queryValue("labelId")
        var maxResults = 100
        if let m = request.queryValue("maxResults"), let n = Int(m), n > 0 { maxResults = min(n, 500) }
        let (records, current, labelsNow) = state.withLock { ($0.history, $0.historyId, $0.labels) }
        if start < Sandbox.firstHistoryId { return GoogleError.notFound }
        let key = "h|\(start)|\(types.sorted())|\(labelId ?? "")"
        let offset = try PageToken.offset(request, key: key)
        let matching = records.filter { r in
            guard r.id > start else { return false }
            if !types.isEmpty, !types.contains(r.kind == .labelsAdded ? "labelAdded" : "labelRemoved") { return false }
            if let labelId, !r.labelIds.contains(labelId) { return false }
            return true
        }
        let page = Array(matching.dropFirst(offset).prefix(maxResults))
        var out: [(String, JSON)] = []
        if !page.isEmpty {
            out.append(("history", .array(page.map { r in
                let m = mailbox.messages[mailbox.byId[r.messageId] ?? 0]
                let ref = JSON.object([("id", .string(m.id)), ("threadId", .string(m.threadId))])
                let change = JSON.array([.object([("message", Sandbox.labelledMessage(m, labels: labelsNow[m.id] ?? [])), ("labelIds", .array(r.labelIds.map(JSON.string)))])])
                return .object([("id", .string(String(r.id))), ("messages", .array([ref])), (r.kind == .labelsAdded ? "labelsAdded" : "labelsRemoved", change)])
            })))
            out += PageToken.next(offset: offset, count: page.count, total: matching.count, key: key)
        }
        out.append(("historyId", .string(String(current))))
        return .json(200, .object(out))
    }
}
