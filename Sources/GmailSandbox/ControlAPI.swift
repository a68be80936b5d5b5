import Foundation
import HTTPCore

/// The control API under `/_sandbox/` (loopback only), and the same operations as Swift methods;
/// the operations that change the mailbox are in MailboxControl.swift.
extension Sandbox {
    // MARK: Swift methods for in-process tests

    /// Kills every refresh and access token of a user and forgets their consent.
    public func revokeGrants(email: String) {
        state.withLock { s in
            s.accessTokens = s.accessTokens.filter { $0.value.userEmail.caseInsensitiveCompare(email) != .orderedSame }
            s.refreshTokens = s.refreshTokens.filter { $0.value.userEmail.caseInsensitiveCompare(email) != .orderedSame }
            s.grants = s.grants.filter { !$0.lowercased().hasPrefix(email.lowercased() + " ") }
        }
    }

    /// Makes every access token issued so far expired (refresh tokens keep working).
    public func expireAccessTokens() {
        state.withLock { s in
            let past = Date().addingTimeInterval(-1)
            for k in s.accessTokens.keys { s.accessTokens[k]?.expires = past }
        }
    }

    /// The next `count` requests whose path contains `path` get Google's error body for `status`.
    public func failNext(pathContaining path: String, status: Int, count: Int = 1) {
        state.withLock { $0.faults.append(Fault(path: path, status: status, remaining: max(1, count))) }
    }

    /// Latency added to every request from now on.
    public func setLatency(_ latency: Duration) {
        state.withLock { $0.latency = latency }
    }

    /// Changes the per-user limits; nil leaves one as it is.
    public func setLimits(maxConcurrentPerUser: Int? = nil, quotaUnitsPerMinute: Int? = nil, quotaStatus: Int? = nil) {
        state.withLock { s in
            if let maxConcurrentPerUser { s.maxConcurrentPerUser = maxConcurrentPerUser }
            if let quotaUnitsPerMinute { s.quotaUnitsPerMinute = quotaUnitsPerMinute; s.quotaWindow = [:] }
            if let quotaStatus { s.quotaStatus = quotaStatus }
        }
    }

    /// Adds a user (or updates one), optionally set to deny consent. Every user sees the same mailbox.
    public func addUser(email: String, name: String? = nil, denyConsent: Bool = false) {
        state.withLock { s in
            if let i = s.users.firstIndex(where: { $0.email.caseInsensitiveCompare(email) == .orderedSame }) {
                s.users[i].denyConsent = denyConsent
                if let name { s.users[i].name = name }
                return
            }
            let display = name ?? String(email.prefix { $0 != "@" })
            let words = display.split(separator: " ")
            let id = "1" + String(String(fnv1a(email)).prefix(20)).padding(toLength: 20, withPad: "0", startingAt: 0)
            s.users.append(SandboxUser(id: id, email: email, name: display, givenName: words.first.map(String.init) ?? display, familyName: words.dropFirst().joined(separator: " "), denyConsent: denyConsent))
        }
    }

    /// The user the next account chooser (`prompt=select_account`) picks, as a person would click on it;
    /// false when no such user exists (add it first with `addUser`).
    @discardableResult
    public func chooseAccount(email: String) -> Bool {
        state.withLock { s in
            guard s.user(email: email) != nil else { return false }
            s.chosenAccount = email
            return true
        }
    }

        /// Registers a `web` client redirect URI (exact match, as Google requires).
    public func addWebRedirectURI(_ uri: String) {
        state.withLock { $0.clients[Sandbox.webClientId]?.redirectURIs.append(uri) }
    }

    /// Mints an access token without the browser dance, for tests of the API alone.
    public func issueAccessToken(email: String = Sandbox.defaultUserEmail, scopes: [String], clientId: String = Sandbox.installedClientId) -> String {
        let token = Sandbox.randomToken("ya29.sandbox-", length: 80)
        state.withLock { s in
            s.accessTokens[token] = AccessToken(userEmail: email, clientId: clientId, scopes: scopes, expires: Date().addingTimeInterval(Double(s.tokenLifetime.components.seconds)), refreshToken: nil)
        }
        return token
    }

    /// The request log, oldest first, secrets masked.
    public func requestLog() -> [SandboxLogEntry] { state.withLock { $0.log } }

    /// Requests served, 429s answered, and the most requests in flight per user.
    public func stats() -> SandboxStats {
        state.withLock {
            SandboxStats(requestsServed: $0.requestsServed, tooManyRequests: $0.tooManyRequests, maxInFlightPerUser: $0.maxInFlight,
                         quotaUnitsCharged: $0.quotaUnitsCharged)
        }
    }

    /// The current labels of a message (for tests).
    public func labels(ofMessage id: String) -> [String] { state.withLock { ($0.labels[id] ?? []).sorted() } }

    // MARK: HTTP

    /// A caller on this machine (an IPv4-mapped address counts as its IPv4 form; an in-process request has none).
    static func isLoopback(_ address: String?) -> Bool {
        guard let address else { return true }
        return Loopback.isLoopback(host: address.hasPrefix("::ffff:") ? String(address.dropFirst(7)) : address)
    }

    func control(_ request: SandboxRequest) -> SandboxResponse {
        guard Sandbox.isLoopback(request.remoteAddress) else {
            return .json(403, .object([("error", .string("the control API answers loopback clients only"))]))
        }
        func q(_ n: String) -> String? { request.queryValue(n) }
        let ok = JSON.object([("ok", .bool(true))])
        let op = String(request.path.dropFirst("/_sandbox/".count))
        if op == "callback" { return callbackPage(request) }
        if request.method == "GET" {
            switch op {
            case "log":
                let entries = requestLog().map { e in
                    JSON.object([
                        ("time", .string(ISO8601DateFormatter().string(from: e.time))), ("method", .string(e.method)),
                        ("path", .string(e.path)), ("status", .int(e.status)), ("ms", .int(e.milliseconds)),
                        ("protocol", e.connection.map { .string($0.protocolName) } ?? .null),
                        ("connection", e.connection.map { .string($0.id) } ?? .null),
                    ])
                }
                return .json(200, .object([("requests", .array(entries))]))
            case "stats":
                let st = stats()
                return .json(200, .object([
                    ("requestsServed", .int(st.requestsServed)), ("tooManyRequests", .int(st.tooManyRequests)),
                    ("quotaUnitsCharged", .int(st.quotaUnitsCharged)),
                    ("maxInFlightPerUser", .object(st.maxInFlightPerUser.sorted { $0.key < $1.key }.map { ($0.key, JSON.int($0.value)) })),
                ]))
            case "client-secrets":
                let kind = q("kind") ?? "installed"
                guard kind == "installed" || kind == "web" else { return Sandbox.badControl("kind must be installed or web") }
                return .json(200, clientSecrets(kind: kind))
            case "messages":
                return .json(200, messagesView(labelIds: request.queryValues("labelId")))
            default: break
            }
        }
        guard request.method == "POST" else { return .json(404, .object([("error", .string("unknown control operation"))])) }
        switch op {
        case "revoke":
            guard let email = q("email") else { return Sandbox.badControl("email is required") }
            revokeGrants(email: email)
            return .json(200, ok)
        case "expire-tokens":
            expireAccessTokens()
            return .json(200, ok)
        case "fail":
            guard let path = q("path"), let status = q("status").flatMap(Int.init) else { return Sandbox.badControl("path and status are required") }
            failNext(pathContaining: path, status: status, count: q("count").flatMap(Int.init) ?? 1)
            return .json(200, ok)
        case "latency":
            guard let ms = q("ms").flatMap(Int.init), ms >= 0 else { return Sandbox.badControl("ms is required") }
            setLatency(.milliseconds(ms))
            return .json(200, ok)
        case "limits":
            setLimits(maxConcurrentPerUser: q("max-concurrent").flatMap(Int.init), quotaUnitsPerMinute: q("quota-per-minute").flatMap(Int.init), quotaStatus: q("quota-status").flatMap(Int.init))
            return .json(200, ok)
        case "users":
            guard let email = q("email") else { return Sandbox.badControl("email is required") }
            addUser(email: email, name: q("name"), denyConsent: q("deny") == "true")
            return .json(200, ok)
        case "choose-account":
            guard let email = q("email") else { return Sandbox.badControl("email is required") }
            guard chooseAccount(email: email) else { return Sandbox.badControl("no user \(email): add it with POST users?email=") }
            return .json(200, ok)
        case "token":
            let scopes = (q("scope") ?? SandboxScope.readonly).split(separator: " ").map(String.init)
            let token = issueAccessToken(email: q("email") ?? Sandbox.defaultUserEmail, scopes: scopes)
            return .json(200, .object([("access_token", .string(token)), ("token_type", .string("Bearer"))]))
        default:
            if let answer = mailboxControl(op, request) { return answer }
            return .json(404, .object([("error", .string("unknown control operation"))]))
        }
    }

    static func badControl(_ why: String) -> SandboxResponse {
        .json(400, .object([("error", .string(why))]))
    }

    /// The page a `web` client's redirect lands on: it shows the code to paste.
    func callbackPage(_ request: SandboxRequest) -> SandboxResponse {
        if let error = request.queryValue("error") {
            return .html(200, "<!doctype html><html><body><p>Authorization failed: \(GoogleError.html(error))</p></body></html>\n")
        }
        let code = request.queryValue("code") ?? ""
        return .html(200, "<!doctype html><html><body><p>Paste this code into gmail-tui:</p><pre>\(GoogleError.html(code))</pre></body></html>\n")
    }
}
