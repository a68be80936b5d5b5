// What the terminal side reports back after the browser asked it to reach outside the screen: the two
// values are shared by the state machine (which words them) and the terminal layer (which produces them).
/// What came of asking for a browser (`.openURL`).
public enum BrowserLaunch: Sendable, Equatable {
    /// `command` was started with the URL.
    case started(command: String)
    /// `command` ran but failed: xdg-open with no browser behind it exits with status 3.
    case failed(command: String, status: Int32)
    /// Neither `$BROWSER` nor `xdg-open` could be started.
    case noBrowser
}

/// How `.copyToClipboard` sent its text.
public enum ClipboardRoute: Sendable, Equatable {
    /// OSC 52, straight to the terminal.
    case terminal
    /// Inside tmux: OSC 52 wrapped for tmux's passthrough, and into tmux's paste buffer when `buffer` is true.
    case tmux(buffer: Bool)
}
