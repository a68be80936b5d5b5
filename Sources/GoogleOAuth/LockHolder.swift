import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds a `flock` on a file, for the message that says why a command cannot go on.
///
/// `F_GETLK` does not see `flock` locks on Linux, but `/proc/locks` lists them with the holder's pid and
/// the file's device and inode. Elsewhere, or when the holder cannot be seen (another pid namespace),
/// the answer is nil and the message says "another process".
enum LockHolder {
    /// `pid 1234 (gmail-tui, stopped)` for a process other than this one holding a lock on `lockFile`.
    static func describe(lockFile fd: Int32) -> String? {
        var st = stat()
        guard fstat(fd, &st) == 0, let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        let pids = holders(in: table, device: UInt64(st.st_dev), inode: UInt64(st.st_ino)).filter { $0 != getpid() }
        guard let pid = pids.first else { return nil }
        return describe(pid: pid)
    }

    /// Pids of the `FLOCK` entries of `/proc/locks` on this file (waiters, shown with `->`, left out).
    ///
    /// A line reads `1: FLOCK  ADVISORY  WRITE 1234 00:2f:5678 0 EOF`: device major and minor in hex, inode in decimal.
    static func holders(in table: String, device: UInt64, inode: UInt64) -> [Int32] {
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        var pids: [Int32] = []
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] != "->", fields[1] == "FLOCK" else { continue }
            let id = fields[5].split(separator: ":")
            guard id.count == 3, UInt64(id[0], radix: 16) == major, UInt64(id[1], radix: 16) == minor,
                  UInt64(id[2]) == inode, let pid = Int32(fields[4]) else { continue }
            pids.append(pid)
        }
        return pids
    }

    /// `pid 1234 (name, stopped)`, with what `/proc` tells of the process.
    static func describe(pid: Int32) -> String {
        let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        var notes: [String] = []
        if let name, !name.isEmpty { notes.append(name) }
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            // The state follows the name, which is in parentheses and may itself hold spaces or parentheses.
            let state = stat[stat.index(after: close)...].split(separator: " ").first
            if state == "T" || state == "t" { notes.append("stopped") }
        }
        return notes.isEmpty ? "pid \(pid)" : "pid \(pid) (\(notes.joined(separator: ", ")))"
    }
}

/// What a path that should be a regular file is instead.
enum FileKind {
    /// Nil for a regular file; otherwise "a folder", "a FIFO", ...
    static func notRegular(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "not a regular file"
        }
    }
}
