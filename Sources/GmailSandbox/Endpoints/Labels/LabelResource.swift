import Foundation

/// The `Label` resource: Gmail's system labels and the mailbox's own.
extension Sandbox {
    /// System labels in the order Gmail lists them, with the visibilities it gives the few that have them.
    static let systemLabels: [(id: String, visibility: (String, String)?)] = [
        ("CHAT", nil), ("SENT", nil), ("INBOX", ("hide", "labelShow")), ("IMPORTANT", nil),
        ("TRASH", ("hide", "labelHide")), ("DRAFT", nil), ("SPAM", ("hide", "labelHide")),
        ("CATEGORY_FORUMS", nil), ("CATEGORY_UPDATES", nil), ("CATEGORY_PERSONAL", nil),
        ("CATEGORY_PROMOTIONS", nil), ("CATEGORY_SOCIAL", nil), ("STARRED", nil), ("UNREAD", nil),
    ]

    static func labelEntry(id: String, name: String, type: String, visibility: (String, String)?) -> [(String, JSON)] {
        var e: [(String, JSON)] = [("id", .string(id)), ("name", .string(name))]
        if let v = visibility {
            e.append(("messageListVisibility", .string(v.0)))
            e.append(("labelListVisibility", .string(v.1)))
        }
        e.append(("type", .string(type)))
        return e
    }

    /// Every label, system ones first, each as the members `labels.list` writes.
    func allLabelEntries() -> [(id: String, entry: [(String, JSON)])] {
        let user = state.withLock { $0.userLabels }
        return Sandbox.systemLabels.map { ($0.id, Sandbox.labelEntry(id: $0.id, name: $0.id, type: "system", visibility: $0.visibility)) }
            + user.map { ($0.id, Sandbox.labelEntry(id: $0.id, name: $0.name, type: "user", visibility: ("show", "labelShow"))) }
    }
}
