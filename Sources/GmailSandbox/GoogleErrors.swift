import Foundation

/// Google's error bodies, word for word as docs/wire.md §2 and §5 give them.
enum GoogleError {
    static let realm = "Bearer realm=\"https://accounts.google.com/\""

    /// The JSON envelope `{"error":{"code","message","errors":[...],"status","details"}}`.
    static func envelope(code: Int, message: String, errors: [[(String, String)]], status: String?, details: JSON? = nil) -> JSON {
        var inner: [(String, JSON)] = [("code", .int(code)), ("message", .string(message))]
        inner.append(("errors", .array(errors.map { .object($0.map { ($0.0, JSON.string($0.1)) }) })))
        if let status { inner.append(("status", .string(status))) }
        if let details { inner.append(("details", details)) }
        return .object([("error", .object(inner))])
    }

    static func errorInfo(reason: String, method: String) -> JSON {
        .array([.object([
            ("@type", .string("type.googleapis.com/google.rpc.ErrorInfo")),
            ("reason", .string(reason)),
            ("domain", .string("googleapis.com")),
            ("metadata", .object([("service", .string("gmail.googleapis.com")), ("method", .string(method))])),
        ])])
    }

    static let invalidCredentialsMessage = "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."

    /// 401 for a bad, expired or revoked access token, with `WWW-Authenticate`.
    static func invalidCredentials(expired: Bool, method: String) -> SandboxResponse {
        let body = envelope(
            code: 401, message: invalidCredentialsMessage,
            errors: [[("message", "Invalid Credentials"), ("domain", "global"), ("reason", "authError"), ("location", "Authorization"), ("locationType", "header")]],
            status: "UNAUTHENTICATED",
            details: expired ? errorInfo(reason: "ACCESS_TOKEN_EXPIRED", method: method) : nil)
        return .json(401, body, headers: [("WWW-Authenticate", "\(realm), error=\"invalid_token\"")])
    }

    /// 401 with no credential at all, or an API key instead of a token.
    static func missingCredentials(apiKey: Bool, method: String) -> SandboxResponse {
        let message = apiKey
            ? "API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal. See https://cloud.google.com/docs/authentication"
            : "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
        let body = envelope(
            code: 401, message: message,
            errors: [[("message", "Login Required."), ("domain", "global"), ("reason", "required"), ("location", "Authorization"), ("locationType", "header")]],
            status: "UNAUTHENTICATED", details: errorInfo(reason: "CREDENTIALS_MISSING", method: method))
        return .json(401, body, headers: [("WWW-Authenticate", realm)])
    }

    /// 403 when the token lacks every scope the method accepts.
    static func insufficientScope(acceptable: [String], method: String) -> SandboxResponse {
        let body = envelope(
            code: 403, message: "Request had insufficient authentication scopes.",
            errors: [[("message", "Insufficient Permission"), ("domain", "global"), ("reason", "insufficientPermissions")]],
            status: "PERMISSION_DENIED", details: errorInfo(reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT", method: method))
        return .json(403, body, headers: [("WWW-Authenticate", "\(realm), error=\"insufficient_scope\", scope=\"\(acceptable.joined(separator: " "))\"")])
    }

    static func forbidden(_ message: String) -> SandboxResponse {
        .json(403, envelope(code: 403, message: message, errors: [[("message", message), ("domain", "global"), ("reason", "forbidden")]], status: "PERMISSION_DENIED"))
    }

    static var notFound: SandboxResponse {
        .json(404, envelope(code: 404, message: "Requested entity was not found.", errors: [[("message", "Requested entity was not found."), ("domain", "global"), ("reason", "notFound")]], status: "NOT_FOUND"))
    }

    static func invalidArgument(_ message: String) -> SandboxResponse {
        .json(400, envelope(code: 400, message: message, errors: [[("message", message), ("domain", "global"), ("reason", "invalidArgument")]], status: "INVALID_ARGUMENT"))
    }

    static var invalidId: SandboxResponse { invalidArgument("Invalid id value") }

    /// The 2019 capture has no `status` and puts `errors` first; kept as captured.
    static var invalidPageToken: SandboxResponse {
        .json(400, .object([("error", .object([
            ("errors", .array([.object([("domain", .string("global")), ("reason", .string("invalidArgument")), ("message", .string("Invalid pageToken"))])])),
            ("code", .int(400)), ("message", .string("Invalid pageToken")),
        ]))]))
    }

    static var tooManyConcurrent: SandboxResponse {
        .json(429, envelope(code: 429, message: "Too many concurrent requests for user", errors: [[("domain", "usageLimits"), ("reason", "rateLimitExceeded"), ("message", "Too many concurrent requests for user")]], status: "RESOURCE_EXHAUSTED"))
    }

    static let projectNumber = "123456789012"

    /// Per-user quota exhausted: 429 with the per-minute quota message, or 403 `userRateLimitExceeded`.
    static func quotaExceeded(status: Int) -> SandboxResponse {
        if status == 403 {
            return .json(403, envelope(code: 403, message: "User Rate Limit Exceeded", errors: [[("message", "User Rate Limit Exceeded"), ("domain", "usageLimits"), ("reason", "userRateLimitExceeded")]], status: "PERMISSION_DENIED"))
        }
        let message = "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:\(projectNumber)'."
        return .json(429, envelope(code: 429, message: message, errors: [[("message", message), ("domain", "global"), ("reason", "rateLimitExceeded")]], status: "RESOURCE_EXHAUSTED"))
    }

    static var backendError: SandboxResponse {
        .json(500, .object([("error", .object([
            ("code", .int(500)), ("message", .string("Backend Error")),
            ("errors", .array([.object([("domain", .string("global")), ("reason", .string("backendError")), ("message", .string("Backend Error"))])])),
        ]))]))
    }

    /// The body an injected fault answers with, for any status.
    static func forStatus(_ status: Int, method: String) -> SandboxResponse {
        switch status {
        case 400: return invalidArgument("Bad Request")
        case 401: return invalidCredentials(expired: false, method: method)
        case 403: return .json(403, envelope(code: 403, message: "Rate Limit Exceeded", errors: [[("message", "Rate Limit Exceeded"), ("domain", "usageLimits"), ("reason", "rateLimitExceeded")]], status: "PERMISSION_DENIED"))
        case 404: return notFound
        case 429: return tooManyConcurrent
        case 500: return backendError
        case 503:
            return .json(503, envelope(code: 503, message: "The service is currently unavailable.", errors: [[("message", "The service is currently unavailable."), ("domain", "global"), ("reason", "backendError")]], status: "UNAVAILABLE"))
        default:
            let message = ReasonPhrase.of(status)
            return .json(status, envelope(code: status, message: message, errors: [[("message", message), ("domain", "global"), ("reason", "backendError")]], status: status >= 500 ? "UNAVAILABLE" : "FAILED_PRECONDITION"))
        }
    }

    /// A token-endpoint error: `{"error":…,"error_description":…}`.
    static func oauth(_ status: Int, _ error: String, _ description: String) -> SandboxResponse {
        .json(status, .object([("error", .string(error)), ("error_description", .string(description))]))
    }

    /// The page Google shows instead of redirecting (bad client, redirect_uri_mismatch, missing PKCE).
    static func authorizationPage(status: Int = 400, code: Int = 400, error: String, detail: String, requestDetails: [(String, String)]) -> SandboxResponse {
        let details = requestDetails.map { "<li>\(html($0.0))=\(html($0.1))</li>" }.joined()
        let page = """
        <!doctype html><html><head><meta charset="utf-8"><title>Error \(code): \(error)</title></head>
        <body><h1>Access blocked: Authorization Error</h1>
        <p>Error \(code): \(error)</p>
        <p>\(html(detail))</p>
        <p>Request details:</p><ul>\(details)</ul>
        </body></html>

        """
        return .html(status, page)
    }

    static func html(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
