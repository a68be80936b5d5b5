import Foundation
internal import GRDB

/// One account's local mail store: a SQLite database at `<cache dir>/<user id>.sqlite` (0600 in a
/// 0700 folder, WAL) holding summaries, bodies, query pages, labels and the account's `historyId`.
///
/// Every call is synchronous and safe from any thread; reads run beside writes (WAL), and two
/// instances, in one process or two, share one store: SQLite serializes their writes and each waits
/// up to `busyTimeout` for the other. Calls block on disk, so an actor calls them off its executor
/// when that matters.
public final class MailStore: Sendable {
    /// 512 MB, the design's default for `cache_size_mb`.
    public static let defaultSizeLimit = 512 * 1024 * 1024
    /// How long a write waits for another instance's write to finish.
    public static let busyTimeout: TimeInterval = 10

    /// The database file.
    public let url: URL
    /// Set when the store found at `url` could not be used and was moved aside: the caller tells the
    /// user (`description` says what happened and where the old file is).
    public let notice: StoreNotice?
    /// Bytes the database may use before bodies are evicted, least recently used first.
    public let sizeLimit: Int

    let pool: DatabasePool
    private let files: StoreFiles
    /// Held shared for the store's whole life, so that no other instance moves it aside meanwhile.
    private let lock: StoreLock

    /// Opens (creating, migrating, or moving aside and rebuilding) the store of `userID` in `cacheDirectory`.
    ///
    /// A file that is not a database, is damaged, or was written by a newer version is renamed to
    /// `<user id>.sqlite.unreadable-<time>` or `.newer-<time>` (never deleted) and a new store is
    /// created, with `notice` saying so. If another instance has that file open it is left alone and
    /// `MailStoreError.unusable` is thrown instead: the caller then runs without a store.
    ///
    /// Waiting for another instance that is opening the store ends after `lockTimeout` with `.locked`.
    public init(cacheDirectory: URL, userID: String, sizeLimit: Int = MailStore.defaultSizeLimit,
                lockTimeout: TimeInterval = MailStore.busyTimeout) throws(MailStoreError) {
        let files = try StoreFiles(folder: cacheDirectory, userID: userID)
        try files.prepare()
        let lock = try StoreLock(path: files.lockPath)
        let alone = try lock.tryExclusive()
        if !alone { try lock.shared(path: files.lockPath, timeout: lockTimeout) }

        var notice: StoreNotice?
        let pool: DatabasePool
        switch Self.open(files) {
        case .ready(let opened):
            pool = opened
        case .unusable(let reason):
            guard alone else { throw .unusable(path: files.path, reason: reason) }
            let movedTo = try files.moveAside(because: reason.fileTag)
            notice = StoreNotice(reason: reason, movedTo: movedTo)
            try files.prepare()
            switch Self.open(files) {
            case .ready(let opened): pool = opened
            case .unusable(let again): throw .io(path: files.path, reason: "a new store cannot be created (\(again))")
            case .failed(let error): throw error
            }
        case .failed(let error):
            throw error
        }
        if alone { try lock.shared(path: files.lockPath, timeout: lockTimeout) }

        self.url = files.database
        self.files = files
        self.lock = lock
        self.pool = pool
        self.notice = notice
        self.sizeLimit = sizeLimit
    }

    /// Deletes the store of `userID` (for `logout`): the database, its WAL files and its lock file.
    /// An instance that still has it open keeps working on its own copy until it closes.
    public static func delete(cacheDirectory: URL, userID: String) throws(MailStoreError) {
        try StoreFiles(folder: cacheDirectory, userID: userID).remove()
    }

    /// Closes this store and deletes its files; every later call on it throws.
    public func delete() throws(MailStoreError) {
        do { try pool.close() } catch { throw MailStoreError(error) }
        try files.remove()
    }

    // MARK: Opening

    private enum Opened {
        case ready(DatabasePool)
        case unusable(StoreNotice.Reason)
        case failed(MailStoreError)
    }

    private static func open(_ files: StoreFiles) -> Opened {
        var configuration = Configuration()
        configuration.label = "MailStore"
        configuration.busyMode = .timeout(busyTimeout)
        do {
            let pool = try DatabasePool(path: files.path, configuration: configuration)
            if try pool.read({ try Schema.migrator.hasBeenSuperseded($0) }) {
                try pool.close()
                return .unusable(.newerVersion)
            }
            try Schema.migrate(pool)
            return .ready(pool)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            return .unusable(.unreadable(error.message ?? "not a database"))
        } catch {
            return .failed(MailStoreError(error))
        }
    }

    // MARK: Access

    /// Runs `body` in one write transaction: all of it is stored, or (when it throws) none.
    func write<T>(_ body: (Database) throws -> T) throws(MailStoreError) -> T {
        do { return try pool.write(body) } catch { throw MailStoreError(error) }
    }

    /// Runs `body` on a consistent snapshot, beside any write.
    func read<T>(_ body: (Database) throws -> T) throws(MailStoreError) -> T {
        do { return try pool.read(body) } catch { throw MailStoreError(error) }
    }
}

/// What happened to a store that could not be used.
public struct StoreNotice: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// SQLite could not read it (not a database, or damaged); SQLite's own words.
        case unreadable(String)
        /// It holds changes from a newer gmail-tui than this one.
        case newerVersion

        var fileTag: String {
            switch self {
            case .unreadable: return "unreadable"
            case .newerVersion: return "newer"
            }
        }

        public var description: String {
            switch self {
            case .unreadable(let why): return "it could not be read (\(why))"
            case .newerVersion: return "it was written by a newer version of gmail-tui"
            }
        }
    }

    public var reason: Reason
    /// Where the old database is now.
    public var movedTo: URL

    public var description: String {
        "The local mail store could not be used: \(reason). It was moved to \(movedTo.path) and is rebuilt from Gmail."
    }
}

/// Why a store call failed. Messages name files and SQLite's reason, never mail content.
public enum MailStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The user id cannot name a file (empty, or with a `/` or a leading dot).
    case invalidUserID
    /// A file or folder could not be created, changed or removed.
    case io(path: String, reason: String)
    /// The store cannot be used and another instance has it open, so it was not moved aside.
    case unusable(path: String, reason: StoreNotice.Reason)
    /// SQLite refused (disk full, busy for longer than the timeout, a closed store, ...).
    case database(code: Int32, message: String)
    /// Another instance held the store's lock exclusively (while opening it) for longer than `waited` seconds.
    case locked(path: String, waited: TimeInterval)

    init(_ error: any Error) {
        if let error = error as? MailStoreError { self = error; return }
        if let error = error as? DatabaseError {
            // GRDB's description carries the statement and its arguments (mail text): only SQLite's words here.
            self = .database(code: error.extendedResultCode.rawValue, message: error.message ?? "SQLite error")
        } else {
            self = .database(code: -1, message: String(describing: type(of: error)))
        }
    }

    public var description: String {
        switch self {
        case .invalidUserID: return "the account id cannot name a store file"
        case .io(let path, let reason): return "\(path): \(reason)"
        case .unusable(let path, let reason):
            return "\(path) cannot be used (\(reason)) and another gmail-tui has it open; running without the local store"
        case .database(let code, let message): return "local store: \(message) (SQLite \(code))"
        case .locked(let path, let waited):
            return "\(path): another gmail-tui has held it for over \(Int(waited)) s while opening the store; running without the local store"
        }
    }
}
