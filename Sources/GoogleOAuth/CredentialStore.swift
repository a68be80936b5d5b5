import Foundation

/// Where credentials live between runs, keyed by Google user id.
public protocol CredentialStore: Sendable {
    /// Every stored account, and the user id used last.
    func load() throws -> (accounts: [Credentials], lastUsed: String?)
    /// Inserts or replaces the account with this user id and marks it used last.
    func save(_ credentials: Credentials) throws
    /// Forgets the account with this user id.
    func remove(userID: String) throws
}

extension CredentialStore {
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
        }
    }
}
