import Foundation
import Testing
@testable import App

@Suite struct QueryHistoryTests {
    @Test func queriesAreKeptOnceNewestLastBoundedAndPrivate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let history = QueryHistory(path: folder + "/gmail-tui/query_history", limit: 3)
        #expect(history.load() == [])
        for q in ["is:unread", "from:ann", "is:unread", "label:work", "has:attachment"] { history.record(q) }
        #expect(history.load() == ["from:ann", "is:unread", "label:work", "has:attachment"].suffix(3))
        let mode = try FileManager.default.attributesOfItem(atPath: history.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
