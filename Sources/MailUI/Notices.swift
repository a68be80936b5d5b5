import Foundation
import TerminalCells

/// The short confirmations and warnings the screens show, in words.
extension BrowserState {
    /// Shown when a paste or a key did not fit in a field.
    static let fieldFull = "The field is full (it holds \(DisplayFormat.count(TextField.defaultCapacity)) characters): the rest was not added."

    /// What `o` did, and what to do instead when no browser could be started.
    static func describe(_ launch: BrowserLaunch) -> String {
        let instead = "Copy the URL with c (or select it) and open it in a browser on any machine."
        switch launch {
        case .started(let command):
            return "Asked \(command) to open the URL in a browser."
        case .failed(let command, let status):
            return "\(command) could not open a browser (exit status \(status)). \(instead)"
        case .noBrowser:
            return "No browser could be started (neither $BROWSER nor xdg-open is available here). \(instead)"
        }
    }

    /// What `c` did: which way the URL went, and what to do when that way may be closed.
    static func describe(_ route: ClipboardRoute) -> String {
        switch route {
        case .terminal:
            return "URL sent to the terminal's clipboard (OSC 52); if nothing was copied, select the URL instead."
        case .tmux(buffer: true):
            return "URL copied into tmux's paste buffer (prefix ] pastes it) and sent through tmux to the terminal's clipboard."
        case .tmux(buffer: false):
            return "URL sent through tmux to the terminal's clipboard (needs tmux's allow-passthrough); if nothing was copied, select the URL instead."
        }
    }
}
