import Foundation

/// A credential store that lives in memory and ends with the process: for clients that must leave nothing
/// on disk (a sandbox's clients in the bench and the tests).
public final class InMemoryCredentialStore: CredentialStore, @unchecked Sendable {
    private let lock = NSLock()
    private var accounts: [Credentials]
    private var lastUsed: String?

    public init(_ accounts: [Credentials] = []) { self.accounts = accounts; self.lastUsed = accounts.first?.userID }

    public func load() throws -> (accounts: [Credentials], lastUsed: String?) { lock.withLock { (accounts, lastUsed) } }
    public func save(_ credentials: Credentials) throws {
        lock.withLock {
            accounts.removeAll { $0.userID == credentials.userID }
            accounts.append(credentials)
            lastUsed = credentials.userID
        }
    }
    public func remove(userID: String) throws {
        lock.withLock {
            accounts.removeAll { $0.userID == userID }
            if lastUsed == userID { lastUsed = accounts.first?.userID }
        }
    }
    public func markUsed(userID: String) throws {
        lock.withLock { if accounts.contains(where: { $0.userID == userID }) { lastUsed = userID } }
    }
    /// The same decision as the file store's (`RefreshedSave.decide`), under this store's lock.
    public func saveRefreshed(_ credentials: Credentials, previousRefreshToken: String?) throws -> RefreshedSave {
        lock.withLock {
            let index = accounts.firstIndex { $0.userID == credentials.userID }
            let outcome = RefreshedSave.decide(stored: index.map { accounts[$0] }, previousRefreshToken: previousRefreshToken)
            if outcome == .saved, let index { accounts[index] = credentials }
            return outcome
        }
    }
}
