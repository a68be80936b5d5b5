import Foundation

/// tmux's paste buffer: where a copy goes when the program runs inside tmux.
///
/// tmux's default `set-clipboard external` ignores an application's OSC 52, so inside tmux the text is
/// also handed to tmux itself (`tmux set-buffer -w`, which tmux 3.2 and later pass on to the outer
/// terminal's clipboard as well).
public enum TmuxBuffer {
    /// True when the program runs in a tmux pane (`$TMUX` is set).
    public static func isInsideTmux(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        !(environment["TMUX"] ?? "").isEmpty
    }

    /// Puts `text` into tmux's paste buffer; true when tmux took it.
    public static func set(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) async -> Bool {
        guard let tmux = BrowserLauncher.resolve("tmux", path: environment["PATH"] ?? "/usr/bin:/bin") else { return false }
        // -w needs tmux 3.2; an older one refuses the flag, so ask again without it.
        if await run(tmux, ["set-buffer", "-w", "--", text]) == 0 { return true }
        return await run(tmux, ["set-buffer", "--", text]) == 0
    }

    /// Runs tmux and waits for it (5 s at most, in case its server does not answer); nil when it did not finish.
    static func run(_ executable: String, _ arguments: [String]) async -> Int32? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
            let once = Once()
            process.terminationHandler = { finished in
                if once.claim() { continuation.resume(returning: finished.terminationReason == .exit ? finished.terminationStatus : nil) }
            }
            do {
                try process.run()
            } catch {
                if once.claim() { continuation.resume(returning: nil) }
                return
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + 5) {
                if once.claim() {
                    process.terminate()
                    continuation.resume(returning: nil)
                }
            }
        }
    }

    /// True for the first caller only: the continuation is resumed exactly once.
    private final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var done = false
        func claim() -> Bool { lock.withLock { defer { done = true }; return !done } }
    }
}
