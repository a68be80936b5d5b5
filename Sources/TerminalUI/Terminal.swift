import Foundation
import TerminalCells
internal import CNcurses

/// What the terminal reports.
public enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    /// Bracketed paste, collected into one string.
    case paste(String)
    case resize(cols: Int, rows: Int)
}

/// Why the terminal could not start.
public struct TerminalError: Error, CustomStringConvertible {
    public let description: String
}

/// The ncurses (ncursesw) terminal: copies finished grids to the screen and reads keys, pastes and resizes.
///
/// Curses is not thread-safe: create, use and stop a `Terminal` on one
/// thread. `stop()` restores the terminal; the signal handlers installed by
/// `start()` restore it on Ctrl-C (SIGINT), SIGTERM and crash signals, then
/// let the signal take its default action.
public final class Terminal {
    private var running = false
    private var lastGrid: CellGrid?

    public init() {}

    deinit { stop() }

    /// Takes over the terminal: raw keys, no echo, bracketed paste, colours unless `NO_COLOR` is set.
    /// `colors: false` is the "mono" theme; `NO_COLOR` wins over `colors: true`.
    public func start(colors: Bool = true) throws {
        guard !running else { return }
        let noColor = !colors || (ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false)
        cncurses_install_signal_handlers()
        guard cncurses_start(noColor ? 1 : 0) == 0 else {
            throw TerminalError(description: Self.unusableTerminal(ProcessInfo.processInfo.environment["TERM"]))
        }
        running = true
    }

    /// Why curses could not start on `term` (the value of TERM), and what to do about it.
    static func unusableTerminal(_ term: String?) -> String {
        guard let term, !term.isEmpty else {
            return "TERM is not set, so the terminal's type is unknown. Set it (for example TERM=xterm-256color) and start again."
        }
        return "the terminal type \"\(term)\" (from TERM) is not known on this system (no terminfo entry). "
            + "Set TERM to a type it knows, such as xterm-256color, or install its entry (Debian: apt-get install ncurses-term)."
    }

    /// Gives the terminal back (bracketed paste off, endwin). Safe to call more than once.
    public func stop() {
        guard running else { return }
        running = false
        cncurses_stop()
    }

    /// The current size in columns and rows.
    public var size: (cols: Int, rows: Int) {
        (Int(cncurses_cols()), Int(cncurses_lines()))
    }

    /// Copies `grid` to the screen and refreshes.
    public func draw(_ grid: CellGrid) {
        guard running else { return }
        if lastGrid?.cols != grid.cols || lastGrid?.rows != grid.rows { cncurses_erase() }
        var buffer = [wchar_t](repeating: 0, count: 6)
        for y in 0..<grid.rows {
            for x in 0..<grid.cols {
                let cell = grid[x, y]
                guard cell.width > 0 else { continue }
                if let last = lastGrid, last.cols == grid.cols, last.rows == grid.rows, last[x, y] == cell { continue }
                // The spacing character and its combining marks; emoji sequences beyond that keep their first scalar.
                var n = 0
                for (i, scalar) in cell.character.unicodeScalars.enumerated() {
                    if i > 0 && !TerminalWidth.isCombining(scalar) { break }
                    if n == 5 { break }
                    buffer[n] = wchar_t(bitPattern: scalar.value); n += 1
                }
                let s = cell.style
                let pair: Int32 = switch s.role { case .normal: 0; case .accent: 1; case .error: 2; case .url: 3 }
                cncurses_put(Int32(y), Int32(x), buffer, Int32(n), s.bold ? 1 : 0, s.reverse ? 1 : 0,
                             s.dim ? 1 : 0, s.underline ? 1 : 0, pair)
            }
        }
        cncurses_refresh()
        writeTTY(SoftWrap.sequence(grid, previously: lastGrid?.softWrapped ?? []))
        lastGrid = grid
    }

    /// Ctrl-Z: gives the terminal back to the shell and stops; after `fg`, repaints the last screen whole.
    public func suspend() {
        guard running else { return }
        cncurses_suspend()
        let last = lastGrid
        lastGrid = nil
        if let last { draw(last) }
    }

    /// Forces the next `draw` to repaint every cell (after something else wrote to the terminal).
    public func invalidate() { lastGrid = nil }

    /// Waits up to `timeoutMilliseconds` for a key, a paste or a resize; nil on timeout.
    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        guard running else { return nil }
        var value: Int32 = 0
        switch cncurses_read(Int32(timeoutMilliseconds), &value) {
        case CNCURSES_CHAR:
            return Self.characterEvent(value)
        case CNCURSES_KEY:
            return keyEvent(value)
        default:
            return nil
        }
    }

    private func keyEvent(_ code: Int32) -> TerminalEvent? {
        switch code {
        case CNCURSES_K_UP: return .key(.up)
        case CNCURSES_K_DOWN: return .key(.down)
        case CNCURSES_K_LEFT: return .key(.left)
        case CNCURSES_K_RIGHT: return .key(.right)
        case CNCURSES_K_HOME: return .key(.home)
        case CNCURSES_K_END: return .key(.end)
        case CNCURSES_K_PPAGE: return .key(.pageUp)
        case CNCURSES_K_NPAGE: return .key(.pageDown)
        case CNCURSES_K_BACKSPACE: return .key(.backspace)
        case CNCURSES_K_DC: return .key(.delete)
        case CNCURSES_K_ENTER: return .key(.enter)
        case CNCURSES_K_BTAB: return .key(.tab)
        case CNCURSES_K_RESIZE:
            lastGrid = nil
            return .resize(cols: size.cols, rows: size.rows)
        case CNCURSES_K_PASTE_BEGIN: return .paste(readPaste())
        default: return nil
        }
    }

    /// The most of one paste that is kept: far more than any field holds, so that a huge paste costs
    /// memory and time in proportion to what can be used, not to what was pasted.
    static let pasteLimit = 65536

    /// Collects characters up to the paste-end sequence (or a quiet second, if it never comes).
    /// Past `pasteLimit` scalars the rest is read and dropped, so the keys after the paste still arrive.
    private func readPaste() -> String {
        var text = ""
        var kept = 0
        var value: Int32 = 0
        while true {
            let kind = cncurses_read(1000, &value)
            if kind == CNCURSES_CHAR {
                kept += 1
                if kept > Self.pasteLimit { continue }
                if let scalar = Unicode.Scalar(UInt32(bitPattern: value)) {
                    text.unicodeScalars.append(scalar == "\r" ? "\n" : scalar)
                }
            } else if kind == CNCURSES_KEY {
                if value == CNCURSES_K_PASTE_END { break }
                if value == CNCURSES_K_ENTER { text.append("\n") }
            } else {
                break
            }
        }
        return text
    }

    /// Maps a character from `wget_wch` to a key: controls to their chords, DEL/BS to backspace.
    static func characterEvent(_ value: Int32) -> TerminalEvent? {
        switch value {
        case 0x0D, 0x0A: return .key(.enter)
        case 0x1B: return .key(.escape)
        case 0x09: return .key(.tab)
        case 0x7F, 0x08: return .key(.backspace)
        case 0x01...0x1A:
            guard let scalar = Unicode.Scalar(UInt32(value) + 0x60) else { return nil }
            return .key(.control(Character(scalar)))
        default:
            guard value >= 0x20, let scalar = Unicode.Scalar(UInt32(bitPattern: value)) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    /// Asks the terminal to put `text` on the clipboard (OSC 52; terminals that do not support it ignore it).
    ///
    /// Inside tmux (`throughTmux`) the sequence is also sent wrapped in tmux's passthrough, because tmux's
    /// default `set-clipboard external` drops an application's own OSC 52.
    public func writeClipboard(_ text: String, throughTmux: Bool) {
        writeTTY(Self.clipboardSequence(text, throughTmux: throughTmux))
    }

    private func writeTTY(_ text: String) {
        guard !text.isEmpty else { return }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cncurses_write_tty($0, buffer.count)
            }
        }
    }

    /// OSC 52 for `text`; with `throughTmux`, followed by the same wrapped in tmux's DCS passthrough
    /// (`ESC P tmux; … ESC \`, every ESC inside doubled), which tmux hands on to the outer terminal
    /// when its `allow-passthrough` is on.
    public static func clipboardSequence(_ text: String, throughTmux: Bool) -> String {
        let osc52 = "\u{1b}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
        guard throughTmux else { return osc52 }
        return osc52 + "\u{1b}Ptmux;" + osc52.replacingOccurrences(of: "\u{1b}", with: "\u{1b}\u{1b}") + "\u{1b}\\"
    }
}
