import Foundation
import Testing
import GmailAPI
import MailService
import MailStore
import GmailSandbox
import TestSupport

/// Undoing a change of whole conversations against the sandbox: `threads.modify` changes every message of a
/// thread, and the undo puts back only the messages it altered, each as it was.
@Suite struct ConversationUndoTests {
    /// A thread of three: a received message in the inbox, one in the inbox and starred, and the account's own
    /// reply, never in the inbox (as a sent message: the sandbox's control, as Gmail, refuses to set `SENT`).
    static func deliverThread(_ sandbox: Sandbox) throws -> [SandboxDelivery] {
        let people = [("Ann Example", "ann@example.com", ["INBOX"]), ("Bob Example", "bob@example.com", ["INBOX", "STARRED"]),
                      ("Demo User", Sandbox.defaultUserEmail, [])]
        var delivered: [SandboxDelivery] = []
        for (i, person) in people.enumerated() {
            var headers = ["From: \(person.0) <\(person.1)>", "To: Demo User <\(Sandbox.defaultUserEmail)>",
                           "Subject: \(i == 0 ? "" : "Re: ")Boat trip", "Date: 1\(i) Nov 2026 10:00:00 +0000",
                           "Message-ID: <boat-\(i)@example.com>"]
            if i > 0 {
                let references = (0..<i).map { "<boat-\($0)@example.com>" }.joined(separator: " ")
                headers += ["In-Reply-To: <boat-\(i - 1)@example.com>", "References: \(references)"]
            }
            let raw = (headers + ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", "Message \(i) of the boat thread.", ""])
                .joined(separator: "\r\n")
            delivered.append(try sandbox.deliver(rfc822: Data(raw.utf8), labelIds: person.2))
        }
        return delivered
    }

    /// What `z` sends for a change of threads: each inverse for the messages it altered.
    static func undo(_ altered: [ChangedMessage]?, _ service: MailService) async throws {
        for group in altered?.undoGroups ?? [] { try await service.apply(group.action, to: group.ids, target: .messages) }
    }

    static func minimalThreadGets(_ f: SandboxHarness, since start: Int) -> Int {
        f.sandbox.requestLog().dropFirst(start)
            .filter { $0.method == "GET" && $0.path.contains("/threads/") && $0.path.contains("format=minimal") }.count
    }

    static func total(_ label: String, _ service: MailService) async throws -> Int? {
        try await service.labels().first { $0.id == label }?.messagesTotal
    }

    @Test func theTestersCaseFromTheStoreUndoRestoresEachMessage() async throws {
        try await withSandboxClient(.inProcess, TriageAgainstSandboxTests.modify) { f in
            let boat = try Self.deliverThread(f.sandbox)
            let (service, store) = try StoreSyncTests.storeService(f)
            let tid = boat[0].threadId
            #expect(boat.allSatisfy { $0.threadId == tid }, "one thread of three")
            let page = try await service.conversationPage(query: "", pageToken: nil, pageSize: 10, cache: .reload)
            #expect(page.conversations.first { $0.id == tid }?.messageIDs == boat.map(\.id))
            let starred = try await Self.total("STARRED", service)
            let inbox = try await Self.total("INBOX", service)

            // `s` on the thread: threads.modify unstars all three; only Bob's was starred.
            var start = f.sandbox.requestLog().count
            let unstarred = try await service.apply(.unstar, to: [tid], target: .conversations)
            #expect(unstarred == [ChangedMessage(id: boat[1].id, threadID: tid, change: .unstar, labels: ["INBOX"])])
            #expect(Self.minimalThreadGets(f, since: start) == 0, "the store knew the labels before")
            #expect(boat.allSatisfy { !f.sandbox.labels(ofMessage: $0.id).contains("STARRED") })
            try await Self.undo(unstarred, service)
            #expect(boat.map { f.sandbox.labels(ofMessage: $0.id).contains("STARRED") } == [false, true, false])
            #expect(try await Self.total("STARRED", service) == starred, "back to the count before, not one more")

            // `e`, then `z`: the sent message never was in the inbox and stays out of it.
            start = f.sandbox.requestLog().count
            let archived = try await service.apply(.archive, to: [tid], target: .conversations)
            #expect(archived?.map(\.id) == [boat[0].id, boat[1].id])
            #expect(archived?.allSatisfy { $0.change == .archive } == true)
            #expect(Self.minimalThreadGets(f, since: start) == 0)
            try await Self.undo(archived, service)
            #expect(boat.map { f.sandbox.labels(ofMessage: $0.id).contains("INBOX") } == [true, true, false])
            #expect(try store.summaries(ids: [boat[2].id]).first?.labelIDs.contains("INBOX") == false, "nor in the store")
            #expect(try await Self.total("INBOX", service) == inbox)
        }
    }

    @Test func withoutStoredLabelsTheThreadIsReadFirstOrTakenFromMemory() async throws {
        try await withSandboxClient(.inProcess, TriageAgainstSandboxTests.modify) { f in
            let boat = try Self.deliverThread(f.sandbox)
            let tid = boat[0].threadId
            // Nothing known here: one threads.get format=minimal, before the change.
            var start = f.sandbox.requestLog().count
            let unstarred = try await f.mail.apply(.unstar, to: [tid], target: .conversations)
            let sent = f.sandbox.requestLog().dropFirst(start).map(\.path)
            #expect(Self.minimalThreadGets(f, since: start) == 1)
            #expect(sent.last == "/gmail/v1/users/me/threads/\(tid)/modify", "read before it is changed")
            #expect(unstarred?.map(\.id) == [boat[1].id])
            try await Self.undo(unstarred, f.mail)
            #expect(boat.map { f.sandbox.labels(ofMessage: $0.id).contains("STARRED") } == [false, true, false])

            // The conversation open in memory says it: nothing more to read.
            _ = try await f.mail.conversation(id: tid, cache: .reload)
            start = f.sandbox.requestLog().count
            let archived = try await f.mail.apply(.archive, to: [tid], target: .conversations)
            #expect(Self.minimalThreadGets(f, since: start) == 0)
            #expect(archived?.map(\.id) == [boat[0].id, boat[1].id])
            // A thread change that alters nothing has nothing to undo.
            #expect(try await f.mail.apply(.archive, to: [tid], target: .conversations) == [])
        }
    }
}
