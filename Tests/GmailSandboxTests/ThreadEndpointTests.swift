import Foundation
import Testing
@testable import GmailSandbox

/// The threads endpoints as google-api.md §4 describes them, on the demo mailbox the browser's `t` shows.
@Suite struct ThreadEndpointTests {
    /// The `From` value of each message of a `format=metadata` thread answer, oldest first.
    static func senders(_ thread: SandboxResponse) -> [String] {
        ((thread.object["messages"] as? [[String: Any]]) ?? []).map { message in
            let headers = ((message["payload"] as? [String: Any])?["headers"] as? [[String: String]]) ?? []
            return headers.first { $0["name"] == "From" }?["value"] ?? ""
        }
    }

    @Test func theDemoMailboxHasARecentThreadOfThreeSendersAndTheUser() async throws {
        let s = try Sandbox(options: SandboxOptions())
        let token = s.readonlyToken()
        let list = await s.call("/gmail/v1/users/me/threads?maxResults=50", token: token)
        var found: [String] = []
        for id in ids(list, key: "threads") {
            let thread = await s.call("/gmail/v1/users/me/threads/\(id)?format=metadata&metadataHeaders=From", token: token)
            let senders = Self.senders(thread)
            if senders.count >= 3, Set(senders).count >= 3 { found = senders; break }
        }
        #expect(found.count == 4, "a thread of four messages on the first page: \(found)")
        #expect(Set(found).count == 4, "from four different senders, the user last: \(found)")
        #expect(found.last?.contains("demo@gmail-tui.example") == true)
    }

    @Test func aListHoldsNoMessagesAMetadataGetOnlyTheHeadersAskedForAndAGoneThreadIs404() async throws {
        let s = try Sandbox(options: SandboxOptions())
        let token = s.readonlyToken()
        let list = await s.call("/gmail/v1/users/me/threads?maxResults=3", token: token)
        let entries = try #require(list.object["threads"] as? [[String: Any]])
        #expect(entries.count == 3)
        #expect(entries.allSatisfy { Set($0.keys) == ["id", "snippet", "historyId"] }, "\(entries)")
        let none = await s.call("/gmail/v1/users/me/threads?q=subject:no-such-subject-anywhere", token: token)
        #expect(none.object.keys.sorted() == ["resultSizeEstimate"])

        let id = try #require(entries.first?["id"] as? String)
        let thread = await s.call("/gmail/v1/users/me/threads/\(id)?format=metadata&metadataHeaders=From&metadataHeaders=Subject", token: token)
        #expect(thread.status == 200)
        let messages = try #require(thread.object["messages"] as? [[String: Any]])
        for message in messages {
            let headers = ((message["payload"] as? [String: Any])?["headers"] as? [[String: String]]) ?? []
            #expect(Set(headers.compactMap { $0["name"] }).isSubset(of: ["From", "Subject"]))
        }
        #expect(thread.object["historyId"] is String)

        for message in messages { try s.deleteMessage(try #require(message["id"] as? String)) }
        let gone = await s.call("/gmail/v1/users/me/threads/\(id)?format=metadata", token: token)
        #expect(gone.status == 404)
        #expect(gone.googleError.reason == "notFound" && gone.googleError.status == "NOT_FOUND")
    }
}
