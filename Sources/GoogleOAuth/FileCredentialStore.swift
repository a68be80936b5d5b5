import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The credential file: one JSON document for every account, 0600 in a 0700 folder,
/// written atomically under an advisory lock.
///
/// Format: `{"version":1,"lastUsed":"<userID>","accounts":{"<userID>":{"userID","email","refreshToken",
/// "accessToken","expiresAt","scopes","clientID"}}}`; `expiresAt` is read as ISO 8601 or epoch seconds and
/// written as ISO 8601. Readers take a shared `flock` on `<path>.lock`, writers an exclusive one and re-read
/// the file inside it, so two processes saving at once keep both accounts. A file group or others can read
/// is refused; one that does not parse is moved to `<path>.corrupt-<timestamp>`, never deleted.
public struct FileCredentialStore: CredentialStore {
    public let path: String
    /// How long to wait for another process's lock before giving up with `.locked` (a peer that was
    /// stopped with Ctrl-Z keeps its lock for good).
    public let lockTimeout: Duration
    /// For tests: the temporary file's write fails after this many bytes, as a crash mid-write would.
    let failWriteAfter: Int?

    public init(path: String, lockTimeout: Duration = .seconds(5)) { self.init(path: path, lockTimeout: lockTimeout, failWriteAfter: nil) }

    init(path: String, lockTimeout: Duration = .seconds(5), failWriteAfter: Int?) {
        self.path = path
        self.lockTimeout = lockTimeout
        self.failWriteAfter = failWriteAfter
    }

    var folder: String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    var lockPath: String { path + ".lock" }

    public func load() throws -> (accounts: [Credentials], lastUsed: String?) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], nil) }
        try checkFolder()
        let lock = try FileLock(path: lockPath, exclusive: false, timeout: lockTimeout)
        defer { lock.release() }
        var document = try readDocument()
        if case .corrupt = document {
            // Moving the file aside is a write: take the exclusive lock, then look again.
            try lock.upgrade()
            document = try readDocument()
        }
        switch document {
        case .missing: return ([], nil)
        case .found(let doc): return (doc.sortedAccounts, doc.lastUsed)
        case .corrupt: throw CredentialStoreError.corrupt(path: path, movedTo: try moveAside())
        }
    }

    /// Inserts or replaces the account and marks it used last. A corrupt file is moved aside first
    /// (it is not deleted), so a fresh authorization can always be saved.
    public func save(_ credentials: Credentials) throws {
        try update { doc in
            doc.accounts[credentials.userID] = credentials
            doc.lastUsed = credentials.userID
        }
    }

    public func remove(userID: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try update { doc in
            doc.accounts[userID] = nil
            if doc.lastUsed == userID { doc.lastUsed = doc.sortedAccounts.first?.userID }
        }
    }

    /// Only `lastUsed` changes, under the exclusive lock: a token another process refreshed meanwhile is kept.
    public func markUsed(userID: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        try updateIf { doc in
            guard doc.accounts[userID] != nil, doc.lastUsed != userID else { return false }
            doc.lastUsed = userID
            return true
        }
    }

    /// Compare-and-set under the exclusive lock: written only when the account is still stored with
    /// `previousRefreshToken`. `lastUsed` is left alone (a refresh is not a choice of account).
    public func saveRefreshed(_ credentials: Credentials, previousRefreshToken: String?) throws -> RefreshedSave {
        guard FileManager.default.fileExists(atPath: path) else { return .forgotten }
        var outcome = RefreshedSave.forgotten
        try updateIf { doc in
            outcome = RefreshedSave.decide(stored: doc.accounts[credentials.userID], previousRefreshToken: previousRefreshToken)
            guard outcome == .saved else { return false }
            doc.accounts[credentials.userID] = credentials
            return true
        }
        return outcome
    }

    // MARK: - Steps

    /// Read, change and write back the document under the exclusive lock.
    private func update(_ change: (inout CredentialDocument) -> Void) throws {
        try updateIf { doc in change(&doc); return true }
    }

    /// Read and change the document under the exclusive lock; written back only when `change` returns true.
    private func updateIf(_ change: (inout CredentialDocument) -> Bool) throws {
        try makeFolder()
        try checkFolder()
        let lock = try FileLock(path: lockPath, exclusive: true, timeout: lockTimeout)
        defer { lock.release() }
        var doc: CredentialDocument
        switch try readDocument() {
        case .missing: doc = CredentialDocument()
        case .found(let found): doc = found
        case .corrupt:
            _ = try moveAside()
            doc = CredentialDocument()
        }
        guard change(&doc) else { return }
        try writeAtomically(doc.encoded())
    }

    private func makeFolder() throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) {
            if !isDir.boolValue { throw CredentialStoreError.io(path: path, reason: "\(folder) is not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw CredentialStoreError.io(path: path, reason: "cannot create folder \(folder)")
        }
    }

    /// Refuses a folder that group or others may write (they could swap the file).
    private func checkFolder() throws {
        var st = stat()
        guard stat(folder, &st) == 0 else { throw CredentialStoreError.io(path: path, reason: "cannot inspect \(folder): \(errnoText())") }
        if Int(st.st_mode) & 0o022 != 0 {
            throw CredentialStoreError.insecurePermissions(path: folder.hasSuffix("/") ? folder : folder + "/", mode: Int(st.st_mode) & 0o7777)
        }
    }

    enum ReadResult {
        case missing
        case found(CredentialDocument)
        case corrupt
    }

    /// Reads the file through one descriptor, checking that descriptor's mode (no race with a swap).
    private func readDocument() throws -> ReadResult {
        // O_NONBLOCK: opening a FIFO put in the file's place must not wait for a writer.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT { return .missing }
            throw CredentialStoreError.io(path: path, reason: "cannot open: \(errnoText())")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw CredentialStoreError.io(path: path, reason: "cannot inspect: \(errnoText())") }
        if let kind = FileKind.notRegular(st.st_mode) { throw CredentialStoreError.notAFile(path: path, kind: kind) }
        if Int(st.st_mode) & 0o077 != 0 {
            throw CredentialStoreError.insecurePermissions(path: path, mode: Int(st.st_mode) & 0o7777)
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CredentialStoreError.io(path: path, reason: "cannot read: \(errnoText())")
            }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        // One parse: the JSON object is checked for its version, then read.
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return .corrupt }
        if let version = json["version"] as? Int, version != 1 {
            // Written by a newer gmail-tui: not corrupt, so it is left alone.
            throw CredentialStoreError.io(path: path, reason: "format version \(version) is newer than this gmail-tui reads; update gmail-tui")
        }
        guard let doc = CredentialDocument(json: json) else { return .corrupt }
        return .found(doc)
    }

    /// Renames the unreadable file to `<path>.corrupt-<timestamp>` and returns the new path.
    private func moveAside() throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let base = "\(path).corrupt-\(formatter.string(from: Date()))"
        var target = base
        var n = 1
        while FileManager.default.fileExists(atPath: target) { n += 1; target = "\(base)-\(n)" }
        guard rename(path, target) == 0 else {
            throw CredentialStoreError.io(path: path, reason: "unreadable, and could not be moved aside: \(errnoText())")
        }
        fsyncFolder()
        return target
    }

    /// A temporary file (0600, created exclusively) in the same folder, written whole, fsynced, then
    /// renamed over the old one: a reader sees the old file or the new one, never a part.
    private func writeAtomically(_ data: Data) throws {
        let tmp = "\(path).tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(0o600))
        guard fd >= 0 else { throw CredentialStoreError.io(path: path, reason: "cannot create a temporary file: \(errnoText())") }
        var renamed = false
        defer { if !renamed { unlink(tmp) } }
        do {
            defer { close(fd) }
            let bytes = [UInt8](data)
            let limit = min(failWriteAfter ?? bytes.count, bytes.count)
            var written = 0
            while written < limit {
                let n = bytes[written..<limit].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CredentialStoreError.io(path: path, reason: "cannot write: \(errnoText())")
                }
                written += n
            }
            if written < bytes.count { throw CredentialStoreError.io(path: path, reason: "write interrupted") }
            guard fsync(fd) == 0 else { throw CredentialStoreError.io(path: path, reason: "cannot fsync: \(errnoText())") }
        }
        guard rename(tmp, path) == 0 else { throw CredentialStoreError.io(path: path, reason: "cannot replace: \(errnoText())") }
        renamed = true
        fsyncFolder()
    }

    /// Makes the rename itself durable.
    private func fsyncFolder() {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}

/// The one owner of a lock file's descriptor; closing it drops the `flock`.
private final class FileLock {
    private var fd: Int32
    private let path: String
    private let timeout: Duration

    init(path: String, exclusive: Bool, timeout: Duration) throws {
        self.path = path
        self.timeout = timeout
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(0o600))
        guard fd >= 0 else { throw CredentialStoreError.io(path: path, reason: "cannot open the lock file: \(errnoText())") }
        do { try lock(exclusive ? LOCK_EX : LOCK_SH) } catch { release(); throw error }
    }

    func upgrade() throws { try lock(LOCK_EX) }

    /// Tries without blocking, again every 20 ms, until `timeout`: a holder that never lets go (stopped,
    /// hung) gets named instead of hanging every command.
    private func lock(_ operation: Int32) throws {
        let deadline = ContinuousClock.now + timeout
        while flock(fd, operation | LOCK_NB) != 0 {
            switch errno {
            case EINTR: continue
            case EWOULDBLOCK:
                if ContinuousClock.now >= deadline {
                    throw CredentialStoreError.locked(path: path, holder: LockHolder.describe(lockFile: fd), waited: timeout)
                }
                usleep(20_000)
            default:
                throw CredentialStoreError.io(path: path, reason: "cannot lock: \(errnoText())")
            }
        }
    }

    func release() {
        if fd >= 0 { close(fd); fd = -1 }
    }

    deinit { release() }
}

private func errnoText() -> String { String(cString: strerror(errno)) }

/// The file's JSON, read leniently and written by hand (no Codable, so a field's absence is explicit).
struct CredentialDocument {
    var lastUsed: String?
    var accounts: [String: Credentials] = [:]

    init() {}

    /// Nil when the object is not a version-1 credential document.
    init?(json: [String: Any]) {
        let dates = DateReader()
        if let version = json["version"], (version as? Int) != 1 { return nil }
        lastUsed = json["lastUsed"] as? String
        guard let rawAccounts = json["accounts"] as? [String: Any] else {
            if json["accounts"] == nil { return }
            return nil
        }
        for (key, value) in rawAccounts {
            guard let a = value as? [String: Any] else { return nil }
            let userID = (a["userID"] as? String) ?? key
            accounts[userID] = Credentials(
                userID: userID, email: (a["email"] as? String) ?? "",
                refreshToken: a["refreshToken"] as? String, accessToken: a["accessToken"] as? String,
                expiresAt: dates.date(a["expiresAt"]), scopes: (a["scopes"] as? [String]) ?? [],
                clientID: (a["clientID"] as? String) ?? "")
        }
    }

    var sortedAccounts: [Credentials] {
        accounts.values.sorted { ($0.email.lowercased(), $0.userID) < ($1.email.lowercased(), $1.userID) }
    }

    /// Reads `expiresAt` (epoch seconds, or ISO 8601 with or without fractions); one per document,
    /// so the formatters are made once rather than per account.
    final class DateReader {
        private let plain = ISO8601DateFormatter()
        private lazy var fractional: ISO8601DateFormatter = {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return f
        }()

        func date(_ value: Any?) -> Date? {
            switch value {
            case let n as NSNumber: return Date(timeIntervalSince1970: n.doubleValue)
            case let s as String: return plain.date(from: s) ?? fractional.date(from: s)
            default: return nil
            }
        }
    }

    func encoded() throws -> Data {
        let iso = ISO8601DateFormatter()
        var rawAccounts: [String: Any] = [:]
        for (id, c) in accounts {
            var a: [String: Any] = ["userID": c.userID, "email": c.email, "scopes": c.scopes, "clientID": c.clientID]
            if let t = c.refreshToken { a["refreshToken"] = t }
            if let t = c.accessToken { a["accessToken"] = t }
            if let d = c.expiresAt { a["expiresAt"] = iso.string(from: d) }
            rawAccounts[id] = a
        }
        var json: [String: Any] = ["version": 1, "accounts": rawAccounts]
        if let lastUsed { json["lastUsed"] = lastUsed }
        do {
            return try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        } catch {
            throw CredentialStoreError.io(path: "credentials", reason: "cannot encode")
        }
    }
}
