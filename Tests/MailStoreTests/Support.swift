import Foundation
import MailStore

/// Runs `body` with a fresh cache folder path (not yet created) under the temporary directory, and
/// removes everything under it afterwards, whatever happens.
func withCacheFolder<T>(_ body: (URL) throws -> T) throws -> T {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mailstore-tests-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    return try body(root.appendingPathComponent("cache"))
}

let userID = "108234567890123456789"

/// A date Gmail could have sent: whole milliseconds, as `internalDate` is.
func gmailDate(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

func summary(_ id: String, labels: [String] = ["INBOX", "UNREAD"], thread: String? = nil, index: Int = 0) -> StoredSummary {
    StoredSummary(
        id: id, threadID: thread ?? id, labelIDs: labels,
        from: StoredAddress(name: index % 3 == 0 ? nil : "Sender \(index) 送信者", email: "sender\(index)@example.com"),
        subject: "Subject \(index) 🎉", date: index % 7 == 0 ? nil : gmailDate(1_700_000_000_000 + Int64(index) * 60_001),
        snippet: "snippet of \(id)", sizeEstimate: 1000 + index, hasAttachment: index % 2 == 0)
}

/// Gmail-like ids: 16 lowercase hex digits.
func messageID(_ n: Int) -> String { String(format: "%016llx", 0x18c0_0000_0000_0000 + UInt64(n)) }

func posixMode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}
