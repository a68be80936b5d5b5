import Foundation

/// Where credentials live between runs, keyed by Google user id.
public protocol CredentialStore: Sendable {
    /// Every stored account, and the user id used last.
    func load() throws -> (accounts: [Credentials], lastUsed: String?)
    /// Inserts or replaces the account with this user id and marks it used last.
    func save(_ credentials: Credentials) throws
    /// Forgets the account with this user id.
    func remove(userID: String) throws
    /// Marks the stored account with this user id used last (the default account of the next run), its
    /// credentials untouched; nothing happens when it is not stored.
    func markUsed(userID: String) throws
    /// Stores refreshed `credentials` only if the account is still stored with `previousRefreshToken`,
    /// deciding and writing under one lock (compare-and-set), so that a refresh cannot bring back an
    /// account that `logout` forgot meanwhile, nor overwrite a newer authorization.
    func saveRefreshed(_ credentials: Credentials, previousRefreshToken: String?) throws -> RefreshedSave
}

/// What `saveRefreshed` did.
public enum RefreshedSave: Sendable, Equatable {
    /// The account was still there with the same refresh token: saved.
    case saved
    /// The account is no longer stored (logged out elsewhere): nothing was written.
    case forgotten
    /// The account is stored with another refresh token (authorized again elsewhere): nothing was
    /// written; these are the stored credentials.
    case superseded(Credentials)
}

extension RefreshedSave {
    /// The decision, given what is stored for the account now.
    static func decide(stored: Credentials?, previousRefreshToken: String?) -> RefreshedSave {
        guard let stored else { return .forgotten }
        return stored.refreshToken == previousRefreshToken ? .saved : .superseded(stored)
    }
}

extension CredentialStore {
    /// For stores without a `markUsed` of their own: saving the stored credentials again marks them used last.
    public func markUsed(userID: String) throws {
        if let stored = try load().accounts.first(where: { $0.userID == userID }) { try save(stored) }
    }

    /// The account for an email (case-insensitive), or the one used last when `email` is nil.
    public func account(email: String?) throws -> Credentials? {
        let (accounts, last) = try load()
        if let email { return accounts.first { $0.email.caseInsensitiveCompare(email) == .orderedSame } }
        return accounts.first { $0.userID == last } ?? accounts.first
    }
}

/// Why the credential file cannot be used. Descriptions say how to fix it and never show a token.
public enum CredentialStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Group or others can read the file (or write the folder): refused, as ssh refuses such keys.
    /// A folder's path ends with `/`.
    case insecurePermissions(path: String, mode: Int)
    /// The file could not be parsed; it was moved aside to `movedTo`.
    case corrupt(path: String, movedTo: String)
    case io(path: String, reason: String)
    /// Another process held the lock longer than the store waits. `holder` names it when it can be known
    /// (`pid 1234 (gmail-tui), stopped`).
    case locked(path: String, holder: String?, waited: Duration)
    /// The path is a folder, a FIFO or a device rather than a file.
    case notAFile(path: String, kind: String)

    public var description: String {
        switch self {
        case .insecurePermissions(let path, let mode):
            let octal = String(mode & 0o7777, radix: 8)
            if path.hasSuffix("/") {
                return "credential folder \(path) has mode \(octal): others can change it, so it is not used; fix with: chmod 700 \(path)"
            }
            return "credential file \(path) has mode \(octal): others can read it, so it is not used; fix with: chmod 600 \(path)"
        case .corrupt(let path, let movedTo):
            return "credential file \(path) could not be read and was moved to \(movedTo); authorize again"
        case .io(let path, let reason):
            return "credential file \(path): \(reason)"
        case .locked(let path, let holder, let waited):
            let seconds = waited.components.seconds
            let who = holder.map { "by \($0)" } ?? "by another process"
            return "credential lock \(path) is held \(who) and was not released within \(seconds) s; "
                + "try again, or end that process (a stopped one resumes with: fg or kill -CONT)"
        case .notAFile(let path, let kind):
            return "credential file \(path) is \(kind), not a file; move it away or pass --credentials with a file path"
        }
    }
}
