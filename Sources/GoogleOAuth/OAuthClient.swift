import Foundation
import HTTPCore

/// Google OAuth 2.0 for installed and web clients.
///
/// The calls live one per file: `TokenExchange.swift`, `TokenRefresh.swift`, `UserInfoCall.swift`,
/// `Revoke.swift`, `CompleteAuthorization.swift`; `Authorization.swift` builds the URL and reads the answer.
public struct OAuthClient: Sendable {
    public let secrets: ClientSecrets
    public let transport: any HTTPTransport
    public let userinfoURL: URL
    public let scopes: [String]
    /// How transient failures of a call are retried.
    public let retryPolicy: RetryPolicy

    /// `retryPolicy` defaults to what Google's auth libraries do for token calls; tests pass one with no delay.
    public init(secrets: ClientSecrets, transport: any HTTPTransport,
                userinfoURL: URL = URL(string: "https://www.googleapis.com/oauth2/v2/userinfo")!,
                scopes: [String] = OAuthScopes.all,
                retryPolicy: RetryPolicy = .tokenEndpoint) {
        self.secrets = secrets; self.transport = transport; self.userinfoURL = userinfoURL; self.scopes = scopes
        self.retryPolicy = retryPolicy
    }
}

// MARK: - Sending with retries

extension OAuthClient {
    /// Sends `request`, retrying transient failures (5xx, 408, 429, Google's transient error codes, and
    /// transport errors) up to `retryPolicy.maxAttempts` times. Returns the first response that is not transient.
    ///
    /// A network failure ends as `.network`, a persistent server failure as `.server`: neither ever looks
    /// like a refused grant.
    func sendRetrying(_ request: HTTPRequest) async throws(OAuthError) -> HTTPResponse {
        var attempt = 1
        var retryAfter: Duration?
        while true {
            let outcome: Result<HTTPResponse, TransportError>
            do {
                outcome = .success(try await transport.send(request))
            } catch let error as TransportError {
                outcome = .failure(error)
            } catch is CancellationError {
                throw .network(.cancelled)
            } catch {
                outcome = .failure(.other(code: -1, detail: "\(type(of: error))"))
            }
            switch outcome {
            case .success(let response) where !Self.isTransient(response):
                return response
            case .success(let response):
                if attempt >= retryPolicy.maxAttempts { throw .server(status: response.status) }
                retryAfter = response.retryAfter
            case .failure(let error):
                if !error.isTransient || attempt >= retryPolicy.maxAttempts { throw .network(error) }
            }
            let wait = delay(beforeRetry: attempt, retryAfter: retryAfter)
            // A screenless command's deadline: no new try that could not start before it.
            if !RequestDeadline.allowsRetry(after: wait) {
                switch outcome {
                case .success(let response): throw .server(status: response.status)
                case .failure(let error): throw .network(error)
                }
            }
            do { try await Task.sleep(for: wait) } catch { throw .network(.cancelled) }
            retryAfter = nil
            attempt += 1
        }
    }

    /// The wait before retry `attempt`, as `retryPolicy` has it.
    func delay(beforeRetry attempt: Int, retryAfter: Duration?) -> Duration {
        retryPolicy.delay(retry: attempt, retryAfter: retryAfter, random: Double.random(in: 0..<1))
    }

    static let transientErrorCodes: Set<String> = ["temporarily_unavailable", "server_error", "internal_failure"]

    /// Whether Google says "try again": 5xx, 408, 429, or a transient `error` code in the body.
    static func isTransient(_ response: HTTPResponse) -> Bool {
        if response.isSuccess { return false }
        if response.status >= 500 || response.status == 408 || response.status == 429 { return true }
        let body = ErrorBody(response)
        return [body.error, body.errorDescription].contains { $0.map(transientErrorCodes.contains) ?? false }
    }
}

/// Google's `{"error": ..., "error_description": ...}` body (OAuth endpoints), read leniently.
struct ErrorBody {
    var error: String?
    var errorDescription: String?
    var errorSubtype: String?

    /// Every member is server text: kept only after `ServerText.safe`, with `secrets` (what the request sent:
    /// a code, a refresh token, the client secret) masked wherever the server echoed them.
    init(_ response: HTTPResponse, secrets: [String] = []) {
        let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any]
        func text(_ key: String, limit: Int) -> String? {
            (json?[key] as? String).map { ServerText.safe($0, secrets: secrets, limit: limit) }
        }
        error = text("error", limit: 80)
        errorDescription = text("error_description", limit: 200)
        errorSubtype = text("error_subtype", limit: 80)
    }

    /// `description (subtype)`, or the status when the body says nothing.
    func detail(status: Int) -> String {
        var text = errorDescription ?? error ?? "HTTP \(status)"
        if let errorSubtype { text += " (\(errorSubtype))" }
        return text
    }
}
