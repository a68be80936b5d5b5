import Foundation

/// A small mailbox whose every message the tests know: subjects, senders, bodies, read state, order.
///
/// Message `i` (1...60) is dated `i` hours before a fixed instant, so the list (newest first) shows
/// them in order. Every tenth one (3, 13, 23, ...) is an "Otter report", the rest "Badger report"s.
/// Messages 13 and 43 are read; the other 58 are unread, so `is:unread` gives pages of 50 and 8.
/// Written as a folder of RFC 822 files with a labels sidecar, as the sandbox loads a mailbox.
public enum TestMailbox {
    public static let count = 60
    public static let read: Set<Int> = [13, 43]
    public static let pageSize = 50

    /// The unread messages, newest first, as the default `is:unread` list shows them.
    public static var unread: [Int] { (1...count).filter { !read.contains($0) } }
    /// The messages `subject:otter` matches, newest first.
    public static var otters: [Int] { (1...count).filter { $0 % 10 == 3 } }

    public static func two(_ i: Int) -> String { i < 10 ? "0\(i)" : "\(i)" }
    public static func subject(_ i: Int) -> String { (i % 10 == 3 ? "Otter report " : "Badger report ") + two(i) }
    public static func senderName(_ i: Int) -> String { "Observer \(two(i))" }
    public static func senderAddress(_ i: Int) -> String { "observer\(two(i))@e2e.example" }
    public static func bodyLine(_ i: Int) -> String {
        i % 10 == 3 ? "Field notes \(two(i)): the otters hold hands while they sleep."
                    : "Field notes \(two(i)): the badgers dug all night."
    }

    /// Writes the RFC 822 files and the labels sidecar into `folder`.
    public static func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        // 2026-10-01 12:00:00 UTC.
        let newest = Date(timeIntervalSince1970: 1_790_856_000)
        var labels: [String: [String]] = [:]
        for i in 1...count {
            let name = "note-\(two(i)).eml"
            let date = formatter.string(from: newest.addingTimeInterval(Double(-3600 * i)))
            let message = [
                "From: \(senderName(i)) <\(senderAddress(i))>",
                "To: Demo User <demo@gmail-tui.example>",
                "Subject: \(subject(i))",
                "Date: \(date)",
                "Message-ID: <note-\(two(i))@e2e.example>",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8",
                "",
                bodyLine(i),
                "",
                "Signed, \(senderName(i)).",
                "",
            ].joined(separator: "\r\n")
            try Data(message.utf8).write(to: folder.appendingPathComponent(name))
            labels[name] = read.contains(i) ? ["INBOX"] : ["INBOX", "UNREAD"]
        }
        let sidecar = try JSONSerialization.data(withJSONObject: ["messages": labels], options: [.sortedKeys])
        try sidecar.write(to: folder.appendingPathComponent("labels.json"))
    }
}
