import Foundation
import HTTPCore

/// The Gmail methods themselves, run after admission (token, scope, limits).
extension Sandbox {
    static let systemLabels: [(id: String, visibility: (String, String)?)] = [
        ("CHAT", nil), ("SENT", nil), ("INBOX", ("hide", "labelShow")), ("IMPORTANT", nil),
        ("TRASH", ("hide", "labelHide")), ("DRAFT", nil), ("SPAM", ("hide", "labelHide")),
        ("CATEGORY_FORUMS", nil), ("CATEGORY_UPDATES", nil), ("CATEGORY_PERSONAL", nil),
        ("CATEGORY_PROMOTIONS", nil), ("CATEGORY_SOCIAL", nil), ("STARRED", nil), ("UNREAD", nil),
    ]

    func execute(_ route: APIRoute, _ request: SandboxRequest, _ caller: Caller) -> SandboxResponse {
        switch route.method {
        case .profile: return profile(caller)
        case .listMessages: return listMessages(request, caller, threads: false)
        case .listThreads: return listMessages(request, caller, threads: true)
        case .getMessage(let id): return getMessage(id, request, caller)
        case .getAttachment(let message, let attachment): return getAttachment(message, attachment)
        case .modifyMessage(let id): return modifyMessage(id, request)
        case .trashMessage(let id): return relabel(id, add: ["TRASH"], remove: [])
        case .untrashMessage(let id): return relabel(id, add: [], remove: ["TRASH"])
        case .batchModify: return batchModify(request)
        case .listLabels: return listLabels()
        case .getLabel(let id): return getLabel(id)
        case .getThread(let id): return getThread(id, request, caller)
        case .modifyThread(let id): return modifyThread(id, request)
        case .history: return history(request)
        case .userinfo: return userinfo(caller)
        }
    }

    // MARK: users.getProfile

    func profile(_ caller: Caller) -> SandboxResponse {
        let historyId = state.withLock { $0.historyId }
        let threads = mailbox.threads.count
        return .json(200, .object([
            ("emailAddress", .string(caller.email)), ("messagesTotal", .int(mailbox.messages.count)),
            ("threadsTotal", .int(threads)), ("historyId", .string(String(historyId))),
        ]))
    }

    // MARK: ids and parsing

    /// Looks an id up: 400 "Invalid id value" when it is not hex, 404 when unknown.
    func message(_ id: String) -> Result<StoredMessage, ErrorResponse> {
        guard !id.isEmpty, id.count <= 32, id.allSatisfy(\.isHexDigit) else { return .failure(ErrorResponse(GoogleError.invalidId)) }
        guard let i = mailbox.byId[id.lowercased()] else { return .failure(ErrorResponse(GoogleError.notFound)) }
        return .success(mailbox.messages[i])
    }

    /// The parsed form of a message, built once and cached.
    func parsed(_ m: StoredMessage) -> ParsedMessage {
        if let cached = state.withLock({ $0.parsed[m.id] }) { return cached }
        let p = PayloadBuilder.parse(m)
        state.withLock { $0.parsed[m.id] = p }
        return p
    }

    func sortedLabels(_ labels: Set<String>) -> [String] { labels.sorted() }

    // MARK: users.messages.list and users.threads.list

    func listMessages(_ request: SandboxRequest, _ caller: Caller, threads: Bool) -> SandboxResponse {
        let q = request.queryValue("q") ?? ""
        if !q.isEmpty, caller.scopes.contains(SandboxScope.metadata) {
            return GoogleError.forbidden("Metadata scope does not support 'q' parameter")
        }
        var maxResults = 100
        if let raw = request.queryValue("maxResults") {
            guard let n = Int(raw), n >= 0 else { return GoogleError.invalidArgument("Invalid value at 'max_results' (TYPE_UINT32), \"\(raw)\"") }
            maxResults = n == 0 ? 100 : min(n, 500)
        }
        let labelIds = request.queryValues("labelIds")
        let includeSpamTrash = request.queryValue("includeSpamTrash") == "true"
        let query = SearchQuery.parse(q)
        let key = (threads ? "t|" : "m|") + q + "|" + labelIds.joined(separator: ",") + "|" + String(includeSpamTrash)
        var offset = 0
        if let token = request.queryValue("pageToken"), !token.isEmpty {
            guard let o = PageToken.decode(token, key: key) else { return GoogleError.invalidPageToken }
            offset = o
        }
        let (labels, names) = state.withLock { s in (s.labels, Dictionary(s.userLabels.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })) }
        let skipSpamTrash = !includeSpamTrash && !query.mentionsSpamTrash
        let now = referenceDate ?? Date()
        var matched: [StoredMessage] = []
        for m in mailbox.messages {
            let l = labels[m.id] ?? []
            if skipSpamTrash, l.contains("SPAM") || l.contains("TRASH") { continue }
            if !labelIds.allSatisfy(l.contains) { continue }
            if query != .all {
                let subject = SearchQuery.Subject(message: m, labels: l, labelNames: names, now: now, parsed: { self.parsed(m) })
                if !query.matches(subject) { continue }
            }
            matched.append(m)
        }
        if threads {
            var seen = Set<String>()
            var order: [String] = []
            for m in matched where seen.insert(m.threadId).inserted { order.append(m.threadId) }
            let page = Array(order.dropFirst(offset).prefix(maxResults))
            guard !page.isEmpty else { return .json(200, .object([("resultSizeEstimate", .int(0))])) }
            let historyIds = state.withLock { $0.messageHistoryId }
            let items: [JSON] = page.map { tid in
                let members = threadMessages(tid)
                let newest = members.last ?? mailbox.messages[mailbox.byId[tid] ?? 0]
                let hid = members.map { historyIds[$0.id] ?? 0 }.max() ?? 0
                return .object([("id", .string(tid)), ("snippet", .string(parsed(newest).snippet)), ("historyId", .string(String(hid)))])
            }
            var out: [(String, JSON)] = [("threads", .array(items))]
            if offset + page.count < order.count { out.append(("nextPageToken", .string(PageToken.encode(offset + page.count, key: key)))) }
            out.append(("resultSizeEstimate", .int(order.count)))
            return .json(200, .object(out))
        }
        let page = Array(matched.dropFirst(offset).prefix(maxResults))
        guard !page.isEmpty else { return .json(200, .object([("resultSizeEstimate", .int(0))])) }
        var out: [(String, JSON)] = [("messages", .array(page.map { .object([("id", .string($0.id)), ("threadId", .string($0.threadId))]) }))]
        if offset + page.count < matched.count { out.append(("nextPageToken", .string(PageToken.encode(offset + page.count, key: key)))) }
        out.append(("resultSizeEstimate", .int(matched.count)))
        return .json(200, .object(out))
    }

    /// A thread's messages, oldest first.
    func threadMessages(_ threadId: String) -> [StoredMessage] {
        (mailbox.threads[threadId] ?? []).map { mailbox.messages[$0] }
    }

    // MARK: users.messages.get

    enum Format: String { case full, metadata, minimal, raw }

    func format(_ request: SandboxRequest, allowRaw: Bool, caller: Caller, requestType: String) -> Result<Format, ErrorResponse> {
        let raw = request.queryValue("format") ?? "full"
        guard let f = Format(rawValue: raw.lowercased()), allowRaw || f != .raw else {
            return .failure(ErrorResponse(GoogleError.invalidArgument("Invalid value at 'format' (type.googleapis.com/google.apps.gmail.v1.\(requestType).Format), \"\(raw)\"")))
        }
        if caller.scopes.contains(SandboxScope.metadata), f == .full || f == .raw {
            return .failure(ErrorResponse(GoogleError.forbidden("Metadata scope doesn't allow format \(f.rawValue.uppercased())")))
        }
        return .success(f)
    }

    func getMessage(_ id: String, _ request: SandboxRequest, _ caller: Caller) -> SandboxResponse {
        let m: StoredMessage
        switch message(id) {
        case .failure(let e): return e.response
        case .success(let found): m = found
        }
        switch format(request, allowRaw: true, caller: caller, requestType: "GetMessageRequest") {
        case .failure(let e): return e.response
        case .success(let f): return .json(200, messageJSON(m, format: f, metadataHeaders: request.queryValues("metadataHeaders")))
        }
    }

    /// A `Message` resource in one of the four formats.
    func messageJSON(_ m: StoredMessage, format: Format, metadataHeaders: [String]) -> JSON {
        let (labels, historyId) = state.withLock { ($0.labels[m.id] ?? [], $0.messageHistoryId[m.id] ?? 0) }
        let p = parsed(m)
        var out: [(String, JSON)] = [("id", .string(m.id)), ("threadId", .string(m.threadId))]
        if !labels.isEmpty { out.append(("labelIds", .array(sortedLabels(labels).map(JSON.string)))) }
        out.append(("snippet", .string(p.snippet)))
        switch format {
        case .full:
            out.append(("payload", p.payload))
        case .metadata:
            let wanted = Set(metadataHeaders.map { $0.lowercased() })
            let headers = m.headers.filter { wanted.isEmpty || wanted.contains($0.name.lowercased()) }
            let mimeType = p.payload["mimeType"] ?? .string("text/plain")
            out.append(("payload", .object([
                ("mimeType", mimeType),
                ("headers", .array(headers.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })),
            ])))
        case .minimal:
            break
        case .raw:
            out.append(("raw", .string(SandboxBase64.encode(m.raw))))
        }
        out.append(("sizeEstimate", .int(m.raw.count)))
        out.append(("historyId", .string(String(historyId))))
        out.append(("internalDate", .string(String(m.internalDate))))
        return .object(out)
    }

    // MARK: users.messages.attachments.get

    func getAttachment(_ messageId: String, _ attachmentId: String) -> SandboxResponse {
        let m: StoredMessage
        switch message(messageId) {
        case .failure(let e): return e.response
        case .success(let found): m = found
        }
        guard let data = parsed(m).attachments[attachmentId] else {
            return GoogleError.invalidArgument("Invalid attachment token")
        }
        return .json(200, .object([("size", .int(data.count)), ("data", .string(SandboxBase64.encode(data)))]))
    }

    // MARK: users.messages.modify, trash, untrash, batchModify; users.threads.modify

    /// Reads `addLabelIds`/`removeLabelIds`, checking each id exists and may be applied.
    func labelChanges(_ body: [String: Any]) -> Result<(add: [String], remove: [String]), ErrorResponse> {
        let add = JSONInput.strings(body["addLabelIds"])
        let remove = JSONInput.strings(body["removeLabelIds"])
        if add.count > 100 || remove.count > 100 {
            return .failure(ErrorResponse(GoogleError.invalidArgument("Too many label ids (maximum 100)")))
        }
        let known = Set(Sandbox.systemLabels.map(\.id)).union(state.withLock { $0.userLabels.map(\.id) })
        for id in add + remove where !known.contains(id) || (add.contains(id) && (id == "SENT" || id == "DRAFT")) {
            return .failure(ErrorResponse(GoogleError.invalidArgument("Invalid label: \(id)")))
        }
        return .success((add, remove))
    }

    func modifyMessage(_ id: String, _ request: SandboxRequest) -> SandboxResponse {
        guard let body = JSONInput.object(request.body) else { return GoogleError.invalidArgument("Invalid JSON payload received.") }
        switch labelChanges(body) {
        case .failure(let e): return e.response
        case .success(let c): return relabel(id, add: c.add, remove: c.remove)
        }
    }

    func relabel(_ id: String, add: [String], remove: [String]) -> SandboxResponse {
        let m: StoredMessage
        switch message(id) {
        case .failure(let e): return e.response
        case .success(let found): m = found
        }
        let labels = state.withLock { s in Sandbox.apply(&s, m.id, add: add, remove: remove) }
        return .json(200, .object([("id", .string(m.id)), ("threadId", .string(m.threadId)), ("labelIds", .array(sortedLabels(labels).map(JSON.string)))]))
    }

    /// Changes one message's labels and writes the history records; returns its labels after.
    static func apply(_ s: inout SandboxState, _ id: String, add: [String], remove: [String]) -> Set<String> {
        var labels = s.labels[id] ?? []
        let added = add.filter { !labels.contains($0) }
        let removed = remove.filter { labels.contains($0) && !add.contains($0) }
        for a in added { labels.insert(a) }
        for r in removed { labels.remove(r) }
        s.labels[id] = labels
        if !added.isEmpty {
            s.historyId += 1
            s.history.append(HistoryRecord(id: s.historyId, messageId: id, kind: .labelsAdded, labelIds: added))
            s.messageHistoryId[id] = s.historyId
        }
        if !removed.isEmpty {
            s.historyId += 1
            s.history.append(HistoryRecord(id: s.historyId, messageId: id, kind: .labelsRemoved, labelIds: removed))
            s.messageHistoryId[id] = s.historyId
        }
        return labels
    }

    func batchModify(_ request: SandboxRequest) -> SandboxResponse {
        guard let body = JSONInput.object(request.body) else { return GoogleError.invalidArgument("Invalid JSON payload received.") }
        let ids = JSONInput.strings(body["ids"])
        if ids.count > 1000 { return GoogleError.invalidArgument("Too many ids (maximum 1000)") }
        let changes: (add: [String], remove: [String])
        switch labelChanges(body) {
        case .failure(let e): return e.response
        case .success(let c): changes = c
        }
        for id in ids {
            if case .failure(let e) = message(id) { return e.response }
        }
        state.withLock { s in
            for id in ids { _ = Sandbox.apply(&s, id.lowercased(), add: changes.add, remove: changes.remove) }
        }
        return SandboxResponse(status: 204)
    }

    func modifyThread(_ id: String, _ request: SandboxRequest) -> SandboxResponse {
        guard !id.isEmpty, id.allSatisfy(\.isHexDigit) else { return GoogleError.invalidId }
        let members = threadMessages(id.lowercased())
        guard !members.isEmpty else { return GoogleError.notFound }
        guard let body = JSONInput.object(request.body) else { return GoogleError.invalidArgument("Invalid JSON payload received.") }
        let changes: (add: [String], remove: [String])
        switch labelChanges(body) {
        case .failure(let e): return e.response
        case .success(let c): changes = c
        }
        let results: [JSON] = state.withLock { s in
            members.map { m in
                let labels = Sandbox.apply(&s, m.id, add: changes.add, remove: changes.remove)
                return .object([("id", .string(m.id)), ("threadId", .string(m.threadId)), ("labelIds", .array(labels.sorted().map(JSON.string)))])
            }
        }
        return .json(200, .object([("id", .string(id.lowercased())), ("messages", .array(results))]))
    }

    // MARK: users.labels.list and users.labels.get

    func labelEntry(id: String, name: String, type: String, visibility: (String, String)?) -> [(String, JSON)] {
        var e: [(String, JSON)] = [("id", .string(id)), ("name", .string(name))]
        if let v = visibility {
            e.append(("messageListVisibility", .string(v.0)))
            e.append(("labelListVisibility", .string(v.1)))
        }
        e.append(("type", .string(type)))
        return e
    }

    func allLabelEntries() -> [(id: String, entry: [(String, JSON)])] {
        let user = state.withLock { $0.userLabels }
        return Sandbox.systemLabels.map { ($0.id, labelEntry(id: $0.id, name: $0.id, type: "system", visibility: $0.visibility)) }
            + user.map { ($0.id, labelEntry(id: $0.id, name: $0.name, type: "user", visibility: ("show", "labelShow"))) }
    }

    func listLabels() -> SandboxResponse {
        .json(200, .object([("labels", .array(allLabelEntries().map { .object($0.entry) }))]))
    }

    func getLabel(_ id: String) -> SandboxResponse {
        guard let found = allLabelEntries().first(where: { $0.id == id }) else { return GoogleError.notFound }
        let labels = state.withLock { $0.labels }
        var total = 0, unread = 0
        var threads = Set<String>(), unreadThreads = Set<String>()
        for m in mailbox.messages {
            let l = labels[m.id] ?? []
            guard l.contains(id) else { continue }
            total += 1
            threads.insert(m.threadId)
            if l.contains("UNREAD") { unread += 1; unreadThreads.insert(m.threadId) }
        }
        var entry = found.entry
        let type = entry.removeLast()
        entry += [("messagesTotal", .int(total)), ("messagesUnread", .int(unread)), ("threadsTotal", .int(threads.count)), ("threadsUnread", .int(unreadThreads.count)), type]
        return .json(200, .object(entry))
    }

    // MARK: users.threads.get

    func getThread(_ id: String, _ request: SandboxRequest, _ caller: Caller) -> SandboxResponse {
        guard !id.isEmpty, id.count <= 32, id.allSatisfy(\.isHexDigit) else { return GoogleError.invalidId }
        let members = threadMessages(id.lowercased())
        guard !members.isEmpty else { return GoogleError.notFound }
        let f: Format
        switch format(request, allowRaw: false, caller: caller, requestType: "GetThreadRequest") {
        case .failure(let e): return e.response
        case .success(let ok): f = ok
        }
        let headers = request.queryValues("metadataHeaders")
        let messages = members.map { messageJSON($0, format: f, metadataHeaders: headers) }
        let historyId = state.withLock { s in members.map { s.messageHistoryId[$0.id] ?? 0 }.max() ?? 0 }
        return .json(200, .object([("id", .string(id.lowercased())), ("historyId", .string(String(historyId))), ("messages", .array(messages))]))
    }

    // MARK: users.history.list

    func history(_ request: SandboxRequest) -> SandboxResponse {
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
        var offset = 0
        if let token = request.queryValue("pageToken"), !token.isEmpty {
            guard let o = PageToken.decode(token, key: key) else { return GoogleError.invalidPageToken }
            offset = o
        }
        let matching = records.filter { r in
            guard r.id > start else { return false }
            if !types.isEmpty {
                let name = r.kind == .labelsAdded ? "labelAdded" : "labelRemoved"
                if !types.contains(name) { return false }
            }
            if let labelId, !r.labelIds.contains(labelId) { return false }
            return true
        }
        let page = Array(matching.dropFirst(offset).prefix(maxResults))
        var out: [(String, JSON)] = []
        if !page.isEmpty {
            out.append(("history", .array(page.map { r in
                let m = mailbox.messages[mailbox.byId[r.messageId] ?? 0]
                let ref = JSON.object([("id", .string(m.id)), ("threadId", .string(m.threadId))])
                let full = JSON.object([("id", .string(m.id)), ("threadId", .string(m.threadId)), ("labelIds", .array((labelsNow[m.id] ?? []).sorted().map(JSON.string)))])
                let change = JSON.array([.object([("message", full), ("labelIds", .array(r.labelIds.map(JSON.string)))])])
                return .object([("id", .string(String(r.id))), ("messages", .array([ref])), (r.kind == .labelsAdded ? "labelsAdded" : "labelsRemoved", change)])
            })))
            if offset + page.count < matching.count { out.append(("nextPageToken", .string(PageToken.encode(offset + page.count, key: key)))) }
        }
        out.append(("historyId", .string(String(current))))
        return .json(200, .object(out))
    }

    // MARK: oauth2.userinfo.get

    func userinfo(_ caller: Caller) -> SandboxResponse {
        guard let user = state.withLock({ $0.user(email: caller.email) }) else { return GoogleError.notFound }
        let scopes = Set(caller.scopes.map(SandboxScope.normalize))
        var out: [(String, JSON)] = [("id", .string(user.id))]
        if scopes.contains(SandboxScope.userinfoEmail) {
            out += [("email", .string(user.email)), ("verified_email", .bool(true))]
        }
        if scopes.contains(SandboxScope.userinfoProfile) {
            out += [("name", .string(user.name)), ("given_name", .string(user.givenName)), ("family_name", .string(user.familyName)),
                    ("picture", .string("https://lh3.googleusercontent.com/a/default-user=s96-c")), ("locale", .string("en"))]
        }
        return .json(200, .object(out))
    }
}

/// Opaque page tokens: the offset, bound to the query they came from.
enum PageToken {
    static func encode(_ offset: Int, key: String) -> String {
        let check = hex16(fnv1a("\(offset)|\(key)|sandbox-page"))
        return SandboxBase64.encode(Data("\(offset):\(check)".utf8), padded: false)
    }

    static func decode(_ token: String, key: String) -> Int? {
        guard let data = SandboxBase64.decode(token), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let offset = Int(parts[0]), offset >= 0 else { return nil }
        return hex16(fnv1a("\(offset)|\(key)|sandbox-page")) == parts[1] ? offset : nil
    }
}
