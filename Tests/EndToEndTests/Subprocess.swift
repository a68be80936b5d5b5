import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to completion with posix_spawn and waitpid.
///
/// Foundation's `Process.waitUntilExit` was seen to hang for good on Linux when several tests started
/// processes at once (the child exited, but was never reaped), so the end-to-end tests start their
/// helpers (tmux, curl, gmail-tui without a terminal) this way instead. Output goes to temporary
/// files, so a chatty child can never block on a full pipe.
enum Subprocess {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `executable` with `arguments` (standard input from /dev/null) and waits for it to exit.
    /// `environment` nil passes this process's environment. A child killed by signal N reports 128+N.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        let folder = FileManager.default.temporaryDirectory
        let id = UUID().uuidString
        let outPath = folder.appendingPathComponent("gmail-tui-e2e-\(id).out").path
        let errPath = folder.appendingPathComponent("gmail-tui-e2e-\(id).err").path
        defer {
            unlink(outPath)
            unlink(errPath)
        }

        let pid = try spawn(executable, arguments, environment: environment,
                            files: [(0, "/dev/null", O_RDONLY), (1, outPath, O_WRONLY | O_CREAT | O_TRUNC), (2, errPath, O_WRONLY | O_CREAT | O_TRUNC)])

        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw Failure(description: "waitpid \(executable): \(String(cString: strerror(errno)))") }
        }
        let signal = status & 0x7f
        let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        func contents(_ path: String) -> String {
            String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        }
        return Result(status: code, stdout: contents(outPath), stderr: contents(errPath))
    }

    /// Starts `executable` with descriptors 0, 1 and 2 opened on `files` (mode 0600 when created) and none
    /// other inherited: a tmux server must not keep the test's sockets (the sandbox's listener, its
    /// connections) open after the test. `environment` nil passes this process's environment.
    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]?,
                      files: [(fd: Int32, path: String, flags: Int32)]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        closeInheritedDescriptors(&actions)
        for file in files { posix_spawn_file_actions_addopen(&actions, file.fd, file.path, file.flags, 0o600) }

        // The test runner's threads block signals (SIGCHLD among them) and the child would inherit that
        // mask: a tmux server started so never reaps its panes nor honours kill-server. Start children
        // with no signal blocked and every signal at its default action.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        let envStrings = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } }
        defer { envStrings?.forEach { free($0) } }

        var pid = pid_t()
        let spawned: Int32 = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            guard let argvBase = argvBuffer.baseAddress else { return EINVAL }
            let argvPointer = UnsafeMutablePointer(mutating: argvBase)
            guard let envStrings else { return posix_spawn(&pid, executable, &actions, &attributes, argvPointer, environ) }
            return (envStrings + [nil]).withUnsafeBufferPointer { envBuffer in
                guard let envBase = envBuffer.baseAddress else { return EINVAL }
                return posix_spawn(&pid, executable, &actions, &attributes, argvPointer, UnsafeMutablePointer(mutating: envBase))
            }
        }
        guard spawned == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        return pid
    }

    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// Adds a close action for every descriptor from 3 up: glibc's `posix_spawn_file_actions_addclosefrom_np`
    /// when it has one (Swift does not import it), else one close per descriptor open now.
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }

    /// `run` on a thread of its own, so an async test does not block a thread of the shared pool while the child runs.
    static func runDetached(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try run(executable, arguments, environment: environment) })
            }
            thread.start()
        }
    }
}
