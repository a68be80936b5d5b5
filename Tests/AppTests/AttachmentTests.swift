import Foundation
import Testing
import GoogleOAuth
import GmailAPI
import MailModels
import MailService
import MailUI
import MIME
import GmailSandbox
import GmailSandboxClient
import TestSupport
@testable import App

/// Attachments saved and opened through the effect runner, against the demo mailbox in the sandbox.
@Suite struct AttachmentTests {
    /// The demo mailbox's messages with attached files: every attachment saved is byte-identical to the part
    /// of the message's own RFC 822 bytes (`format=raw`, parsed here), and a second save takes a numbered name.
    @Test func savedAttachmentsAreByteIdenticalToTheSandboxsAndNeverOverwrite() async throws {
        let downloads = try SandboxFolder.make(prefix: "gmail-tui-downloads")
        defer { downloads.remove() }
        try await withMintedRunner(environment: ["XDG_DOWNLOAD_DIR": downloads.url.path]) { runner, gmail, token in
            guard case .pageLoaded(let page)? = await runner.run(.fetchPage(query: "has:attachment", pageToken: nil, pageSize: 50)) else {
                Issue.record("no page"); return
            }
            #expect(page.messages.count >= 3)
            #expect(page.messages.contains { $0.hasAttachment }, "multipart/mixed rows are marked")
            var saved = 0
            for row in page.messages.prefix(12) {
                guard case .messageLoaded(let detail)? = await runner.run(.fetchMessage(id: row.id)) else { Issue.record("no message \(row.id)"); continue }
                let raw = try await gmail.messagesGet(MessagesGetParameters(id: row.id, format: .raw), accessToken: token)
                let entity = try #require(raw.mimeEntity())
                let parsed = MessageRenderer.render(entity)
                #expect(detail.attachments.map(\.filename) == parsed.attachments.map(\.filename))
                #expect(detail.headers.map(\.name) == entity.headers.map(\.name), "H lists every header of \(row.id)")
                for attachment in detail.attachments where attachment.partID != nil && attachment.size > 0 {
                    guard let original = Self.leaf(named: attachment.filename, in: entity) else { continue }
                    let answer = await runner.run(.fetchAttachment(messageID: row.id, attachment: attachment, action: .save))
                    guard case .attachmentHandled(.saved(let path))? = answer else { Issue.record("\(row.id) \(attachment.filename): \(String(describing: answer))"); continue }
                    #expect(path.hasPrefix(downloads.url.path + "/"))
                    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original.body, "\(attachment.filename) of \(row.id)")
                    saved += 1
                }
            }
            #expect(saved >= 2, "attachments saved: \(saved)")
        }
    }

    @Test func aSecondSaveTakesANumberedNameAndTheFirstIsKept() throws {
        let folder = try SandboxFolder.make(prefix: "gmail-tui-save")
        defer { folder.remove() }
        let first = try AttachmentFiles.save(Data("one".utf8), filename: "report.pdf", in: folder.url)
        let second = try AttachmentFiles.save(Data("two".utf8), filename: "report.pdf", in: folder.url)
        let third = try AttachmentFiles.save(Data("three".utf8), filename: "report.pdf", in: folder.url)
        #expect(first.lastPathComponent == "report.pdf")
        #expect(second.lastPathComponent == "report (1).pdf")
        #expect(third.lastPathComponent == "report (2).pdf")
        #expect(try Data(contentsOf: first) == Data("one".utf8))
        #expect(try Data(contentsOf: second) == Data("two".utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: second.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try AttachmentFiles.save(Data(), filename: "README", in: folder.url).lastPathComponent == "README")
        #expect(try AttachmentFiles.save(Data(), filename: "README", in: folder.url).lastPathComponent == "README (1)")
    }

    @Test func aSendersFileNameCannotLeaveTheFolder() {
        #expect(AttachmentFiles.safeName("../../.bashrc") == "bashrc")
        #expect(AttachmentFiles.safeName("a/b\\c.txt") == "c.txt")
        #expect(AttachmentFiles.safeName("bell\u{7}.txt") == "bell.txt")
        #expect(AttachmentFiles.safeName("..") == "attachment")
        #expect(AttachmentFiles.safeName("写真 🎉.jpg") == "写真 🎉.jpg")
    }

    @Test func theDownloadFolderIsXDGsElseHomesDownloads() {
        #expect(AttachmentFiles.downloadFolder(environment: ["XDG_DOWNLOAD_DIR": "/srv/dl", "HOME": "/home/u"]).path == "/srv/dl")
        #expect(AttachmentFiles.downloadFolder(environment: ["HOME": "/home/u"]).path == "/home/u/Downloads")
    }

    /// `Enter` on an attachment: written into a new 0700 folder and handed to `xdg-open` (a script here that
    /// records what it was given).
    @Test func openingWritesIntoAPrivateFolderForXdgOpen() async throws {
        let work = try SandboxFolder.make(prefix: "gmail-tui-open")
        defer { work.remove() }
        let bin = work.url.appendingPathComponent("bin"), tmp = work.url.appendingPathComponent("tmp")
        let record = work.url.appendingPathComponent("opened.txt")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let script = bin.appendingPathComponent("xdg-open")
        try Data("#!/bin/sh\nprintf '%s' \"$1\" > '\(record.path)'\n".utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        try await withMintedRunner(environment: ["PATH": bin.path, "TMPDIR": tmp.path]) { runner, _, _ in
            guard case .pageLoaded(let page)? = await runner.run(.fetchPage(query: "has:attachment", pageToken: nil, pageSize: 20)) else {
                Issue.record("no page"); return
            }
            for row in page.messages {
                guard case .messageLoaded(let detail)? = await runner.run(.fetchMessage(id: row.id)),
                      let attachment = detail.attachments.first(where: { $0.partID != nil && $0.size > 0 }) else { continue }
                let answer = await runner.run(.fetchAttachment(messageID: row.id, attachment: attachment, action: .open))
                guard case .attachmentHandled(.opened)? = answer else { Issue.record("\(String(describing: answer))"); return }
                var path = ""
                for _ in 0..<100 where path.isEmpty {
                    path = (try? String(contentsOf: record, encoding: .utf8)) ?? ""
                    if path.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
                }
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
                #expect(folder.deletingLastPathComponent().path == tmp.path)
                #expect(folder.lastPathComponent.hasPrefix("gmail-tui-"))
                let mode = try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int
                #expect(mode == 0o700)
                #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == attachment.size)
                return
            }
            Issue.record("no message with an attachment to open")
        }
    }

    /// The leaf of `entity` whose file name is `name`.
    static func leaf(named name: String, in entity: MIMEEntity) -> MIMEEntity? {
        if entity.parts.isEmpty { return entity.filename == name ? entity : nil }
        for part in entity.parts { if let found = leaf(named: name, in: part) { return found } }
        return nil
    }
}

/// A runner with the demo sandbox's default user already authorized (tokens minted by the sandbox), and a raw
/// Gmail client with a token of its own for reading the same mailbox independently.
func withMintedRunner(environment: [String: String],
                      _ body: (EffectRunner, GmailClient, String) async throws -> Void) async throws {
    let sandbox = try await DemoSandbox.start()
    var outcome: Result<Void, any Error> = .success(())
    do {
        let config = sandbox.configure(try Configuration(GlobalOptions.parse([]), environment: ["HOME": sandbox.folder.url.path]))
        let services = try Services.make(config)
        let client = try SandboxClient(sandbox: sandbox.server.sandbox, rootURL: sandbox.server.rootURL, transport: services.transport,
                                       store: services.store)
        let account = try client.mintAccount()
        let runner = EffectRunner(services: services, account: account, environment: environment, events: { _ in })
        do { try await body(runner, client.gmail, try #require(account.accessToken)) } catch { outcome = .failure(error) }
        runner.stop()
    } catch {
        outcome = .failure(error)
    }
    await sandbox.stop()
    try outcome.get()
}
