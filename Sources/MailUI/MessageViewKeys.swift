import Foundation
import MailModels
import TerminalCells

// The message view's keys beyond reading and moving: `H` and `v`.
extension BrowserState {
    /// `H` switches between every header and the usual ones; `v` shows the attachment list. Nil for other keys.
    mutating func messageViewExtraKey(_ key: Key) -> [BrowserEffect]? {
        switch key {
        case .character("H"):
            guard message != nil else { return nil }
            message?.notice = nil
            message?.allHeaders.toggle()
            if message?.detail?.headers.isEmpty == true { message?.notice = "No other headers were fetched for this message" }
            clampMessage(relayout: true)
            return []
        case .character("v"):
            guard message != nil else { return nil }
            message?.notice = nil
            return openAttachments()
        default:
            return nil
        }
    }
}
