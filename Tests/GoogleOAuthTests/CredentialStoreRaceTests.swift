import Foundation
import Testing
@testable import GoogleOAuth
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// What another process does to the credential file while this one runs: logout, a new authorization,
/// a lock held by a stopped process, a folder where the file should be.
@Suite final class CredentialStoreRaceTests {
    let root: String
    init() throws { root = try makeTempFolder() }
    deinit { try? FileManager.default.removeItem(atPath: root) }

    @Test func aRefreshSavesOnlyWhileTheSameRefreshTokenIsStored() throws {
        let store = FileCredentialStore(path: root + "/credentials.json")
        let ann = testAccount("1", "ann@example.com", refresh: "1//ann-first")
        try store.save(ann)
        var refreshed = ann
        refreshed.accessToken = "ya29.new"
        #expect(try store.saveRefreshed(refreshed, previousRefreshToken: "1//ann-first") == .saved)
        #expect(try store.account(email: "ann@example.com")?.accessToken == "ya29.new")
    }

    @Test func aRefreshNeverBringsBackAnAccountThatWasLoggedOut() throws {
        let store = FileCredentialStore(path: root + "/credentials.json")
        let ann = testAccount("1", "ann@example.com", refresh: "1//ann")
        let bob = testAccount("2", "bob@example.com")
        try store.save(ann)
        try store.save(bob)
        // `gmail-tui logout --account ann` in another terminal.
        try store.remove(userID: "1")
        var refreshed = ann
        refreshed.accessToken = "ya29.after-logout"
        #expect(try store.saveRefreshed(refreshed, previousRefreshToken: "1//ann") == .forgotten)
        // Not even a token-less entry (what a refused refresh after `logout --revoke` would write).
        var emptied = ann
        emptied.refreshToken = nil; emptied.accessToken = nil
        #expect(try store.saveRefreshed(emptied, previousRefreshToken: "1//ann") == .forgotten)
        #expect(try store.load().accounts.map(\.userID) == ["2"])
        #expect(try store.load().lastUsed == "2")
    }

    @Test func aRefreshDoesNotOverwriteANewerAuthorization() throws {
        let store = FileCredentialStore(path: root + "/credentials.json")
        let old = testAccount("1", "ann@example.com", refresh: "1//old")
        try store.save(old)
        let reauthorized = testAccount("1", "ann@example.com", refresh: "1//new")
        try store.save(reauthorized)
        var refreshed = old
        refreshed.accessToken = "ya29.from-old-grant"
        #expect(try store.saveRefreshed(refreshed, previousRefreshToken: "1//old") == .superseded(reauthorized))
        #expect(try store.account(email: nil) == reauthorized)
    }

    @Test func aMissingFileMeansForgotten() throws {
        let store = FileCredentialStore(path: root + "/none.json")
        #expect(try store.saveRefreshed(testAccount("1", "a@example.com"), previousRefreshToken: "x") == .forgotten)
        #expect(!FileManager.default.fileExists(atPath: store.path))
    }

    @Test func aLockHeldByAStoppedProcessIsNamedAfterABoundedWait() throws {
        let path = root + "/credentials.json"
        try FileCredentialStore(path: path).save(testAccount("1", "ann@example.com"))
        let holder = try StoppedLockHolder(lockFile: path + ".lock")
        defer { holder.end() }
        let store = FileCredentialStore(path: path, lockTimeout: .milliseconds(300))
        for attempt in [{ _ = try store.load() }, { try store.save(testAccount("2", "bob@example.com")) }] {
            do {
                try attempt()
                Issue.record("expected the lock to be refused")
            } catch let error as CredentialStoreError {
                guard case .locked(let lockPath, let who, _) = error else { Issue.record("got \(error)"); continue }
                #expect(lockPath == path + ".lock")
                #expect(who == "pid \(holder.pid) (python3, stopped)")
                #expect(error.description.contains(path + ".lock"))
                #expect(error.description.contains("pid \(holder.pid)"))
            }
        }
        // Once the holder is gone, the store works again.
        holder.end()
        #expect(try store.load().accounts.count == 1)
    }

    @Test func aFolderOrAFIFOInPlaceOfTheFileIsNamedAsSuch() throws {
        let folderPath = root + "/credentials.json"
        try FileManager.default.createDirectory(atPath: folderPath, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        #expect(throws: CredentialStoreError.notAFile(path: folderPath, kind: "a folder")) { try FileCredentialStore(path: folderPath).load() }
        let fifoPath = root + "/fifo.json"
        #expect(mkfifo(fifoPath, 0o600) == 0)
        // Opening a FIFO for reading would wait for a writer: it must not.
        #expect(throws: CredentialStoreError.notAFile(path: fifoPath, kind: "a FIFO (named pipe)")) { try FileCredentialStore(path: fifoPath).load() }
    }

    @Test func clientSecretsThatAreAFolderOrAFIFOAreNamedAsSuch() throws {
        let folder = root + "/client_secret.json"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        #expect(throws: ClientSecretsError.unreadable(path: folder, reason: "it is a folder, not a file")) { try ClientSecrets.load(path: folder) }
        let fifo = root + "/fifo_secret.json"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: ClientSecretsError.unreadable(path: fifo, reason: "it is a FIFO (named pipe), not a file")) { try ClientSecrets.load(path: fifo) }
    }

    @Test func proclocksLinesAreReadForTheRightFileOnly() {
        let table = """
        1: FLOCK  ADVISORY  WRITE 4242 fe:01:123456 0 EOF
        1: -> FLOCK  ADVISORY  WRITE 5000 fe:01:123456 0 EOF
        2: FLOCK  ADVISORY  READ 4343 fe:01:999 0 EOF
        3: POSIX  ADVISORY  WRITE 4444 fe:01:123456 0 EOF
        """
        // Device fe:01 is major 0xfe, minor 1 in the kernel's encoding.
        let device: UInt64 = (0xfe << 8) | 1
        #expect(LockHolder.holders(in: table, device: device, inode: 123456) == [4242])
        #expect(LockHolder.holders(in: table, device: device, inode: 1).isEmpty)
    }
}
