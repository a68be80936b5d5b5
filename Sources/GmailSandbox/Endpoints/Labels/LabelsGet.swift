// users.labels.get
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels/get
import Foundation

extension Sandbox {
    /// The list entry plus the four counts, which only `labels.get` reports.
    func getLabel(_ id: String) -> SandboxResponse {
        guard let found = allLabelEntries().first(where: { $0.id == id }) else { return GoogleError.notFound }
        let (box, labels) = state.withLock { ($0.mailbox, $0.labels) }
        var total = 0, unread = 0
        var threads = Set<String>(), unreadThreads = Set<String>()
        for m in box.messages {
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
}
