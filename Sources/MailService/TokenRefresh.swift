import Foundation
import GoogleOAuth
import GmailAPI
import HTTPCore

// Refreshing the access token without undoing what another gmail-tui did to the credential file.
extension MailService {
    /// The current access token, refreshed first when it is missing or about to expire; `fresh` says it was just refreshed.
    func validAccessToken() async throws(MailServiceError) -> (token: String, fresh: Bool) {
        if !credentials.needsRefresh(now: now()), let token = credentials.accessToken { return (token, false) }
        let refreshed = try await sharedRefresh()
        return (refreshed.accessToken ?? "", true)
    }

    /// A token to retry with after `rejected` got a 401: a newer one if someone already refreshed, else a refresh.
    func refreshedAccessToken(replacing rejected: String) async throws(MailServiceError) -> String {
        if let current = credentials.accessToken, current != rejected, !credentials.needsRefresh(now: now()) { return current }
        return try await sharedRefresh().accessToken ?? ""
    }

    /// Refreshes the access token; concurrent callers wait for the same refresh.
    func sharedRefresh() async throws(MailServiceError) -> Credentials {
        if let refreshTask { return try await refreshTask.value.get() }
        let started = generation
        let task = Task { await self.performRefresh() }
        refreshTask = task
        let result = await task.value
        if generation == started { refreshTask = nil }
        return try result.get()
    }

    func performRefresh() async -> Result<Credentials, MailServiceError> {
        let old = credentials
        let started = generation
        if loggedOut { return .failure(.loggedOutElsewhere(email: old.email)) }
        let updated: Credentials
        do {
            // Keeps the stored refresh token and scopes when Google sends none; throws .noRefreshToken
            // when there is nothing to refresh with.
            updated = try await oauth.refresh(credentials: old, now: now())
        } catch {
            if case .grantRevoked = error, generation == started {
                // The grant is dead: forget its tokens, so that the next authorization asks for consent
                // (and so gets a new refresh token) instead of keeping the dead one.
                var forgotten = old
                forgotten.refreshToken = nil
                forgotten.accessToken = nil
                forgotten.expiresAt = nil
                let outcome = await Self.saveRefreshed(forgotten, replacing: old, in: store)
                // Re-authorized while the file was written: the new account is not this refresh's business.
                guard generation == started else { return .failure(Self.serviceError(error, email: old.email)) }
                switch apply(outcome, new: forgotten, old: old) {
                case .forgotten: return .failure(.loggedOutElsewhere(email: old.email))
                case .superseded(let stored) where !stored.needsRefresh(now: now()): return .success(stored)
                default: break
                }
            }
            return .failure(Self.serviceError(error, email: old.email))
        }
        guard generation == started else { return .success(credentials) }
        let outcome = await Self.saveRefreshed(updated, replacing: old, in: store)
        guard generation == started else { return .success(credentials) }
        switch apply(outcome, new: updated, old: old) {
        case .forgotten:
            return .failure(.loggedOutElsewhere(email: old.email))
        case .superseded(let stored) where stored.refreshToken != nil && !stored.needsRefresh(now: now()):
            // Authorized again elsewhere: that grant is the newer one.
            return .success(stored)
        case .saved, .superseded:
            return .success(updated)
        }
    }

    /// Saves refreshed (or forgotten) tokens only if the store still holds the account with the refresh token
    /// they came from (compare-and-set, decided under the file's lock); nil when the store cannot be written.
    ///
    /// The lock, the write and the fsync happen on a queue of their own, off the actor and off the
    /// cooperative pool: another instance may hold the lock for seconds, and meanwhile every request
    /// with a valid token, every cache hit and every slot the budget hands out goes on.
    static func saveRefreshed(_ new: Credentials, replacing old: Credentials, in store: any CredentialStore) async -> RefreshedSave? {
        await withCheckedContinuation { continuation in
            credentialWrites.async {
                continuation.resume(returning: try? store.saveRefreshed(new, previousRefreshToken: old.refreshToken))
            }
        }
    }

    /// One at a time, in the order the refreshes asked.
    private static let credentialWrites = DispatchQueue(label: "gmail-tui.credential-writes")

    /// Takes what the store did into the credentials in use. A forgotten account stays forgotten: this
    /// instance stops using it.
    private func apply(_ saved: RefreshedSave?, new: Credentials, old: Credentials) -> RefreshedSave {
        // A store that cannot be written must not stop browsing: the token is good for this run.
        let outcome = saved ?? .saved
        switch outcome {
        case .saved:
            credentials = new
        case .forgotten:
            loggedOut = true
            var gone = old
            gone.refreshToken = nil; gone.accessToken = nil; gone.expiresAt = nil
            credentials = gone
        case .superseded(let stored):
            credentials = stored.refreshToken != nil && !stored.needsRefresh(now: now()) ? stored : new
        }
        return outcome
    }
}
