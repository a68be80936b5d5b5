import Foundation
import ArgumentParser
import GoogleOAuth
import MailService

/// Resumes a continuation once, from whichever source answers first.
final class FirstAnswer<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, any Error>?
    init(_ continuation: CheckedContinuation<Value, any Error>) { self.continuation = continuation }
    /// Returns false when an answer was already given.
    @discardableResult func resume(_ result: Result<Value, any Error>) -> Bool {
        let c: CheckedContinuation<Value, any Error>? = lock.withLock { defer { continuation = nil }; return continuation }
        c?.resume(with: result)
        return c != nil
    }
}

/// Authorization in a plain terminal (`gmail-tui auth`): prints the URL, then completes when the browser
/// comes back to the loopback listener or when the code (or the whole redirect URL) is pasted on stdin.
struct TerminalAuthorization {
    let services: Services
    /// How long to wait for the browser or a pasted code before giving up (`auth --timeout`).
    var timeout: Duration = .seconds(600)
    var output: @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
    /// Ask for `gmail.modify` too (`auth --modify`), keeping every scope already granted.
    var askForModify = false

    func run(loginHint: String?) async throws -> Credentials {
        let hint = loginHint ?? (try? services.store.account(email: nil))??.email
        var session = askForModify ? try AuthorizationSession.addingModify(services: services, loginHint: hint)
                                   : try AuthorizationSession(services: services, loginHint: hint)
        while true {
            do {
                return try await attempt(session)
            } catch OAuthError.noRefreshToken {
                guard let next = try session.withConsent() else { throw OAuthError.noRefreshToken }
                output("Google sent no refresh token and none is stored: asking again with the consent screen.")
                session = next
            }
        }
    }

    private func attempt(_ session: AuthorizationSession) async throws -> Credentials {
        defer { session.stop() }
        let listener = session.listener
        output("""
        Open this URL in a browser, sign in and allow access:

        \(session.url.absoluteString)

        \(listener == nil ? "" : "gmail-tui continues by itself when the browser comes back to \(listener?.redirectURI ?? "").\nOn another machine? ")Paste the code, or the whole address the browser ended on, and press Enter:
        """)

        let output = self.output
        let timeout = self.timeout
        var sources: [Task<Void, Never>] = []
        defer { sources.forEach { $0.cancel() } }
        let code: String = try await withCheckedThrowingContinuation { continuation in
            let answer = FirstAnswer(continuation)
            if listener != nil {
                sources.append(Task {
                    do { answer.resume(.success(try await session.codeFromBrowser(timeout: timeout))) } catch { answer.resume(.failure(error)) }
                })
            }
            let hasListener = listener != nil
            // Standard input may stay open forever (a terminal nobody types in): the timeout ends the wait either way.
            sources.append(Task {
                if (try? await Task.sleep(for: timeout)) != nil { answer.resume(.failure(OAuthError.listenerTimedOut)) }
            })
            sources.append(Task {
                while let line = await StandardInputLines.shared.next() {
                    if line.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { continue }
                    do {
                        if answer.resume(.success(try session.code(fromPasted: line))) { return }
                    } catch {
                        // Wrong paste: say why and keep waiting for another.
                        output("That did not work: \(ErrorWords.sentence(for: error)) Paste again:")
                    }
                }
                if !hasListener && !Task.isCancelled { answer.resume(.failure(OAuthError.missingCode)) }
            })
        }
        output("Exchanging the code…")
        guard let credentials = try await session.complete(code: code) else { throw OAuthError.missingCode }
        return credentials
    }
}
