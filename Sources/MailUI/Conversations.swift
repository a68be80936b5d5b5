import Foundation
import MailModels

// The conversation list and view (`t`).
extension BrowserState {
    /// Folds in the answers to the conversation effects.
    mutating func conversationEvent(_ event: BrowserEvent) -> [BrowserEffect] {
        // The list does not switch to conversations yet, so no answer is awaited.
        []
    }
}
