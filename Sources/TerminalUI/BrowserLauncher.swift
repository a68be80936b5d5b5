import Foundation

/// Opens a URL in the user's browser: `$BROWSER` if set, else `xdg-open`, else quietly nothing.
public enum BrowserLauncher {
    /// Starts the browser without waiting for it; returns false when no opener could be started.
    @discardableResult
    public static func open(_ url: URL, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
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
