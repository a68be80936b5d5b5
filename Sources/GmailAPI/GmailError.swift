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
    /// A success whose body cannot be read.
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
        case .invalidResponse(let m): return "unreadable Gmail response: \(m)"
        }
    }

    /// Classifies an error response by status, envelope and headers.
    public init(response: HTTPResponse) {
        // Most answers wrap the error in `{"error":...}`; some older ones put its members at the top.
        let decoder = JSONDecoder()
        let body = (try? decoder.decode(ErrorEnvelope.self, from: response.body))?.error
            ?? (try? decoder.decode(ErrorEnvelope.Body.self, from: response.body))
        let message = body?.message ?? GmailError.shortText(response)
        let reasons = (body?.errors ?? []).compactMap(\.reason) + (body?.details ?? []).compactMap(\.reason)
        let status = response.status
        switch status {
        case 401:
            self = .unauthenticated(message)
        case 429:
            self = .rateLimited(reason: reasons.first { GmailError.rateLimitReasons.contains($0) } ?? reasons.first ?? body?.status ?? "rateLimitExceeded",
                                retryAfter: response.retryAfter)
        case 403:
            let authenticate = response.headers["WWW-Authenticate"] ?? ""
            if let reason = reasons.first(where: { GmailError.rateLimitReasons.contains($0) }) {
                self = .rateLimited(reason: reason, retryAfter: response.retryAfter)
            } else if reasons.contains("insufficientPermissions") || reasons.contains("ACCESS_TOKEN_SCOPE_INSUFFICIENT")
                        || authenticate.contains("insufficient_scope") {
                self = .insufficientScope(message)
            } else if body?.status == "RESOURCE_EXHAUSTED" {
                self = .rateLimited(reason: reasons.first ?? "RESOURCE_EXHAUSTED", retryAfter: response.retryAfter)
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

    /// A non-JSON body, trimmed, so that an HTML error page does not flood the UI.
    static func shortText(_ response: HTTPResponse) -> String {
        let text = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return "HTTP \(response.status)" }
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
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
