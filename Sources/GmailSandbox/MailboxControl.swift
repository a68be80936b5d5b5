import Foundation

/// What the control API refuses when it changes the mailbox.
public enum SandboxControlError: Error, CustomStringConvertible, Sendable, Equatable {
    case invalidLabel(String)
    case unknownMessage(String)

    public var description: String {
        switch self {
        case .invalidLabel(let id): "Invalid label: \(id)"
        case .unknownMessage(let id): "no message \(id)"
        }
    }
}

/// A message the control API delivered: its ids and the history id its arrival got.
public struct SandboxDelivery: Sendable, Equatable {
    public var id: String
    public var threadId: String
    public var historyId: Int
}

/// Changes made as Gmail itself or another device would make them: mail arriving, labels changed in the
/// web interface, a message deleted for good, history older than a week forgotten. None needs a token,
/// and each is recorded in history as Gmail records it.
extension Sandbox {
    /// The mailbox's current history id (what getProfile answers).
    public var historyId: Int { state.withLock { $0.historyId } }

    /// Delivers a message, from its RFC 822 bytes or, without them, a short generated one.
    ///
    /// Its `internalDate` is the time of arrival, as for mail Gmail receives, and never before the newest
    /// message, so it lists first; with `useDateHeader` it is the `Date` header's instead.
    public func deliver(rfc822: Data? = nil, subject: String? = nil, from: String? = nil,
                        labelIds: [String] = ["INBOX", "UNREAD"], useDateHeader: Bool = false) throws -> SandboxDelivery {
        if let bad = invalidLabel(add: labelIds, remove: []) { throw SandboxControlError.invalidLabel(bad) }
        let now = Date()
        return state.withLock { s in
            s.deliveries += 1
            let n = s.deliveries
            let raw = rfc822 ?? Sandbox.generatedMessage(n, subject: subject, from: from, to: Sandbox.defaultUserEmail, date: now)
            var m = Mailbox.read(fileName: "delivered-\(n).eml", raw: raw)
            if !useDateHeader {
                let arrival = Int64((now.timeIntervalSince1970 * 1000).rounded())
                m.internalDate = max(arrival, (s.mailbox.messages.first?.internalDate ?? 0) + 1)
            }
            let stored = s.mailbox.deliver(m)
            s.labels[stored.id] = Set(labelIds)
            Sandbox.record(&s, .messageAdded, messageId: stored.id, threadId: stored.threadId, messageLabels: Set(labelIds).sorted())
            return SandboxDelivery(id: stored.id, threadId: stored.threadId, historyId: s.historyId)
        }
    }

    /// Changes a message's labels with the same rules as messages.modify; returns its labels after.
    @discardableResult
    public func changeLabels(messageId: String, add: [String] = [], remove: [String] = []) throws -> [String] {
        if let bad = invalidLabel(add: add, remove: remove) { throw SandboxControlError.invalidLabel(bad) }
        return try state.withLock { s in
            guard let labels = Sandbox.apply(&s, messageId, add: add, remove: remove) else {
                throw SandboxControlError.unknownMessage(messageId)
            }
            return labels.sorted()
        }
    }

    /// Deletes a message for good (as messages.delete or emptying the trash would): a `messagesDeleted` record.
    public func deleteMessage(_ id: String) throws {
        try state.withLock { s in
            guard let m = s.mailbox.remove(id) else { throw SandboxControlError.unknownMessage(id) }
            let labels = s.labels.removeValue(forKey: id) ?? []
            s.parsed[id] = nil
            Sandbox.record(&s, .messageDeleted, messageId: id, threadId: m.threadId, messageLabels: labels.sorted())
            s.messageHistoryId[id] = nil
        }
    }

    /// Forgets every history id older than `id` (all of them when nil), as Gmail forgets history after about
    /// a week: history.list then answers 404 for those. Returns the oldest id still answered.
    @discardableResult
    public func forgetHistory(before id: Int? = nil) -> Int {
        state.withLock { s in
            let cut = min(max(id ?? s.historyId, s.oldestHistoryId), s.historyId)
            s.oldestHistoryId = cut
            s.history.removeAll { $0.id <= cut }
            return cut
        }
    }

    /// A plain-text message for a delivery that came without its own bytes.
    static func generatedMessage(_ n: Int, subject: String?, from: String?, to: String, date: Date) -> Data {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let text = """
        From: \(from ?? "Sandbox Sender <sender@sandbox.example>")\r
        To: \(to)\r
        Subject: \(subject ?? "Delivered message \(n)")\r
        Date: \(formatter.string(from: date))\r
        Message-ID: <delivered-\(n)-\(hex16(fnv1a("\(n)|\(date.timeIntervalSince1970)")))@sandbox.example>\r
        MIME-Version: 1.0\r
        Content-Type: text/plain; charset=utf-8\r
        \r
        Message \(n), delivered through the sandbox's control API.\r

        """
        return Data(text.utf8)
    }

    // MARK: HTTP

    /// `POST /_sandbox/deliver|modify|delete|forget-history`; nil for any other operation.
    func mailboxControl(_ op: String, _ request: SandboxRequest) -> SandboxResponse? {
        func q(_ n: String) -> String? { request.queryValue(n) }
        do {
            switch op {
            case "deliver":
                let labels = request.queryValues("labelId")
                let d = try deliver(rfc822: request.body.isEmpty ? nil : request.body, subject: q("subject"), from: q("from"),
                                    labelIds: labels.isEmpty ? ["INBOX", "UNREAD"] : labels,
                                    useDateHeader: q("internalDateSource") == "dateHeader")
                return .json(200, .object([("id", .string(d.id)), ("threadId", .string(d.threadId)), ("historyId", .string(String(d.historyId)))]))
            case "modify":
                guard let id = q("id") else { return Sandbox.badControl("id is required") }
                let labels = try changeLabels(messageId: id, add: request.queryValues("add"), remove: request.queryValues("remove"))
                return .json(200, .object([("id", .string(id)), ("labelIds", .array(labels.map(JSON.string))), ("historyId", .string(String(historyId)))]))
            case "delete":
                guard let id = q("id") else { return Sandbox.badControl("id is required") }
                try deleteMessage(id)
                return .json(200, .object([("historyId", .string(String(historyId)))]))
            case "forget-history":
                let before: Int?
                if let raw = q("before") {
                    guard let n = Int(raw) else { return Sandbox.badControl("before must be a history id") }
                    before = n
                } else {
                    before = nil
                }
                let oldest = forgetHistory(before: before)
                return .json(200, .object([("oldestHistoryId", .string(String(oldest))), ("historyId", .string(String(historyId)))]))
            default:
                return nil
            }
        } catch let error as SandboxControlError {
            if case .unknownMessage = error { return .json(404, .object([("error", .string(error.description))])) }
            return Sandbox.badControl(error.description)
        } catch {
            return Sandbox.badControl(String(describing: error))
        }
    }
}
