import Foundation
import Testing
import HTTPCore
import GmailAPI
import MailService
import MailStore
import GmailSandbox
import TestSupport

/// The stored label counts against the sandbox: written through, moved by triage at once, and replaced by
/// Gmail's after another device's change and a sync, with `labels.get` for the touched labels only.
@Suite struct LabelCountsAgainstSandboxTests {
    static let modify = SandboxClientOptions.with { $0.account = .minted(scopes: [SandboxScope.modify]) }
    static let query = "in:inbox"

    static func labelRequests(_ sandbox: Sandbox, since start: Int) -> [String] {
        sandbox.requestLog().dropFirst(start).map(\.path).filter { $0.hasPrefix("/gmail/v1/users/me/labels") }
    }

    /// Gmail's own count now, asked directly.
    static func gmailCounts(_ f: SandboxHarness, _ id: String) async throws -> (total: Int?, unread: Int?) {
        let label = try await f.gmail.labelsGet(LabelsGetParameters(id: id), accessToken: try #require(f.account.accessToken))
        return (label.messagesTotal, label.messagesUnread)
    }

    static func stored(_ service: MailService, _ id: String) -> LabelSummary? { service.storedLabels()?.labels.first { $0.id == id } }

    /// A service for the harness's account with a store in the harness's private folder.
    static func storeService(_ f: SandboxHarness) throws -> (MailService, MailStore) {
        let store = try MailStore(cacheDirectory: f.folder.url.appendingPathComponent("cache"), userID: f.account.userID)
        return (MailService(oauth: f.oauth, gmail: f.gmail, store: f.store, account: f.account, mailStore: store), store)
    }

    @Test func theListIsWrittenThroughAndReadBackWithoutARequest() async throws {
        try await withSandboxClient(.inProcess) { f in
            let (service, _) = try Self.storeService(f)
            #expect(service.storedLabels() == nil)
            let listed = try await service.labels()
            let start = f.sandbox.requestLog().count
            let stored = try #require(service.storedLabels())
            #expect(stored.labels == listed)
            #expect(stored.storedAt != nil)
            #expect(f.sandbox.requestLog().count == start, "read from the store")
            let inbox = try await Self.gmailCounts(f, "INBOX")
            #expect(Self.stored(service, "INBOX")?.messagesUnread == inbox.unread)
            #expect(listed.contains { !$0.isSystem }, "the sandbox's user labels too")
        }
    }

    @Test func markReadMovesTheStoredCountsAtOnceAsGmailDoes() async throws {
        try await withSandboxClient(.inProcess, Self.modify) { f in
            let (service, _) = try Self.storeService(f)
            _ = try await service.sync(query: Self.query, pageToken: nil, pageSize: 20)
            _ = try await service.labels()
            let before = try #require(Self.stored(service, "INBOX")?.messagesUnread)
            let page = try await service.page(query: Self.query, pageToken: nil, pageSize: 20, cache: .useCached)
            let target = try #require(page.messages.first { $0.isUnread })
            let start = f.sandbox.requestLog().count
            try await service.apply(.markRead, to: [target.id])
            #expect(Self.labelRequests(f.sandbox, since: start).isEmpty, "moved in the store, not asked")
            #expect(Self.stored(service, "INBOX")?.messagesUnread == before - 1)
            for id in target.labelIDs where id != "UNREAD" {
                let gmail = try await Self.gmailCounts(f, id)
                #expect(Self.stored(service, id)?.messagesUnread == gmail.unread, "\(id)")
                #expect(Self.stored(service, id)?.messagesTotal == gmail.total, "\(id)")
            }
            // Archived: Inbox holds one message fewer, as Gmail counts it.
            try await service.apply(.archive, to: [target.id])
            #expect(Self.stored(service, "INBOX")?.messagesTotal == (try await Self.gmailCounts(f, "INBOX").total))
        }
    }

    @Test func anotherDevicesChangeBringsGmailsCountsAtTheNextSync() async throws {
        try await withSandboxClient(.inProcess) { f in
            let (service, _) = try Self.storeService(f)
            let first = try await service.sync(query: Self.query, pageToken: nil, pageSize: 20)
            _ = try await service.labels()
            let target = try #require(first.page.messages.first { $0.isUnread })
            let before = try #require(Self.stored(service, "INBOX")?.messagesUnread)
            // Read elsewhere: the control API changes the sandbox's mailbox as another device would.
            try f.sandbox.changeLabels(messageId: target.id, remove: ["UNREAD"])
            let start = f.sandbox.requestLog().count
            let synced = try await service.sync(query: Self.query, pageToken: nil, pageSize: 20)
            let asked = Self.labelRequests(f.sandbox, since: start)
            let touched = Set(target.labelIDs).subtracting(["UNREAD", "CHAT"])
            #expect(asked.count == touched.count, "labels.get for the touched labels only: \(asked)")
            #expect(Set(asked.map { String($0.split(separator: "/").last ?? "") }) == touched)
            let inbox = try #require(synced.labels?.first { $0.id == "INBOX" })
            #expect(inbox.messagesUnread == before - 1)
            #expect(inbox.messagesUnread == (try await Self.gmailCounts(f, "INBOX").unread))
            #expect(Self.stored(service, "INBOX") == inbox, "stored as well")

            // New mail: Inbox's counts, one request.
            _ = try f.sandbox.deliver(subject: "Counted")
            let next = f.sandbox.requestLog().count
            let afterDelivery = try await service.sync(query: Self.query, pageToken: nil, pageSize: 20)
            #expect(Self.labelRequests(f.sandbox, since: next) == ["/gmail/v1/users/me/labels/INBOX"])
            let counts = try await Self.gmailCounts(f, "INBOX")
            #expect(afterDelivery.labels?.first { $0.id == "INBOX" }?.messagesTotal == counts.total)
            #expect(afterDelivery.labels?.first { $0.id == "INBOX" }?.messagesUnread == counts.unread)

            // Nothing changed: no label request.
            let quiet = f.sandbox.requestLog().count
            let again = try await service.sync(query: Self.query, pageToken: nil, pageSize: 20)
            #expect(again.labels == nil)
            #expect(Self.labelRequests(f.sandbox, since: quiet).isEmpty)
        }
    }

    @Test func aConversationSyncBringsTheCountsOfTheLabelsHistoryTouched() async throws {
        try await withSandboxClient(.inProcess) { f in
            let (service, _) = try Self.storeService(f)
            let first = try await service.syncConversations(query: Self.query, pageToken: nil, pageSize: 20)
            _ = try await service.labels()
            // Every message of it unread, so the one read elsewhere surely changes.
            let target = try #require(first.page.conversations.first { $0.unreadCount == $0.messageCount })
            let before = try #require(Self.stored(service, "INBOX")?.messagesUnread)
            let unread = try #require(target.messageIDs.last)
            try f.sandbox.changeLabels(messageId: unread, remove: ["UNREAD"])
            let start = f.sandbox.requestLog().count
            let synced = try await service.syncConversations(query: Self.query, pageToken: nil, pageSize: 20)
            #expect(Self.labelRequests(f.sandbox, since: start).contains("/gmail/v1/users/me/labels/INBOX"))
            let inbox = try #require(synced.labels?.first { $0.id == "INBOX" })
            #expect(inbox.messagesUnread == (try await Self.gmailCounts(f, "INBOX").unread))
            #expect(inbox.messagesUnread == before - 1)
            #expect(Self.stored(service, "INBOX") == inbox, "stored as well")
        }
    }

    @Test func aLabelTheStoreDoesNotKnowListsTheLabelsAgain() async throws {
        try await withSandboxClient(.inProcess) { f in
            let (service, store) = try Self.storeService(f)
            let first = try await service.sync(query: Self.query, pageToken: nil, pageSize: 20)
            let listed = try await service.labels()
            let user = try #require(listed.first { !$0.isSystem })
            // As if the label had been made after the last listing.
            try store.deleteLabel(id: user.id)
            let target = try #require(first.page.messages.first { !$0.labelIDs.contains(user.id) })
            try f.sandbox.changeLabels(messageId: target.id, add: [user.id])
            let start = f.sandbox.requestLog().count
            let synced = try await service.sync(query: Self.query, pageToken: nil, pageSize: 20)
            #expect(Self.labelRequests(f.sandbox, since: start).first == "/gmail/v1/users/me/labels", "labels.list first")
            #expect(synced.labels?.contains { $0.id == user.id } == true)
            #expect(service.storedLabels()?.labels.map(\.id) == listed.map(\.id))
        }
    }
}
