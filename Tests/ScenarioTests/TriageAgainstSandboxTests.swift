import Foundation
import Testing
import HTTPCore
import GoogleOAuth
import GmailAPI
import MailService
import GmailSandbox
import TestSupport

/// Changing mail through GmailAPI and MailService against the sandbox: the requests sent, the labels the
/// sandbox holds afterwards, the scope refusal, and what the caches show.
@Suite struct TriageAgainstSandboxTests {
    static let modify = SandboxClientOptions.with { $0.account = .minted(scopes: [SandboxScope.modify]) }

    static func changes(_ f: SandboxHarness, _ fragment: String) -> [SandboxLogEntry] {
        f.sandbox.requestLog().filter { $0.method == "POST" && $0.path.contains(fragment) }
    }

    static func inbox(_ f: SandboxHarness, count: Int) async throws -> [String] {
        let page = try await f.mail.page(query: "in:inbox", pageToken: nil, pageSize: count, cache: .reload)
        return page.messages.map(\.id)
    }

    @Test(arguments: [SandboxTransportKind.inProcess, .curl]) func gmailClientModifiesTrashesAndUntrashes(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.modify) { f in
            let ids = try await Self.inbox(f, count: 3)
            let token = try #require(f.account.accessToken)
            let starred = try await f.gmail.messagesModify(id: ids[0], LabelChangeRequest(addLabelIds: ["STARRED"]), accessToken: token)
            #expect(starred.labelIds?.contains("STARRED") == true)
            #expect(f.sandbox.labels(ofMessage: ids[0]).contains("STARRED"))
            let trashed = try await f.gmail.messagesTrash(id: ids[1], accessToken: token)
            #expect(trashed.labelIds?.contains("TRASH") == true)
            _ = try await f.gmail.messagesUntrash(id: ids[1], accessToken: token)
            #expect(!f.sandbox.labels(ofMessage: ids[1]).contains("TRASH"))
            try await f.gmail.messagesBatchModify(MessagesBatchModifyParameters(ids: ids, change: LabelChangeRequest(removeLabelIds: ["INBOX"])), accessToken: token)
            #expect(ids.allSatisfy { !f.sandbox.labels(ofMessage: $0).contains("INBOX") })
            let thread = try await f.gmail.threadsModify(id: ids[2], LabelChangeRequest(addLabelIds: ["INBOX"]), accessToken: token)
            #expect(thread.messages?.allSatisfy { $0.labelIds?.contains("INBOX") == true } == true)
            _ = try await f.gmail.threadsTrash(id: ids[2], accessToken: token)
            #expect(f.sandbox.labels(ofMessage: ids[2]).contains("TRASH"))
        }
    }

    @Test func starringThreeIsOneBatchModify() async throws {
        try await withSandboxClient(.inProcess, Self.modify) { f in
            let ids = try await Self.inbox(f, count: 3)
            try await f.mail.apply(.star, to: ids)
            #expect(Self.changes(f, "/messages/batchModify").count == 1)
            #expect(Self.changes(f, "/gmail/v1/").count == 1, "no other change besides it")
            #expect(ids.allSatisfy { f.sandbox.labels(ofMessage: $0).contains("STARRED") })
        }
    }

    @Test func oneMessageIsModifyAndTrashIsTrash() async throws {
        try await withSandboxClient(.inProcess, Self.modify) { f in
            let ids = try await Self.inbox(f, count: 2)
            try await f.mail.apply(.archive, to: [ids[0]])
            try await f.mail.apply(.trash, to: [ids[1]])
            try await f.mail.apply(.untrash, to: [ids[1]])
            #expect(Self.changes(f, "/gmail/v1/").map(\.path) == [
                "/gmail/v1/users/me/messages/\(ids[0])/modify",
                "/gmail/v1/users/me/messages/\(ids[1])/trash",
                "/gmail/v1/users/me/messages/\(ids[1])/untrash",
            ])
            #expect(!f.sandbox.labels(ofMessage: ids[0]).contains("INBOX"))
            #expect(!f.sandbox.labels(ofMessage: ids[1]).contains("TRASH"))
        }
    }

    @Test func fifteenHundredIdsAreTwoCalls() async throws {
        try await withSandboxClient(.inProcess, Self.modify) { f in
            var ids: [String] = []
            for i in 0..<1_500 { ids.append(try f.sandbox.deliver(subject: "bulk \(i)").id) }
            try await f.mail.apply(.archive, to: ids)
            #expect(Self.changes(f, "/messages/batchModify").count == 2)
            #expect(ids.allSatisfy { !f.sandbox.labels(ofMessage: $0).contains("INBOX") })
        }
    }

    @Test func withoutModifyInTheStoredScopesNothingIsSent() async throws {
        try await withSandboxClient(.inProcess) { f in
            let ids = try await Self.inbox(f, count: 1)
            let before = f.sandbox.requestLog().count
            await #expect(throws: MailServiceError.modifyPermissionRequired(email: Sandbox.defaultUserEmail)) {
                try await f.mail.apply(.markRead, to: ids)
            }
            #expect(f.sandbox.requestLog().count == before)
            #expect(await !f.mail.canModify)
        }
    }

    @Test func gmailsInsufficientPermissionsIsTheSameError() async throws {
        try await withSandboxClient(.inProcess) { f in
            // The stored scopes claim gmail.modify, the token has only gmail.readonly (the scope was removed
            // in the Google account's settings): Gmail's 403 says so.
            var claimed = f.account
            claimed.scopes.append(SandboxScope.modify)
            let mail = f.service(claimed)
            let ids = try await Self.inbox(f, count: 1)
            await #expect(throws: MailServiceError.modifyPermissionRequired(email: Sandbox.defaultUserEmail)) {
                try await mail.apply(.star, to: ids)
            }
            #expect(Self.changes(f, "/modify").map(\.status) == [403], "refused once, not retried")
            #expect(!f.sandbox.labels(ofMessage: ids[0]).contains("STARRED"))
        }
    }

    @Test func cachedPagesAndMessagesShowTheChange() async throws {
        try await withSandboxClient(.inProcess, Self.modify) { f in
            let page = try await f.mail.page(query: "in:inbox", pageToken: nil, pageSize: 5, cache: .reload)
            let id = try #require(page.messages.first { $0.isUnread }?.id)
            _ = try await f.mail.message(id: id, cache: .useCached)
            try await f.mail.apply(.markRead, to: [id])
            let lists = f.sandbox.requestLog().filter { $0.path.hasPrefix("/gmail/v1/users/me/messages?") }.count
            let cached = try await f.mail.page(query: "in:inbox", pageToken: nil, pageSize: 5, cache: .useCached)
            #expect(cached.messages.first { $0.id == id }?.isUnread == false)
            #expect(try await f.mail.message(id: id, cache: .useCached).isUnread == false)
            #expect(f.sandbox.requestLog().filter { $0.path.hasPrefix("/gmail/v1/users/me/messages?") }.count == lists, "answered from memory")
            // Archiving moves messages out of lists: the page is listed again, without it.
            try await f.mail.apply(.archive, to: [id])
            let relisted = try await f.mail.page(query: "in:inbox", pageToken: nil, pageSize: 5, cache: .useCached)
            #expect(!relisted.messages.contains { $0.id == id })
        }
    }

    @Test func aRefusedChangeIsAnErrorAndChangesNothing() async throws {
        try await withSandboxClient(.inProcess, Self.modify) { f in
            let ids = try await Self.inbox(f, count: 1)
            await #expect(throws: MailServiceError.self) { try await f.mail.apply(.relabel(add: ["Label_nope"], remove: []), to: ids) }
            do { try await f.mail.apply(.relabel(add: ["Label_nope"], remove: []), to: ids) } catch {
                #expect(ErrorWords.sentence(for: error).contains("Invalid label: Label_nope"))
            }
        }
    }
}
