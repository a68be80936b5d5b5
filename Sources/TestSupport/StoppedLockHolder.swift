import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A python3 process that takes an exclusive `flock` on a file and then stops itself (SIGSTOP), as a
/// gmail-tui suspended with Ctrl-Z in the middle of a save would.
public final class StoppedLockHolder: @unchecked Sendable {
    public let pid: pid_t
    private var ended = false

    /// Starts the holder and returns once it holds the lock and has stopped (or throws after 20 s).
    public init(lockFile: String) throws {
        let ready = lockFile + ".ready"
        let script = "import fcntl,os,signal,sys\nf=open(sys.argv[1],'a')\nfcntl.flock(f,fcntl.LOCK_EX)\nopen(sys.argv[2],'w').close()\nos.kill(os.getpid(),signal.SIGSTOP)\n"
        let arguments: [String] = ["/usr/bin/python3", "-c", script, lockFile, ready]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        var child = pid_t()
        let rc = (argv + [nil]).withUnsafeBufferPointer { posix_spawn(&child, "/usr/bin/python3", nil, nil, UnsafeMutablePointer(mutating: $0.baseAddress!), environ) }
        guard rc == 0 else { throw StoppedLockHolderError.cannotStart }
        pid = child
        // Wait (bounded) until it holds the lock and has stopped.
        let deadline = ContinuousClock.now + .seconds(20)
        var status: Int32 = 0
        while ContinuousClock.now < deadline {
            if FileManager.default.fileExists(atPath: ready), waitpid(child, &status, WUNTRACED | WNOHANG) == child { return }
            usleep(20_000)
        }
        end()
        throw StoppedLockHolderError.didNotStop
    }

    /// Kills and reaps the holder (once).
    public func end() {
        guard !ended else { return }
        ended = true
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    deinit { end() }
}

public enum StoppedLockHolderError: Error { case cannotStart, didNotStop }
