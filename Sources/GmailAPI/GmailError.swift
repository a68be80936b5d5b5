import Foundation
import HTTPCore

/// A failed Gmail call, decoded from Google's error envelope (or from the status alone).
public enum GmailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401: the access token is missing, expired or revoked.
    case unauthenticated(String)
    /// 403 `insufficientPermissions` / `ACCESS_TOKEN_SCOPE_INSUFFICIENT`: the grant lacks a scope.
    case insufficientScope(String)
    /// 404: a deleted or unknown id (also an out-of-date history id).
    case notFound(String)
    /// 429, or 403 with a usage-limit reason. `reason` is Google's (`rateLimitExceeded`, `dailyLimitExceeded`, ...).
    case rateLimited(reason: String, retryAfter: Duration?)
    /// 5xx.
    case backendError(status: Int)
    /// 400.
    case badRequest(String)
    /// Any other status.
    case other(status: Int, message: String)
    /// No HTTP answer.
    case transport(TransportError)
    /// A success whose body cannot be read; the text is the detail for the log (the description says
    /// what happened in a user's words).
    case invalidResponse(String)

    /// Usage-limit reasons Google sends with 403 (and 429).
    public static let rateLimitReasons: Set<String> = [
        "userRateLimitExceeded", "rateLimitExceeded", "dailyLimitExceeded", "quotaExceeded",
    ]

    /// Whether trying the same call again soon may succeed.
    ///
    /// A daily limit stays for hours, so it is not worth retrying now.
    public var isRetryable: Bool {
        switch self {
        case .rateLimited(let reason, _): return reason != "dailyLimitExceeded"
        case .backendError: return true
        case .transport(let error): return error.isTransient
        default: return false
        }
    }

    /// The server's requested wait, if any.
    public var retryAfter: Duration? {
        if case .rateLimited(_, let after) = self { return after }
        return nil
    }

    public var description: String {
        switch self {
        case .unauthenticated(let m): return "unauthenticated: \(m)"
        case .insufficientScope(let m): return "insufficient scope: \(m)"
        case .notFound(let m): return "not found: \(m)"
        case .rateLimited(let r, let after): return "rate limited (\(r))" + (after.map { ", retry after \($0)" } ?? "")
        case .backendError(let s): return "Gmail backend error \(s)"
        case .badRequest(let m): return "bad request: \(m)"
        case .other(let s, let m): return "Gmail error \(s): \(m)"
        case .transport(let e): return e.description
        case .invalidResponse(let detail): return GmailError.summary(ofInvalidResponse: detail)
        }
    }

    /// What the user reads for an unreadable answer: whether it was JSON at all, never Swift's decoding words.
    public static func summary(ofInvalidResponse detail: String) -> String {
        if detail.hasPrefix(notJSONPrefix) { return "Gmail sent an answer that is not JSON" }
        if detail.hasPrefix(tooLargePrefix) { return "Gmail sent an answer too large to read" }
        return "Gmail sent an answer gmail-tui cannot read"
    }

    /// The detail of an answer that is empty or not JSON starts with this.
    static let notJSONPrefix = "not JSON"
    /// The detail of an answer over the transport's size cap starts with this.
    static let tooLargePrefix = "larger"

    /// The detail (for the log) of the full `invalidResponse` text: its description plus what was wrong.
    public var logDetail: String {
        if case .invalidResponse(let detail) = self { return "\(description) (\(detail))" }
        return description
    }

    /// Classifies an error response by status, envelope and headers.
    ///
    /// The server's words are kept only after `ServerText.safe`: `secrets` (the access token that was sent)
    /// and anything shaped like a token are masked, whatever the server echoed.
    public init(response: HTTPResponse, secrets: [String] = []) {
        // Most answers wrap the error in `{"error":...}`; some older ones put its members at the top.
        let decoder = JSONDecoder()
        let body = (try? decoder.decode(ErrorEnvelope.self, from: response.body))?.error
            ?? (try? decoder.decode(ErrorEnvelope.Body.self, from: response.body))
        let message = ServerText.safe(body?.message ?? GmailError.shortText(response), secrets: secrets, limit: 200)
        let reasons = (body?.errors ?? []).compactMap(\.reason) + (body?.details ?? []).compactMap(\.reason)
        let status = response.status
        switch status {
        case 401:
            self = .unauthenticated(message)
        case 429:
            self = .rateLimited(reason: ServerText.safe(reasons.first { GmailError.rateLimitReasons.contains($0) } ?? reasons.first ?? body?.status ?? "rateLimitExceeded", limit: 60),
                                retryAfter: response.retryAfter)
        case 403:
            let authenticate = response.headers["WWW-Authenticate"] ?? ""
            if let reason = reasons.first(where: { GmailError.rateLimitReasons.contains($0) }) {
                self = .rateLimited(reason: reason, retryAfter: response.retryAfter)
            } else if reasons.contains("insufficientPermissions") || reasons.contains("ACCESS_TOKEN_SCOPE_INSUFFICIENT")
                        || authenticate.contains("insufficient_scope") {
                self = .insufficientScope(message)
            } else if body?.status == "RESOURCE_EXHAUSTED" {
                self = .rateLimited(reason: ServerText.safe(reasons.first ?? "RESOURCE_EXHAUSTED", limit: 60), retryAfter: response.retryAfter)
            } else {
                self = .other(status: 403, message: message)
            }
        case 404:
            self = .notFound(message)
        case 400:
            self = .badRequest(message)
        case 500...599:
            self = .backendError(status: status)
        default:
            self = .other(status: status, message: message)
        }
    }

    /// A non-JSON body, trimmed, so that an HTML error page does not flood the UI (the caller caps and redacts it).
    static func shortText(_ response: HTTPResponse) -> String {
        let text = String(decoding: response.body.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "HTTP \(response.status)" : text
    }
}

/// `{"error":{...}}`, where every member may be missing (older answers have no `status`).
struct ErrorEnvelope: Decodable {
    struct Body: Decodable {
        var code: Int?
        var message: String?
        var status: String?
        var errors: [Item]?
        var details: [Detail]?
    }
    struct Item: Decodable {
        var message: String?
        var domain: String?
        var reason: String?
    }
    struct Detail: Decodable {
        var reason: String?
        var domain: String?
    }
    var error: Body
}
