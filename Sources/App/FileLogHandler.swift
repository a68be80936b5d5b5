import Foundation
import Logging

/// Appends log lines to a file (0600, folder created 0700). The UI owns the terminal, so logs never go there.
///
/// Callers log request lines with `HTTPRequest.redactedDescription` and errors whose
/// descriptions carry no secret; this handler adds nothing of its own.
struct FileLogHandler: LogHandler {
    private let sink: Sink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String

    final class Sink: @unchecked Sendable {
        private let lock = NSLock()
        private let handle: FileHandle?
        /// One formatter for every line, used under `lock` (formatters are costly to make).
        private let timestamp = ISO8601DateFormatter()
        init(path: String) {
            let dir = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if !FileManager.default.fileExists(atPath: path) {
                FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            handle = FileHandle(forWritingAtPath: path)
            _ = try? handle?.seekToEnd()
        }
        /// Appends one line, stamped with the time.
        func write(_ line: String) {
            lock.withLock { try? handle?.write(contentsOf: Data((timestamp.string(from: Date()) + " " + line).utf8)) }
        }
    }

    init(label: String, sink: Sink) { self.label = label; self.sink = sink }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var extra = ""
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty { extra = " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
        sink.write("\(event.level) \(label): \(event.message)\(extra)\n")
    }

    /// Sends every logger of this process to `path` (once per process).
    static func bootstrap(path: String, level: Logger.Level = .info) {
        let sink = Sink(path: path)
        LoggingSystem.bootstrap { label in
            var h = FileLogHandler(label: label, sink: sink)
            h.logLevel = level
            return h
        }
    }
}
