// users.messages.list
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list
import Foundation

/// The parameters `users.messages.list` and `users.threads.list` share, read and checked in Google's order.
struct ListParameters {
    var q: String
    var query: SearchQuery
    var labelIds: [String]
    var includeSpamTrash: Bool
    /// 1 to 500; 0 and absent mean Google's default, 100.
    var maxResults: Int
    var offset: Int
    /// What a page token is bound to: the method and the filters.
    var key: String

    init(_ request: SandboxRequest, _ caller: Sandbox.Caller, threads: Bool) throws(ErrorResponse) {
        q = request.queryValue("q") ?? ""
        if !q.isEmpty, caller.scopes.contains(SandboxScope.metadata) {
            throw ErrorResponse(GoogleError.forbidden("Metadata scope does not support 'q' parameter"))
        }
        maxResults = 100
        if let raw = request.queryValue("maxResults") {
            guard let n = Int(raw), n >= 0 else {
                throw ErrorResponse(GoogleError.invalidArgument("Invalid value at 'max_results' (TYPE_UINT32), \"\(raw)\""))
            }
            maxResults = n == 0 ? 100 : min(n, 500)
        }
        labelIds = request.queryValues("labelIds")
        includeSpamTrash = request.queryValue("includeSpamTrash") == "true"
        query = SearchQuery.parse(q)
        key = (threads ? "t|" : "m|") + q + "|" + labelIds.joined(separator: ",") + "|" + String(includeSpamTrash)
        offset = try PageToken.offset(request, key: key)
    }
}

extension Sandbox {
    func listMessages(_ request: SandboxRequest, _ caller: Caller) throws(ErrorResponse) -> SandboxResponse {
        let p = try ListParameters(request, caller, threads: false)
        let matched = matching(p)
        let page = Array(matched.dropFirst(p.offset).prefix(p.maxResults))
        guard !page.isEmpty else { return .json(200, .object([("resultSizeEstimate", .int(0))])) }
        var out: [(String, JSON)] = [("messages", .array(page.map { .object([("id", .string($0.id)), ("threadId", .string($0.threadId))]) }))]
        out += PageToken.next(offset: p.offset, count: page.count, total: matched.count, key: p.key)
        out.append(("resultSizeEstimate", .int(matched.count)))
        return .json(200, .object(out))
    }

    /// The messages that pass the labels, spam/trash rule and search, newest first.
    func matching(_ p: ListParameters) -> [StoredMessage] {
        let (box, labels, names) = state.withLock { s in
            (s.mailbox, s.labels, Dictionary(s.userLabels.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first }))
        }
        let skipSpamTrash = !p.includeSpamTrash && !p.query.mentionsSpamTrash
        let now = referenceDate ?? Date()
        return box.messages.filter { m in
            let l = labels[m.id] ?? []
            if skipSpamTrash, l.contains("SPAM") || l.contains("TRASH") { return false }
            if !p.labelIds.allSatisfy(l.contains) { return false }
            guard p.query != .all else { return true }
            let subject = SearchQuery.Subject(message: m, labels: l, labelNames: names, now: now, parsed: { self.parsed(m) })
            return p.query.matches(subject)
        }
    }
}
