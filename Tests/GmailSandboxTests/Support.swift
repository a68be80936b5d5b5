import Foundation
import Testing
@testable import GmailSandbox

/// A small mailbox written to a temporary folder, with a known labels sidecar.
enum Fixture {
    static let referenceDate = Date(timeIntervalSince1970: 1_795_219_200) // 2026-11-22T00:00:00Z

    static let bigText = String(repeating: "0123456789abcdef\n", count: 1200) // > 16 KiB

    static let files: [String: String] = [
        "a.eml": """
        From: Alice Example <alice@example.com>
        To: Demo User <demo@gmail-tui.example>
        Subject: Hello world
        Date: Tue, 10 Nov 2026 10:00:00 +0000
        Message-ID: <a@example.com>

        Lunch tomorrow? The usual place.

        """,
        "b.eml": """
        From: Demo User <demo@gmail-tui.example>
        To: Alice Example <alice@example.com>
        Subject: Re: Hello world
        Date: Wed, 11 Nov 2026 09:00:00 +0000
        Message-ID: <b@gmail-tui.example>
        In-Reply-To: <a@example.com>
        References: <a@example.com>

        Sure, see you there.

        """,
        "c.eml": """
        From: Bob Builder <bob@builder.example>
        To: demo@gmail-tui.example
        Subject: Report attached
        Date: Mon, 01 Jun 2026 08:30:00 +0200
        Message-ID: <c@builder.example>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="XYZ"

        --XYZ
        Content-Type: text/plain; charset=utf-8

        Please find the quarterly report.
        --XYZ
        Content-Type: application/pdf; name="report.pdf"
        Content-Disposition: attachment; filename="report.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQKJcfsj6IK
        --XYZ
        Content-Type: text/plain; charset=us-ascii

        \(bigText)
        --XYZ--

        """,
        "d.eml": """
        From: =?UTF-8?Q?Carol_Caf=C3=A9?= <carol@example.fr>
        To: demo@gmail-tui.example
        Subject: =?UTF-8?B?Q2Fmw6kg4piV?=
        Date: Wed, 01 Jan 2025 12:00:00 +0000
        Message-ID: <d@example.fr>

        Un café ?

        """,
        "e.eml": """
        From: Spammer <win@spam.example>
        To: demo@gmail-tui.example
        Subject: WIN MONEY
        Date: Thu, 12 Nov 2026 00:00:00 +0000

        Click here.

        """,
        "f.eml": """
        From: Nobody <nobody@example.com>
        To: demo@gmail-tui.example
        Subject: No date
         folded subject line

        No date here.

        """,
        "g.eml": "\u{01}\u{02}garbage without any header\r\n\r\n\u{FF}",
    ]

    static let labels = """
    {"labels":[{"id":"Label_1","name":"Work Stuff"}],
     "messages":{"a.eml":["INBOX","UNREAD"],"b.eml":["SENT"],"c.eml":["INBOX","STARRED","Label_1"],
                 "d.eml":["INBOX"],"e.eml":["SPAM","UNREAD"],"f.eml":["INBOX","UNREAD"],"g.eml":["INBOX"]}}
    """

    /// Writes the fixture into a new temporary folder.
    static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-fixture-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name))
        }
        try Data(labels.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent("labels.json"))
        return dir
    }

    static func sandbox(_ configure: (inout SandboxOptions) -> Void = { _ in }) throws -> Sandbox {
        var options = SandboxOptions()
        options.mailboxDirectory = try directory()
        options.referenceDate = referenceDate
        configure(&options)
        return try Sandbox(options: options)
    }

    /// The committed corpus copy (Tests/Fixtures/corpus), found from this file.
    static func corpusDirectory(file: String = #filePath) -> String {
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent("corpus").path
    }
}

extension Sandbox {
    /// A GET (or other) request with a bearer token.
    func call(_ url: String, method: String = "GET", token: String? = nil, headers: [(String, String)] = [], body: Data = Data()) async -> SandboxResponse {
        var h = headers
        if let token { h.append(("Authorization", "Bearer \(token)")) }
        return await handle(SandboxRequest(method: method, url: url, headers: h, body: body))
    }

    func readonlyToken() -> String { issueAccessToken(scopes: [SandboxScope.readonly]) }
    func modifyToken() -> String { issueAccessToken(scopes: [SandboxScope.modify]) }
}

extension SandboxResponse {
    /// The body as a JSON object (empty when it is not one).
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    /// `error.message`, `error.errors[0].reason`, `error.status` of a Google error body.
    var googleError: (message: String?, reason: String?, status: String?) {
        let e = object["error"] as? [String: Any]
        let first = (e?["errors"] as? [[String: Any]])?.first
        return (e?["message"] as? String, first?["reason"] as? String, e?["status"] as? String)
    }
}

/// The ids of a list response (`messages` or `threads`).
func ids(_ r: SandboxResponse, key: String = "messages") -> [String] {
    (r.object[key] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
}

/// A message's id by its subject, through the API.
func idBySubject(_ s: Sandbox, _ subject: String) async -> String? {
    let token = s.readonlyToken()
    let list = await s.call("/gmail/v1/users/me/messages?includeSpamTrash=true&maxResults=500", token: token)
    for id in ids(list) {
        let m = await s.call("/gmail/v1/users/me/messages/\(id)?format=metadata&metadataHeaders=Subject", token: token)
        let headers = ((m.object["payload"] as? [String: Any])?["headers"] as? [[String: String]]) ?? []
        if headers.first?["value"] == subject { return id }
    }
    return nil
}
