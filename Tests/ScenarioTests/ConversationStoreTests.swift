import Foundation
import Testing
import HTTPCore
import GmailAPI
import MailService
import MailStore
import GmailSandbox
import TestSupport

/// Conversations with the local store: written through, opened and listed without Gmail, and synced
/// through history with metadata only for the threads that changed.
@Suite struct ConversationStoreTests {
    static let query = "in:inbox"
    static let pageSize = 10

    static func counts(_ sandbox: Sandbox, since start: Int) -> (history: Int, list: Int, metadata: Int, full: Int, total: Int) {
        let log = sandbox.requestLog().dropFirst(start)
        let threads = ConversationTests.threadsPath
        return (log.filter { $0.path.hasPrefix("/gmail/v1/users/me/history") }.count,
                log.filter { $0.path.hasPrefix(threads + "?") || $0.path == threads }.count,
                ConversationTests.threadGets(log, format: "metadata").count,
                ConversationTests.threadGets(log, format: "full").count, log.count)
    }

    @Test func aStoredConversationOpensWithNoRequestInANewInstance() async throws {
        try await withSandboxClient(.inProcess) { client in
            let delivered = try ConversationTests.deliverThreeSenderThread(client.sandbox)
            let (service, store) = try StoreSyncTests.storeService(client)
            let opened = try await service.conversation(id: delivered[0].threadId, cache: .useCached)
            #expect(try store.thread(id: delivered[0].threadId)?.messageIDs == delivered.map(\.id))

            let later = MailService(oauth: client.oauth, gmail: client.gmail, store: client.store, account: client.account, mailStore: store)
            let start = client.sandbox.requestLog().count
            #expect(later.storedConversation(id: delivered[0].threadId) == opened)
            #expect(try await later.conversation(id: delivered[0].threadId, cache: .useCached) == opened)
            #expect(client.sandbox.requestLog().count == start, "no request")
            // A reload asks Gmail.
            _ = try await later.conversation(id: delivered[0].threadId, cache: .reload)
            #expect(Self.counts(client.sandbox, since: start).full == 1)
        }
    }

    @Test func offlineTheStoredPageOfConversationsAnswersWithWhenItWasListed() async throws {
        try await withSandboxClient(.inProcess) { client in
            let online = Online()
            let transport = online.transport(client)
            let quick = Online.quickRetries
            let (service, store) = try StoreSyncTests.storeService(client, transport: transport, retryPolicy: quick)
            let live = try await service.conversationPage(query: Self.query, pageToken: nil, pageSize: Self.pageSize, cache: .reload)
            let next = try #require(live.nextPageToken)
            let second = try await service.conversationPage(query: Self.query, pageToken: next, pageSize: Self.pageSize, cache: .reload)
            #expect(try store.threadPageIndex(query: Self.query, pageToken: next) == 1)

            online.value = false
            let (later, _) = try StoreSyncTests.storeService(client, transport: transport, retryPolicy: quick)
            #expect(later.storedConversationPage(query: Self.query, pageToken: nil, pageSize: Self.pageSize)?.conversations == live.conversations,
                    "the warm start's page, without a request")
            let page = try await later.conversationPage(query: Self.query, pageToken: nil, pageSize: Self.pageSize, cache: .useCached)
            #expect(page.conversations == live.conversations)
            #expect(page.nextPageToken == live.nextPageToken && page.resultSizeEstimate == live.resultSizeEstimate)
            #expect(page.storedAt != nil)
            let offlineSecond = try await later.conversationPage(query: Self.query, pageToken: next, pageSize: Self.pageSize, cache: .useCached)
            #expect(offlineSecond.conversations == second.conversations)
            await #expect(throws: MailServiceError.self, "a page never listed is not made up") {
                _ = try await later.conversationPage(query: "from:nobody", pageToken: nil, pageSize: Self.pageSize, cache: .useCached)
            }
        }
    }

    @Test func aSyncFetchesMetadataOnlyForTheThreadsThatChanged() async throws {
        try await withSandboxClient(.inProcess) { client in
            let picnic = try ConversationTests.deliverThreeSenderThread(client.sandbox)
            let (service, store) = try StoreSyncTests.storeService(client)
            let first = try await service.syncConversations(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            #expect(first.resynced)
            #expect(first.page.conversations.count == Self.pageSize)
            #expect(try store.historyID() == String(client.sandbox.historyId))

            // Nothing changed: the history and the list, no metadata.
            var start = client.sandbox.requestLog().count
            let quiet = try await service.syncConversations(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            var counts = Self.counts(client.sandbox, since: start)
            #expect(quiet.page.conversations == first.page.conversations)
            #expect(quiet.newMessageIDs.isEmpty && !quiet.resynced)
            #expect(counts.history == 1 && counts.list == 1 && counts.total == 2)

            // One thread read, one answered: two threads fetched again, and the reply is new.
            let other = try #require(first.page.conversations.first { $0.id != picnic[0].threadId })
            try client.sandbox.changeLabels(messageId: picnic[0].id, remove: ["UNREAD"])
            var reply = "From: Carol <carol@example.com>\r\nTo: Demo User <\(Sandbox.defaultUserEmail)>\r\nSubject: Re: it\r\n"
            if let last = try await client.gmail.messagesGet(MessagesGetParameters(id: other.messageIDs.last!, format: .metadata, metadataHeaders: ["Message-ID"]),
                                                             accessToken: try #require(client.account.accessToken)).header("Message-ID") {
                reply += "In-Reply-To: \(last)\r\nReferences: \(last)\r\n"
            }
            reply += "Message-ID: <carol-1@example.com>\r\nMIME-Version: 1.0\r\n\r\nAgreed.\r\n"
            let delivered = try client.sandbox.deliver(rfc822: Data(reply.utf8))
            try #require(delivered.threadId == other.id, "the reply joined the thread")

            start = client.sandbox.requestLog().count
            let synced = try await service.syncConversations(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            counts = Self.counts(client.sandbox, since: start)
            #expect(counts.history == 1 && counts.list == 1 && counts.metadata == 2 && counts.total == 4)
            let paths = ConversationTests.threadGets(client.sandbox.requestLog().dropFirst(start), format: "metadata").map(\.path)
            let fetched: Set<String> = Set(paths.map { path -> String in
                let beforeQuery = path.split(separator: "?")[0]
                return String(beforeQuery.split(separator: "/").last ?? "")
            })
            let changed: Set<String> = [picnic[0].threadId, other.id]
            #expect(fetched == changed)
            #expect(synced.newMessageIDs == [delivered.id])
            let row = try #require(synced.page.conversations.first { $0.id == other.id })
            #expect(row.messageIDs.last == delivered.id && row.senders.last?.name == "Carol")
            #expect(synced.page.conversations.first { $0.id == picnic[0].threadId }?.unreadCount == 0)
            #expect(synced.page.conversations.first?.id == other.id, "the thread with new mail lists first")
            // What the sync stored is what the next start shows.
            #expect(service.storedConversationPage(query: Self.query, pageToken: nil, pageSize: Self.pageSize)?.conversations == synced.page.conversations)
        }
    }

    @Test func aSyncWithHistoryForgottenFetchesThePageAgain() async throws {
        try await withSandboxClient(.inProcess) { client in
            let (service, store) = try StoreSyncTests.storeService(client)
            _ = try await service.syncConversations(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            _ = try client.sandbox.deliver(subject: "After the gap")
            client.sandbox.forgetHistory()
            let start = client.sandbox.requestLog().count
            let synced = try await service.syncConversations(query: Self.query, pageToken: nil, pageSize: Self.pageSize)
            #expect(synced.resynced)
            #expect(synced.page.conversations.first?.subject == "After the gap")
            #expect(Self.counts(client.sandbox, since: start).metadata == Self.pageSize)
            #expect(try store.historyID() == String(client.sandbox.historyId))
        }
    }
}
