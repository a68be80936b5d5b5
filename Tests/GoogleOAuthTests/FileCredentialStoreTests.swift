import Foundation
import Testing
@testable import GoogleOAuth
#if canImport(Glibc)
import Glibc
#endif

/// A class so that each test gets a fresh temporary folder, removed in `deinit` when the test ends.
@Suite final class FileCredentialStoreTests {
    let root: String
    init() throws { root = try makeTempFolder() }
    deinit {
        chmod(root, 0o700)
        try? FileManager.default.removeItem(atPath: root)
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func aMissingFileIsAnEmptyStore() throws {
        let store = FileCredentialStore(path: root + "/none/credentials.json")
        #expect(try store.load().accounts.isEmpty)
        #expect(try store.load().lastUsed == nil)
    }

    @Test func saveCreatesA0600FileInA0700FolderAndRoundTrips() throws {
        let folder = root + "/new/gmail-tui"
        let store = FileCredentialStore(path: folder + "/credentials.json")
        let ann = testAccount("1", "ann@example.com"), bob = testAccount("2", "bob@example.com", refresh: nil)
        try store.save(ann)
        try store.save(bob)
        #expect(try mode(folder) == 0o700)
        #expect(try mode(store.path) == 0o600)
        #expect(try mode(store.path + ".lock") == 0o600)
        let (accounts, last) = try store.load()
        #expect(accounts == [ann, bob])
        #expect(last == "2")
        #expect(try store.account(email: "ANN@example.com") == ann)
        #expect(try store.account(email: nil) == bob)
        try store.remove(userID: "2")
        #expect(try store.load().accounts == [ann])
        #expect(try store.load().lastUsed == "1")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func markUsedChangesOnlyTheAccountUsedLast() throws {
        let store = FileCredentialStore(path: root + "/c/credentials.json")
        let ann = testAccount("1", "ann@example.com"), bob = testAccount("2", "bob@example.com")
        try store.save(ann)
        try store.save(bob)
        // Another instance refreshes ann's token meanwhile: marking her used last keeps it.
        var refreshed = ann
        refreshed.accessToken = "newer-access"
        #expect(try store.saveRefreshed(refreshed, previousRefreshToken: ann.refreshToken) == .saved)
        try store.markUsed(userID: "1")
        #expect(try store.load().lastUsed == "1")
        #expect(try store.account(email: nil) == refreshed)
        try store.markUsed(userID: "unknown")
        #expect(try store.load().lastUsed == "1", "an account not stored is not marked")
        #expect(try store.load().accounts == [refreshed, bob])
    }

    @Test func readsTheDocumentedFormatWithEpochOrISODates() throws {
        let path = root + "/credentials.json"
        let json = #"""
        {"version":1,"lastUsed":"7","accounts":{
          "7":{"userID":"7","email":"c@example.com","refreshToken":"1//x","accessToken":"ya29.y","expiresAt":1800000000,"scopes":["a"],"clientID":"k","extra":true},
          "8":{"userID":"8","email":"d@example.com","refreshToken":"1//z","expiresAt":"2027-01-15T08:00:00Z","scopes":[],"clientID":"k"}}}
        """#
        #expect(FileManager.default.createFile(atPath: path, contents: Data(json.utf8), attributes: [.posixPermissions: 0o600]))
        let (accounts, last) = try FileCredentialStore(path: path).load()
        #expect(last == "7")
        #expect(accounts.map(\.userID) == ["7", "8"])
        #expect(accounts[0].expiresAt == Date(timeIntervalSince1970: 1_800_000_000))
        #expect(accounts[1].expiresAt == ISO8601DateFormatter().date(from: "2027-01-15T08:00:00Z"))
        #expect(accounts[1].accessToken == nil)
    }

    @Test func aFileOthersCanReadIsRefusedWithTheFix() throws {
        let store = FileCredentialStore(path: root + "/credentials.json")
        try store.save(testAccount("1", "ann@example.com"))
        chmod(store.path, 0o644)
        #expect(throws: CredentialStoreError.insecurePermissions(path: store.path, mode: 0o644)) { try store.load() }
        #expect(throws: CredentialStoreError.insecurePermissions(path: store.path, mode: 0o644)) { try store.save(testAccount("2", "b@example.com")) }
        let message = CredentialStoreError.insecurePermissions(path: store.path, mode: 0o644).description
        #expect(message.contains("chmod 600 \(store.path)"))
        chmod(store.path, 0o640)
        #expect(throws: CredentialStoreError.self) { try store.load() }
        chmod(store.path, 0o600)
        #expect(try store.load().accounts.count == 1)
    }

    @Test func aFolderOthersCanWriteIsRefused() throws {
        let folder = root
        let store = FileCredentialStore(path: folder + "/credentials.json")
        try store.save(testAccount("1", "ann@example.com"))
        chmod(folder, 0o777)
        defer { chmod(folder, 0o700) }
        #expect(throws: CredentialStoreError.insecurePermissions(path: folder + "/", mode: 0o777)) { try store.load() }
        #expect(CredentialStoreError.insecurePermissions(path: folder + "/", mode: 0o777).description.contains("chmod 700"))
    }

    @Test func aCorruptFileIsMovedAsideNotDeleted() throws {
        let folder = root
        let path = folder + "/credentials.json"
        let garbage = Data("{\"version\":1,\"accounts\":{\"1\":".utf8)
        #expect(FileManager.default.createFile(atPath: path, contents: garbage, attributes: [.posixPermissions: 0o600]))
        let store = FileCredentialStore(path: path)
        do {
            _ = try store.load()
            Issue.record("a corrupt file must throw")
        } catch let CredentialStoreError.corrupt(p, movedTo) {
            #expect(p == path)
            #expect(movedTo.hasPrefix(path + ".corrupt-"))
            #expect(FileManager.default.contents(atPath: movedTo) == garbage)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try store.load().accounts.isEmpty)
        // A fresh authorization can be saved afterwards.
        try store.save(testAccount("1", "ann@example.com"))
        #expect(try store.load().accounts.count == 1)
    }

    @Test func aFileFromANewerVersionIsNeitherReadNorMovedAside() throws {
        let path = root + "/credentials.json"
        let newer = Data(#"{"version":2,"accounts":{}}"#.utf8)
        #expect(FileManager.default.createFile(atPath: path, contents: newer, attributes: [.posixPermissions: 0o600]))
        #expect(throws: CredentialStoreError.self) { try FileCredentialStore(path: path).load() }
        #expect(throws: CredentialStoreError.self) { try FileCredentialStore(path: path).save(testAccount("1", "a@example.com")) }
        #expect(FileManager.default.contents(atPath: path) == newer)
    }

    @Test func aCrashMidWriteLeavesTheOldFileWhole() throws {
        let folder = root
        let path = folder + "/credentials.json"
        let ann = testAccount("1", "ann@example.com")
        try FileCredentialStore(path: path).save(ann)
        let before = FileManager.default.contents(atPath: path)
        // A stray temporary file from a process that died mid-write changes nothing.
        #expect(FileManager.default.createFile(atPath: path + ".tmp-99999-1", contents: Data("{\"vers".utf8), attributes: [.posixPermissions: 0o600]))
        #expect(throws: CredentialStoreError.io(path: path, reason: "write interrupted")) {
            try FileCredentialStore(path: path, failWriteAfter: 10).save(testAccount("2", "bob@example.com"))
        }
        #expect(FileManager.default.contents(atPath: path) == before)
        #expect(try FileCredentialStore(path: path).load().accounts == [ann])
        let temps = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }
        #expect(temps == ["credentials.json.tmp-99999-1"])
    }

    @Test func manyWritersAtOnceKeepEveryAccount() async throws {
        let path = root + "/credentials.json"
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<12 {
                group.addTask {
                    // Each writer has its own store (its own lock descriptor), like separate processes.
                    try? FileCredentialStore(path: path).save(testAccount("u\(i)", "user\(i)@example.com"))
                }
            }
        }
        #expect(try FileCredentialStore(path: path).load().accounts.count == 12)
    }

    /// A second real process holds the lock (util-linux `flock`) and writes its own account; our save,
    /// waiting on the lock, re-reads inside it and keeps both.
    @Test func theLockIsHonouredAcrossProcesses() throws {
        let folder = root
        let path = folder + "/credentials.json"
        let store = FileCredentialStore(path: path)
        try store.save(testAccount("0", "zed@example.com"))
        let other = #"{"version":1,"lastUsed":"b","accounts":{"b":{"userID":"b","email":"bob@example.com","refreshToken":"1//b","scopes":[],"clientID":"k"},"0":{"userID":"0","email":"zed@example.com","scopes":[],"clientID":"k"}}}"#
        #expect(FileManager.default.createFile(atPath: folder + "/other.json", contents: Data(other.utf8), attributes: [.posixPermissions: 0o600]))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        process.arguments = ["-x", path + ".lock", "/bin/sh", "-c",
                             "touch \"$1/ready\"; while [ ! -e \"$1/go\" ]; do sleep 0.02; done; cp \"$1/other.json\" \"$1/credentials.json\"",
                             "sh", folder]
        try process.run()
        while !FileManager.default.fileExists(atPath: folder + "/ready") { usleep(10_000) }

        let saved = Recorder<Bool>()
        let writer = Thread {
            do { try store.save(testAccount("a", "ann@example.com")); saved.append(true) } catch { saved.append(false) }
        }
        writer.start()
        #expect(FileManager.default.createFile(atPath: folder + "/go", contents: nil))
        process.waitUntilExit()
        while saved.values.isEmpty { usleep(10_000) }

        #expect(saved.values == [true])
        let ids = try store.load().accounts.map(\.userID)
        #expect(Set(ids) == ["0", "a", "b"])
    }

    @Test func descriptionsNeverShowTokens() throws {
        let c = testAccount("1", "ann@example.com", refresh: "1//SECRET-REFRESH")
        for text in ["\(c)", String(reflecting: c), "\([c])"] {
            #expect(!text.contains("SECRET"))
            #expect(!text.contains("ya29."))
        }
        let errors: [CredentialStoreError] = [.corrupt(path: "/p", movedTo: "/q"), .io(path: "/p", reason: "r"), .insecurePermissions(path: "/p", mode: 0o644)]
        for e in errors { #expect(!e.description.contains("1//")) }
    }
}

/// An account with tokens that look like Google's.
func testAccount(_ id: String, _ email: String, refresh: String? = "1//r-\(UUID().uuidString)") -> Credentials {
    Credentials(userID: id, email: email, refreshToken: refresh, accessToken: "ya29.\(id)",
                expiresAt: Date(timeIntervalSince1970: 1_800_000_000), scopes: OAuthScopes.all, clientID: "cid")
}
