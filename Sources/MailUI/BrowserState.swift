import Foundation
import MailModels
import TerminalCells

/// Which screen is showing.
public enum Screen: Sendable, Equatable {
    case authorization, list, message
    /// The label list with counts (`L`).
    case labels
    /// The message's attachments (`v`).
    case attachments
    /// The stored accounts (`A`).
    case accounts
    /// A whole conversation (`Enter` on the conversation list).
    case conversation
}

/// The authorization screen: the URL, the paste field, progress and errors.
public struct AuthorizationState: Sendable, Equatable {
    /// Nil until the caller answers `.startAuthorization` with `.authorizationNeeded`.
    public var url: URL?
    /// The account being re-authorized (the `login_hint`), if known.
    public var email: String?
    /// Why authorization is needed again; nil on a first run.
    public var reason: ReauthorizationReason?
    public var field = TextField()
    /// True while a code is being exchanged.
    public var exchanging = false
    /// The last failure, shown under the field.
    public var error: String?
    /// A short confirmation ("URL copied").
    public var notice: String?
    /// When it asks for more permission (`gmail.modify`): which and why. `Esc` then goes back instead of quitting.
    public var permission: String?
    /// True when it adds an account (`+` on the account list): `Esc` goes back to that list.
    public var addingAccount = false
    public init(url: URL? = nil, email: String? = nil, reason: ReauthorizationReason? = nil) {
        self.url = url; self.email = email; self.reason = reason
    }
}

/// A page request, remembered so that stale answers are dropped and `p` can go back.
public struct PageRequest: Sendable, Equatable {
    public var query: String
    /// The page tokens from the first page to the requested one (`[nil, tok2, ...]`).
    public var tokens: [String?]
    /// True for a reload (`r`): the page must come from Gmail, not from a cache.
    public var isReload = false
    /// Where the selection lands when the page arrives (the continuous list goes on across pages).
    public var landing: PageLanding = .top
    /// True for a page of conversations (`t`): set by `request` from the list's mode.
    public var conversations = false
    public var token: String? { tokens.last ?? nil }

    /// The effect that fetches this page (the one place a page request becomes a fetch).
    func effect(pageSize: Int) -> BrowserEffect {
        conversations ? .fetchConversationPage(query: query, pageToken: token, pageSize: pageSize, reload: isReload)
                      : .fetchPage(query: query, pageToken: token, pageSize: pageSize, reload: isReload)
    }
}

/// The message list: the query, the page stack, the loaded page, selection and scroll.
public struct MessageListState: Sendable, Equatable {
    public var query: String
    /// Tokens of the pages from the first to the shown one; `p` pops back.
    public var pageTokens: [String?] = [nil]
    public var page: MessagePage?
    public var selection = 0
    /// The first visible row.
    public var scroll = 0
    /// The request in flight, if any.
    public var pending: PageRequest?
    /// The query editor, while open.
    public var editor: TextField?
    /// The last failure, in words with what to do.
    public var error: String?
    /// A short message ("Last page").
    public var notice: String?
    /// When the selection last moved (or the page arrived); nil once its message was prefetched.
    public var selectionMovedAt: Date?
    /// Nil while the list shows messages; the rows' conversations while it shows conversations (`t`).
    public var conversations: ConversationRows?
    /// 1-based page number.
    public var pageNumber: Int { pageTokens.count }
    public init(query: String) { self.query = query }
}

/// The message view: which message, its content once loaded, and the scroll position.
public struct MessageViewState: Sendable, Equatable {
    public var id: String
    /// Position of the message in the list's page.
    public var index: Int
    /// Set by `.messageLoaded` only, which also works out `lineCount`.
    public internal(set) var detail: MessageDetail?
    public var scroll = 0
    /// Rows the message takes at the current width: worked out when the text or the width changes,
    /// so that scrolling does not wrap the whole message again on every key.
    public internal(set) var lineCount = 0
    public var error: String?
    public var notice: String?
    /// `H`: every header of the message instead of the usual ones.
    public var allHeaders = false
    public init(id: String, index: Int) { self.id = id; self.index = index }
}

/// Everything the browser shows, across all screens.
///
/// Fold events in with `update(_:)`, perform the returned effects, draw with
/// `render()`. The screen stack lets re-authorization return to
/// where the user was. A run loop looks like this:
///
/// ```swift
/// var state = BrowserState(account: email, query: query, cols: size.cols, rows: size.rows)
/// perform(state.start(stored: storedFirstPage))   // or, with no stored grant: [.startAuthorization(loginHint: email)]
/// while running {
///     perform(state.update(.clock(Date())))
///     terminal.draw(state.render())
///     let event = keyFromTheTerminal() ?? resultsFromFinishedEffects.next() ?? (state.isBusy ? .tick : nil)
///     if let event { perform(state.update(event)) }   // `.quit` ends the loop
/// }
/// ```
public struct BrowserState: Sendable, Equatable {
    /// The screens from the bottom (usually the list) to the one showing.
    public internal(set) var screens: [Screen]
    public internal(set) var cols: Int
    public internal(set) var rows: Int
    /// The account's email, shown in the header.
    public internal(set) var account: String?
    public internal(set) var pageSize: Int
    /// "Now", for relative dates and the prefetch delay; moved on by `.clock`.
    public internal(set) var now: Date
    /// The calendar (and its time zone) dates are shown in.
    public internal(set) var calendar: Calendar
    public internal(set) var list: MessageListState
    public internal(set) var message: MessageViewState?
    /// The conversation view, while a conversation is open.
    public internal(set) var conversation: ConversationViewState?
    public internal(set) var authorization: AuthorizationState?
    /// True while the help overlay shows; any key closes it.
    public internal(set) var showingHelp = false
    public internal(set) var spinnerFrame = 0
    /// Shown instead of "Loading…" while Gmail is slow to answer ("waiting for Gmail (12 s)").
    public internal(set) var waitNote: String?
    /// The label list (`L`), and the labels the rows' tags are named from.
    public internal(set) var labels = LabelListState()
    /// The account list (`A`), and each account's list as it was left (AccountList.swift).
    public internal(set) var accounts = AccountListState()
    /// The attachment list (`v`), while it shows.
    public internal(set) var attachmentList: AttachmentListState?
    /// Requests that failed for want of authorization, re-sent once it succeeds.
    public internal(set) var pendingRetries: [BrowserEffect] = []
    /// The triage keys' state: the grant, selected rows, changes under way, undo, the label checklist.
    public internal(set) var triage = TriageState()
    /// Keeping the list up to date with Gmail, and whether it can be reached.
    public internal(set) var sync = SyncStatus()
    /// Bindings, query history and the other key handling state (KeyDispatch.swift).
    public internal(set) var keys = KeyState()

    /// A browser on the message list for `query`, not loaded yet (call `start()`).
    public init(account: String?, query: String = "", pageSize: Int = 50, cols: Int = 80, rows: Int = 24,
                now: Date = Date(), calendar: Calendar = .current) {
        screens = [.list]
        self.account = account; self.pageSize = pageSize; self.cols = cols; self.rows = rows
        self.now = now; self.calendar = calendar
        list = MessageListState(query: query)
        accounts.startQuery = query
    }

    /// The screen showing.
    public var screen: Screen { screens.last ?? .list }

    /// How long the selection must rest on a message before its body is prefetched.
    public static let prefetchDelay: TimeInterval = 0.3

    /// True while a timer is armed (the selection is resting): send `.tick`s (every ~100 ms) even when not busy.
    public var wantsTick: Bool {
        screen == .list && list.editor == nil && list.selectionMovedAt != nil && list.page?.messages.isEmpty == false
    }

    /// True while something is in flight (send `.tick` to animate the spinner).
    public var isBusy: Bool {
        list.pending != nil || (sync.pending != nil && sync.userAsked) || authorization?.exchanging == true || (screen == .message && message?.detail == nil && message?.error == nil)
            || (screen == .authorization && authorization?.url == nil) || labels.loading || (attachmentList?.inFlight ?? 0) > 0
            || accounts.loading || accounts.switching != nil
            || conversationLoading
    }

    /// Loads the first page: the effects to perform when the browser starts with a stored grant.
    public mutating func start() -> [BrowserEffect] {
        [request(PageRequest(query: list.query, tokens: [nil]))]
    }

    // MARK: - Layout facts shared with the views

    /// Rows available to message rows on the list screen.
    var listRows: Int { max(1, rows - 3) }
    /// Rows available to the message text.
    var messageRows: Int { max(1, rows - 2) }
    static let minCols = 40, minRows = 10
    /// True while the terminal is smaller than the screens need: only "Terminal too small" shows.
    public var isTooSmall: Bool { cols < Self.minCols || rows < Self.minRows }

    mutating func request(_ r: PageRequest) -> BrowserEffect {
        var r = r
        r.conversations = list.conversations != nil
        list.pending = r
        list.error = nil
        return r.effect(pageSize: pageSize)
    }

    mutating func push(_ s: Screen) { if screen != s { screens.append(s) } }
    mutating func pop() { if screens.count > 1 { screens.removeLast() } }
    mutating func remember(_ effect: BrowserEffect) { if !pendingRetries.contains(effect) { pendingRetries.append(effect) } }
}
