import Foundation
import Testing
import HTTPCore
import GmailAPI
import MailService
import MailStore
import GmailSandbox
import TestSupport

/// Conversations (`t`) through MailService against the sandbox: pages of threads, their cost in round
/// trips, whole threads, and what the store answers.
@Suite struct ConversationTests {
    static let threadsPath = "/gmail/v1/users/me/threads"

    /// A thread of three messages from three senders (Ann, then Bob, then the user), delivered now, with
    /// its messages' ids oldest first.
    static func deliverThreeSenderThread(_ sandbox: Sandbox, subject: String = "Picnic plan") throws -> [SandboxDelivery] {
        let people = [("Ann Example", "ann@example.com", ["INBOX", "UNREAD"]), ("Bob Example", "bob@example.com", ["INBOX", "STARRED"]),
                      ("Demo User", Sandbox.defaultUserEmail, ["INBOX"])]
        var delivered: [SandboxDelivery] = []
        for (i, person) in people.enumerated() {
            var headers = ["From: \(person.0) <\(person.1)>", "To: Demo User <\(Sandbox.defaultUserEmail)>",
                           "Subject: \(i == 0 ? subject : "Re: " + subject)", "Date: 2\(i) Nov 2026 10:00:00 +0000",
                           "Message-ID: <picnic-\(i)-\(subject.hashValue)@example.com>"]
            if i > 0 {
                let refs = (0..<i).map { "<picnic-\($0)-\(subject.hashValue)@example.com>" }
                headers += ["In-Reply-To: \(refs.last!)", "References: \(refs.joined(separator: " "))"]
            }
            let raw = (headers + ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", "Message \(i) of the picnic thread.", ""])
                .joined(separator: "\r\n")
            delivered.append(try sandbox.deliver(rfc822: Data(raw.utf8), labelIds: person.2))
        }
        return delivered
    }

    static func threadGets(_ log: ArraySlice<SandboxLogEntry>, format: String) -> [SandboxLogEntry] {
        log.filter { $0.path.hasPrefix(threadsPath + "/") && $0.path.contains("format=\(format)") }
    }

    @Test func aPageOfConversationsIsGmailsThreadsInOrderEachWithItsSendersCountsAndLabels() async throws {
        try await withSandboxClient(.inProcess) { f in
            let delivered = try Self.deliverThreeSenderThread(f.sandbox)
            let page = try await f.mail.conversationPage(query: "", pageToken: nil, pageSize: 20, cache: .reload)
            let token = try #require(f.account.accessToken)
            let listed = try await f.gmail.threadsList(ThreadsListParameters(q: "", maxResults: 20), accessToken: token)
            #expect(page.conversations.map(\.id) == (listed.threads ?? []).map(\.id))
            #expect(page.nextPageToken == listed.nextPageToken && page.nextPageToken != nil)
            #expect(page.resultSizeEstimate == listed.resultSizeEstimate)
            #expect(page.storedAt == nil)

            let picnic = try #require(page.conversations.first)
            #expect(picnic.id == delivered[0].threadId)
            #expect(picnic.messageIDs == delivered.map(\.id))
            #expect(picnic.senders.map(\.name) == ["Ann Example", "Bob Example", "Demo User"])
            #expect(picnic.senders.map(\.email) == ["ann@example.com", "bob@example.com", Sandbox.defaultUserEmail])
            #expect(picnic.subject == "Picnic plan", "the first message's subject")
            #expect(picnic.unreadCount == 1 && picnic.isUnread)
            #expect(Set(picnic.labelIDs) == ["INBOX", "UNREAD", "STARRED"])
            #expect(picnic.isStarred)
            #expect(picnic.date == Date(timeIntervalSince1970: 1_795_341_600), "the newest message's date: 22 Nov 2026 10:00 UTC")
            #expect(picnic.snippet == listed.threads?.first?.snippet)
            #expect(picnic.historyID == listed.threads?.first?.historyId)
            #expect(!picnic.hasAttachment)

            // Every row holds every message of its thread, as threads.get lists them.
            for row in page.conversations {
                let thread = try await f.gmail.threadsGet(ThreadsGetParameters(id: row.id, format: .minimal), accessToken: token)
                #expect(row.messageIDs == (thread.messages ?? []).map(\.id))
                #expect(row.unreadCount == (thread.messages ?? []).filter { $0.labelIds?.contains("UNREAD") == true }.count)
            }
            #expect(page.conversations.contains { $0.hasAttachment }, "the demo mailbox has multipart/mixed threads")
        }
    }

    @Test(arguments: [SandboxTransportKind.inProcess, .curl])
    func theFirstPageOfFiftyConversationsIsOneListAndTwoWavesOfMetadata(_ kind: SandboxTransportKind) async throws {
        let gate = WaveGate()
        try await withSandboxClient(kind, .with { $0.gate = gate }) { f in
            let driver = Task {
                await gate.waitUntilHolding(1)
                gate.releaseWave()
                var released = 0
                while released < 50 {
                    await gate.waitUntilHolding(min(25, 50 - released))
                    released += gate.releaseWave()
                }
            }
            let page = try await f.mail.conversationPage(query: "", pageToken: nil, pageSize: 50, cache: .reload)
            await driver.value
            #expect(page.conversations.count == 50)
            let log = f.sandbox.requestLog()
            #expect(log.filter { $0.path.hasPrefix(Self.threadsPath + "?") || $0.path == Self.threadsPath }.count == 1)
            let metadata = Self.threadGets(log[...], format: "metadata")
            #expect(metadata.count == 50)
            #expect(metadata.allSatisfy { $0.path.contains("metadataHeaders=From") && $0.path.contains("metadataHeaders=Subject") })
            #expect(log.count == 51, "one list, fifty metadata GETs, nothing else")
            #expect(gate.waves == [1, 25, 25], "the list alone, then two waves of 25")
            #expect(f.sandbox.stats().tooManyRequests == 0)
        }
    }

    @Test func withTheBatchStrategyThePageIsOneListAndTwoBatchesOfTwentyFive() async throws {
        try await withSandboxClient(.inProcess, .with { $0.fetchStrategy = .batch(size: 25) }) { f in
            let delivered = try Self.deliverThreeSenderThread(f.sandbox)
            let parallel = try await f.client.mailService(f.account).conversationPage(query: "", pageToken: nil, pageSize: 50, cache: .reload)
            let start = f.sandbox.requestLog().count
            let page = try await f.mail.conversationPage(query: "", pageToken: nil, pageSize: 50, cache: .reload)
            let log = f.sandbox.requestLog().dropFirst(start)
            #expect(log.filter { $0.path.hasPrefix("/batch") }.count == 2, "\(log.map(\.path))")
            #expect(log.filter { $0.path.hasPrefix(Self.threadsPath + "?") }.count == 1)
            #expect(page.conversations == parallel.conversations)
            #expect(page.conversations.first?.messageIDs == delivered.map(\.id))
        }
    }

    @Test func aThreadDeletedBetweenTheListAndItsMetadataIsLeftOut() async throws {
        let gate = WaveGate()
        gate.isHolding = false
        try await withSandboxClient(.inProcess, .with { $0.gate = gate }) { f in
            let delivered = try Self.deliverThreeSenderThread(f.sandbox)
            gate.isHolding = true
            let loading = Task { try await f.mail.conversationPage(query: "", pageToken: nil, pageSize: 5, cache: .reload) }
            await gate.waitUntilHolding(1)
            gate.releaseWave()
            await gate.waitUntilHolding(5)
            // Deleted for good while its metadata request is on its way.
            for message in delivered { try f.sandbox.deleteMessage(message.id) }
            gate.isHolding = false
            let page = try await loading.value
            #expect(page.conversations.count == 4)
            #expect(!page.conversations.map(\.id).contains(delivered[0].threadId))
            #expect(Self.threadGets(f.sandbox.requestLog()[...], format: "metadata").count == 5)
        }
    }

    @Test func aConversationIsEveryMessageRenderedAsMessageRendersIt() async throws {
        try await withSandboxClient(.inProcess) { f in
            let delivered = try Self.deliverThreeSenderThread(f.sandbox)
            let start = f.sandbox.requestLog().count
            let conversation = try await f.mail.conversation(id: delivered[0].threadId, cache: .useCached)
            let log = f.sandbox.requestLog().dropFirst(start)
            #expect(log.count == 1 && Self.threadGets(log, format: "full").count == 1, "one threads.get: \(log.map(\.path))")
            #expect(conversation.id == delivered[0].threadId)
            #expect(conversation.subject == "Picnic plan")
            #expect(conversation.messages.map(\.id) == delivered.map(\.id))
            for detail in conversation.messages {
                #expect(try await f.mail.message(id: detail.id, cache: .reload) == detail)
            }
            #expect(conversation.messages[1].body.contains("Message 1 of the picnic thread."))
            // Opened again: from memory.
            let again = f.sandbox.requestLog().count
            #expect(try await f.mail.conversation(id: delivered[0].threadId, cache: .useCached) == conversation)
            #expect(f.sandbox.requestLog().count == again)
            await #expect(throws: MailServiceError.notFound) {
                _ = try await f.mail.conversation(id: "00000000deadbeef", cache: .useCached)
            }
        }
    }

    @Test func aPrefetchedPageAndConversationCostNothingMore() async throws {
        try await withSandboxClient(.inProcess) { f in
            let first = try await f.mail.conversationPage(query: "", pageToken: nil, pageSize: 10, cache: .useCached)
            let next = try #require(first.nextPageToken)
            await f.mail.prefetchConversationPage(query: "", pageToken: next, pageSize: 10)
            await f.mail.prefetchConversation(id: first.conversations[0].id)
            #expect(await f.mail.hasCachedConversationPage(query: "", pageToken: next, pageSize: 10))
            #expect(await f.mail.hasCachedConversation(id: first.conversations[0].id))
            let before = f.sandbox.requestLog().count
            let second = try await f.mail.conversationPage(query: "", pageToken: next, pageSize: 10, cache: .useCached)
            _ = try await f.mail.conversation(id: first.conversations[0].id, cache: .useCached)
            #expect(f.sandbox.requestLog().count == before)
            #expect(Set(second.conversations.map(\.id)).isDisjoint(with: first.conversations.map(\.id)))
        }
    }
}
