import Foundation
import Testing
import HTTPCore
import GmailAPI
import MailService
import MailStore
import GmailSandbox
import TestSupport

/// Changing whole conversations (`threads.modify`, `threads.trash`, `threads.untrash`) against the sandbox:
/// the requests, the labels of every message afterwards, memory and the store, and the permission refusals.
@Suite struct ConversationTriageTests {
    static func posts(_ f: SandboxHarness, since start: Int = 0) -> [String] {
        f.sandbox.requestLog().dropFirst(start).filter { $0.method == "POST" }.map(\.path)
    }

    @Test func archiveTrashAndTheirUndoChangeEveryMessageOfTheThreads() async throws {
        try await withSandboxClient(.inProcess, TriageAgainstSandboxTests.modify) { f in
            let picnic = try ConversationTests.deliverThreeSenderThread(f.sandbox)
            let (service, store) = try StoreSyncTests.storeService(f)
            let tid = picnic[0].threadId
            let page = try await service.conversationPage(query: "in:inbox", pageToken: nil, pageSize: 5, cache: .reload)
            let other = try #require(page.conversations.last?.id)
            let messages = picnic.map(\.id) + (page.conversations.last?.messageIDs ?? [])

            try await service.apply(.archive, to: [tid, other], target: .conversations)
            #expect(Set(Self.posts(f)) == ["/gmail/v1/users/me/threads/\(tid)/modify", "/gmail/v1/users/me/threads/\(other)/modify"])
            #expect(messages.allSatisfy { !f.sandbox.labels(ofMessage: $0).contains("INBOX") })
            #expect(try store.summaries(ids: messages).allSatisfy { !$0.labelIDs.contains("INBOX") }, "the store shows it at once")
            #expect(await !service.hasCachedConversationPage(query: "in:inbox", pageToken: nil, pageSize: 5), "rows may have left the list")
            let relisted = try await service.conversationPage(query: "in:inbox", pageToken: nil, pageSize: 5, cache: .useCached)
            #expect(!relisted.conversations.contains { $0.id == tid || $0.id == other })

            // `z`: back in the inbox, every message that was there (Gmail's threads.modify adds it to all).
            var start = f.sandbox.requestLog().count
            try await service.apply(.moveToInbox, to: [tid, other], target: .conversations)
            #expect(Self.posts(f, since: start).count == 2)
            #expect(messages.allSatisfy { f.sandbox.labels(ofMessage: $0).contains("INBOX") })

            start = f.sandbox.requestLog().count
            try await service.apply(.trash, to: [tid], target: .conversations)
            #expect(Self.posts(f, since: start) == ["/gmail/v1/users/me/threads/\(tid)/trash"])
            #expect(picnic.allSatisfy { f.sandbox.labels(ofMessage: $0.id).contains("TRASH") })
            #expect(try store.summaries(ids: picnic.map(\.id)).allSatisfy { $0.labelIDs.contains("TRASH") })
            start = f.sandbox.requestLog().count
            try await service.apply(.untrash, to: [tid], target: .conversations)
            #expect(Self.posts(f, since: start) == ["/gmail/v1/users/me/threads/\(tid)/untrash"])
            #expect(picnic.allSatisfy { !f.sandbox.labels(ofMessage: $0.id).contains("TRASH") })
        }
    }

    @Test func aStarOrReadChangeOfAThreadUpdatesTheCachedRowsInPlace() async throws {
        try await withSandboxClient(.inProcess, TriageAgainstSandboxTests.modify) { f in
            let picnic = try ConversationTests.deliverThreeSenderThread(f.sandbox)
            let tid = picnic[0].threadId
            _ = try await f.mail.conversationPage(query: "in:inbox", pageToken: nil, pageSize: 5, cache: .reload)
            _ = try await f.mail.conversation(id: tid, cache: .useCached)
            try await f.mail.apply(.markRead, to: [tid], target: .conversations)
            try await f.mail.apply(.unstar, to: [tid], target: .conversations)
            let start = f.sandbox.requestLog().count
            let cached = try await f.mail.conversationPage(query: "in:inbox", pageToken: nil, pageSize: 5, cache: .useCached)
            let row = try #require(cached.conversations.first { $0.id == tid })
            #expect(row.unreadCount == 0 && !row.isStarred)
            #expect(Set(row.labelIDs) == ["INBOX"])
            let conversation = try await f.mail.conversation(id: tid, cache: .useCached)
            #expect(conversation.messages.allSatisfy { !$0.isUnread && !$0.labelIDs.contains("STARRED") })
            #expect(f.sandbox.requestLog().count == start, "both answered from memory")
        }
    }

    @Test func withoutModifyNothingIsSentAndGmailsRefusalIsTheSameError() async throws {
        try await withSandboxClient(.inProcess) { f in
            let page = try await f.mail.conversationPage(query: "in:inbox", pageToken: nil, pageSize: 2, cache: .reload)
            let tid = try #require(page.conversations.first?.id)
            let before = f.sandbox.requestLog().count
            await #expect(throws: MailServiceError.modifyPermissionRequired(email: Sandbox.defaultUserEmail)) {
                try await f.mail.apply(.archive, to: [tid], target: .conversations)
            }
            #expect(f.sandbox.requestLog().count == before, "nothing sent")

            // The stored scopes claim gmail.modify; the token has only gmail.readonly.
            var claimed = f.account
            claimed.scopes.append(SandboxScope.modify)
            let mail = f.service(claimed)
            await #expect(throws: MailServiceError.modifyPermissionRequired(email: Sandbox.defaultUserEmail)) {
                try await mail.apply(.trash, to: [tid], target: .conversations)
            }
            #expect(f.sandbox.requestLog().dropFirst(before).filter { $0.method == "POST" }.map(\.status) == [403], "refused once, not retried")
            #expect(page.conversations[0].messageIDs.allSatisfy { !f.sandbox.labels(ofMessage: $0).contains("TRASH") })
        }
    }
}
