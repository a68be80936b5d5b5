import Foundation
import MailModels
import TerminalCells

/// User labels as the short tags list rows carry.
enum LabelTags {
    /// Widest tag, in columns (the last part of a nested name, cut with "…").
    static let maxWidth = 12
    /// At most this many tags on a row; more would push the subject off the screen.
    static let maxTags = 3

    /// Gmail's system label ids are upper case (`INBOX`, `CATEGORY_SOCIAL`); user ones are `Label_N`.
    static func isSystemID(_ id: String) -> Bool {
        !id.isEmpty && id.allSatisfy { $0.isUppercase || $0 == "_" || $0.isNumber }
    }

    /// The tags of a row: the names of its user labels in Gmail's order, shortened; labels whose names are not
    /// known yet (the label list is still on its way) show nothing rather than an id.
    static func tags(_ labelIDs: [String], labels: [LabelSummary]?) -> [String] {
        guard let labels else { return [] }
        let names = Dictionary(labels.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return labelIDs.filter { !isSystemID($0) }.compactMap { id in
            guard let name = names[id] else { return nil }
            let last = name.split(separator: "/").last.map(String.init) ?? name
            return TextLayout.width(last) > maxWidth ? TextLayout.truncate(last, to: maxWidth) : last
        }.prefix(maxTags).map { $0 }
    }
}

extension Views {
    static let starMarker = "★"
    static let attachmentMarker = "📎"

    /// Draws a list row's star (column 1, beside the unread dot), then, from `x`, its attachment marker and
    /// label tags; returns the column where the subject starts.
    static func rowMarkers(_ m: MessageSummary, _ s: BrowserState, x: Int, y: Int, _ g: inout CellGrid) -> Int {
        if m.isStarred { g.put(starMarker, x: 1, y: y, style: Style(role: .accent)) }
        var x = x
        if m.hasAttachment, x + 3 < g.cols { x = g.put(attachmentMarker + " ", x: x, y: y) }
        for tag in LabelTags.tags(m.labelIDs, labels: s.labels.all) where x + TextLayout.width(tag) + 3 < g.cols {
            x = g.put("[" + tag + "]", x: x, y: y, style: Style(role: .accent))
            x = g.put(" ", x: x, y: y)
        }
        return x
    }
}
