import Foundation
import MailService
import MailUI

// The conversation effects (`t`): pages of threads, one whole thread, their sync.
extension EffectRunner {
    func runConversations(_ effect: BrowserEffect) async -> BrowserEvent? {
        // The list does not switch to conversations yet: nothing sends these effects.
        let notYet = MailServiceError.api(status: 501, message: "Conversations are not available yet")
        switch effect {
        case .fetchConversationPage(let query, let token, _, _):
            return .conversationPageFailed(query: query, pageToken: token, error: notYet)
        case .fetchConversation(let id):
            return .conversationFailed(id: id, error: notYet)
        case .syncConversations(let query, let token, _):
            return .syncFailed(query: query, pageToken: token, error: notYet)
        default:
            return nil
        }
    }
}
