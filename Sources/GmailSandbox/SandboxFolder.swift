import Foundation

extension Sandbox {
    /// The client secrets file of this sandbox's `installed` or `web` client, pointing at where it answers.
    public func clientSecretsJSON(kind: String) -> Data { clientSecrets(kind: kind).data }
}

/// A private temporary folder holding a sandbox's client secrets file, beside where a client keeps its
/// credentials: how the demo, the bench and the tests point a client at a sandbox.
///
/// The folder is 0700 and the secrets 0600, as the app expects of files that hold secrets.
public struct SandboxFolder: Sendable {
    public let url: URL

    public var clientSecrets: URL { url.appendingPathComponent("client_secret.json") }
    public var credentials: URL { url.appendingPathComponent("credentials.json") }

    /// A new, empty folder in the temporary directory, named `prefix-` and a random suffix.
    public static func make(prefix: String = "gmail-sandbox") throws -> SandboxFolder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return SandboxFolder(url: url)
    }

    /// A new folder with the sandbox's client secrets of `kind` (`installed` or `web`) written in it.
    public static func make(for sandbox: Sandbox, prefix: String = "gmail-sandbox", kind: String = "installed") throws -> SandboxFolder {
        let folder = try make(prefix: prefix)
        do {
            try folder.writeClientSecrets(sandbox, kind: kind)
        } catch {
            folder.remove()
            throw error
        }
        return folder
    }

    /// Writes (or replaces) the sandbox's client secrets of `kind`, mode 0600.
    public func writeClientSecrets(_ sandbox: Sandbox, kind: String = "installed") throws {
        guard FileManager.default.createFile(atPath: clientSecrets.path, contents: sandbox.clientSecretsJSON(kind: kind),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: clientSecrets.path])
        }
    }

    /// Deletes the folder and everything in it.
    public func remove() { try? FileManager.default.removeItem(at: url) }
}

extension SandboxServer {
    /// Starts a server, runs `body` with it, and stops it before returning, whether `body` returned or threw.
    public static func run<T>(_ options: SandboxOptions, isolation: isolated (any Actor)? = #isolation,
                              _ body: (SandboxServer) async throws -> T) async throws -> T {
        let server = try await start(options)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}
