// users.threads.list
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/list
import Foundation

extension Sandbox {
    /// The threads of the matching messages, in the order of their newest match.
    func listThreads(_ request: SandboxRequest, _ caller: Caller) throws(ErrorResponse) -> SandboxResponse {
        let p = try ListParameters(request, caller, threads: true)
        var seen = Set<String>()
        let order = matching(p).map(\.threadId).filter { seen.insert($0).inserted }
        let page = Array(order.dropFirst(p.offset).prefix(p.maxResults))
        guard !page.isEmpty else { return .json(200, .object([("resultSizeEstimate", .int(0))])) }
        let historyIds = state.withLock { $0.messageHistoryId }
        let items: [JSON] = page.compactMap { tid -> JSON? in
            let members = threadMessages(tid)
            guard let newest = members.last else { return nil }
            let hid = members.map { historyIds[$0.id] ?? 0 }.max() ?? 0
            return .object([("id", .string(tid)), ("snippet", .string(parsed(newest).snippet)), ("historyId", .string(String(hid)))])
        }
        var out: [(String, JSON)] = [("threads", .array(items))]
        out += PageToken.next(offset: p.offset, count: page.count, total: order.count, key: p.key)
        out.append(("resultSizeEstimate", .int(order.count)))
        return .json(200, .object(out))
    }
}
