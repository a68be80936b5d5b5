import Foundation
import HTTPCore
import GoogleOAuth
import MailService
import MailStore
import MailUI
import TerminalCells
import TerminalUI
import Logging

/// Performs the browser's effects: `run` does one effect's work and returns the event that answers it (nil for
/// the silent prefetches). The browser's run loop, the bench and the tests drive the state machine through it.
///
/// A few events answer no effect: the loopback listener's code arriving, a browser opener failing after it
/// started, the exchange that follows a refused refresh token. They go to `events` when they happen.
/// Terminal output stays with the caller that owns the terminal: for `.copyToClipboard`, the caller writes
/// OSC 52 itself and `run` only fills tmux's buffer.
final class EffectRunner: @unchecked Sendable {
    let services: Services
    private let demo: Bool
    /// Where `$BROWSER` and `PATH` are looked up for `.openURL`.
    private let environment: [String: String]
    private let events: @Sendable (BrowserEvent) -> Void
    private let initialEmail: String?
    private let log = Logger(label: "gmail-tui.browser")

    private let lock = NSLock()
    private var mail: MailService?
    private var session: AuthorizationSession?
    /// Waits for the browser to come back to the listener; one at a time, cancelled by `stop()`.
    private var listening: Task<Void, Never>?
    /// Foreground fetches out now, since when the oldest has waited, and a wait Gmail asked for.
    private var foregroundFetches = 0
    private var waitingSince: Date?
    private var serverAskedWait: Duration?
    private var storeNotice: String?

    /// `account` with a refresh token is used at once; without one, pages fail with "authorization needed".
    init(services: Services, account: Credentials?, demo: Bool = false,
         environment: [String: String] = ProcessInfo.processInfo.environment,
         events: @escaping @Sendable (BrowserEvent) -> Void) {
        self.services = services
        self.demo = demo
        self.environment = environment
        self.events = events
        initialEmail = account?.email
        if let account, account.refreshToken != nil {
            var unusable = false
            let mailStore = services.config.mailStore(for: account) { _ in unusable = true }
            mail = services.mailService(for: account, mailStore: mailStore)
            if let moved = mailStore?.notice {
                storeNotice = "The local mail store was moved aside and is rebuilt from Gmail: \(moved.reason)"
            } else if unusable {
                storeNotice = "The local mail store cannot be used now; browsing without it (the log says why)"
            }
        }
        if let account { events(.modifyPermission(ModifyScope.isGranted(in: account.scopes))) }
    }

    /// What opening the local store had to say to the user (moved aside and rebuilt, or not usable), once.
    func takeStoreNotice() -> String? {
        lock.withLock {
            defer { storeNotice = nil }
            return storeNotice
        }
    }

    /// Gives up the attempt under way (the user left the permission screen): its listener closes, and a
    /// browser that comes back later finds nobody.
    func cancelAuthorization() {
        let (task, current) = lock.withLock { () -> (Task<Void, Never>?, AuthorizationSession?) in
            defer { session = nil; listening = nil }
            return (listening, session)
        }
        task?.cancel()
        current?.stop()
    }

    func logWarning(_ text: String) { log.warning("\(text)") }

    /// Closes the listener and stops waiting for it (the browser quits).
    func stop() {
        let (task, current) = lock.withLock { (listening, session) }
        task?.cancel()
        current?.stop()
    }

    /// What the spinner line says about a slow wait, at `now` (`WaitNote`).
    func waitNote(now: Date) -> String? {
        lock.withLock { WaitNote.text(waitingSince: waitingSince, serverAskedWait: serverAskedWait, now: now) }
    }

    /// Performs `effect`; returns the event that answers it.
    func run(_ effect: BrowserEffect) async -> BrowserEvent? {
        switch effect {
        case .fetchPage(let query, let token, let size, let reload):
            guard let mail = currentMail() else {
                return .pageFailed(query: query, pageToken: token, error: needAuthorization())
            }
            await beginForeground(mail)
            defer { endForeground() }
            do throws(MailServiceError) {
                // A reload forgets every cached page and message: the mailbox may have changed.
                if reload { await mail.invalidateCaches() }
                return .pageLoaded(try await mail.page(query: query, pageToken: token, pageSize: size, cache: reload ? .reload : .useCached))
            } catch {
                log.warning("page failed: \(error.logDetail)")
                return .pageFailed(query: query, pageToken: token, error: error)
            }
        case .sync(let query, let token, let size):
            guard let mail = currentMail() else {
                return .syncFailed(query: query, pageToken: token, error: needAuthorization())
            }
            do throws(MailServiceError) {
                // What is cached in memory (the next page, prefetched) may be stale once the mailbox moved
                // on: like the reload `r` once was, a sync forgets it; bodies stay in the local store.
                await mail.invalidateCaches()
                return .synced(try await mail.sync(query: query, pageToken: token, pageSize: size))
            } catch {
                log.warning("sync failed: \(error.logDetail)")
                return .syncFailed(query: query, pageToken: token, error: error)
            }
        case .fetchMessage(let id):
            guard let mail = currentMail() else { return .messageFailed(id: id, error: needAuthorization()) }
            await beginForeground(mail)
            defer { endForeground() }
            do throws(MailServiceError) {
                return .messageLoaded(try await mail.message(id: id, cache: .useCached))
            } catch {
                log.warning("message failed: \(error.logDetail)")
                return .messageFailed(id: id, error: error)
            }
        case .prefetchPage(let query, let token, let size):
            await currentMail()?.prefetchPage(query: query, pageToken: token, pageSize: size)
            return nil
        case .prefetchMessage(let id):
            await currentMail()?.prefetchMessage(id: id)
            return nil
        case .startAuthorization(let loginHint):
            return startAuthorization(loginHint: loginHint)
        case .changeMail, .loadLabelChoices, .requestModifyPermission, .cancelAuthorization:
            return await runTriage(effect)
        case .fetchConversationPage, .prefetchConversationPage, .fetchConversation, .prefetchConversation, .syncConversations:
            return await runConversations(effect)
        case .submitCode(let pasted):
            guard let current = lock.withLock({ session }) else { return .authorizationFailed("No authorization is in progress.") }
            do {
                // Nil when the listener's code is being exchanged: its answer is the one the screen waits for.
                return await complete(code: try current.code(fromPasted: pasted), in: current)
            } catch {
                return .authorizationFailed(ErrorWords.sentence(for: error))
            }
        case .copyToClipboard(let text):
            guard TmuxBuffer.isInsideTmux() else { return .copiedToClipboard(.terminal) }
            return .copiedToClipboard(.tmux(buffer: await TmuxBuffer.set(text)))
        case .openURL(let url):
            let launches = BrowserLaunches(events: events)
            if BrowserLauncher.open(url, environment: environment, report: launches.add) { return .browserLaunch(launches.answer()) }
            guard demo else { return .browserLaunch(.noBrowser) }
            // No browser here: in the demo, "opening" the sandbox's consent page is enough, so do what a browser
            // would: follow its redirect back to our own loopback listener.
            await visitLikeABrowser(url)
            return nil
        case .fetchLabels:
            guard let mail = currentMail() else { return .labelsFailed(needAuthorization()) }
            do throws(MailServiceError) { return .labelsLoaded(try await mail.labels()) } catch { return .labelsFailed(error) }
        case .fetchAttachment(let id, let attachment, let action):
            guard let mail = currentMail() else { return .attachmentHandled(.failed(ErrorWords.statusLine(needAuthorization(), retry: ""))) }
            return .attachmentHandled(await AttachmentFiles.perform(mail, messageID: id, attachment: attachment, action: action, environment: environment))
        case .quit, .suspend:
            return nil
        case .rememberQuery(let query):
            QueryHistory(path: services.config.queryHistoryPath).record(query)
            return nil
        }
    }

    func currentMail() -> MailService? { lock.withLock { mail } }

    /// The first page of `query` as the local store holds it, read without any request (for the first
    /// frame); nil without a grant, a store, or a stored page.
    func storedFirstPage(query: String, pageSize: Int) -> MessagePage? {
        currentMail()?.storedPage(query: query, pageToken: nil, pageSize: pageSize)
    }

    /// The service whose notices reach this runner (behind `lock`).
    private var noticesFrom: ObjectIdentifier?

    func needAuthorization() -> MailServiceError {
        .reauthorizationRequired(email: initialEmail ?? "", reason: .noRefreshToken)
    }

    // MARK: - Foreground waits

    /// A fetch the user waits for starts: the wait is timed, and the service says when Gmail asks for more.
    func beginForeground(_ mail: MailService) async {
        let firstUse = lock.withLock { () -> Bool in
            if foregroundFetches == 0 { waitingSince = Date() }
            foregroundFetches += 1
            defer { noticesFrom = ObjectIdentifier(mail) }
            return noticesFrom != ObjectIdentifier(mail)
        }
        // Once per service (a new one comes with each account): not a hop onto its actor before every fetch.
        guard firstUse else { return }
        await mail.setNoticeHandler { [weak self] notice in
            guard let self else { return }
            self.lock.withLock {
                switch notice {
                case .serverAskedToWait(let wait): self.serverAskedWait = wait
                case .retrying, .retryStarted: self.serverAskedWait = nil
                }
            }
        }
    }

    func endForeground() {
        lock.withLock {
            foregroundFetches = max(0, foregroundFetches - 1)
            if foregroundFetches == 0 { waitingSince = nil; serverAskedWait = nil }
        }
    }

    // MARK: - Authorization

    /// A new attempt replaces any earlier one; its URL is the answer, and the listener keeps waiting for the
    /// browser in the background (the browser may come back with an error, and the user can try again).
    private func startAuthorization(loginHint: String?) -> BrowserEvent {
        let current: AuthorizationSession
        do {
            current = try AuthorizationSession(services: services, loginHint: loginHint, forceConsent: nil)
        } catch {
            return .authorizationFailed("Could not listen on 127.0.0.1 for the browser (\(error)); paste the code instead.")
        }
        install(current)
        return .authorizationNeeded(url: current.url, email: loginHint, reason: nil)
    }

    func install(_ current: AuthorizationSession) {
        let previous = lock.withLock { () -> (AuthorizationSession?, Task<Void, Never>?) in
            defer { session = current; listening = nil }
            return (session, listening)
        }
        previous.1?.cancel()
        previous.0?.stop()
        guard current.listener != nil else { return }
        let task = Task { [self] in await listen(current) }
        lock.withLock { if session === current { listening = task } else { task.cancel() } }
    }

    private func listen(_ current: AuthorizationSession) async {
        while !Task.isCancelled, !current.isFinished {
            do {
                let code = try await current.codeFromBrowser(timeout: .seconds(3600))
                events(.authorizationExchangeStarted)
                if let answer = await complete(code: code, in: current) {
                    events(answer)
                    if case .authorizationFailed = answer { continue }
                }
                return
            } catch OAuthError.listenerTimedOut {
                continue
            } catch let error as OAuthError {
                events(.authorizationFailed(ErrorWords.sentence(for: error)))
            } catch {
                return
            }
        }
    }

    /// Exchanges the code and installs the account; nil when another answer won the race.
    private func complete(code: String, in current: AuthorizationSession) async -> BrowserEvent? {
        do {
            guard let credentials = try await current.complete(code: code) else { return nil }
            let existing = currentMail()
            if let existing, await existing.account.userID == credentials.userID {
                await existing.replaceAccount(credentials)
            } else {
                let fresh = services.mailService(for: credentials)
                lock.withLock { mail = fresh }
            }
            lock.withLock { if session === current { session = nil } }
            log.info("authorized \(credentials.email)")
            // Before the answer, so that the retried change finds the screen knowing the new grant.
            events(.modifyPermission(ModifyScope.isGranted(in: credentials.scopes)))
            return .authorizationSucceeded(email: credentials.email)
        } catch OAuthError.noRefreshToken {
            // Google kept the old grant but we have no refresh token: ask again with the consent screen,
            // once; an attempt that already asked for consent would only loop (`withConsent` says so).
            let next: AuthorizationSession?
            do { next = try current.withConsent() } catch {
                return .authorizationFailed("Could not listen on 127.0.0.1 for the browser (\(error)); paste the code instead.")
            }
            guard let next else { return .authorizationFailed(ErrorWords.sentence(for: OAuthError.noRefreshToken)) }
            events(.authorizationFailed("Google sent no refresh token; a new URL asks for consent again."))
            install(next)
            return .authorizationNeeded(url: next.url, email: current.loginHint, reason: nil)
        } catch {
            log.warning("authorization failed: \(error)")
            return .authorizationFailed(ErrorWords.sentence(for: error))
        }
    }

    /// Fetches a URL and follows redirects by hand, as a browser would (demo mode, where there is no browser).
    private func visitLikeABrowser(_ url: URL) async {
        var next: URL? = url
        for _ in 0..<5 {
            guard let target = next, Loopback.isLoopback(host: target.host ?? "") else { return }
            guard let response = try? await services.transport.send(HTTPRequest(url: target)) else { return }
            next = response.headers["Location"].flatMap { URL(string: $0, relativeTo: target)?.absoluteURL }
            if next == nil { return }
        }
    }
}

/// What an opener reported: those said while it starts make the answer to `.openURL`; a failure that comes
/// later (the opener exits with an error) is an event of its own.
private final class BrowserLaunches: @unchecked Sendable {
    private let lock = NSLock()
    private var said: [BrowserLaunch] = []
    private var answered = false
    private let events: @Sendable (BrowserEvent) -> Void

    init(events: @escaping @Sendable (BrowserEvent) -> Void) { self.events = events }

    func add(_ launch: BrowserLaunch) {
        let late = lock.withLock { () -> Bool in
            if !answered { said.append(launch) }
            return answered
        }
        if late { events(.browserLaunch(launch)) }
    }

    /// The last report so far: the opener that started, or its failure if it already exited.
    func answer() -> BrowserLaunch {
        lock.withLock {
            answered = true
            return said.last ?? .noBrowser
        }
    }
}
