import Foundation
import HTTPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The client secrets file Google's console downloads (`installed` or `web`).
public struct ClientSecrets: Sendable, Equatable {
    public enum Kind: String, Sendable { case installed, web }
    public var kind: Kind
    public var clientID: String
    public var clientSecret: String
    public var authURI: URL
    public var tokenURI: URL
    public var revokeURI: URL?
    public var redirectURIs: [String]

    public init(kind: Kind, clientID: String, clientSecret: String, authURI: URL, tokenURI: URL, revokeURI: URL? = nil, redirectURIs: [String]) {
        self.kind = kind; self.clientID = clientID; self.clientSecret = clientSecret
        self.authURI = authURI; self.tokenURI = tokenURI; self.revokeURI = revokeURI; self.redirectURIs = redirectURIs
    }

    /// `revoke_uri` if the file has one, else `token_uri` with its last path segment replaced by `revoke`.
    public var revocationEndpoint: URL {
        revokeURI ?? tokenURI.deletingLastPathComponent().appendingPathComponent("revoke")
    }

    /// Reads and validates a client secrets file.
    public static func load(path: String) throws(ClientSecretsError) -> ClientSecrets {
        guard FileManager.default.fileExists(atPath: path) else { throw .missing(path: path) }
        return try parse(try readSmallFile(path), path: path)
    }

    /// The file's bytes, read through one descriptor: a folder, a FIFO (which would block) or a device is
    /// refused by name, an unreadable file says why in the system's words, and no client secrets file is
    /// anywhere near a megabyte.
    static func readSmallFile(_ path: String, limit: Int = 1 << 20) throws(ClientSecretsError) -> Data {
        func reason() -> String { String(cString: strerror(errno)).lowercased() }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .unreadable(path: path, reason: reason()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .unreadable(path: path, reason: reason()) }
        if let kind = FileKind.notRegular(st.st_mode) { throw .unreadable(path: path, reason: "it is \(kind), not a file") }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: reason())
            }
            if n == 0 { return data }
            data.append(contentsOf: buffer[0..<n])
            if data.count > limit { throw .malformed(path: path, reason: "larger than \(limit >> 20) MB, so not a client secrets file") }
        }
    }

    /// Validates client secrets JSON; `path` only names the file in errors.
    public static func parse(_ data: Data, path: String) throws(ClientSecretsError) -> ClientSecrets {
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .malformed(path: path, reason: "not a JSON object")
        }
        let kind: Kind
        let body: [String: Any]
        if let installed = top["installed"] as? [String: Any] {
            kind = .installed; body = installed
        } else if let web = top["web"] as? [String: Any] {
            kind = .web; body = web
        } else {
            throw .malformed(path: path, reason: "no top-level \"installed\" or \"web\" object")
        }

        func string(_ key: String) throws(ClientSecretsError) -> String {
            guard let value = body[key] else { throw .missingKey(path: path, key: key) }
            guard let s = value as? String, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .malformed(path: path, reason: "\"\(key)\" must be a non-empty string")
            }
            return s
        }
        func url(_ key: String, _ raw: String) throws(ClientSecretsError) -> URL {
            guard let u = URL(string: raw), u.host != nil else {
                throw .malformed(path: path, reason: "\"\(key)\" is not a URL")
            }
            do { try Loopback.checkSecure(u) } catch {
                throw .malformed(path: path, reason: "\"\(key)\" must be https (plain http only for 127.0.0.1, ::1 or localhost)")
            }
            return u
        }

        let clientID = try string("client_id")
        let clientSecret = try string("client_secret")
        let authURI = try url("auth_uri", try string("auth_uri"))
        let tokenURI = try url("token_uri", try string("token_uri"))
        var revokeURI: URL?
        if body["revoke_uri"] != nil { revokeURI = try url("revoke_uri", try string("revoke_uri")) }

        var redirectURIs: [String] = []
        if let raw = body["redirect_uris"] {
            guard let list = raw as? [String] else {
                throw .malformed(path: path, reason: "\"redirect_uris\" must be a list of strings")
            }
            redirectURIs = list
        } else if kind == .web {
            throw .missingKey(path: path, key: "redirect_uris")
        }
        if kind == .web && redirectURIs.isEmpty {
            throw .malformed(path: path, reason: "\"redirect_uris\" is empty: a web client needs a registered redirect URI")
        }
        return ClientSecrets(kind: kind, clientID: clientID, clientSecret: clientSecret, authURI: authURI,
                             tokenURI: tokenURI, revokeURI: revokeURI, redirectURIs: redirectURIs)
    }
}

/// What is wrong with a client secrets file. The description names the file and the fix.
public enum ClientSecretsError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(path: String)
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case missingKey(path: String, key: String)

    public var description: String {
        let problem: String
        switch self {
        case .missing(let path): problem = "client secrets file \(path) not found."
        case .unreadable(let path, let reason): problem = "client secrets file \(path) cannot be read: \(reason)."
        case .malformed(let path, let reason): problem = "client secrets file \(path) is not valid: \(reason)."
        case .missingKey(let path, let key): problem = "client secrets file \(path) has no \"\(key)\"."
        }
        return problem + """
         To create one: in the Google Cloud console, enable the Gmail API, create an OAuth client \
        ID of type "Desktop app", download its JSON and save it there (or pass --client-secrets PATH). \
        To try gmail-tui without a Google account, run it with --demo.
        """
    }
}
