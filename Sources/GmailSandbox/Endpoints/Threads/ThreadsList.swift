// users.threads.list
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/list
import Foundation

extension Sandbox {
    /// The threads of the matching messages, newest thread first: a thread is as new as its newest message,
    /// matching or not. The order is not documented [U]; Gmail's own list moves a conversation up when a
    /// reply is sent in it, and the rows show the newest message's date, so this order keeps those dates
    /// descending.
    func listThreads(_ request: SandboxRequest, _ caller: Caller) throws(ErrorResponse) -> SandboxResponse {
        let p = try ListParameters(request, caller, threads: true)
        var seen = Set<String>()
        let matched = matching(p).map(\.threadId).filter { seen.insert($0).inserted }
        let newest = Dictionary(uniqueKeysWithValues: matched.map { tid in
            (tid, threadMessages(tid).map { ($0.internalDate, $0.id) }.max { $0 < $1 } ?? (0, ""))
        })
        let order = matched.sorted { newest[$0]! > newest[$1]! }
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
