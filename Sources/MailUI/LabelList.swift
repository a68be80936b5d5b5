import Foundation
import MailModels
import TerminalCells

/// The label list (`L`): the labels once fetched, the selection and scroll, and how the fetch went.
public struct LabelListState: Sendable, Equatable {
    /// Every label with its counts, in Gmail's order; nil until fetched. Also names the rows' tags.
    public var all: [LabelSummary]?
    /// True while `.fetchLabels` is out.
    public var loading = false
    public var selection = 0
    public var scroll = 0
    public var error: String?
    public var notice: String?
    /// When Gmail listed the labels shown (for those from the local store, when it listed them then).
    public internal(set) var listedAt: Date?
    /// True while the labels shown are the stored ones, not yet fetched again this session.
    public internal(set) var fromStore = false
    /// True once the fetch could not reach Gmail, until Gmail's labels come.
    public internal(set) var offline = false
    /// Bumped whenever the labels shown are replaced, so that a refused change takes back its counts only
    /// from the counts it moved.
    var generation = 0
    public init() {}

    /// The rows in the order they show.
    public var rows: [LabelRow] { LabelRow.rows(all ?? []) }
}

/// One row of the label list: a label (or the parent of nested labels that has none of its own).
public struct LabelRow: Sendable, Equatable {
    /// What the row says: the usual name of a system label, the last part of a nested user label's name.
    public var title: String
    /// Nesting depth of a user label (`Work/Projects` is 1).
    public var depth: Int
    /// The Gmail query that lists the label's messages.
    public var query: String
    /// Nil for a parent that exists only in its children's names.
    public var label: LabelSummary?

    /// System labels as Gmail's own list names and orders them, with the query that lists each.
    static let system: [(id: String, title: String, query: String)] = [
        ("INBOX", "Inbox", "in:inbox"), ("STARRED", "Starred", "is:starred"), ("SENT", "Sent", "in:sent"),
        ("DRAFT", "Drafts", "in:draft"), ("IMPORTANT", "Important", "is:important"), ("SPAM", "Spam", "in:spam"),
        ("TRASH", "Trash", "in:trash"), ("CATEGORY_PERSONAL", "Primary", "category:primary"),
        ("CATEGORY_SOCIAL", "Social", "category:social"), ("CATEGORY_PROMOTIONS", "Promotions", "category:promotions"),
        ("CATEGORY_UPDATES", "Updates", "category:updates"), ("CATEGORY_FORUMS", "Forums", "category:forums"),
    ]

    /// The system labels Gmail lists (in its order, those the account has), then user labels sorted by name
    /// and nested by `/`. `UNREAD` and `CHAT` are states, not places, and are left out.
    static func rows(_ labels: [LabelSummary]) -> [LabelRow] {
        var out: [LabelRow] = []
        let byID = Dictionary(labels.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for s in system { if let label = byID[s.id] { out.append(LabelRow(title: s.title, depth: 0, query: s.query, label: label)) } }
        let users = labels.filter { !$0.isSystem }
        let byName = Dictionary(users.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // Every prefix of a nested name is a row, so that a child always shows under its parent.
        var names = Set<String>()
        for label in users {
            let parts = label.name.split(separator: "/", omittingEmptySubsequences: false)
            for n in 1...max(1, parts.count) { names.insert(parts.prefix(n).joined(separator: "/")) }
        }
        let sorted = names.sorted { a, b in
            a.split(separator: "/").map { $0.lowercased() }.lexicographicallyPrecedes(b.split(separator: "/").map { $0.lowercased() })
        }
        for name in sorted {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            out.append(LabelRow(title: String(parts.last ?? ""), depth: parts.count - 1, query: query(forUserLabel: name),
                                label: byName[name]))
        }
        return out
    }

    /// Gmail's query for a user label: `label:` and the name with spaces and `/` written as `-`.
    static func query(forUserLabel name: String) -> String {
        "label:" + String(name.map { $0 == " " || $0 == "/" ? "-" : $0 })
    }
}

// `L`, and the keys of the label list.
extension BrowserState {
    /// Shows the label list, fetching the labels (their counts change as mail is read) each time it opens;
    /// labels already known (stored, or fetched before) show at once meanwhile.
    mutating func openLabels() -> [BrowserEffect] {
        push(.labels)
        labels.notice = nil
        labels.error = nil
        labels.loading = true
        clampLabels()
        return [.fetchLabels]
    }

    mutating func labelListKey(_ key: Key) -> [BrowserEffect] {
        labels.notice = nil
        let rows = labels.rows
        switch key {
        case .character("q"), .escape:
            pop()
            return []
        case .character("j"), .down: labels.selection += 1
        case .character("k"), .up: labels.selection -= 1
        case .pageDown, .character(" "): labels.selection += labelRows; labels.scroll += labelRows
        case .pageUp, .character("b"): labels.selection -= labelRows; labels.scroll -= labelRows
        case .character("g"), .home: labels.selection = 0
        case .character("G"), .end: labels.selection = rows.count - 1
        case .character("r"):
            return openLabels()
        case .enter:
            guard rows.indices.contains(labels.selection) else { return [] }
            // A parent that exists only in its children's names (`Zeta` of `Zeta/Orphan`) lists nothing in Gmail.
            guard rows[labels.selection].label != nil else {
                labels.notice = "\(rows[labels.selection].title) is not a label of its own: its labels are below it"
                return []
            }
            pop()
            list.editor = nil
            list.query = rows[labels.selection].query
            return [request(PageRequest(query: list.query, tokens: [nil]))]
        case .character("?"):
            showingHelp = true
        default:
            labels.notice = "Not a key of the label list: Enter shows a label, q goes back"
            return []
        }
        clampLabels()
        return []
    }

    /// Folds in the answers to `.fetchLabels`.
    mutating func labelsEvent(_ event: BrowserEvent) -> [BrowserEffect] {
        switch event {
        case .labelsLoaded(let all):
            labels.loading = false
            labels.error = nil
            labelsFromGmail(all)
        case .labelsFailed(let error):
            if case .reauthorizationRequired(let email, let reason) = error {
                // Still loading: the fetch is sent again once authorization succeeds.
                remember(.fetchLabels)
                return needAuthorization(email: email, reason: reason)
            }
            if keepLabelsOffline(error) { return [] }
            labels.loading = false
            labels.error = Self.describe(error, retry: "r to retry")
        default:
            break
        }
        return []
    }

    /// The labels of the rows' tags are needed once a page carries a user label: fetched once, then kept.
    mutating func labelsForTags(_ page: MessagePage) -> [BrowserEffect] {
        guard labels.all == nil, !labels.loading,
              page.messages.contains(where: { $0.labelIDs.contains(where: { !LabelTags.isSystemID($0) }) }) else { return [] }
        labels.loading = true
        return [.fetchLabels]
    }

    /// Rows for labels on the label list screen.
    var labelRows: Int { max(1, rows - 4) }

    mutating func clampLabels() {
        let count = labels.rows.count
        labels.selection = max(0, min(labels.selection, count - 1))
        labels.scroll = max(0, min(labels.scroll, count - labelRows))
        if labels.selection < labels.scroll { labels.scroll = labels.selection }
        if labels.selection >= labels.scroll + labelRows { labels.scroll = labels.selection - labelRows + 1 }
    }
}

extension Views {
    /// The label list: one row per label, its unread and total counts at the right.
    static func labels(_ s: BrowserState, _ g: inout CellGrid) {
        let l = s.labels
        bar(["Labels · \(s.account ?? "gmail-tui")", s.labelFreshness].compactMap { $0 }.joined(separator: " │ "), y: 0, &g)
        let countWidth = 9
        let unreadX = g.cols - 2 * countWidth - 1, totalX = g.cols - countWidth - 1
        g.put("Label", x: 2, y: 1, style: dim)
        putRight("Unread", x: unreadX, width: countWidth, y: 1, style: dim, &g)
        putRight("Total", x: totalX, width: countWidth, y: 1, style: dim, &g)
        let rows = l.rows
        if l.all == nil {
            if l.loading { g.put("\(Spinner.frame(s.spinnerFrame)) Loading labels…", x: 2, y: 3) }
        } else if rows.isEmpty {
            g.put("No labels", x: 2, y: 3)
        }
        for row in 0..<s.labelRows {
            let i = l.scroll + row
            guard i < rows.count else { break }
            let r = rows[i], y = 2 + row
            let unread = r.label?.messagesUnread ?? 0
            let x = 2 + 2 * min(r.depth, 8)
            g.put(r.title, x: x, y: y, maxWidth: max(1, unreadX - x - 1), style: Style(bold: unread > 0))
            if let label = r.label {
                if unread > 0 { putRight(DisplayFormat.count(unread), x: unreadX, width: countWidth, y: y, style: Style(bold: true), &g) }
                if let total = label.messagesTotal { putRight(DisplayFormat.count(total), x: totalX, width: countWidth, y: y, style: .plain, &g) }
            }
            if i == l.selection { g.restyle(y: y, x: 0, width: g.cols) { $0.reverse = true } }
        }
        let statusY = g.rows - 2
        if let e = l.error {
            g.put(e, x: 0, y: statusY, style: error)
        } else if l.loading, l.all != nil {
            g.put("\(Spinner.frame(s.spinnerFrame)) Updating the counts…", x: 0, y: statusY)
        } else if let n = l.notice {
            g.put(n, x: 0, y: statusY, style: dim)
        }
        bar("j/k move · Enter show the label · r refresh · q back", y: g.rows - 1, &g)
    }

    /// `text` right-aligned in `width` columns from `x`.
    static func putRight(_ text: String, x: Int, width: Int, y: Int, style: Style, _ g: inout CellGrid) {
        let w = min(width, TextLayout.width(text))
        g.put(text, x: x + width - w, y: y, maxWidth: width, style: style)
    }
}
