import Foundation
import MailModels
import TerminalCells

/// Something that happened: a key, a resize, a timer tick, or the result of an effect.
///
/// Result events carry what their request carried (query and page token,
/// message id), so results of superseded requests are recognised and dropped.
public enum BrowserEvent: Sendable, Equatable {
    case key(Key)
    /// Text pasted in one piece (bracketed paste).
    case paste(String)
    case resize(cols: Int, rows: Int)
    /// Advances the spinner; send every ~100 ms while `BrowserState.isBusy`.
    case tick
    /// The time is now this: relative dates and the prefetch delay are measured from it.
    case clock(Date)

    /// The answer to `.fetchPage`.
    case pageLoaded(MessagePage)
    /// `.fetchPage(query:pageToken:pageSize:)` failed.
    case pageFailed(query: String, pageToken: String?, error: MailServiceError)
    /// The answer to `.fetchMessage`.
    case messageLoaded(MessageDetail)
    /// `.fetchMessage(id:)` failed.
    case messageFailed(id: String, error: MailServiceError)
    /// The answer to `.sync`: the page as Gmail lists it now, and what arrived since the last sync.
    case synced(SyncResult)
    /// `.sync(query:pageToken:pageSize:)` or `.syncConversations` failed.
    case syncFailed(query: String, pageToken: String?, error: MailServiceError)
    /// The answer to `.fetchConversationPage`.
    case conversationPageLoaded(ConversationPage)
    /// `.fetchConversationPage` failed.
    case conversationPageFailed(query: String, pageToken: String?, error: MailServiceError)
    /// The answer to `.fetchConversation`.
    case conversationLoaded(Conversation)
    /// `.fetchConversation(id:)` failed.
    case conversationFailed(id: String, error: MailServiceError)
    /// The answer to `.syncConversations`.
    case conversationsSynced(ConversationSyncResult)

    /// Show the authorization screen for this URL (first run, or the answer to `.startAuthorization`).
    case authorizationNeeded(url: URL, email: String?, reason: ReauthorizationReason?)
    /// A code is being exchanged (the loopback listener got one, or after `.submitCode`): show the spinner.
    case authorizationExchangeStarted
    /// Authorization finished: return to the previous screen and retry what failed.
    case authorizationSucceeded(email: String)
    /// The code was refused, reused, the state did not match, access was denied, or the network is down.
    /// The message is shown as is under the paste field.
    case authorizationFailed(String)
    /// The answer to `.openURL`: whether a browser could be started.
    case browserLaunch(BrowserLaunch)
    /// The answer to `.copyToClipboard`: which way the text went.
    case copiedToClipboard(ClipboardRoute)
    /// Why a request is taking long (`WaitNote`), shown on the spinner line; nil clears it.
    case waitNote(String?)
    /// A word for the user on the screen showing (why authorization is needed when it is not obvious).
    case notice(String)
    /// The answer to `.fetchLabels`.
    case labelsLoaded([LabelSummary])
    /// `.fetchLabels` failed.
    case labelsFailed(MailServiceError)
    /// The answer to `.fetchAttachment`: where it was saved, that it was opened, or why not.
    case attachmentHandled(AttachmentOutcome)

    /// The answer to `.loadAccounts`: every stored account, in the credential store's order.
    case accountsLoaded([AccountEntry])
    /// `.loadAccounts` failed (the credential file cannot be read): why, in words.
    case accountsFailed(String)
    /// The answer to `.switchAccount`: the runner now serves that account.
    case accountSwitched(AccountSwitch)
    /// `.switchAccount` failed: the account in use stays; why, in words.
    case accountSwitchFailed(email: String, message: String)

    /// Whether the account's grant lets it change mail (`gmail.modify`): at start and after each authorization.
    case modifyPermission(Bool)
    /// The answer to `.changeMail`: Gmail made the change. For a change of threads, `altered` says which of
    /// their messages it altered, and how (what its undo reverts).
    case mailChanged(MailChange, altered: [ChangedMessage]? = nil)
    /// `.changeMail` failed: the screen goes back to how it was, or asks for `gmail.modify`.
    case mailChangeFailed(MailChange, MailServiceError)
    /// The answer to `.loadLabelChoices`: every label (the checklist keeps the user's own).
    case labelChoicesLoaded([LabelSummary])
    case labelChoicesFailed(MailServiceError)
}

/// Work for the caller to do; its result comes back as a `BrowserEvent`.
public enum BrowserEffect: Sendable, Equatable, Hashable {
    /// Fetch one page; answer with `.pageLoaded` (whose page echoes query and token) or `.pageFailed`.
    /// A `reload` (`r`) must ask Gmail again: nothing cached may answer it.
    case fetchPage(query: String, pageToken: String?, pageSize: Int, reload: Bool = false)
    /// Bring the store up to date with Gmail (history, then this page); answer with `.synced` (whose page
    /// echoes query and token) or `.syncFailed`.
    case sync(query: String, pageToken: String?, pageSize: Int)
    /// Fetch one message; answer with `.messageLoaded` or `.messageFailed`.
    case fetchMessage(id: String)
    /// Fetch one page of conversations (`threads.list`, then the threads' metadata); answer with
    /// `.conversationPageLoaded` or `.conversationPageFailed`. A `reload` must ask Gmail again.
    case fetchConversationPage(query: String, pageToken: String?, pageSize: Int, reload: Bool = false)
    /// As `.prefetchPage`, for conversations. Silent.
    case prefetchConversationPage(query: String, pageToken: String?, pageSize: Int)
    /// Fetch a whole conversation (every message, for reading); answer with `.conversationLoaded` or `.conversationFailed`.
    case fetchConversation(id: String)
    /// As `.prefetchMessage`, for a conversation. Silent.
    case prefetchConversation(id: String)
    /// As `.sync`, with the visible page listed as conversations; answer with `.conversationsSynced` or `.syncFailed`.
    case syncConversations(query: String, pageToken: String?, pageSize: Int)
    /// Fetch a page the user is likely to want next (the next one) into the service's cache.
    /// Silent: no event answers it; the later `.fetchPage` for it is answered from memory.
    case prefetchPage(query: String, pageToken: String?, pageSize: Int)
    /// Fetch a message into the service's cache: the one the selection rests on, or the one after the
    /// message being read. Silent, like `.prefetchPage`.
    case prefetchMessage(id: String)
    /// Begin (re-)authorization with this `login_hint`; answer with `.authorizationNeeded`.
    case startAuthorization(loginHint: String?)
    /// The user pasted a code or a redirect URL (trimmed); exchange it and answer with
    /// `.authorizationSucceeded` or `.authorizationFailed`.
    case submitCode(String)
    /// Copy to the clipboard (OSC 52, through tmux too); answer with `.copiedToClipboard`.
    case copyToClipboard(String)
    /// Open in a browser (`$BROWSER`, else `xdg-open`); answer with `.browserLaunch`.
    case openURL(URL)
    /// Fetch every label with its counts; answer with `.labelsLoaded` or `.labelsFailed`.
    case fetchLabels
    /// Fetch an attachment's bytes, then save it (`$XDG_DOWNLOAD_DIR` or `~/Downloads`, never over a file) or
    /// open it (`xdg-open`, from a private 0700 folder); answer with `.attachmentHandled`.
    case fetchAttachment(messageID: String, attachment: AttachmentSummary, action: AttachmentAction)
    /// Give the terminal back and stop (Ctrl-Z); when the shell's `fg` resumes, redraw.
    case suspend
    /// Keep this query in the query history across runs (the newest entry).
    case rememberQuery(String)
    /// Restore the terminal and exit.
    case quit

    /// Read the stored accounts; answer with `.accountsLoaded` or `.accountsFailed`.
    case loadAccounts
    /// Serve `email` from now on (its own service and local store), remembered as the account used last; answer
    /// with `.modifyPermission` for its grant, then `.accountSwitched` carrying the stored page of `query` and
    /// `pageToken` (the list the browser shows for it), or `.accountSwitchFailed`.
    case switchAccount(email: String, query: String, pageToken: String?, pageSize: Int)
    /// Begin an authorization that adds an account (`prompt=select_account consent`, no `login_hint`); answer
    /// with `.authorizationNeeded`.
    case addAccount

    /// Send a change of mail to Gmail (through the request budget); answer with `.mailChanged` or `.mailChangeFailed`.
    case changeMail(MailChange)
    /// Fetch the labels for the checklist (`l`); answer with `.labelChoicesLoaded` or `.labelChoicesFailed`.
    case loadLabelChoices
    /// Begin an authorization that asks for every granted scope plus `gmail.modify`; answer with `.authorizationNeeded`.
    case requestModifyPermission(loginHint: String?)
    /// The user left the permission screen: stop waiting for the browser. No event answers it.
    case cancelAuthorization
}

/// What to do with an attachment once fetched.
public enum AttachmentAction: Sendable, Equatable, Hashable { case open, save }

/// How `.fetchAttachment` ended.
public enum AttachmentOutcome: Sendable, Equatable {
    /// Saved as `path` (a numbered name when the file name was taken).
    case saved(path: String)
    /// Handed to the opener (`xdg-open`).
    case opened(filename: String)
    /// Not saved or opened: why, in words.
    case failed(String)
}
