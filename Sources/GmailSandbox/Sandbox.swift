import Foundation
import HTTPCore
import MIME

/// Errors raised while a sandbox starts.
public enum SandboxError: Error, CustomStringConvertible, Sendable {
    case mailboxNotFound(String)
    case cannotListen(String)

    public var description: String {
        switch self {
        case .mailboxNotFound(let path): "gmail-sandbox: no mailbox folder at \(path)"
        case .cannotListen(let why): "gmail-sandbox: cannot listen: \(why)"
        }
    }
}

/// OAuth scopes the sandbox knows, by their full names.
public enum SandboxScope {
    public static let full = "https://mail.google.com/"
    public static let modify = "https://www.googleapis.com/auth/gmail.modify"
    public static let readonly = "https://www.googleapis.com/auth/gmail.readonly"
    public static let metadata = "https://www.googleapis.com/auth/gmail.metadata"
    public static let labels = "https://www.googleapis.com/auth/gmail.labels"
    public static let compose = "https://www.googleapis.com/auth/gmail.compose"
    public static let userinfoEmail = "https://www.googleapis.com/auth/userinfo.email"
    public static let userinfoProfile = "https://www.googleapis.com/auth/userinfo.profile"
    public static let openid = "openid"

    static let known: Set<String> = [full, modify, readonly, metadata, labels, compose, userinfoEmail, userinfoProfile, openid, "email", "profile"]

    /// `email` and `profile` are the same grants as their long forms.
    static func normalize(_ s: String) -> String {
        switch s {
        case "email": userinfoEmail
        case "profile": userinfoProfile
        default: s
        }
    }
}

/// The emulator without sockets: every endpoint is `handle(_:)`, the HTTP server only adapts to it.
///
/// Paths served (docs/wire.md gives the behaviour):
/// - OAuth: `GET /o/oauth2/auth`, `/o/oauth2/v2/auth`; `POST /token` (`/o/oauth2/token`);
///   `POST /revoke`; `GET /oauth2/v2/userinfo` (`/userinfo/v2/me`).
/// - Gmail below `/gmail/v1/users/{me|email}/`: `profile`, `messages`, `messages/{id}`,
///   `messages/{id}/attachments/{id}`, `messages/{id}/modify|trash|untrash`,
///   `messages/batchModify`, `labels`, `labels/{id}`, `threads`, `threads/{id}`,
///   `threads/{id}/modify`, `history`; batch at `POST /batch/gmail/v1` and `POST /batch`.
/// - Control (loopback only): `/_sandbox/…`, see `control(_:)`; the same operations are methods here.
///
/// `fields` (partial response) is applied to successful JSON answers; see `FieldSelection`.
/// Request order per API call: injected fault, token, scope, user, concurrency slot, quota, latency.
public final class Sandbox: Sendable {
    /// The client id and secret registered for `installed` and `web` clients.
    public static let installedClientId = "sandbox-client.apps.googleusercontent.com"
    public static let webClientId = "sandbox-web-client.apps.googleusercontent.com"
    public static let clientSecret = "sandbox-secret"
    public static let defaultUserEmail = "demo@gmail-tui.example"
    public static let defaultUserId = "108165345678901234567"
    /// History ids below this were never issued: `history.list` answers 404 for them.
    static let firstHistoryId = 1000

    let state: Locked<SandboxState>
    let referenceDate: Date?
    /// Where the web client's redirect goes; set once the server knows its port.
    let rootURL: Locked<String>

    /// Loads the mailbox (the bundled demo when `options.mailboxDirectory` is nil) and registers the default clients and user.
    public init(options: SandboxOptions) throws {
        let directory: String
        if let dir = options.mailboxDirectory {
            directory = dir
        } else if let bundled = Bundle.module.path(forResource: "DemoMailbox", ofType: nil) {
            directory = bundled
        } else {
            throw SandboxError.mailboxNotFound("DemoMailbox (bundle resource)")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw SandboxError.mailboxNotFound(directory)
        }
        let mailbox = try Mailbox.load(directory: directory, labelsFile: options.labelsFile)
        self.referenceDate = options.referenceDate
        self.rootURL = Locked("http://127.0.0.1/")
        var s = SandboxState()
        s.mailbox = mailbox
        s.clients[Sandbox.installedClientId] = OAuthClient(id: Sandbox.installedClientId, secret: Sandbox.clientSecret, kind: .installed, redirectURIs: ["http://localhost"])
        s.clients[Sandbox.webClientId] = OAuthClient(id: Sandbox.webClientId, secret: Sandbox.clientSecret, kind: .web, redirectURIs: [])
        s.users = [SandboxUser(id: Sandbox.defaultUserId, email: Sandbox.defaultUserEmail, name: "Demo User", givenName: "Demo", familyName: "User", denyConsent: false)]
        for m in mailbox.messages { s.labels[m.id] = Set(mailbox.initialLabels[m.id] ?? []) }
        s.userLabels = mailbox.userLabels
        // Older messages got older history ids; the mailbox's id is the newest.
        var next = Sandbox.firstHistoryId
        for m in mailbox.messages.reversed() {
            next += 1 + Int(fnv1a(m.id) % 3)
            s.messageHistoryId[m.id] = next
        }
        s.historyId = next
        // Every id from the first one issued still answers until the control API forgets history.
        s.oldestHistoryId = Sandbox.firstHistoryId
        s.latency = options.latency
        s.tokenLifetime = options.tokenLifetime
        s.maxConcurrentPerUser = options.maxConcurrentPerUser
        s.quotaUnitsPerMinute = options.quotaUnitsPerMinute
        s.quotaStatus = options.quotaStatus
        state = Locked(s)
    }

    /// The messages as they are now, one consistent snapshot (deliveries and deletions change them).
    var mailbox: Mailbox { state.withLock { $0.mailbox } }

    /// How many messages there are, and how long loading the folder took.
    public var messageCount: Int { mailbox.messages.count }
    public var loadTime: Duration { mailbox.loadTime }

    /// The id of every message, newest first.
    public var messageIds: [String] { mailbox.messages.map(\.id) }

    /// Answers one request, as the HTTP server would.
    public func handle(_ request: SandboxRequest) async -> SandboxResponse {
        let clock = ContinuousClock()
        let start = clock.now
        let response: SandboxResponse
        let isControl = request.path.hasPrefix("/_sandbox/")
        if isControl {
            response = control(request)
        } else {
            response = await serve(request)
        }
        let elapsed = clock.now - start
        let ms = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let entry = SandboxLogEntry(time: Date(), method: request.method, path: Sandbox.masked(request), status: response.status, milliseconds: ms,
                                    connection: request.connection)
        state.withLock { s in
            s.log.append(entry)
            if s.log.count > 10_000 { s.log.removeFirst(s.log.count - 10_000) }
            if !isControl {
                s.requestsServed += 1
                if response.status == 429 { s.tooManyRequests += 1 }
            }
        }
        return response
    }

    /// Query names whose values never reach the log.
    static let secretFields: Set<String> = ["code", "access_token", "refresh_token", "token", "client_secret", "code_verifier", "code_challenge", "key", "id_token"]

    static func masked(_ request: SandboxRequest) -> String {
        guard !request.query.isEmpty else { return request.path }
        let fields = request.query.map { secretFields.contains($0.0) ? ($0.0, "***") : $0 }
        return request.path + "?" + FormEncoding.encode(fields)
    }

    /// Non-control requests: faults first, then the endpoint.
    func serve(_ request: SandboxRequest) async -> SandboxResponse {
        if let fault = takeFault(request.path) {
            await sleepLatency()
            return fault
        }
        let path = request.path
        switch path {
        case "/o/oauth2/auth", "/o/oauth2/v2/auth":
            await sleepLatency()
            return authorize(request)
        case "/token", "/o/oauth2/token":
            await sleepLatency()
            return token(request)
        case "/revoke", "/o/oauth2/revoke":
            await sleepLatency()
            return revoke(request)
        case "/batch/gmail/v1", "/batch":
            return await batch(request)
        default:
            guard let route = APIRoute.resolve(method: request.method, path: path) else {
                await sleepLatency()
                return Sandbox.unknownPath(request)
            }
            return await serveAPI(request, route: route)
        }
    }

    static func unknownPath(_ request: SandboxRequest) -> SandboxResponse {
        .html(404, "<!DOCTYPE html><html lang=en><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That’s an error.</ins><p>The requested URL <code>\(GoogleError.html(request.path))</code> was not found on this server.  <ins>That’s all we know.</ins></html>\n")
    }

    /// The injected fault for this path, if one is armed (and counts it down).
    func takeFault(_ path: String) -> SandboxResponse? {
        let status: Int? = state.withLock { s in
            guard let i = s.faults.firstIndex(where: { path.contains($0.path) }) else { return nil }
            let st = s.faults[i].status
            s.faults[i].remaining -= 1
            if s.faults[i].remaining <= 0 { s.faults.remove(at: i) }
            return st
        }
        guard let status else { return nil }
        if path == "/token" || path == "/o/oauth2/token" || path == "/revoke" {
            return GoogleError.oauth(status, status >= 500 ? "internal_failure" : "invalid_request", status >= 500 ? "Backend Error" : ReasonPhrase.of(status))
        }
        let rpc = APIRoute.resolve(method: "GET", path: path)?.rpc ?? "caribou.api.proto.MailboxService.Unknown"
        return GoogleError.forStatus(status, method: rpc)
    }

    func sleepLatency() async {
        let latency = state.withLock { $0.latency }
        if latency > .zero { try? await Task.sleep(for: latency) }
    }

    /// The caller behind an access token.
    struct Caller: Sendable {
        var email: String
        var scopes: [String]
        var clientId: String
    }

    /// Finds the access token of a request: 401 when it is missing, unknown, expired or revoked.
    func authenticate(_ request: SandboxRequest, rpc: String) throws(ErrorResponse) -> Caller {
        var tokenValue: String?
        if let auth = request.header("Authorization") {
            let parts = auth.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw ErrorResponse(GoogleError.invalidCredentials(expired: false, method: rpc))
            }
            tokenValue = parts[1].trimmingCharacters(in: .whitespaces)
        } else if let t = request.queryValue("access_token") {
            tokenValue = t
        }
        guard let tokenValue else {
            throw ErrorResponse(GoogleError.missingCredentials(apiKey: request.queryValue("key") != nil, method: rpc))
        }
        let found = state.withLock { $0.accessTokens[tokenValue] }
        guard let found else { throw ErrorResponse(GoogleError.invalidCredentials(expired: false, method: rpc)) }
        if found.expires <= Date() { throw ErrorResponse(GoogleError.invalidCredentials(expired: true, method: rpc)) }
        return Caller(email: found.userEmail, scopes: found.scopes, clientId: found.clientId)
    }

    /// Takes one in-flight slot of a user; false when the user is at the limit.
    func acquireSlot(_ email: String) -> Bool {
        state.withLock { s in
            let current = s.inFlight[email, default: 0]
            guard current < s.maxConcurrentPerUser else { return false }
            s.inFlight[email] = current + 1
            s.maxInFlight[email] = max(s.maxInFlight[email, default: 0], current + 1)
            return true
        }
    }

    func releaseSlot(_ email: String) {
        state.withLock { s in s.inFlight[email] = max(0, s.inFlight[email, default: 1] - 1) }
    }

    /// Charges quota units; the error to answer when the per-minute budget is spent.
    func chargeQuota(_ email: String, units: Int) -> SandboxResponse? {
        state.withLock { s in
            let now = Date()
            var window = s.quotaWindow[email] ?? (start: now, units: 0)
            if now.timeIntervalSince(window.start) >= 60 { window = (start: now, units: 0) }
            guard window.units + units <= s.quotaUnitsPerMinute else {
                s.quotaWindow[email] = window
                return GoogleError.quotaExceeded(status: s.quotaStatus)
            }
            window.units += units
            s.quotaWindow[email] = window
            s.quotaUnitsCharged += units
            return nil
        }
    }

    /// Authentication, scope, user, concurrency, quota, latency, then the endpoint.
    func serveAPI(_ request: SandboxRequest, route: APIRoute) async -> SandboxResponse {
        let caller: Caller
        do throws(ErrorResponse) { caller = try admit(request, route: route) } catch { return error.response }
        guard acquireSlot(caller.email) else { return GoogleError.tooManyConcurrent }
        defer { releaseSlot(caller.email) }
        if let quota = chargeQuota(caller.email, units: route.units) { return quota }
        await sleepLatency()
        return Sandbox.selectFields(execute(route, request, caller), request)
    }

    /// Applies `fields` to a successful JSON answer; errors and unparsable selections stay whole.
    static func selectFields(_ response: SandboxResponse, _ request: SandboxRequest) -> SandboxResponse {
        guard response.status == 200, let spec = request.queryValue("fields"), !spec.isEmpty,
              let selection = FieldSelection.parse(spec),
              let value = JSONReader.parse(response.body) else { return response }
        var out = response
        out.body = selection.apply(value).data
        return out
    }

    /// The checks that need no slot: token, scope and the `userId` in the path.
    func admit(_ request: SandboxRequest, route: APIRoute) throws(ErrorResponse) -> Caller {
        let caller = try authenticate(request, rpc: route.rpc)
        let granted = Set(caller.scopes.map(SandboxScope.normalize))
        if !route.scopes.contains(where: granted.contains) {
            throw ErrorResponse(GoogleError.insufficientScope(acceptable: route.scopes, method: route.rpc))
        }
        if let userId = route.userId, userId != "me", userId.caseInsensitiveCompare(caller.email) != .orderedSame {
            throw ErrorResponse(GoogleError.forbidden("Delegation denied for \(caller.email)"))
        }
        return caller
    }
}

/// Google's answer to a request it refuses, thrown so that checks can stop a method early.
struct ErrorResponse: Error, Sendable {
    var response: SandboxResponse
    init(_ response: SandboxResponse) { self.response = response }
}
