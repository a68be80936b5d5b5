import Foundation
import TerminalCells

/// What the key handling keeps besides the screens: bindings, stray typing, query history, the quit question.
public struct KeyState: Sendable, Equatable {
    public internal(set) var keymap = Keymap()
    /// Earlier queries, oldest first (`QueryHistory` keeps them across runs).
    public internal(set) var history: [String] = []
    /// While recalling with Up/Down: the entry shown, and the text that was being typed before.
    var recall: Int?
    var draft = ""
    /// Keys with no meaning typed in a burst ("hello world"): swallowed until the typing pauses.
    var stray = ""
    var strayAt: Date?
    /// The y/n question asked before quitting, while it shows.
    public internal(set) var confirmingQuit = false

    /// The most queries kept.
    public static let historyLimit = 200
    /// How long after a key with no meaning further typing counts as the same stray text.
    static let strayPause: TimeInterval = 1.0
    /// The actions that change mail: never taken from stray typing.
    static let changesMail: Set<String> = ["archive", "trash", "star", "mark_read", "mark_unread", "label", "undo", "select"]
}

/// A key after the bindings: the key the screens match, or already dealt with.
enum RoutedKey {
    case key(Key)
    case done([BrowserEffect])
}

extension BrowserState {
    /// Sets the bindings from `config.toml` and the query history read at start.
    public mutating func configure(keymap: Keymap, history: [String]) {
        keys.keymap = keymap
        keys.history = Array(history.suffix(KeyState.historyLimit))
    }

    /// True where keys are commands, not text: the list without its query field, and the message view.
    /// The label checklist (`l`) is a small form over them: its keys (Space toggles, Enter applies) are its own.
    var keysAreCommands: Bool {
        ((screen == .list && list.editor == nil) || screen == .message || screen == .conversation) && triage.labelPicker == nil
    }

    /// Applies the bindings to `pressed` (design.md: every key can be rebound), answers the quit question,
    /// and swallows stray typing.
    mutating func routeKey(_ pressed: Key) -> RoutedKey {
        guard keysAreCommands else { return .key(pressed) }
        if keys.confirmingQuit {
            keys.confirmingQuit = false
            if pressed == .character("y") || pressed == .character("Y") { return .done([.quit]) }
            setNotice("Not quitting.")
            return .done([])
        }
        // Within the pause, keys that mean nothing here and keys that would change mail are swallowed as the
        // same stray text ("hello" typed into the wrong window archives nothing); any other bound key acts
        // (w, then q, quits).
        let action = keys.keymap.action(for: pressed, on: screen)
        let swallowable = action.map { KeyState.changesMail.contains($0.name) } ?? true
        if swallowable, let at = keys.strayAt, now.timeIntervalSince(at) < KeyState.strayPause, pressed == .enter || isText(pressed) {
            if isText(pressed) { keys.stray += pressed.displayName == "Space" ? " " : pressed.displayName }
            keys.strayAt = now
            setNotice("\"\(keys.stray)\" is not a command here: / searches, ? lists the keys.")
            return .done([])
        }
        keys.strayAt = nil
        if let action = keys.keymap.action(for: pressed, on: screen) { return .key(action.canonical) }
        if let lost = keys.keymap.reboundAway(pressed, on: screen) {
            let now = (keys.keymap.bindings[lost.name] ?? []).map(\.displayName).joined(separator: " ")
            setNotice("\(pressed.displayName) is unbound (\(lost.name) is on \(now.isEmpty ? "no key" : now) in config.toml); ? for help")
            return .done([])
        }
        return .key(pressed)
    }

    private func isText(_ key: Key) -> Bool { if case .character = key { return true } else { return false } }

    /// What a key with no meaning on this screen gets: a word in the status line, instead of silence.
    mutating func unboundKey(_ key: Key) {
        setNotice("\(key.displayName) does nothing here; ? for help")
        if isText(key) {
            keys.stray = key.displayName == "Space" ? " " : key.displayName
            keys.strayAt = now
        }
    }

    private mutating func setNotice(_ text: String) {
        switch screen {
        case .list: list.notice = text
        case .message: message?.notice = text
        case .authorization: authorization?.notice = text
        case .labels: labels.notice = text
        case .attachments: attachmentList?.notice = text
        case .accounts: accounts.notice = text
        case .conversation: conversation?.notice = text
        }
    }

    // MARK: - Quitting

    /// Why quitting now could lose something, if it could; the selection adds its reason here once it exists.
    var quitWarning: String? {
        // Changes sent to Gmail and not answered yet: quitting now could lose them.
        let n = triage.inFlight.reduce(0) { $0 + $1.waiting.count }
        if n > 0 { return "\(n) change\(n == 1 ? " is" : "s are") still being sent to Gmail." }
        let selected = triage.selected.count
        if selected > 0 { return "\(selected) row\(selected == 1 ? " is" : "s are") selected." }
        return nil
    }

    /// `q` on the list: quits, or asks first when something would be lost.
    mutating func quitKey() -> [BrowserEffect] {
        guard let warning = quitWarning else { return [.quit] }
        keys.confirmingQuit = true
        list.notice = "\(warning) Quit anyway? (y/n)"
        return []
    }

    // MARK: - Query history

    /// Up/Down in the query field: the previous or next earlier query, back to what was being typed.
    mutating func recallQuery(_ key: Key) {
        guard list.editor != nil, !keys.history.isEmpty else { return }
        let count = keys.history.count
        var index = keys.recall ?? count
        if index == count { keys.draft = list.editor?.text ?? "" }
        index = key == .up ? max(0, index - 1) : min(count, index + 1)
        keys.recall = index == count ? nil : index
        list.editor = TextField(index == count ? keys.draft : keys.history[index])
    }

    /// Keeps `query` as the newest entry (once) and asks the caller to keep it across runs.
    mutating func rememberQuery(_ query: String) -> [BrowserEffect] {
        keys.recall = nil
        guard !query.isEmpty else { return [] }
        keys.history.removeAll { $0 == query }
        keys.history.append(query)
        if keys.history.count > KeyState.historyLimit { keys.history.removeFirst(keys.history.count - KeyState.historyLimit) }
        return [.rememberQuery(query)]
    }

    // MARK: - Help

    /// The help overlay's lines: the keys of the screen showing, with their bindings, from the key map.
    var helpLines: [String] {
        let rows = (Self.pickerHelp[screen] ?? keys.keymap.help(for: screen)) + [("Ctrl-C", "quit at once")]
        let width = rows.map { TextLayout.width($0.keys) }.max() ?? 0
        let title: String
        switch screen {
        case .message: title = "Keys: message"
        case .conversation: title = "Keys: conversation"
        case .labels: title = "Keys: label list"
        case .accounts: title = "Keys: account list"
        case .attachments: title = "Keys: attachment list"
        case .list, .authorization: title = "Keys: message list"
        }
        return [title, ""] + rows.map { $0.keys + String(repeating: " ", count: width - TextLayout.width($0.keys) + 2) + $0.summary }
            + ["", "Press any key to close"]
    }

    /// The keys of the lists that pick one thing (a label, an account, an attachment). They are not rebindable,
    /// so help names them as their screens handle them.
    static let pickerHelp: [Screen: [(keys: String, summary: String)]] = {
        let move: [(keys: String, summary: String)] = [("j ↓", "next row"), ("k ↑", "previous row"), ("g Home", "first"), ("G End", "last")]
        return [
            .labels: move + [("PgDn Space", "page down"), ("PgUp b", "page up"), ("Enter", "show this label's messages"),
                             ("r", "fetch the counts again"), ("q Esc", "back")],
            .accounts: move + [("Enter", "switch to this account"), ("+", "add an account"), ("r", "read the list again"),
                               ("q Esc", "back")],
            .attachments: move + [("1-9", "choose by number"), ("Enter o", "open"), ("s", "save to Downloads"), ("q Esc v", "back")],
        ]
    }()
}
