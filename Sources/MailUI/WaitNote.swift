import Foundation
import TerminalCells

/// The words on the spinner line while Gmail is slow, so a wait is explained instead of spinning in silence.
public enum WaitNote {
    /// A wait shorter than this is not worth a word.
    public static let quietFor: TimeInterval = 3

    /// "Gmail asked to wait 20 s" while a server-requested wait runs, else "waiting for Gmail (12 s)" once a
    /// request has been out for `quietFor` seconds; nil otherwise.
    public static func text(waitingSince: Date?, serverAskedWait: Duration?, now: Date) -> String? {
        if let asked = serverAskedWait {
            let (seconds, attoseconds) = asked.components
            return "Gmail asked to wait \(seconds + (attoseconds > 0 ? 1 : 0)) s"
        }
        guard let since = waitingSince else { return nil }
        let waited = now.timeIntervalSince(since)
        guard waited >= quietFor else { return nil }
        return "waiting for Gmail (\(Int(waited)) s)"
    }
}
