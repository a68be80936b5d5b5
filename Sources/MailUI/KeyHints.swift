import TerminalCells

// The footer's key hints, named from the bindings in force: a key rebound in config.toml shows as bound.
extension Keymap {
    /// "j/k move · Enter open": for each hint, the first key of each of its actions (joined by "/") and its
    /// words. A hint whose action has no key left is not shown.
    func hints(_ items: [(actions: [String], words: String)]) -> String {
        items.compactMap { item -> String? in
            let keys = item.actions.compactMap { bindings[$0]?.first?.displayName }
            guard keys.count == item.actions.count else { return nil }
            return keys.joined(separator: "/") + " " + item.words
        }.joined(separator: " · ")
    }

    /// The list's footer.
    var listHints: String {
        hints([(["down", "up"], "move"), (["open"], "open"), (["next_page", "previous_page"], "page"), (["search"], "search"),
               (["sync"], "sync"), (["help"], "help"), (["quit"], "quit")])
    }

    /// The message view's footer.
    var messageHints: String {
        hints([(["back"], "back"), (["next_message", "previous_message"], "next/previous"), (["down", "up"], "scroll")])
    }
}
