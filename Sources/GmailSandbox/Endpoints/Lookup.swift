import Foundation

/// What several methods look up the same way: messages, threads, parsed bodies, JSON bodies.
extension Sandbox {
    /// A message by id: 400 "Invalid id value" when the id is not hex, 404 when unknown.
    func message(_ id: String) throws(ErrorResponse) -> StoredMessage {
        try Sandbox.checkId(id)
        let box = mailbox
        guard let i = box.byId[id.lowercased()] else { throw ErrorResponse(GoogleError.notFound) }
        return box.messages[i]
    }

    /// A thread's id (lowercased) and messages, oldest first; the same errors as `message(_:)`.
    func thread(_ id: String) throws(ErrorResponse) -> (id: String, messages: [StoredMessage]) {
        try Sandbox.checkId(id)
        let members = threadMessages(id.lowercased())
        guard !members.isEmpty else { throw ErrorResponse(GoogleError.notFound) }
        return (id.lowercased(), members)
    }

    /// Ids are hex (Gmail's are 16 digits); anything else is refused before any lookup.
    static func checkId(_ id: String) throws(ErrorResponse) {
        guard !id.isEmpty, id.count <= 32, id.allSatisfy(\.isHexDigit) else { throw ErrorResponse(GoogleError.invalidId) }
    }

    /// A thread's messages, oldest first.
    func threadMessages(_ threadId: String) -> [StoredMessage] {
        let box = mailbox
        return (box.threads[threadId] ?? []).map { box.messages[$0] }
    }

    /// The parsed form of a message, built on first use and kept.
    func parsed(_ m: StoredMessage) -> ParsedMessage {
        if let cached = state.withLock({ $0.parsed[m.id] }) { return cached }
        let p = PayloadBuilder.parse(m)
        state.withLock { $0.parsed[m.id] = p }
        return p
    }

    /// A request's JSON object body (an empty body reads as `{}`); 400 when it is not one.
    static func jsonBody(_ request: SandboxRequest) throws(ErrorResponse) -> JSON {
        guard let body = JSONReader.object(request.body) else {
            throw ErrorResponse(GoogleError.invalidArgument("Invalid JSON payload received."))
        }
        return body
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

    /// The offset a request's `pageToken` asks for: 0 without one, 400 when it is not one of ours for `key`.
    static func offset(_ request: SandboxRequest, key: String) throws(ErrorResponse) -> Int {
        guard let token = request.queryValue("pageToken"), !token.isEmpty else { return 0 }
        guard let offset = decode(token, key: key) else { throw ErrorResponse(GoogleError.invalidPageToken) }
        return offset
    }

    /// The `nextPageToken` member after a page of `count` items from `offset`, when more of `total` remain.
    static func next(offset: Int, count: Int, total: Int, key: String) -> [(String, JSON)] {
        offset + count < total ? [("nextPageToken", .string(encode(offset + count, key: key)))] : []
    }
}
