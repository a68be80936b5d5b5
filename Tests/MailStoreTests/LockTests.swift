import Foundation
import Testing
import MailStore
#if canImport(Glibc)
import Glibc
#endif

@Suite struct LockTests {
    @Test("an instance that holds the lock while opening and never lets go is reported after the deadline, not waited for")
    func aLockHeldTooLongEndsWithLocked() throws {
        try withCacheFolder { folder in
            // Made first, so that the lock file exists; then held exclusively, as an instance in the
            // middle of moving a store aside holds it (stopped there, it would hold it for ever).
            // (The instance is gone at the end of the statement, and its shared lock with it.)
            let lockPath = try MailStore(cacheDirectory: folder, userID: userID).url.path + ".lock"
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            defer { close(fd) }
            #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
            #expect {
                _ = try MailStore(cacheDirectory: folder, userID: userID, lockTimeout: 0.3)
            } throws: { error in
                guard case .locked(let path, let waited) = error as? MailStoreError else { return false }
                return path == lockPath && waited == 0.3
            }
            // Once the holder lets go, the store opens.
            flock(fd, LOCK_UN)
            let reopened = try MailStore(cacheDirectory: folder, userID: userID, lockTimeout: 0.3)
            #expect(try reopened.historyID() == nil)
        }
    }
}
