import Foundation
import Testing
import HTTPCore
import GoogleOAuth
import MailService
import MailUI
import GmailSandbox
import TestSupport
@testable import App

/// The conversation effects (`t`) performed by the runner against the sandbox, as the browser's loop does.
@Suite struct ConversationEffectTests {
    /// Completes the authorization `url` starts as a user pasting the browser's address would.
    static func paste(_ url: URL, _ runner: EffectRunner, _ services: Services) async throws -> BrowserEvent? {
        let answer = try await services.transport.send(HTTPRequest(url: url))
        return await runner.run(.submitCode(try #require(answer.headers["Location"])))
    }

    @Test func pagesConversationsTheirSyncAndAThreadArchiveAnswerWithTheirEvents() async throws {
        try await withRunner(.inProcess) { runner, services, sandbox, _ in
            let refused = await runner.run(.fetchConversationPage(query: "", pageToken: nil, pageSize: 5))
            guard case .conversationPageFailed(_, _, .reauthorizationRequired)? = refused else { Issue.record("got \(String(describing: refused))"); return }
            guard case .authorizationNeeded(let url, _, _)? = await runner.run(.startAuthorization(loginHint: nil)) else {
                Issue.record("no authorization URL"); return
            }
            #expect(try await Self.paste(url, runner, services) == .authorizationSucceeded(email: Sandbox.defaultUserEmail))

            guard case .conversationPageLoaded(let first)? = await runner.run(.fetchConversationPage(query: "", pageToken: nil, pageSize: 5)) else {
                Issue.record("the first page of conversations did not load"); return
            }
            #expect(first.conversations.count == 5)
            let next = try #require(first.nextPageToken)
            #expect(await runner.run(.prefetchConversationPage(query: "", pageToken: next, pageSize: 5)) == nil)
            let thread = first.conversations[0]
            #expect(await runner.run(.prefetchConversation(id: thread.id)) == nil)
            let before = sandbox.requests()
            guard case .conversationPageLoaded(let second)? = await runner.run(.fetchConversationPage(query: "", pageToken: next, pageSize: 5)),
                  case .conversationLoaded(let conversation)? = await runner.run(.fetchConversation(id: thread.id)) else {
                Issue.record("the prefetched page or conversation did not load"); return
            }
            #expect(sandbox.requests() == before, "both were prefetched")
            #expect(second.pageToken == next)
            #expect(conversation.messages.map(\.id) == thread.messageIDs)
            #expect(await runner.run(.fetchConversation(id: "00000000deadbeef")) == .conversationFailed(id: "00000000deadbeef", error: .notFound))

            guard case .conversationsSynced(let synced)? = await runner.run(.syncConversations(query: "", pageToken: nil, pageSize: 5)) else {
                Issue.record("the conversation sync did not answer"); return
            }
            #expect(synced.page.conversations.map(\.id) == first.conversations.map(\.id))

            // `e` on a conversation, once `gmail.modify` is granted: every message of the thread leaves the inbox.
            guard case .authorizationNeeded(let more, _, _)? = await runner.run(.requestModifyPermission(loginHint: Sandbox.defaultUserEmail)) else {
                Issue.record("no authorization URL for gmail.modify"); return
            }
            #expect(try await Self.paste(more, runner, services) == .authorizationSucceeded(email: Sandbox.defaultUserEmail))
            let change = MailChange(serial: 1, action: .archive, ids: [thread.id], target: .conversations)
            let inInbox = thread.messageIDs.filter { sandbox.server.sandbox.labels(ofMessage: $0).contains("INBOX") }
            guard case .mailChanged(change, let altered?)? = await runner.run(.changeMail(change)) else {
                Issue.record("the archive of a thread did not answer with the messages it altered"); return
            }
            #expect(altered.map(\.id) == inInbox && altered.allSatisfy { $0.change == .archive && $0.threadID == thread.id })
            let posts = sandbox.server.sandbox.requestLog().filter { $0.method == "POST" }.map(\.path)
            #expect(posts.last == "/gmail/v1/users/me/threads/\(thread.id)/modify")
            #expect(thread.messageIDs.allSatisfy { !sandbox.server.sandbox.labels(ofMessage: $0).contains("INBOX") })
        }
    }
}
