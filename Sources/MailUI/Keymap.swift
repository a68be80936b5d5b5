import TerminalCells

/// One thing a key can do: its name in `config.toml`'s `[keys]`, its default keys and the screens it works on.
///
/// The first default key is the one the state machine matches: a rebound key is translated to it before
/// the screens see it (`Keymap.action(for:on:)`), so the screens' code never changes with the bindings.
public struct KeyAction: Sendable, Equatable {
    public let name: String
    public let keys: [Key]
    public let screens: Set<Screen>
    /// What it does, as help shows it.
    public let summary: String
    /// False while no handler exists for it: help leaves it out; its keys are still reserved and rebindable.
    public let live: Bool

    /// The key the screens' code matches.
    public var canonical: Key { keys[0] }
}

/// The browser's key table (design.md, "Keys"), and the bindings in force after `config.toml`'s `[keys]`.
public struct Keymap: Sendable, Equatable {
    /// Where the triage keys work.
    private static let both: Set<Screen> = [.list, .message, .conversation]
    /// The screens that read mail and move through it.
    private static let reading: Set<Screen> = [.list, .message, .conversation]
    private static let views: Set<Screen> = [.message, .conversation]

    /// Every action, in the order help lists them.
    public static let actions: [KeyAction] = [
        KeyAction(name: "down", keys: [.character("j"), .down], screens: reading, summary: "next row / line", live: true),
        KeyAction(name: "up", keys: [.character("k"), .up], screens: reading, summary: "previous row / line", live: true),
        KeyAction(name: "page_down", keys: [.pageDown, .character(" ")], screens: reading, summary: "page down", live: true),
        KeyAction(name: "page_up", keys: [.pageUp, .character("b")], screens: reading, summary: "page up", live: true),
        KeyAction(name: "half_page_down", keys: [.control("d")], screens: reading, summary: "half a page down", live: true),
        KeyAction(name: "half_page_up", keys: [.control("u")], screens: reading, summary: "half a page up", live: true),
        KeyAction(name: "first", keys: [.character("g"), .home], screens: reading, summary: "first", live: true),
        KeyAction(name: "last", keys: [.character("G"), .end], screens: reading, summary: "last", live: true),
        KeyAction(name: "open", keys: [.enter], screens: [.list], summary: "open the message", live: true),
        KeyAction(name: "expand", keys: [.enter], screens: [.conversation], summary: "expand / collapse", live: true),
        KeyAction(name: "next_page", keys: [.character("n")], screens: [.list], summary: "next page", live: true),
        KeyAction(name: "previous_page", keys: [.character("p")], screens: [.list], summary: "previous page", live: true),
        KeyAction(name: "next_message", keys: [.character("n")], screens: views, summary: "next message", live: true),
        KeyAction(name: "previous_message", keys: [.character("p")], screens: views, summary: "previous message", live: true),
        KeyAction(name: "search", keys: [.character("/")], screens: [.list],
                  summary: "search: edit the query", live: true),
        KeyAction(name: "sync", keys: [.character("r")], screens: [.list], summary: "sync with Gmail now", live: true),
        KeyAction(name: "retry", keys: [.character("r")], screens: views, summary: "retry after an error", live: true),
        KeyAction(name: "toggle_threads", keys: [.character("t")], screens: [.list], summary: "messages ⇄ conversations", live: true),
        KeyAction(name: "labels", keys: [.character("L")], screens: [.list], summary: "the label list", live: true),
        KeyAction(name: "accounts", keys: [.character("A")], screens: [.list], summary: "the account list", live: true),
        KeyAction(name: "select", keys: [.character("x")], screens: [.list], summary: "select / unselect row", live: true),
        KeyAction(name: "headers", keys: [.character("H")], screens: views, summary: "all headers ⇄ usual ones", live: true),
        KeyAction(name: "attachments", keys: [.character("v")], screens: views, summary: "the attachment list", live: true),
        KeyAction(name: "archive", keys: [.character("e")], screens: both, summary: "archive", live: true),
        KeyAction(name: "trash", keys: [.character("#")], screens: both, summary: "move to trash", live: true),
        KeyAction(name: "star", keys: [.character("s")], screens: both, summary: "star / unstar", live: true),
        KeyAction(name: "mark_read", keys: [.character("I")], screens: both, summary: "mark read", live: true),
        KeyAction(name: "mark_unread", keys: [.character("U")], screens: both, summary: "mark unread", live: true),
        KeyAction(name: "label", keys: [.character("l")], screens: both, summary: "add or remove labels", live: true),
        KeyAction(name: "undo", keys: [.character("z")], screens: both, summary: "undo the last action", live: true),
        KeyAction(name: "help", keys: [.character("?")], screens: reading, summary: "this help", live: true),
        KeyAction(name: "suspend", keys: [.control("z")], screens: reading, summary: "suspend (fg resumes)", live: true),
        KeyAction(name: "quit", keys: [.character("q")], screens: [.list], summary: "quit", live: true),
        KeyAction(name: "back", keys: [.character("q"), .escape], screens: views, summary: "back to the list", live: true),
    ]

    /// The keys of every action, defaults replaced by the rebound ones.
    public private(set) var bindings: [String: [Key]]

    /// Two actions that work on a common screen and were given the same key.
    public struct Clash: Error, Sendable, Equatable {
        public let key: Key
        public let actions: [String]
    }

    /// The defaults of design.md's table (a test checks that they do not clash).
    public init() {
        bindings = Dictionary(uniqueKeysWithValues: Self.actions.map { ($0.name, $0.keys) })
    }

    /// The default bindings with `overrides` (action name → its keys) in place of theirs.
    ///
    /// Unknown action names are the caller's to refuse (`action(named:)`); they are ignored here.
    public init(overrides: [String: [Key]] = [:]) throws(Clash) {
        var bindings: [String: [Key]] = [:]
        for action in Self.actions { bindings[action.name] = overrides[action.name] ?? action.keys }
        self.bindings = bindings
        for screen in [Screen.list, .message, .conversation] {
            var seen: [Key: String] = [:]
            for action in Self.actions where action.screens.contains(screen) {
                for key in bindings[action.name] ?? [] {
                    if let other = seen[key], other != action.name {
                        throw Clash(key: key, actions: [other, action.name])
                    }
                    seen[key] = action.name
                }
            }
        }
    }

    public static func action(named name: String) -> KeyAction? { actions.first { $0.name == name } }

    /// The action `key` is bound to on `screen`, if any.
    public func action(for key: Key, on screen: Screen) -> KeyAction? {
        Self.actions.first { $0.screens.contains(screen) && (bindings[$0.name] ?? []).contains(key) }
    }

    /// The action whose default key `key` was before it was rebound away, on `screen`.
    func reboundAway(_ key: Key, on screen: Screen) -> KeyAction? {
        Self.actions.first { $0.screens.contains(screen) && $0.keys.contains(key) && bindings[$0.name] != $0.keys }
    }

    /// The keys of the actions that work on `screen` and have a handler, with what they do (help's lines).
    public func help(for screen: Screen) -> [(keys: String, summary: String)] {
        Self.actions.filter { $0.live && $0.screens.contains(screen) }.map { action in
            ((bindings[action.name] ?? []).map(\.displayName).joined(separator: " "), action.summary)
        }
    }
}

extension Key {
    /// The key as help and the status line name it ("j", "Ctrl-D", "PgDn").
    public var displayName: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .control(let c): return "Ctrl-" + c.uppercased()
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .tab: return "Tab"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        }
    }

    /// Reads a key as `config.toml` writes it: one character ("e", "#"), `ctrl-x`, or a name
    /// (enter, esc, space, tab, backspace, delete, up, down, left, right, home, end, pgup, pgdn).
    public init?(configName raw: String) {
        let name = raw.lowercased()
        let named: [String: Key] = [
            "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape, "space": .character(" "),
            "tab": .tab, "backspace": .backspace, "delete": .delete, "del": .delete, "up": .up, "down": .down,
            "left": .left, "right": .right, "home": .home, "end": .end, "pgup": .pageUp, "pageup": .pageUp,
            "pgdn": .pageDown, "pagedown": .pageDown,
        ]
        if let key = named[name] { self = key; return }
        for prefix in ["ctrl-", "c-", "^"] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard rest.count == 1, let c = rest.first, c.isASCII, c.isLetter else { return nil }
            // Ctrl-C always quits at once, whatever the bindings say.
            guard c != "c" else { return nil }
            self = .control(c); return
        }
        guard raw.count == 1, let c = raw.first, !c.isWhitespace, c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f }) else {
            return nil
        }
        self = .character(c)
    }

    /// The key as `config.toml` writes it (the inverse of `init(configName:)`).
    public var configName: String {
        switch self {
        case .character(" "): return "space"
        case .character(let c): return String(c)
        case .control(let c): return "ctrl-\(c)"
        case .enter: return "enter"
        case .escape: return "esc"
        case .backspace: return "backspace"
        case .delete: return "delete"
        case .tab: return "tab"
        case .up: return "up"
        case .down: return "down"
        case .left: return "left"
        case .right: return "right"
        case .home: return "home"
        case .end: return "end"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        }
    }
}
