import Foundation
import Glibc
import HTTPCore
import GoogleOAuth
import MailService
import MailUI
import TerminalUI
import Logging

/// Runs the browser: one thread owns the terminal and the state machine; effects run as tasks whose
/// results come back through an inbox that wakes the loop at once (a self-pipe), so a page is drawn
/// as soon as it arrives and keys are never blocked by the network.
final class BrowserLoop: @unchecked Sendable {
    private let services: Services
    private let query: String
    private let pageSize: Int
    private let demo: Bool

    private let lock = NSLock()
    private var inbox: [BrowserEvent] = []
    private var mail: MailService?
    private var attempt: AuthorizationAttempt?
    private var lastReason: ReauthorizationReason?
    /// Effects in flight, cancelled when the browser quits; each removes itself when done.
    private var tasks: [UUID: Task<Void, Never>] = [:]
    private let wake: (read: Int32, write: Int32)
    private let initialAccount: Credentials?
    /// Shown on the first authorization screen (why authorization is needed, when it is not obvious).
    private var startupNotice: String?
    private let log = Logger(label: "gmail-tui.browser")
    /// Foreground fetches out now, since when the oldest has waited, and a wait Gmail asked for.
    private var foregroundFetches = 0
    private var waitingSince: Date?
    private var serverAskedWait: Duration?

    /// One authorization in progress: what was sent, and the listener waiting for the browser.
    final class AuthorizationAttempt: @unchecked Sendable {
        let request: AuthorizationRequest
        let listener: RedirectListener?
        private let lock = NSLock()
        private var finished = false
        init(request: AuthorizationRequest, listener: RedirectListener?) { self.request = request; self.listener = listener }
        /// True for the first caller only: a code from the listener and a pasted one cannot both be used.
        func claim() -> Bool { lock.withLock { defer { finished = true }; return !finished } }
        func release() { lock.withLock { finished = false } }
    }

    init(services: Services, account: Credentials?, query: String, pageSize: Int, demo: Bool, notice: String? = nil) {
        self.startupNotice = notice
        self.services = services
        self.query = query
        self.pageSize = pageSize
        self.demo = demo
        self.initialAccount = account
        var fds: [Int32] = [0, 0]
        if pipe(&fds) == 0 {
            _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
            _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        }
        wake = (fds[0], fds[1])
        if let account, account.refreshToken != nil {
            mail = services.mailService(for: account)
        }
    }

    deinit {
        close(wake.read)
        close(wake.write)
    }

    /// Runs until the user quits; returns the exit status.
    func run() async -> Int32 {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.loop()) }
            thread.name = "gmail-tui terminal"
            thread.start()
        }
    }

    // MARK: - The terminal thread

    private func loop() -> Int32 {
        let terminal = Terminal()
        do {
            try terminal.start()
        } catch {
            printError("gmail-tui: \(error)")
            return ExitStatus.noTerminal
        }
        defer {
            terminal.stop()
            lock.withLock { tasks.values.forEach { $0.cancel() }; attempt?.listener?.stop() }
        }
        let size = terminal.size
        var state = BrowserState(account: initialAccount?.email, query: query, pageSize: pageSize, cols: size.cols, rows: size.rows)
        // The first frame goes out before any network call.
        terminal.draw(state.render())
        if let marker = ProcessInfo.processInfo.environment["GMAIL_TUI_FIRST_FRAME_FILE"], !marker.isEmpty {
            // `make bench`: record when the first frame was drawn (seconds since 1970) and, if asked, stop there.
            let stamp = String(format: "%.6f\n", Date().timeIntervalSince1970)
            _ = FileManager.default.createFile(atPath: marker, contents: Data(stamp.utf8))
            if ProcessInfo.processInfo.environment["GMAIL_TUI_EXIT_AFTER_FIRST_FRAME"] == "1" { return 0 }
        }
        var effects: [BrowserEffect]
        if let account = initialAccount, account.refreshToken != nil {
            effects = state.start()
        } else {
            effects = [.startAuthorization(loginHint: initialAccount?.email)]
        }
        var lastTick = Date()
        var drawn = state
        while true {
            for effect in effects {
                if case .quit = effect { return 0 }
                perform(effect, terminal: terminal)
            }
            effects = []
            state.now = Date()
            while let event = terminal.nextEvent(timeoutMilliseconds: 0) {
                effects += state.update(event.browserEvent)
            }
            for event in lock.withLock({ defer { inbox.removeAll() }; return inbox }) {
                effects += state.update(event)
                if case .authorizationNeeded = event, let notice = startupNotice {
                    state.authorization?.notice = notice
                    startupNotice = nil
                }
            }
            let note = lock.withLock { WaitNote.text(waitingSince: waitingSince, serverAskedWait: serverAskedWait, now: Date()) }
            if note != state.waitNote { effects += state.update(.waitNote(note)) }
            if state.isBusy || state.wantsTick, Date().timeIntervalSince(lastTick) >= 0.1 {
                lastTick = Date()
                effects += state.update(.tick)
            }
            if !effects.isEmpty { continue }
            // `now` moves on every pass (the prefetch delay needs it), so it is left out of "did anything
            // change"; the list shows minutes, so a new minute is a change of its own.
            var unchangedSinceDrawn = drawn
            unchangedSinceDrawn.now = state.now
            if state != unchangedSinceDrawn || !state.calendar.isDate(state.now, equalTo: drawn.now, toGranularity: .minute) {
                terminal.draw(state.render())
                drawn = state
            }
            if !waitForInput(timeoutMilliseconds: state.isBusy || state.wantsTick ? 100 : 500) {
                // The terminal hung up (its window closed, its ssh connection dropped): nothing more can
                // be read, and polling a hung-up descriptor would spin.
                terminal.stop()
                printError("gmail-tui: the terminal closed (end of input); quitting.")
                return ExitStatus.noTerminal
            }
        }
    }

    /// Sleeps until a key arrives, an effect posts a result, or the timeout passes; false once the
    /// terminal has hung up and no key can come any more.
    private func waitForInput(timeoutMilliseconds: Int32) -> Bool {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, timeoutMilliseconds)
        if fds[1].revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(wake.read, &buffer, buffer.count) > 0 {}
        }
        return Self.terminalAlive(revents: fds[0].revents)
    }

    /// False when standard input reports a hang-up, an error or a closed descriptor. A hung-up terminal
    /// also reports POLLIN for ever (reads return end of file), so POLLIN does not make it alive; keys
    /// typed just before the hang-up no longer matter, as no one is left to see what they do.
    static func terminalAlive(revents: Int16) -> Bool {
        revents & (Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)) == 0
    }

    /// Hands a result to the terminal thread and wakes it.
    private func post(_ event: BrowserEvent) {
        lock.withLock { inbox.append(event) }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    private func spawn(_ work: @escaping @Sendable () async -> Void) {
        let id = UUID()
        lock.withLock {
            tasks[id] = Task { [self] in
                await work()
                _ = lock.withLock { tasks.removeValue(forKey: id) }
            }
        }
    }

    // MARK: - Effects

    private func perform(_ effect: BrowserEffect, terminal: Terminal) {
        switch effect {
        case .fetchPage(let query, let token, let size, let reload):
            spawn { [self] in
                guard let mail = lock.withLock({ self.mail }) else {
                    return post(.pageFailed(query: query, pageToken: token, error: needAuthorization()))
                }
                await beginForeground(mail)
                defer { endForeground() }
                do throws(MailServiceError) {
                    // A reload forgets every cached page and message: the mailbox may have changed.
                    if reload { await mail.invalidateCaches() }
                    post(.pageLoaded(try await mail.page(query: query, pageToken: token, pageSize: size, cache: reload ? .reload : .useCached)))
                } catch {
                    log.warning("page failed: \(error.logDetail)")
                    post(.pageFailed(query: query, pageToken: token, error: noteReason(error)))
                }
            }
        case .fetchMessage(let id):
            spawn { [self] in
                guard let mail = lock.withLock({ self.mail }) else {
                    return post(.messageFailed(id: id, error: needAuthorization()))
                }
                await beginForeground(mail)
                defer { endForeground() }
                do throws(MailServiceError) {
                    post(.messageLoaded(try await mail.message(id: id, cache: .useCached)))
                } catch {
                    log.warning("message failed: \(error.logDetail)")
                    post(.messageFailed(id: id, error: noteReason(error)))
                }
            }
        case .prefetchPage(let query, let token, let size):
            spawn { [self] in
                guard let mail = lock.withLock({ self.mail }) else { return }
                await mail.prefetchPage(query: query, pageToken: token, pageSize: size)
            }
        case .prefetchMessage(let id):
            spawn { [self] in
                guard let mail = lock.withLock({ self.mail }) else { return }
                await mail.prefetchMessage(id: id)
            }
        case .startAuthorization(let loginHint):
            spawn { [self] in await startAuthorization(loginHint: loginHint, forceConsent: nil) }
        case .submitCode(let pasted):
            spawn { [self] in await submit(pasted) }
        case .copyToClipboard(let text):
            let tmux = TmuxBuffer.isInsideTmux()
            terminal.writeClipboard(text, throughTmux: tmux)
            if tmux {
                spawn { [self] in post(.copiedToClipboard(.tmux(buffer: await TmuxBuffer.set(text)))) }
            } else {
                post(.copiedToClipboard(.terminal))
            }
        case .openURL(let url):
            if BrowserLauncher.open(url, report: { [self] in post(.browserLaunch($0)) }) { break }
            if demo {
                // No browser here: in the demo, "opening" the sandbox's consent page is enough, so do what a
                // browser would: follow its redirect back to our own loopback listener.
                spawn { [self] in await visitLikeABrowser(url) }
            } else {
                post(.browserLaunch(.noBrowser))
            }
        case .quit:
            break
        }
    }

    /// A fetch the user waits for starts: the wait is timed, and the service says when Gmail asks for more.
    private func beginForeground(_ mail: MailService) async {
        lock.withLock {
            if foregroundFetches == 0 { waitingSince = Date() }
            foregroundFetches += 1
        }
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

    private func endForeground() {
        lock.withLock {
            foregroundFetches = max(0, foregroundFetches - 1)
            if foregroundFetches == 0 { waitingSince = nil; serverAskedWait = nil }
        }
    }

    private func needAuthorization() -> MailServiceError {
        let email = initialAccount?.email ?? ""
        return .reauthorizationRequired(email: email, reason: .noRefreshToken)
    }

    private func noteReason(_ error: MailServiceError) -> MailServiceError {
        if case .reauthorizationRequired(_, let reason) = error { lock.withLock { lastReason = reason } }
        return error
    }

    // MARK: - Authorization

    private func startAuthorization(loginHint: String?, forceConsent: Bool?) async {
        let previous = lock.withLock { () -> AuthorizationAttempt? in defer { attempt = nil }; return attempt }
        previous?.listener?.stop()
        let consent = forceConsent ?? services.needsConsent(loginHint: loginHint)
        let listener: RedirectListener?
        let redirectURI: String
        do {
            (redirectURI, listener) = try services.redirect()
        } catch {
            return post(.authorizationFailed("Could not listen on 127.0.0.1 for the browser (\(error)); paste the code instead."))
        }
        let request = services.oauth.makeAuthorizationRequest(redirectURI: redirectURI, loginHint: loginHint, forceConsent: consent)
        let current = AuthorizationAttempt(request: request, listener: listener)
        let reason = lock.withLock { () -> ReauthorizationReason? in attempt = current; return lastReason }
        post(.authorizationNeeded(url: request.url, email: loginHint, reason: reason))
        guard let listener else { return }
        // The browser may come back with an error (the user can try again), so keep listening until done.
        while !Task.isCancelled {
            do {
                let query = try await listener.waitForCallback(expectedState: request.state, timeout: .seconds(3600))
                let code = try OAuthClient.code(fromCallbackQuery: query, for: request)
                if await complete(code: code, attempt: current) { return }
            } catch OAuthError.listenerTimedOut {
                continue
            } catch let error as OAuthError {
                post(.authorizationFailed(TerminalAuthorization.explain(error)))
            } catch {
                return
            }
        }
    }

    private func submit(_ pasted: String) async {
        guard let current = lock.withLock({ attempt }) else {
            return post(.authorizationFailed("No authorization is in progress."))
        }
        do {
            let code = try OAuthClient.code(fromPasted: pasted, for: current.request)
            _ = await complete(code: code, attempt: current)
        } catch {
            post(.authorizationFailed(TerminalAuthorization.explain(error)))
        }
    }

    /// Exchanges the code and installs the account; true when done.
    private func complete(code: String, attempt current: AuthorizationAttempt) async -> Bool {
        guard current.claim() else { return true }
        post(.authorizationExchangeStarted)
        do {
            let credentials = try await services.oauth.completeAuthorization(code: code, for: current.request, store: services.store)
            let existing = lock.withLock { mail }
            if let existing, await existing.account.userID == credentials.userID {
                await existing.replaceAccount(credentials)
            } else {
                let fresh = services.mailService(for: credentials)
                lock.withLock { mail = fresh }
            }
            lock.withLock {
                if attempt === current { attempt = nil }
                lastReason = nil
            }
            current.listener?.stop()
            log.info("authorized \(credentials.email)")
            post(.authorizationSucceeded(email: credentials.email))
            return true
        } catch OAuthError.noRefreshToken {
            // Google kept the old grant but we have no refresh token: ask again with the consent screen.
            post(.authorizationFailed("Google sent no refresh token; a new URL asks for consent again."))
            await startAuthorization(loginHint: current.request.loginHint, forceConsent: true)
            return true
        } catch {
            current.release()
            log.warning("authorization failed: \(error)")
            post(.authorizationFailed(TerminalAuthorization.explain(error)))
            return false
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
