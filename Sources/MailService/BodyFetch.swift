import Foundation
import GmailAPI
import MIME

/// Finds the parts of a `format=full` payload whose readable text Gmail left behind an attachmentId.
enum BodyFetch {
    /// Text bodies larger than this stay unfetched (shown as attachments only).
    static let limit = 4 * 1024 * 1024

    struct Place: Sendable { var path: [Int]; var attachmentId: String }

    /// Leaves whose text the renderer shows (`MessageRenderer.showsText`) but whose bytes are not in the
    /// payload; attachments that are not read in place are left where they are.
    static func readableBodiesElsewhere(in root: MessagePart) -> [Place] {
        var found: [Place] = []
        func walk(_ part: MessagePart, _ path: [Int]) {
            if let parts = part.parts, !parts.isEmpty {
                for (i, child) in parts.enumerated() { walk(child, path + [i]) }
                return
            }
            guard let body = part.body, let attachmentId = body.attachmentId, body.data == nil, (body.size ?? 0) <= limit else { return }
            // The leaf as the renderer will see it (Content-Type and disposition rebuilt as for display).
            guard MessageRenderer.showsText(part.mimeEntity()) else { return }
            found.append(Place(path: path, attachmentId: attachmentId))
        }
        walk(root, [])
        return found
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
