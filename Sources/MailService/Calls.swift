import Foundation
import GoogleOAuth
import GmailAPI
import HTTPCore

// Every Gmail call goes through `call`: a valid token, a slot of the request budget, retries.
extension MailService {
    /// Runs a Gmail call with a valid token: one refresh and retry on 401, backoff on retryable failures.
    /// Each attempt holds `weight` slots of the request budget while it is on the wire (not while backing off).
    /// `insufficientScope`, when given, is thrown for a 403 `insufficientPermissions` (a change of mail
    /// without `gmail.modify`), instead of the generic 403.
    func call<T: Sendable>(lane: RequestLane = .foreground, weight: Int = 1, insufficientScope: MailServiceError? = nil,
                           _ operation: @Sendable (String) async throws(GmailError) -> T) async throws(MailServiceError) -> T {
        var (token, fresh) = try await validAccessToken()
        var attempt = 1
        while true {
            let outcome: Result<T, GmailError>
            // A prefetch abandoned by `invalidateCaches` gets no slot: its result would be thrown away.
            guard await acquireSlots(lane: lane, weight: weight) else { throw .network("cancelled") }
            do throws(GmailError) { outcome = .success(try await operation(token)) } catch { outcome = .failure(error) }
            switch outcome {
            case .success: perform(budget.complete(weight: weight, .succeeded))
            case .failure(.rateLimited): perform(budget.complete(weight: weight, .rateLimited))
            case .failure: perform(budget.complete(weight: weight, .failed))
            }
            if case .failure(.insufficientScope) = outcome, let insufficientScope { throw insufficientScope }
            switch outcome {
            case .success(let value):
                unreachableAt = nil
                return value
            case .failure(.unauthenticated):
                if fresh { throw .reauthorizationRequired(email: credentials.email, reason: .rejectedAfterRefresh) }
                token = try await refreshedAccessToken(replacing: token)
                fresh = true
            case .failure(let error):
                guard error.isRetryable, attempt < retryPolicy.maxAttempts else { throw noteFailure(Self.serviceError(error)) }
                let delay = retryPolicy.delay(retry: attempt, retryAfter: error.retryAfter, random: random())
                // A screenless command's deadline: no new try that could not start before it.
                guard RequestDeadline.allowsRetry(after: delay) else { throw noteFailure(Self.serviceError(error)) }
                if budget.isForeground(lane) {
                    noticeHandler?(error.retryAfter != nil ? .serverAskedToWait(delay) : .retrying(after: delay, attempt: attempt))
                }
                attempt += 1
                do { try await sleep(delay) } catch { throw .network("cancelled") }
                if budget.isForeground(lane) { noticeHandler?(.retryStarted) }
            }
        }
    }

    /// Remembers a failure for want of the network (see `knownUnreachable`), and hands it back.
    func noteFailure(_ error: MailServiceError) -> MailServiceError {
        if case .network = error { unreachableAt = now() }
        return error
    }

    /// True for `unreachableWindow` after a request failed for want of the network, until one succeeds: a
    /// stored page then answers at once rather than after the retries of a network that was just found
    /// down (the browser's sync keeps trying in the background, and brings the live page when it answers).
    var knownUnreachable: Bool {
        guard let unreachableAt else { return false }
        return now().timeIntervalSince(unreachableAt) < Self.unreachableWindow
    }
    static let unreachableWindow: TimeInterval = 30

    // MARK: - The request budget

    /// Requests in flight now (for tests and the benchmark).
    public var requestsInFlight: Int { budget.inFlight }

    /// The adaptive bound on requests in flight (AIMD: halved on a rate limit, grown back on success).
    var inFlightLimit: Int { budget.limit }

    /// Waits for budget; false when the request's prefetch was abandoned (it must not be sent).
    ///
    /// The request is parked before the budget hears of it, so that every answer, immediate or later,
    /// reaches it the same way: through `perform`.
    func acquireSlots(lane: RequestLane, weight: Int) async -> Bool {
        let id = nextParkedID
        nextParkedID += 1
        return await withCheckedContinuation { continuation in
            parked[id] = continuation
            perform(budget.request(id: id, lane: lane, weight: weight))
        }
    }

    /// Does what the budget decided: resumes the parked requests it admitted or refused.
    func perform(_ actions: [RequestBudget.Action]) {
        for action in actions {
            switch action {
            case .admit(let id): parked.removeValue(forKey: id)?.resume(returning: true)
            case .refuse(let id): parked.removeValue(forKey: id)?.resume(returning: false)
            // A queued request stays parked; the limit's changes are the budget's own business.
            case .queue, .shrink, .grow: break
            }
        }
    }
}
