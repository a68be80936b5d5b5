// users.history.list
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.history/list
import Foundation

extension Sandbox {
    /// Records after `startHistoryId`, oldest first, filtered by `historyTypes` and `labelId`.
    ///
    /// A page token names the last record of its page, so records written between two pages
    /// come after it rather than shifting the pages; it is bound to the filters it came from.
    func listHistory(_ request: SandboxRequest) throws(ErrorResponse) -> SandboxResponse {
        guard let raw = request.queryValue("startHistoryId"), !raw.isEmpty else {
            return GoogleError.invalidArgument("Missing required parameter: startHistoryId")
        }
        guard let start = UInt64(raw) else {
            return GoogleError.invalidArgument("Invalid value at 'start_history_id' (TYPE_UINT64), \"\(raw)\"")
        }
        var types = Set<HistoryRecord.Kind>()
        for t in request.queryValues("historyTypes") {
            guard let kind = HistoryRecord.Kind(rawValue: t) else {
                return GoogleError.invalidArgument("Invalid value at 'history_types' (type.googleapis.com/google.apps.gmail.v1.ListHistoryRequest.HistoryType), \"\(t)\"")
            }
            types.insert(kind)
        }
        let labelId = request.queryValue("labelId").flatMap { $0.isEmpty ? nil : $0 }
        var maxResults = 100
        if let m = request.queryValue("maxResults") {
            guard let n = Int(m), n >= 0 else {
                return GoogleError.invalidArgument("Invalid value at 'max_results' (TYPE_UINT32), \"\(m)\"")
            }
            maxResults = n == 0 ? 100 : min(n, 500)
        }
        let (records, current, oldest) = state.withLock { ($0.history, $0.historyId, $0.oldestHistoryId) }
        // Older than the history kept (or never issued): the client must sync in full.
        guard start >= UInt64(oldest) else { return GoogleError.notFound }
        let key = "h|\(start)|\(types.map(\.rawValue).sorted())|\(labelId ?? "")"
        let after = max(Int(clamping: start), try PageToken.offset(request, key: key))
        let matching = records.lazy.filter { r in
            guard r.id > after else { return false }
            if !types.isEmpty, !types.contains(r.kind) { return false }
            if let labelId {
                let touched = r.kind == .labelAdded || r.kind == .labelRemoved ? r.labelIds : r.messageLabels
                if !touched.contains(labelId) { return false }
            }
            return true
        }
        let page = Array(matching.prefix(maxResults + 1))
        var out: [(String, JSON)] = []
        if !page.isEmpty {
            let shown = page.prefix(maxResults)
            out.append(("history", .array(shown.map(Sandbox.historyJSON))))
            if page.count > maxResults, let last = shown.last {
                out.append(("nextPageToken", .string(PageToken.encode(last.id, key: key))))
            }
        }
        out.append(("historyId", .string(String(current))))
        return .json(200, .object(out))
    }

    /// A `History` resource: the message in `messages`, and again under the member of its kind of change.
    static func historyJSON(_ r: HistoryRecord) -> JSON {
        let ref = JSON.object([("id", .string(r.messageId)), ("threadId", .string(r.threadId))])
        var message: [(String, JSON)] = [("id", .string(r.messageId)), ("threadId", .string(r.threadId))]
        if !r.messageLabels.isEmpty { message.append(("labelIds", .array(r.messageLabels.map(JSON.string)))) }
        var change: [(String, JSON)] = [("message", .object(message))]
        if r.kind == .labelAdded || r.kind == .labelRemoved { change.append(("labelIds", .array(r.labelIds.map(JSON.string)))) }
        return .object([("id", .string(String(r.id))), ("messages", .array([ref])), (r.kind.member, .array([.object(change)]))])
    }
}
