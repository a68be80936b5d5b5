import Foundation
import GoogleOAuth
import MailUI
import TerminalUI

/// Runs the browser on the terminal: one thread owns the terminal and the state machine, reads keys, folds
/// events and draws. Effects run in an `EffectRunner` as tasks whose answers come back through an inbox
/// that wakes the loop at once (a self-pipe), so a page is drawn as soon as it arrives and keys are never
/// blocked by the network.
final class BrowserLoop: @unchecked Sendable {
    private let query: String
    private let pageSize: Int
    private let account: Credentials?
    /// Shown on the first authorization screen (why authorization is needed, when it is not obvious).
    private let startupNotice: String?
    private let inbox: EventInbox
    private let runner: EffectRunner
    private let settings: Settings
    private let history: QueryHistory

    private let lock = NSLock()
    /// Effects in flight, cancelled when the browser quits; each removes itself when done.
    private var tasks: [UUID: Task<Void, Never>] = [:]

    init(services: Services, account: Credentials?, query: String, pageSize: Int, demo: Bool, notice: String? = nil) {
        self.startupNotice = notice
        self.query = query
        self.pageSize = pageSize
        self.account = account
        settings = services.config.settings
        history = QueryHistory(path: services.config.queryHistoryPath)
        let inbox = EventInbox()
        self.inbox = inbox
        runner = EffectRunner(services: services, account: account, demo: demo, events: inbox.post)
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
            try terminal.start(colors: settings.theme != .mono)
        } catch {
            printError("gmail-tui: \(error)")
            return ExitStatus.noTerminal
        }
        defer {
            terminal.stop()
            runner.stop()
            lock.withLock { tasks.values.forEach { $0.cancel() } }
        }
        let size = terminal.size
        var state = BrowserState(account: account?.email, query: query, pageSize: pageSize, cols: size.cols, rows: size.rows)
        state.configure(keymap: settings.keymap, history: history.load())
        state.markReadOnOpen = settings.markReadOnOpen
        state.syncInterval = TimeInterval(settings.syncIntervalSeconds)
        let granted = account?.refreshToken != nil
        // The first frame goes out before any network call, with the stored first page when there is one.
        let warm = granted ? Self.warmStart(&state, runner: runner) : nil
        if let text = runner.takeStoreNotice() { _ = state.update(.notice(text)) }
        terminal.draw(state.render())
        var effects = warm ?? (granted ? state.start() : [.startAuthorization(loginHint: account?.email)])
        var notice = startupNotice
        var lastTick = Date()
        var drawn = state
        while true {
            for effect in effects {
                if case .quit = effect { return 0 }
                if case .suspend = effect { terminal.suspend() }
                // The terminal is this thread's alone: OSC 52 goes out here, the rest of the copy in the runner.
                if case .copyToClipboard(let text) = effect { terminal.writeClipboard(text, throughTmux: TmuxBuffer.isInsideTmux()) }
                spawn(effect)
            }
            effects = state.update(.clock(Date()))
            while let event = terminal.nextEvent(timeoutMilliseconds: 0) {
                effects += state.update(event.browserEvent)
            }
            for event in inbox.take() {
                effects += state.update(event)
                if case .authorizationNeeded = event, let text = notice {
                    effects += state.update(.notice(text))
                    notice = nil
                }
            }
            let note = runner.waitNote(now: state.now)
            if note != state.waitNote { effects += state.update(.waitNote(note)) }
            if state.isBusy || state.wantsTick, state.now.timeIntervalSince(lastTick) >= 0.1 {
                lastTick = state.now
                effects += state.update(.tick)
            }
            if !effects.isEmpty { continue }
            // `now` moves on every pass (the prefetch delay needs it), so it is left out of "did anything
            // change"; the list shows minutes, so a new minute is a change of its own.
            var unchangedSinceDrawn = drawn
            _ = unchangedSinceDrawn.update(.clock(state.now))
            if state != unchangedSinceDrawn || !state.calendar.isDate(state.now, equalTo: drawn.now, toGranularity: .minute) {
                terminal.draw(state.render())
                drawn = state
            }
            if !inbox.waitForInput(timeoutMilliseconds: state.isBusy || state.wantsTick ? 100 : 500) {
                // The terminal hung up (its window closed, its ssh connection dropped): nothing more can
                // be read, and polling a hung-up descriptor would spin.
                terminal.stop()
                printError("gmail-tui: the terminal closed (end of input); quitting.")
                return ExitStatus.noTerminal
            }
        }
    }

    /// Puts the first page and the labels the local store holds for the state's query into `state`, read
    /// without a request, and returns the effects that follow (its sync); nil when no page is stored.
    static func warmStart(_ state: inout BrowserState, runner: EffectRunner) -> [BrowserEffect]? {
        if let labels = runner.storedLabels() { state.useStoredLabels(labels) }
        guard let stored = runner.storedFirstPage(query: state.list.query, pageSize: state.pageSize) else { return nil }
        return state.start(stored: stored)
    }

    /// Runs `effect` in the runner; its answer comes back through the inbox.
    private func spawn(_ effect: BrowserEffect) {
        let id = UUID()
        lock.withLock {
            tasks[id] = Task { [self] in
                if let event = await runner.run(effect) { inbox.post(event) }
                _ = lock.withLock { tasks.removeValue(forKey: id) }
            }
        }
    }
}

extension TerminalEvent {
    /// The same thing as the state machine sees it.
    var browserEvent: BrowserEvent {
        switch self {
        case .key(let k): return .key(k)
        case .paste(let s): return .paste(s)
        case .resize(let c, let r): return .resize(cols: c, rows: r)
        }
    }
}
