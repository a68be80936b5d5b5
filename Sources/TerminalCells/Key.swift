/// A key the user pressed, as the state machine sees it.
///
/// The terminal layer maps its own key codes to these; printable text
/// (including space) arrives as `.character`.
public enum Key: Sendable, Equatable, Hashable {
    /// A printable character (a whole grapheme cluster).
    case character(Character)
    /// A control chord, named by its lowercase letter: Ctrl-C is `.control("c")`.
    case control(Character)
    case enter, escape, backspace, delete, tab
    case up, down, left, right, home, end, pageUp, pageDown
}
