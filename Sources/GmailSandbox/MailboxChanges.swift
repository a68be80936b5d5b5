import Foundation

/// The mailbox after start: messages delivered and deleted while the sandbox runs.
extension Mailbox {
    /// No messages; the state's placeholder until the folder is loaded.
    static let empty = Mailbox(messages: [], byId: [:], threads: [:], initialLabels: [:], userLabels: [], loadTime: .zero)

    /// Rebuilds `byId` and `threads` from `messages`, which must be newest first.
    mutating func reindex() {
        var byId: [String: Int] = [:]
        var threads: [String: [Int]] = [:]
        for (i, m) in messages.enumerated().reversed() {
            byId[m.id] = i
            threads[m.threadId, default: []].append(i)
        }
        self.byId = byId
        self.threads = threads
    }

    /// Adds a message that arrives now: an id that sorts after every other (ids follow dates), and
    /// the thread of a message its References or In-Reply-To name, else a thread of its own.
    mutating func deliver(_ message: StoredMessage) -> StoredMessage {
        var m = message
        var low = fnv1a(m.fileName) & 0xFFFFF
        var id = hex16((UInt64(max(0, m.internalDate)) << 20) | low)
        while byId[id] != nil {
            low = (low + 1) & 0xFFFFF
            id = hex16((UInt64(max(0, m.internalDate)) << 20) | low)
        }
        m.id = id
        let refs = Set(m.references)
        m.threadId = messages.first { $0.messageID.map(refs.contains) ?? false }?.threadId ?? id
        // Newest first: mail arriving now goes at or near the front, without sorting the rest again.
        let at = messages.firstIndex { ($0.internalDate, $0.id) < (m.internalDate, m.id) } ?? messages.count
        messages.insert(m, at: at)
        reindex()
        return m
    }

    /// Removes a message for good; its thread keeps its id even when this was its oldest message.
    mutating func remove(_ id: String) -> StoredMessage? {
        guard let i = byId[id] else { return nil }
        let m = messages.remove(at: i)
        reindex()
        return m
    }
}
