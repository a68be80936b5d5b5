import Foundation
import MIME

/// One message of the mailbox as loaded: the file's bytes and the headers read eagerly.
struct StoredMessage: Sendable {
    var id: String
    var threadId: String
    var fileName: String
    var raw: Data
    /// Top-level headers, unfolded, values as written.
    var headers: [MIMEHeader]
    var internalDate: Int64
    var messageID: String?
    var references: [String]
    var from: String
    var to: String
    var cc: String
    var subject: String

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// A user label defined by the sidecar file or by the control API.
struct LabelDefinition: Sendable {
    var id: String
    var name: String
}

/// The messages of a folder, read once at start; labels live in the sandbox's mutable state.
struct Mailbox: Sendable {
    /// Newest first (internalDate, then id).
    var messages: [StoredMessage]
    var byId: [String: Int]
    /// Thread id → indices into `messages`, oldest first.
    var threads: [String: [Int]]
    var initialLabels: [String: [String]]
    var userLabels: [LabelDefinition]
    var loadTime: Duration

    /// The file holding labels when none is named: `labels.json` beside the messages.
    static let sidecarName = "labels.json"

    /// Reads every message file of `directory` in parallel, headers only.
    static func load(directory: String, labelsFile: String?) throws -> Mailbox {
        let clock = ContinuousClock()
        let start = clock.now
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: directory) else { throw SandboxError.mailboxNotFound(directory) }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let last = (relative as NSString).lastPathComponent
            if last.hasPrefix(".") || last == "LICENSES" { walker.skipDescendants(); continue }
            guard !last.hasSuffix(".md"), !last.hasSuffix(".json"), !last.hasSuffix(".py"), !last.hasSuffix(".txt.license") else { continue }
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: (directory as NSString).appendingPathComponent(relative), isDirectory: &isDir), !isDir.boolValue { found.append(relative) }
        }
        let names = found.sorted()
        let slots = ResultSlots<StoredMessage>(count: names.count)
        let chunk = 64
        let chunks = (names.count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in (c * chunk)..<min(names.count, (c + 1) * chunk) {
                let path = (directory as NSString).appendingPathComponent(names[i])
                guard let data = fm.contents(atPath: path) else { continue }
                slots.set(i, Mailbox.read(fileName: names[i], raw: data))
            }
        }
        var loaded = slots.values.compactMap { $0 }
        Mailbox.assignIds(&loaded)
        Mailbox.assignThreads(&loaded)
        loaded.sort { ($0.internalDate, $0.id) > ($1.internalDate, $1.id) }
        var byId: [String: Int] = [:]
        var threads: [String: [Int]] = [:]
        for (i, m) in loaded.enumerated().reversed() {
            byId[m.id] = i
            threads[m.threadId, default: []].append(i)
        }

        let sidecar = labelsFile ?? (directory as NSString).appendingPathComponent(sidecarName)
        var initial: [String: [String]] = [:]
        var userLabels: [LabelDefinition] = []
        if let data = fm.contents(atPath: sidecar), let object = JSONReader.object(data), let members = object.members {
            let byFile = object["messages"]?.members ?? members.filter { $0.0 != "labels" }
            var fileToId: [String: String] = [:]
            for m in loaded { fileToId[m.fileName] = m.id }
            for (file, labels) in byFile {
                if let id = fileToId[file] { initial[id] = labels.strings }
            }
            for entry in object["labels"]?.items ?? [] {
                guard let id = entry["id"]?.string, let name = entry["name"]?.string else { continue }
                userLabels.append(LabelDefinition(id: id, name: name))
            }
        }
        for m in loaded where initial[m.id] == nil {
            // No sidecar entry: in the inbox, and a deterministic third unread.
            initial[m.id] = fnv1a(m.fileName) % 3 == 0 ? ["INBOX", "UNREAD"] : ["INBOX"]
        }
        return Mailbox(messages: loaded, byId: byId, threads: threads, initialLabels: initial, userLabels: userLabels, loadTime: clock.now - start)
    }

    /// 2026-01-01T00:00:00Z, for a message with no readable Date (stable across restarts).
    static let undatedInternalDate: Int64 = 1_767_225_600_000

    /// Milliseconds since 1970 of a `Date` header, read by MIME's parser; nil when unreadable
    /// or outside years 1 to 9999 (a hostile file gets the fallback date, not an overflow).
    static func internalDate(_ header: String) -> Int64? {
        guard let date = RFC5322Date.parse(header),
              let ms = Int64(exactly: (date.timeIntervalSince1970 * 1000).rounded()),
              (-62_135_596_800_000...253_402_300_799_999).contains(ms) else { return nil }
        return ms
    }

    /// Headers and the few fields the list and search need; the body waits for the first `get`.
    static func read(fileName: String, raw: Data) -> StoredMessage {
        let headers = HeaderReader.headers(of: raw)
        func h(_ n: String) -> String? { headers.first { $0.name.caseInsensitiveCompare(n) == .orderedSame }?.value }
        let date = h("Date").flatMap(Mailbox.internalDate) ?? Mailbox.undatedInternalDate
        let refs = HeaderReader.messageIDs(h("References") ?? "") + HeaderReader.messageIDs(h("In-Reply-To") ?? "")
        return StoredMessage(
            id: "", threadId: "", fileName: fileName, raw: raw, headers: headers, internalDate: date,
            messageID: HeaderReader.messageIDs(h("Message-ID") ?? "").first, references: refs,
            from: EncodedWords.decode(h("From") ?? ""), to: EncodedWords.decode(h("To") ?? ""),
            cc: EncodedWords.decode(h("Cc") ?? ""), subject: EncodedWords.decode(h("Subject") ?? ""))
    }

    /// Ids: the date in milliseconds in the high bits, a hash of the file name in the low 20, so id order follows date order.
    static func assignIds(_ messages: inout [StoredMessage]) {
        var used = Set<String>()
        for i in messages.indices {
            let ms = UInt64(max(0, messages[i].internalDate))
            var low = fnv1a(messages[i].fileName) & 0xFFFFF
            var id = hex16((ms << 20) | low)
            while used.contains(id) {
                low = (low + 1) & 0xFFFFF
                id = hex16((ms << 20) | low)
            }
            used.insert(id)
            messages[i].id = id
        }
    }

    /// Threads from References and In-Reply-To; a thread's id is the id of its oldest message.
    static func assignThreads(_ messages: inout [StoredMessage]) {
        var parent = Array(messages.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var byMessageID: [String: Int] = [:]
        for (i, m) in messages.enumerated() { if let mid = m.messageID, byMessageID[mid] == nil { byMessageID[mid] = i } }
        for (i, m) in messages.enumerated() {
            for r in m.references {
                if let j = byMessageID[r] { parent[find(i)] = find(j) }
            }
        }
        var oldest: [Int: Int] = [:]
        for i in messages.indices {
            let root = find(i)
            if let o = oldest[root] {
                if (messages[i].internalDate, messages[i].id) < (messages[o].internalDate, messages[o].id) { oldest[root] = i }
            } else {
                oldest[root] = i
            }
        }
        for i in messages.indices { messages[i].threadId = messages[oldest[find(i)] ?? i].id }
    }
}

/// Fixed-size storage that parallel loaders fill at distinct indices.
final class ResultSlots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: T) { lock.lock(); storage[i] = value; lock.unlock() }
    var values: [T?] { lock.lock(); defer { lock.unlock() }; return storage }
}

/// Reads the header block of a message without parsing its body.
enum HeaderReader {
    /// Header fields up to the first empty line, unfolded (CRLF + WSP joined with one space); 8-bit bytes read as UTF-8 or Latin-1.
    static func headers(of raw: Data) -> [MIMEHeader] {
        let bytes = [UInt8](raw.prefix(256 * 1024))
        var end = bytes.count
        var i = 0
        while i < bytes.count {
            if bytes[i] == 10 {
                if i + 1 < bytes.count, bytes[i + 1] == 10 { end = i; break }
                if i + 2 < bytes.count, bytes[i + 1] == 13, bytes[i + 2] == 10 { end = i; break }
            }
            i += 1
        }
        if bytes.starts(with: [13, 10]) || bytes.starts(with: [10]) { end = 0 }
        let head = Array(bytes[0..<end])
        let text = String(bytes: head, encoding: .utf8) ?? String(String.UnicodeScalarView(head.map { Unicode.Scalar($0) }))
        var out: [MIMEHeader] = []
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty { continue }
            if line.first == " " || line.first == "\t" {
                if !out.isEmpty {
                    out[out.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
                }
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces)
                if name.isEmpty || name.contains(" ") { continue }
                out.append(MIMEHeader(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return out
    }

    /// The `<...>` message ids of a Message-ID, References or In-Reply-To value.
    static func messageIDs(_ value: String) -> [String] {
        var out: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            out.append(String(rest[rest.index(after: open)..<close]).lowercased())
            rest = rest[rest.index(after: close)...]
        }
        if out.isEmpty {
            let bare = value.trimmingCharacters(in: .whitespaces)
            if !bare.isEmpty, !bare.contains(" ") { out.append(bare.lowercased()) }
        }
        return out
    }
}
