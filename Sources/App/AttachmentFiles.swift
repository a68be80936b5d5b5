import Foundation
import MailModels
import MailService
import MailUI

/// Where attachments go on disk: saved into the download folder under a name that takes no other file's
/// place, or written into a private folder for `xdg-open`.
enum AttachmentFiles {
    /// `$XDG_DOWNLOAD_DIR`, else `~/Downloads`.
    static func downloadFolder(environment: [String: String]) -> URL {
        if let dir = environment["XDG_DOWNLOAD_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir, isDirectory: true) }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent("Downloads", isDirectory: true)
    }

    /// A file name that is safe to create: the last path component, without control characters or a leading
    /// dot (a sender chooses it: "../../.bashrc" must become "bashrc" in the chosen folder).
    static func safeName(_ filename: String) -> String {
        let last = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var name = String(String.UnicodeScalarView(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        while name.hasPrefix(".") { name.removeFirst() }
        name = name.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { name = "attachment" }
        // Long names are cut to what file systems take (255 bytes), keeping the extension.
        while name.utf8.count > 200 {
            let ext = (name as NSString).pathExtension
            let stem = (name as NSString).deletingPathExtension
            guard !stem.isEmpty else { name = String(name.prefix(100)); break }
            name = String(stem.dropLast()) + (ext.isEmpty ? "" : "." + ext)
        }
        return name
    }

    /// The n-th name tried for `name`: itself, then "file (1).pdf", "file (2).pdf"…
    static func numbered(_ name: String, _ n: Int) -> String {
        guard n > 0 else { return name }
        let ext = (name as NSString).pathExtension
        let stem = (name as NSString).deletingPathExtension
        guard !ext.isEmpty, !stem.isEmpty else { return "\(name) (\(n))" }
        return "\(stem) (\(n)).\(ext)"
    }

    /// Writes `data` into `folder` under `filename`, or a numbered name when that one is taken; never over
    /// an existing file (each name is created with `O_EXCL`). Returns the file written.
    static func save(_ data: Data, filename: String, in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = safeName(filename)
        for n in 0..<10_000 {
            let url = folder.appendingPathComponent(numbered(name, n))
            let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST { continue }
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)])
            }
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            do {
                try handle.write(contentsOf: data)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? FileManager.default.removeItem(at: url)
                throw error
            }
            return url
        }
        throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: folder.appendingPathComponent(name).path])
    }

    /// A new folder only this user can read (`mkdtemp`, mode 0700) under `$TMPDIR`, for files handed to a viewer.
    static func privateFolder(environment: [String: String]) throws -> URL {
        let base = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/gmail-tui-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: base])
        }
        return URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }

    /// Fetches the attachment and saves or opens it; the answer to `.fetchAttachment`.
    static func perform(_ mail: MailService, messageID: String, attachment: AttachmentSummary, action: AttachmentAction,
                        environment: [String: String]) async -> AttachmentOutcome {
        let data: Data
        do throws(MailServiceError) {
            data = try await mail.attachmentData(messageID: messageID, attachment: attachment)
        } catch {
            return .failed(ErrorWords.statusLine(error, retry: "Enter or s to try again"))
        }
        do {
            switch action {
            case .save:
                let url = try save(data, filename: attachment.filename, in: downloadFolder(environment: environment))
                return .saved(path: url.path)
            case .open:
                let url = try save(data, filename: attachment.filename, in: try privateFolder(environment: environment))
                guard FileOpener.open(url, environment: environment) else {
                    return .failed("xdg-open was not found, so nothing can open \(url.lastPathComponent); s saves it instead")
                }
                return .opened(filename: url.lastPathComponent)
            }
        } catch {
            return .failed("Could not write \(safeName(attachment.filename)): \(error.localizedDescription)")
        }
    }
}

/// Hands a file to the desktop's opener (`xdg-open`), without waiting for it and without letting it write
/// over the screen.
enum FileOpener {
    static func open(_ file: URL, environment: [String: String]) -> Bool {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        guard let opener = path.split(separator: ":").map({ "\($0)/xdg-open" }).first(where: FileManager.default.isExecutableFile) else {
            return false
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opener)
        process.arguments = [file.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return (try? process.run()) != nil
    }
}
