import Foundation

/// What the control API shows of the sandbox itself, for tests that check Google's clients against it.
extension Sandbox {
    /// The client secrets file Google's console would download for this sandbox's `installed` or `web` client.
    ///
    /// Served at `GET /_sandbox/client-secrets?kind=web`, so that a test can drive both kinds of client
    /// against one sandbox, as one Google project can hold both.
    func clientSecrets(kind: String) -> JSON {
        let root = rootURL.withLock { $0 }
        let web = kind == "web"
        let body = JSON.object([
            ("client_id", .string(web ? Sandbox.webClientId : Sandbox.installedClientId)),
            ("project_id", .string("gmail-tui-sandbox")),
            ("auth_uri", .string(root + "o/oauth2/auth")),
            ("token_uri", .string(root + "token")),
            ("revoke_uri", .string(root + "revoke")),
            ("client_secret", .string(Sandbox.clientSecret)),
            ("redirect_uris", .array([.string(web ? root + "_sandbox/callback" : "http://localhost")])),
        ])
        return JSON.object([(web ? "web" : "installed", body)])
    }

    /// Every message newest first with its file and current labels, filtered to those carrying all `labelIds`.
    ///
    /// Served at `GET /_sandbox/messages?labelId=UNREAD`: the sandbox's own view, computed without the search
    /// code, against which an API listing is compared. Spam and trash are not left out here.
    func messagesView(labelIds: [String]) -> JSON {
        let (box, labels) = state.withLock { ($0.mailbox, $0.labels) }
        let rows: [JSON] = box.messages.compactMap { m in
            let own = labels[m.id] ?? []
            guard labelIds.allSatisfy(own.contains) else { return nil }
            return .object([
                ("id", .string(m.id)), ("threadId", .string(m.threadId)), ("file", .string(m.fileName)),
                ("labelIds", .array(own.sorted().map { .string($0) })),
            ])
        }
        return .object([("messages", .array(rows))])
    }
}
