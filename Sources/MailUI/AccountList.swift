import Foundation
import MailModels
import TerminalCells

/// One stored account as the account list (`A`) shows it.
public struct AccountEntry: Sendable, Equatable, Hashable {
    /// Google's user id: the key of the credential store and of the local store's file.
    public var userID: String
    public var email: String
    /// The grant lets it change mail (`gmail.modify`); false: read only.
    public var canModify: Bool
    /// False when no refresh token is stored: switching to it shows the authorization screen first.
    public var authorized: Bool
    public init(userID: String, email: String, canModify: Bool, authorized: Bool = true) {
        self.userID = userID; self.email = email; self.canModify = canModify; self.authorized = authorized
    }
}

/// The answer to `.switchAccount`: the account now in use and the page its own store holds for the list
/// the browser shows for it (nil when nothing is stored), drawn before any request as at start.
public struct AccountSwitch: Sendable, Equatable {
    public var email: String
    public var stored: MessagePage?
    /// What opening the account's local store had to say (moved aside and rebuilt, or not usable), if anything.
    public var storeNotice: String?
    /// The account's labels as its store holds them: the rows' tags and `L` have them before any request.
    public var labels: LabelList?
    public init(email: String, stored: MessagePage?, storeNotice: String? = nil, labels: LabelList? = nil) {
        self.email = email; self.stored = stored; self.storeNotice = storeNotice; self.labels = labels
    }
}

/// An account's list as the user left it: a switch back shows the same query, page and row.
struct SavedList: Sendable, Equatable {
    var query: String
    var pageTokens: [String?] = [nil]
    /// The selected message, found again in the page when it comes back (its row may have moved).
    var selectedID: String?
    var selection = 0
    var scroll = 0
    /// True when the list showed conversations (`t`).
    var conversations = false
}

/// The account list (`A`): the stored accounts, the selection, a switch under way, and each account's list.
public struct AccountListState: Sendable, Equatable {
    /// Every stored account in the credential store's order (by email); nil until loaded.
    public var entries: [AccountEntry]?
    /// True while `.loadAccounts` is out.
    public var loading = false
    public var selection = 0
    public var scroll = 0
    public var error: String?
    public var notice: String?
    /// The account `.switchAccount` is out for.
    public internal(set) var switching: String?
    /// Each account's list as it was left, by email in lower case.
    var saved: [String: SavedList] = [:]
    /// The query an account the browser has not shown yet starts on (the one the browser started with).
    var startQuery = ""
    /// The selection goes to the account in use when the list arrives (each time the list opens).
    var landOnCurrent = false
    /// The account shown before the last switch: `Esc` on a lost grant of the new one goes back to it.
    var switchedFrom: String?
    /// True while the switch out is the way back from a lost grant (ReauthorizationBack.swift).
    var returning = false
    public init() {}
}

extension BrowserState {
    /// Shows the account list, reading the stored accounts again each time it opens.
    mutating func openAccounts() -> [BrowserEffect] {
        push(.accounts)
        accounts.notice = nil
        accounts.error = nil
        accounts.loading = true
        accounts.landOnCurrent = true
        return [.loadAccounts]
    }

    func isCurrent(_ entry: AccountEntry) -> Bool {
        account.map { $0.caseInsensitiveCompare(entry.email) == .orderedSame } ?? false
    }

    mutating func accountListKey(_ key: Key) -> [BrowserEffect] {
        accounts.notice = nil
        let entries = accounts.entries ?? []
        switch key {
        case .character("q"), .escape:
            pop()
            return []
        case .character("j"), .down: accounts.selection += 1
        case .character("k"), .up: accounts.selection -= 1
        case .character("g"), .home: accounts.selection = 0
        case .character("G"), .end: accounts.selection = entries.count - 1
        case .character("r"):
            return openAccounts()
        case .character("+"):
            return addAccount()
        case .enter:
            guard accounts.switching == nil, entries.indices.contains(accounts.selection) else { return [] }
            let entry = entries[accounts.selection]
            if isCurrent(entry) {
                pop()
                list.notice = "\(entry.email) is the account in use"
                return []
            }
            return beginSwitch(to: entry.email)
        case .character("?"):
            showingHelp = true
        default:
            accounts.notice = "Not a key of the account list: Enter switches, + adds an account, q goes back"
            return []
        }
        clampAccounts()
        return []
    }

    /// `+`: the authorization screen for another account, with Google's account chooser and no `login_hint`.
    mutating func addAccount() -> [BrowserEffect] {
        var a = AuthorizationState()
        a.addingAccount = true
        authorization = a
        push(.authorization)
        return [.addAccount]
    }

    /// `Esc` on the screen that adds an account: back to the account list, nothing changed.
    mutating func cancelAddingAccount() -> [BrowserEffect] {
        authorization = nil
        pop()
        accounts.notice = "No account added"
        return [.cancelAuthorization]
    }

    /// The added account was authorized (and stored): the browser goes on with it.
    mutating func accountAdded(email: String) -> [BrowserEffect] {
        authorization = nil
        pop()
        if account?.caseInsensitiveCompare(email) == .orderedSame {
            screens = [.list]
            list.notice = "\(email) is the account in use"
            return []
        }
        return beginSwitch(to: email)
    }

    /// Asks for the account's service and the stored page of the list it had (or the start query's first page).
    mutating func beginSwitch(to email: String) -> [BrowserEffect] {
        let target = accounts.saved[email.lowercased()] ?? SavedList(query: accounts.startQuery)
        accounts.switching = email
        accounts.returning = false
        accounts.error = nil
        return [.switchAccount(email: email, query: target.query, pageToken: target.pageTokens.last ?? nil, pageSize: pageSize)]
    }

    /// Keeps the list shown for the account in use, so that a switch back finds it.
    mutating func saveList() {
        guard let account else { return }
        let messages = list.page?.messages ?? []
        accounts.saved[account.lowercased()] = SavedList(
            query: list.query, pageTokens: list.pageTokens,
            selectedID: messages.indices.contains(list.selection) ? messages[list.selection].id : nil,
            selection: list.selection, scroll: list.scroll, conversations: list.conversations != nil)
    }

    /// The runner now serves `switched.email`: everything of the account left is put away (its list kept in
    /// `accounts.saved`), and the new account's list shows, from its store at once when it holds the page.
    mutating func accountSwitched(_ switched: AccountSwitch) -> [BrowserEffect] {
        guard accounts.switching?.caseInsensitiveCompare(switched.email) == .orderedSame else { return [] }
        accounts.switching = nil
        saveList()
        let target = accounts.saved[switched.email.lowercased()] ?? SavedList(query: accounts.startQuery)
        noteSwitch(from: account, to: switched.email)
        account = switched.email
        // The grant of the new account came with `.modifyPermission` just before this answer.
        var fresh = TriageState()
        fresh.canModify = triage.canModify
        fresh.markReadOnOpen = triage.markReadOnOpen
        fresh.nextSerial = triage.nextSerial
        triage = fresh
        let interval = sync.interval
        sync = SyncStatus()
        sync.interval = interval
        screens = [.list]
        message = nil
        attachmentList = nil
        authorization = nil
        labels = LabelListState()
        if let stored = switched.labels { useStoredLabels(stored) }
        conversation = nil
        pendingRetries = []
        waitNote = nil
        showingHelp = false
        keys.confirmingQuit = false
        list = MessageListState(query: target.query)
        list.notice = switched.storeNotice ?? "Switched to \(switched.email)"
        let token = target.pageTokens.last ?? nil
        // The stored first frame is a page of messages; a list of conversations is fetched again.
        if target.conversations { list.conversations = ConversationRows() }
        guard !target.conversations, let page = switched.stored, page.query == target.query, page.pageToken == token else {
            var back = PageRequest(query: target.query, tokens: target.pageTokens)
            // The page is fetched again: the selection lands on the row it was on.
            if let id = target.selectedID { back.landing = .thread(id) }
            return [request(back)]
        }
        list.page = page
        list.pageTokens = target.pageTokens
        list.selection = target.selectedID.flatMap { id in page.messages.firstIndex { $0.id == id } } ?? target.selection
        list.scroll = target.scroll
        clampList()
        list.selectionMovedAt = now
        return (requestSync(userAsked: false).map { [$0] } ?? []) + labelsForTags(page)
    }

    /// Folds in the answers to `.loadAccounts` and `.switchAccount`.
    mutating func accountEvent(_ event: BrowserEvent) -> [BrowserEffect] {
        switch event {
        case .accountsLoaded(let entries):
            accounts.loading = false
            accounts.error = nil
            let selected = accounts.entries.flatMap { $0.indices.contains(accounts.selection) ? $0[accounts.selection].userID : nil }
            accounts.entries = entries
            if accounts.landOnCurrent, let i = entries.firstIndex(where: isCurrent) {
                accounts.selection = i
            } else if let selected, let i = entries.firstIndex(where: { $0.userID == selected }) {
                accounts.selection = i
            }
            accounts.landOnCurrent = false
            clampAccounts()
        case .accountsFailed(let text):
            accounts.loading = false
            accounts.error = text
        case .accountSwitched(let switched):
            return accountSwitched(switched)
        case .accountSwitchFailed(let email, let text):
            guard accounts.switching?.caseInsensitiveCompare(email) == .orderedSame else { return [] }
            accounts.switching = nil
            if screen == .accounts { accounts.error = text } else { list.error = text }
        default:
            break
        }
        return []
    }

    /// Rows for accounts on the account list screen.
    var accountRows: Int { max(1, rows - 4) }

    mutating func clampAccounts() {
        let count = accounts.entries?.count ?? 0
        accounts.selection = max(0, min(accounts.selection, count - 1))
        accounts.scroll = max(0, min(accounts.scroll, count - accountRows))
        if accounts.selection < accounts.scroll { accounts.scroll = accounts.selection }
        if accounts.selection >= accounts.scroll + accountRows { accounts.scroll = accounts.selection - accountRows + 1 }
    }
}

extension Views {
    /// The account list: one row per stored account, the one in use marked `*`, what its grant allows at the right.
    static func accounts(_ s: BrowserState, _ g: inout CellGrid) {
        let a = s.accounts
        bar("Accounts · \(s.account ?? "gmail-tui")", y: 0, &g)
        let permissionWidth = 16
        let permissionX = g.cols - permissionWidth - 1
        g.put("Account", x: 2, y: 1, style: dim)
        g.put("Access", x: permissionX, y: 1, style: dim)
        let entries = a.entries ?? []
        if a.entries == nil {
            if a.loading { g.put("\(Spinner.frame(s.spinnerFrame)) Reading the stored accounts…", x: 2, y: 3) }
        } else if entries.isEmpty {
            g.put("No stored account: + adds one", x: 2, y: 3)
        }
        for row in 0..<s.accountRows {
            let i = a.scroll + row
            guard i < entries.count else { break }
            let entry = entries[i], y = 2 + row, current = s.isCurrent(entry)
            if current { g.put("*", x: 0, y: y, style: Style(bold: true)) }
            g.put(entry.email, x: 2, y: y, maxWidth: max(1, permissionX - 3), style: Style(bold: current))
            let may = !entry.authorized ? "authorize again" : entry.canModify ? "read and modify" : "read only"
            g.put(may, x: permissionX, y: y, maxWidth: permissionWidth, style: entry.authorized ? .plain : dim)
            if i == a.selection { g.restyle(y: y, x: 0, width: g.cols) { $0.reverse = true } }
        }
        let statusY = g.rows - 2
        if let e = a.error {
            g.put(e, x: 0, y: statusY, maxWidth: g.cols, style: error)
        } else if let email = a.switching {
            g.put("\(Spinner.frame(s.spinnerFrame)) Switching to \(email)…", x: 0, y: statusY, maxWidth: g.cols)
        } else if let n = a.notice {
            g.put(n, x: 0, y: statusY, maxWidth: g.cols, style: dim)
        } else if !entries.isEmpty {
            g.put("* the account in use", x: 0, y: statusY, style: dim)
        }
        bar("j/k move · Enter switch · + add an account · r refresh · q back", y: g.rows - 1, &g)
    }
}
