import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of one account's store: `<folder>/<user id>.sqlite`, SQLite's `-wal` and `-shm` beside it,
/// and `<user id>.sqlite.lock`, the advisory lock that keeps one instance from moving aside a store
/// another instance has open.
struct StoreFiles: Sendable {
    let folder: URL
    let database: URL

    init(folder: URL, userID: String) throws(MailStoreError) {
        // The id names a file: Google's ids are digits; anything that could leave the folder is refused.
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@+")
        guard !userID.isEmpty, !userID.hasPrefix("."), userID.unicodeScalars.allSatisfy(allowed.contains) else {
            throw .invalidUserID
        }
        self.folder = folder
        self.database = folder.appendingPathComponent("\(userID).sqlite")
    }

    var path: String { database.path }
    var lockPath: String { path + ".lock" }
    /// SQLite's companions: the write-ahead log holds committed data, so it moves with the file.
    var companions: [String] { [path + "-wal", path + "-shm"] }

    /// Creates the folder 0700 (or narrows an existing one to 0700) and the database file 0600
    /// before SQLite does: SQLite gives its `-wal` and `-shm` the database file's mode.
    func prepare() throws(MailStoreError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io(path: folder.path, reason: "cannot create the folder")
        }
        guard chmod(folder.path, 0o700) == 0 else { throw .io(path: folder.path, reason: "cannot set mode 0700: \(errnoText())") }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(0o600))
        guard fd >= 0 else { throw .io(path: path, reason: "cannot create: \(errnoText())") }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw .io(path: path, reason: "cannot set mode 0600: \(errnoText())") }
        for companion in companions where FileManager.default.fileExists(atPath: companion) {
            _ = chmod(companion, 0o600)
        }
    }

    /// Renames the database and its companions to `<name>.<why>-<timestamp>` (never deletes them)
    /// and returns where the database went.
    func moveAside(because why: String) throws(MailStoreError) -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let base = "\(path).\(why)-\(formatter.string(from: Date()))"
        var target = base
        var n = 1
        while FileManager.default.fileExists(atPath: target) { n += 1; target = "\(base)-\(n)" }
        guard rename(path, target) == 0 else {
            throw .io(path: path, reason: "cannot be opened, and could not be moved aside: \(errnoText())")
        }
        for (companion, suffix) in zip(companions, ["-wal", "-shm"]) where FileManager.default.fileExists(atPath: companion) {
            _ = rename(companion, target + suffix)
        }
        return URL(fileURLWithPath: target)
    }

    /// Removes the database, its companions and its lock file; absent files are fine.
    func remove() throws(MailStoreError) {
        for file in [path] + companions + [lockPath] where unlink(file) != 0 && errno != ENOENT {
            throw .io(path: file, reason: "cannot delete: \(errnoText())")
        }
    }
}

/// The one owner of the lock file's descriptor: shared while a store is open, exclusive only while
/// opening finds no other instance. Closing the descriptor drops the lock.
final class StoreLock: @unchecked Sendable {
    private let fd: Int32

    init(path: String) throws(MailStoreError) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(0o600))
        guard fd >= 0 else { throw .io(path: path, reason: "cannot open the lock file: \(errnoText())") }
    }

    /// Takes the lock exclusively if no other instance holds it; false if one does.
    func tryExclusive() throws(MailStoreError) -> Bool {
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return false }
            throw .io(path: "lock", reason: "cannot lock: \(errnoText())")
        }
        return true
    }

    /// Waits for a shared lock (or turns the exclusive one into a shared one), trying again every
    /// 20 ms until `timeout`: an instance stopped or hung while it opens the store (the only time the
    /// lock is held exclusively) is reported instead of hanging this one.
    func shared(path: String, timeout: TimeInterval) throws(MailStoreError) {
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_SH | LOCK_NB) != 0 {
            switch errno {
            case EINTR: continue
            case EWOULDBLOCK:
                if Date() >= deadline { throw .locked(path: path, waited: timeout) }
                usleep(20_000)
            default:
                throw .io(path: path, reason: "cannot lock: \(errnoText())")
            }
        }
    }

    deinit { close(fd) }
}

func errnoText() -> String { String(cString: strerror(errno)) }
