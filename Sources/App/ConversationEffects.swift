import Foundation
import MailService
import MailUI

// The conversation effects (`t`): pages of threads, one whole thread, their sync; run as the message
// effects are (the foreground waits timed, failures logged and answered with their event).
extension EffectRunner {
    func runConversations(_ effect: BrowserEffect) async -> BrowserEvent? {
        switch effect {
        case .fetchConversationPage(let query, let token, let size, let reload):
            guard let mail = currentMail() else {
                return .conversationPageFailed(query: query, pageToken: token, error: needAuthorization())
            }
            await beginForeground(mail)
            defer { endForeground() }
            do throws(MailServiceError) {
                // A reload forgets every cached page and message: the mailbox may have changed.
                if reload { await mail.invalidateCaches() }
                return .conversationPageLoaded(try await mail.conversationPage(query: query, pageToken: token, pageSize: size,
                                                                               cache: reload ? .reload : .useCached))
            } catch {
                logWarning("conversation page failed: \(error.logDetail)")
                return .conversationPageFailed(query: query, pageToken: token, error: error)
            }
        case .prefetchConversationPage(let query, let token, let size):
            await currentMail()?.prefetchConversationPage(query: query, pageToken: token, pageSize: size)
            return nil
        case .fetchConversation(let id):
            guard let mail = currentMail() else { return .conversationFailed(id: id, error: needAuthorization()) }
            await beginForeground(mail)
            defer { endForeground() }
            do throws(MailServiceError) {
                return .conversationLoaded(try await mail.conversation(id: id, cache: .useCached))
            } catch {
                logWarning("conversation failed: \(error.logDetail)")
                return .conversationFailed(id: id, error: error)
            }
        case .prefetchConversation(let id):
            await currentMail()?.prefetchConversation(id: id)
            return nil
        case .syncConversations(let query, let token, let size):
            guard let mail = currentMail() else {
                return .syncFailed(query: query, pageToken: token, error: needAuthorization())
            }
            do throws(MailServiceError) {
                // As `.sync`: what is cached in memory may be stale once the mailbox moved on.
                await mail.invalidateCaches()
                return .conversationsSynced(try await mail.syncConversations(query: query, pageToken: token, pageSize: size))
            } catch {
                logWarning("conversation sync failed: \(error.logDetail)")
                return .syncFailed(query: query, pageToken: token, error: error)
            }
        default:
            return nil
        }
    }

    /// The first page of conversations of `query` as the local store holds it, read without any request
    /// (for the first frame after `t`); nil without a grant, a store, or a stored page.
    func storedFirstConversationPage(query: String, pageSize: Int) -> ConversationPage? {
        currentMail()?.storedConversationPage(query: query, pageToken: nil, pageSize: pageSize)
    }
}
