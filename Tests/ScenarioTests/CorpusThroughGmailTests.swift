import Foundation
import Testing
import GmailAPI
import MailService
import MIME
import GmailSandbox
import TestSupport

/// Every corpus message the way Gmail serves it: the sandbox builds Gmail's payload tree from the RFC 822
/// file, the client decodes the JSON (in process, and over a real socket), turns the payload back into
/// MIME and renders it.
@Suite struct CorpusThroughGmailTests {
    static let corpus: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Tests/Fixtures/corpus").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("Tests/Fixtures/corpus").path
    }()

    static func outline(_ p: MessagePart, indent: String) -> String {
        var s = "\(indent)\(p.partId ?? "?") \(p.mimeType ?? "?") size=\(p.body?.size ?? -1) data=\(p.body?.data?.count ?? -1) att=\(p.body?.attachmentId != nil) fn=\(p.filename ?? "")"
        for c in p.parts ?? [] { s += "\n" + outline(c, indent: indent + "  ") }
        return s
    }

    @Test(arguments: [SandboxTransportKind.inProcess, .curl])
    func everyCorpusMessageRendersFromItsGmailPayload(_ kind: SandboxTransportKind) async throws {
        let options = SandboxClientOptions.with { $0.sandbox.mailboxDirectory = Self.corpus }
        try await withSandboxClient(kind, options) { client in
            let sandbox = client.sandbox
            #expect(sandbox.messageCount >= 250, "the corpus loads whole")
            let gmail = client.gmail
            let mail = client.mail
            let token = try #require(client.account.accessToken)

            var empty: [String] = []
            var differing: [String] = []
            for id in sandbox.messageIds {
                // The raw client: the payload decodes and converts back to a MIME tree that renders.
                let message = try await gmail.messagesGet(MessagesGetParameters(id: id, format: .full), accessToken: token)
                let entity = try #require(message.mimeEntity(), "message \(id) has no payload")
                let rendered = MessageRenderer.render(entity)
                #expect(!rendered.text.contains("\r"))
                // The service (which also fetches readable parts Gmail keeps behind an attachmentId) reads the
                // message exactly as a parse of its RFC 822 bytes (format=raw) does.
                let detail = try await mail.message(id: id, cache: .reload)
                let raw = try await gmail.messagesGet(MessagesGetParameters(id: id, format: .raw), accessToken: token)
                let direct = MessageRenderer.render(try #require(raw.mimeEntity()))
                if detail.body != direct.text { differing.append(id) }
                #expect(detail.attachments.map(\.filename) == direct.attachments.map(\.filename))
                if detail.body == MessageRenderer.noTextContent { empty.append(id) }
            }
            // The MIME tests pin which corpus files have no readable text: 17 of them.
            #expect(empty.count == 17, "messages with no text through Gmail's payload: \(empty.count)")
            #expect(differing.isEmpty, "read differently through Gmail's payload than from the raw message: \(differing)")
        }
    }
}
