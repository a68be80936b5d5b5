import Foundation

/// The `Message` resource, as `messages.get` and `threads.get` write it.
extension Sandbox {
    enum Format: String { case full, metadata, minimal, raw }

    /// The `format` parameter: 400 for an unknown one (or `raw` where it is not offered), 403 for more than a metadata token allows.
    static func format(_ request: SandboxRequest, allowRaw: Bool, caller: Caller, requestType: String) throws(ErrorResponse) -> Format {
        let raw = request.queryValue("format") ?? "full"
        guard let f = Format(rawValue: raw.lowercased()), allowRaw || f != .raw else {
            throw ErrorResponse(GoogleError.invalidArgument("Invalid value at 'format' (type.googleapis.com/google.apps.gmail.v1.\(requestType).Format), \"\(raw)\""))
        }
        if caller.scopes.contains(SandboxScope.metadata), f == .full || f == .raw {
            throw ErrorResponse(GoogleError.forbidden("Metadata scope doesn't allow format \(f.rawValue.uppercased())"))
        }
        return f
    }

    /// A `Message` resource in one of the four formats.
    func messageJSON(_ m: StoredMessage, format: Format, metadataHeaders: [String]) -> JSON {
        let (labels, historyId) = state.withLock { ($0.labels[m.id] ?? [], $0.messageHistoryId[m.id] ?? 0) }
        let p = parsed(m)
        var out: [(String, JSON)] = [("id", .string(m.id)), ("threadId", .string(m.threadId))]
        if !labels.isEmpty { out.append(("labelIds", .array(labels.sorted().map(JSON.string)))) }
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

    /// The short form modify, trash and untrash answer with: id, thread and labels.
    static func labelledMessage(_ m: StoredMessage, labels: Set<String>) -> JSON {
        .object([("id", .string(m.id)), ("threadId", .string(m.threadId)), ("labelIds", .array(labels.sorted().map(JSON.string)))])
    }
}
