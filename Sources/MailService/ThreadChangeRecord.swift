import Foundation
import GmailAPI
import MailStore

// Which messages a change of whole threads altered: `threads.modify` sends one change for every message of a
// thread, and Gmail answers with the labels each has after it; the labels each had before say which of them
// it altered (a thread with one starred message of three, unstarred, altered that one). Undo reverts those.
extension MailService {
    /// The labels of each message of `threads` (thread id to message id to labels) as memory or the store know
    /// them now; a thread neither holds in full is left out (its labels are asked of Gmail before the change).
    ///
    /// A conversation in memory is the freshest (a change reflected there); else the stored thread, when each of
    /// its messages has a stored summary (summaries take every change Gmail accepted, and the sync's history).
    func knownLabelsBefore(_ threads: [String]) -> [String: [String: [String]]] {
        var known: [String: [String: [String]]] = [:]
        var rest: [String] = []
        for id in threads {
            if case .cached(let conversation) = tables.conversations.lookup(id) {
                known[id] = Dictionary(conversation.messages.map { ($0.id, $0.labelIDs) }, uniquingKeysWith: { a, _ in a })
            } else {
                rest.append(id)
            }
        }
        guard !rest.isEmpty, let mailStore, let stored = try? mailStore.conversations(ids: rest) else { return known }
        for conversation in stored {
            let summaries = Dictionary(conversation.summaries.map { ($0.id, $0.labelIDs) }, uniquingKeysWith: { a, _ in a })
            guard !conversation.thread.messageIDs.isEmpty, conversation.thread.messageIDs.allSatisfy({ summaries[$0] != nil }) else { continue }
            known[conversation.thread.id] = summaries
        }
        return known
    }

    /// `threads.get format=minimal`: each message's labels, for a thread whose labels nothing here knows.
    static func minimalThreadParameters(_ id: String) -> ThreadsGetParameters {
        ThreadsGetParameters(id: id, format: .minimal)
    }

    /// The messages of `thread` (Gmail's answer to the change) that `action` altered, with the part of it that
    /// altered each. A message whose labels before are unknown (it reached the thread after they were read)
    /// counts as altered by the whole change.
    static func changedMessages(_ action: MailAction, _ thread: ModifiedThread, before: [String: [String]]?) -> [ChangedMessage] {
        (thread.messages ?? []).compactMap { message in
            let change: MailAction?
            if let labels = before?[message.id] { change = action.effective(on: labels) } else { change = action }
            return change.map { ChangedMessage(id: message.id, threadID: thread.id, change: $0, labels: message.labelIds ?? []) }
        }
    }
}
