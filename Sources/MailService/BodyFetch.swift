import Foundation
import GmailAPI
import MIME

/// Finds the parts of a `format=full` payload whose bytes the renderer needs but Gmail left behind an attachmentId.
enum BodyFetch {
    /// Bodies larger than this stay unfetched (shown as attachments only).
    static let limit = 4 * 1024 * 1024

    struct Place: Sendable, Equatable { var path: [Int]; var attachmentId: String }

    /// Leaves the renderer reads (`MessageRenderer.needsBody`: text shown in place, a forwarded message sent
    /// as one part) whose bytes are not in the payload, and the text attachment shown when the message has
    /// no other text (`MessageRenderer.fallbackTextAttachment`). Other attachments are left where they are.
    static func readableBodiesElsewhere(in root: MessagePart) -> [Place] {
        var found: [Place] = []
        func walk(_ part: MessagePart, _ path: [Int]) {
            if let parts = part.parts, !parts.isEmpty {
                for (i, child) in parts.enumerated() { walk(child, path + [i]) }
                return
            }
            guard let attachmentId = elsewhere(part) else { return }
            // The leaf as the renderer will see it (Content-Type and disposition rebuilt as for display).
            guard MessageRenderer.needsBody(part.mimeEntity()) else { return }
            found.append(Place(path: path, attachmentId: attachmentId))
        }
        walk(root, [])
        // Converting the whole payload decodes every inline body: only worth it when a text file waits elsewhere.
        guard hasTextFileElsewhere(root) else { return found }
        if let path = MessageRenderer.fallbackTextAttachment(in: root.mimeEntity()), !found.contains(where: { $0.path == path }),
           let leaf = part(at: path, in: root), let attachmentId = elsewhere(leaf) {
            found.append(Place(path: path, attachmentId: attachmentId))
        }
        return found
    }

    /// Whether some text/plain leaf small enough to stand in for the body is behind an attachmentId.
    private static func hasTextFileElsewhere(_ part: MessagePart) -> Bool {
        if let parts = part.parts, !parts.isEmpty { return parts.contains(where: hasTextFileElsewhere) }
        let type = part.mimeType.map { $0.lowercased() } ?? part.header("Content-Type").map { ContentType.parse($0).mimeType }
        return type == "text/plain" && (part.body?.size ?? 0) <= MessageRenderer.fallbackTextLimit
            && elsewhere(part) != nil
    }

    /// The attachmentId of a leaf whose bytes are on Gmail's side and small enough to fetch.
    private static func elsewhere(_ part: MessagePart) -> String? {
        guard let body = part.body, let attachmentId = body.attachmentId, body.data == nil, (body.size ?? 0) <= limit else { return nil }
        return attachmentId
    }

    private static func part(at path: [Int], in root: MessagePart) -> MessagePart? {
        var node = root
        for index in path {
            guard let parts = node.parts, parts.indices.contains(index) else { return nil }
            node = parts[index]
        }
        return node
    }

    /// Puts fetched data into the leaf at `path`.
    static func fill(_ part: inout MessagePart, path: [Int], data: String?) {
        guard let first = path.first else {
            part.body?.data = data
            return
        }
        guard var parts = part.parts, parts.indices.contains(first) else { return }
        fill(&parts[first], path: Array(path.dropFirst()), data: data)
        part.parts = parts
    }
}
