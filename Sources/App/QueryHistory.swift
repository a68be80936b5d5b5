import Foundation

/// The query field's history across runs: one query a line, oldest first, at most `limit` lines, mode 0600
/// (queries can name people and subjects).
struct QueryHistory: Sendable {
    let path: String
    var limit = 200

    /// The queries kept, oldest first; none when the file is missing or unreadable.
    func load() -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }.suffix(limit).map { $0 }
    }

    /// Adds `query` as the newest entry (once: an earlier copy goes) and writes the file anew.
    func record(_ query: String) {
        // A query is one line: the field never holds a line break, but a file may be edited by hand.
        let line = query.replacingOccurrences(of: "\n", with: " ")
        guard !line.isEmpty else { return }
        var entries = load().filter { $0 != line }
        entries.append(line)
        entries = Array(entries.suffix(limit))
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = path + ".\(getpid()).tmp"
        let data = Data((entries.joined(separator: "\n") + "\n").utf8)
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }
}
