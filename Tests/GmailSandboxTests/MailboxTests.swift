import Foundation
import HTTPCore
import Testing
@testable import GmailSandbox

/// Loading mailboxes: ids, dates, threads, the corpus, the demo mailbox, 10,000 messages.
@Suite struct MailboxTests {
    @Test func datesParse() {
        #expect(Mailbox.internalDate("Tue, 13 Feb 2024 14:31:55 +0700") == 1_707_809_515_000)
        #expect(Mailbox.internalDate("13 Feb 2024 07:31:55 GMT") == 1_707_809_515_000)
        #expect(Mailbox.internalDate("Tue, 13 Feb 24 02:31:55 -0500 (EST)") == 1_707_809_515_000)
        #expect(Mailbox.internalDate("yesterday") == nil)
        #expect(Mailbox.internalDate("Sat, 1 Jan 10000 00:00:00 +0000") == nil)
        let undated = Mailbox.read(fileName: "x.eml", raw: Data("Date: soon\r\nSubject: x\r\n\r\nbody\r\n".utf8))
        #expect(undated.internalDate == Mailbox.undatedInternalDate)
    }

    @Test func idsAreStableAndFollowDates() throws {
        let dir = try Fixture.directory()
        var o = SandboxOptions()
        o.mailboxDirectory = dir
        let first = try Sandbox(options: o)
        let second = try Sandbox(options: o)
        #expect(first.messageIds == second.messageIds)
        #expect(first.messageIds == first.messageIds.sorted(by: >))
        #expect(Set(first.messageIds).count == 7)
    }

    @Test func missingFolderThrows() {
        var o = SandboxOptions()
        o.mailboxDirectory = "/nonexistent/folder"
        #expect(throws: SandboxError.self) { try Sandbox(options: o) }
    }

    @Test func sidecarFlatFormAndDefaults() throws {
        let dir = try Fixture.directory()
        let labels = URL(fileURLWithPath: dir).appendingPathComponent("other-labels.json")
        try Data(#"{"a.eml":["STARRED"]}"#.utf8).write(to: labels)
        var o = SandboxOptions()
        o.mailboxDirectory = dir
        o.labelsFile = labels.path
        let s = try Sandbox(options: o)
        let labelSets = s.messageIds.map { s.labels(ofMessage: $0) }
        #expect(labelSets.contains(["STARRED"]))
        #expect(labelSets.filter { $0.contains("INBOX") }.count == 6, "files without an entry land in the inbox")
    }

    @Test func corpusLoadsWholeAndEveryMessageServes() async throws {
        let corpus = Fixture.corpusDirectory()
        guard FileManager.default.fileExists(atPath: corpus) else {
            Issue.record("Tests/Fixtures/corpus is missing")
            return
        }
        let fileCount = FileManager.default.enumerator(atPath: corpus)!.allObjects.compactMap { $0 as? String }.filter { name in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: corpus + "/" + name, isDirectory: &isDir) && !isDir.boolValue && !name.hasSuffix(".md")
        }.count
        var o = SandboxOptions()
        o.mailboxDirectory = corpus
        let s = try Sandbox(options: o)
        #expect(s.messageCount == fileCount)
        #expect(s.messageCount > 200)
        let token = s.readonlyToken()
        for id in s.messageIds {
            let r = await s.call("/gmail/v1/users/me/messages/\(id)?format=full", token: token)
            #expect(r.status == 200)
            let payload = r.object["payload"] as? [String: Any]
            #expect(payload?["partId"] as? String == "")
        }
        let list = await s.call("/gmail/v1/users/me/threads?maxResults=500", token: token)
        #expect(list.status == 200)
    }

    @Test func demoMailboxShipsWithTheModule() async throws {
        let s = try Sandbox(options: SandboxOptions())
        #expect(s.messageCount >= 250)
        let token = s.readonlyToken()
        let unread = await s.call("/gmail/v1/users/me/messages?q=is:unread&maxResults=500", token: token)
        let count = ids(unread).count
        #expect(count > 20 && count < s.messageCount)
        let labels = await s.call("/gmail/v1/users/me/labels/Label_1", token: token)
        #expect(labels.object["name"] as? String == "Work")
        #expect((labels.object["messagesTotal"] as? Int ?? 0) > 0)
        let threads = await s.call("/gmail/v1/users/me/threads?q=subject:planning", token: token)
        let tid = try #require(ids(threads, key: "threads").first)
        let thread = await s.call("/gmail/v1/users/me/threads/\(tid)?format=minimal", token: token)
        #expect(((thread.object["messages"] as? [Any])?.count ?? 0) >= 1)
    }

    @Test func tenThousandMessagesLoadQuickly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-10k-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for i in 0..<10_000 {
            let day = 1 + i % 28, month = 1 + (i / 28) % 12
            let text = """
            From: Sender \(i % 97) <s\(i % 97)@example.com>\r
            To: demo@gmail-tui.example\r
            Subject: Message number \(i)\r
            Date: Mon, \(day) \(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1]) 2026 \(i % 24):\(i % 60):00 +0000\r
            Message-ID: <m\(i)@example.com>\r
            \(i % 10 == 0 ? "" : "In-Reply-To: <m\(i - i % 10)@example.com>\r\n")\r
            Body of message \(i).\r

            """
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("m\(i).eml"))
        }
        var o = SandboxOptions()
        o.mailboxDirectory = dir
        let clock = ContinuousClock()
        let start = clock.now
        let s = try Sandbox(options: o)
        let elapsed = clock.now - start
        print("gmail-sandbox: 10,000 messages loaded in \(elapsed) (mailbox load \(s.loadTime))")
        #expect(s.messageCount == 10_000)
        #expect(Set(s.messageIds).count == 10_000)
        try? FileManager.default.removeItem(atPath: dir)
    }
}
