import Foundation
import TerminalCells

/// Opens a URL in the user's browser: `$BROWSER` if set, else `xdg-open`.
public enum BrowserLauncher {
    /// Starts the browser without waiting for it; returns false when no opener could be started.
    ///
    /// `report` hears `.started` for the opener started, then `.failed` if it exits with a failure
    /// (xdg-open with no browser behind it exits 3), so that the screen never claims a browser opened
    /// when none did.
    @discardableResult
    public static func open(_ url: URL, environment: [String: String] = ProcessInfo.processInfo.environment,
                            report: @escaping @Sendable (BrowserLaunch) -> Void = { _ in }) -> Bool {
        var candidates: [String] = []
        if let browser = environment["BROWSER"], !browser.isEmpty {
            // $BROWSER may list several commands separated by colons.
            candidates += browser.split(separator: ":").map(String.init)
        }
        candidates.append("xdg-open")
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in candidates {
            let parts = name.split(separator: " ").map(String.init)
            guard let command = parts.first, let executable = resolve(command, path: path) else { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = Array(parts.dropFirst()) + [url.absoluteString]
            // The browser must not write over the screen.
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.terminationHandler = { finished in
                if finished.terminationReason == .exit, finished.terminationStatus != 0 {
                    report(.failed(command: command, status: finished.terminationStatus))
                }
            }
            // Said before the start, so that a failure reported by the handler always comes after it.
            report(.started(command: command))
            if (try? process.run()) != nil { return true }
        }
        return false
    }

    static func resolve(_ command: String, path: String) -> String? {
        if command.contains("/") { return FileManager.default.isExecutableFile(atPath: command) ? command : nil }
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
