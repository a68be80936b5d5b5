import Foundation
import MailModels
import TerminalCells

/// Draws the screen showing in `state` into a `cols` x `rows` grid.
///
/// A pure function: the same state and size always give the same grid. Callers outside draw at the state's
/// own size (`render()`), so that the size lives in one place.
func render(_ state: BrowserState, cols: Int, rows: Int) -> CellGrid {
    var grid = CellGrid(cols: cols, rows: rows)
    var s = state
    s.cols = cols; s.rows = rows
    guard !s.isTooSmall else {
        Views.tooSmall(&grid)
        return grid
    }
    switch s.screen {
    case .authorization: Views.authorization(s, &grid)
    case .list: Views.list(s, &grid)
    case .message: Views.message(s, &grid)
    case .labels: Views.labels(s, &grid)
    case .attachments: Views.attachments(s, &grid)
    case .accounts: Views.accounts(s, &grid)
    case .conversation: Views.conversation(s, &grid)
    }
    if s.triage.labelPicker != nil, s.screen != .authorization { Views.labelPicker(s, &grid) }
    if s.showingHelp { Views.help(s.helpLines, &grid) }
    return grid
}

extension BrowserState {
    /// Draws the state at its own size (`cols` x `rows`).
    public func render() -> CellGrid { MailUI.render(self, cols: cols, rows: rows) }
}

/// The screens' drawing code.
enum Views {
    static let bar = Style(reverse: true)
    static let dim = Style(dim: true)
    static let error = Style(bold: true, role: .error)

    static func tooSmall(_ g: inout CellGrid) {
        let lines = ["Terminal too small", "(need \(BrowserState.minCols)x\(BrowserState.minRows))", "q quits"]
        let top = max(0, (g.rows - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let w = TextLayout.width(line)
            g.put(line, x: max(0, (g.cols - w) / 2), y: top + i)
        }
    }

    /// A full-width reverse bar.
    static func bar(_ text: String, y: Int, _ g: inout CellGrid) {
        g.fill(y: y, style: bar)
        g.put(" " + text, x: 0, y: y, style: bar)
    }

    /// Draws a text field at `x` on row `y`, scrolled so the cursor shows, with the cursor cell reversed.
    static func field(_ f: TextField, x: Int, y: Int, _ g: inout CellGrid) {
        let width = g.cols - x
        guard width > 1 else { return }
        let window = FieldWindow(f, width: width)
        g.put(cells: window.items, x: x, y: y, style: .plain)
        let cx = x + window.cursorColumn
        if cx < g.cols {
            g.restyle(y: y, x: cx, width: max(1, window.cursorWidth)) { $0.reverse = true }
        }
    }

    /// Writes word-wrapped `text` from row `y`; returns the row after it.
    @discardableResult
    static func paragraph(_ text: String, y: Int, style: Style = .plain, _ g: inout CellGrid) -> Int {
        var row = y
        for line in TextLayout.wrap(text, width: g.cols) {
            g.put(cells: line, x: 0, y: row, style: style)
            row += 1
        }
        return row
    }

    // MARK: Authorization

    static func authorization(_ s: BrowserState, _ g: inout CellGrid) {
        let a = s.authorization ?? AuthorizationState()
        let title = a.addingAccount ? "gmail-tui · Add a Google account (choose it in the browser)"
            : a.permission == nil ? "gmail-tui · Authorize access to Gmail" : "gmail-tui · Allow changes to your mail (gmail.modify)"
        bar(title, y: 0, &g)
        // Blocks top to bottom; when the terminal is too short, the instructions go first, then the blank
        // lines, then the reason: the URL, the field and the status line always stay.
        let width = g.cols
        let reason = (a.permission ?? a.reason.map { reasonText($0, email: a.email) }).map { TextLayout.wrap($0, width: width) } ?? []
        let steps = [
            "1. Open this URL in a browser (o opens it here, c copies it).",
            "2. Sign in and allow access.",
            "3. gmail-tui continues by itself, or paste the code or the address the browser ended on below and press Enter.",
        ].flatMap { TextLayout.wrap($0, width: width) }
        var urlRows: [[TextLayout.Item]] = []
        if let url = a.url {
            // The URL runs from column 0, unbroken and undecorated, so a terminal selection copies it whole.
            let chars = TextLayout.cells(url.absoluteString, tabs: .singleSpace)
            var i = 0
            while i < chars.count { urlRows.append(Array(chars[i..<min(chars.count, i + width)])); i += width }
        } else {
            urlRows = [TextLayout.cells("\(Spinner.frame(s.spinnerFrame)) Preparing the authorization address…", tabs: .singleSpace)]
        }
        let room = g.rows - 5   // title bar, field, two status rows, footer
        let layouts: [(blanks: Bool, reason: Bool, steps: Bool)] = [
            (true, true, true), (true, true, false), (false, true, false), (false, false, false),
        ]
        let layout = layouts.first { l in
            let blanks = l.blanks ? 2 + (l.reason && !reason.isEmpty ? 1 : 0) : 0
            return blanks + (l.reason ? reason.count : 0) + (l.steps ? steps.count + 1 : 0) + urlRows.count <= room
        } ?? (false, false, false)
        var y = layout.blanks ? 2 : 1
        if layout.reason, !reason.isEmpty {
            for row in reason { g.put(cells: row, x: 0, y: y, style: Style(bold: true, role: .error)); y += 1 }
            if layout.blanks { y += 1 }
        }
        if layout.steps {
            for row in steps { g.put(cells: row, x: 0, y: y, style: .plain); y += 1 }
            y += 1
        }
        for row in urlRows where y < g.rows - 4 { g.put(cells: row, x: 0, y: y, style: .plain); y += 1 }
        if layout.blanks { y += 1 }
        let label = "Code or address: "
        g.put(label, x: 0, y: y, style: Style(bold: true))
        field(a.field, x: TextLayout.width(label), y: y, &g)
        y += 1
        if a.exchanging {
            g.put("\(Spinner.frame(s.spinnerFrame)) Exchanging code…", x: 0, y: y)
        } else if let e = a.error {
            paragraph("✗ " + e, y: y, style: error, &g)
        } else if let n = a.notice {
            // Up to the two status rows: what `o` or `c` did can take a sentence.
            for row in TextLayout.wrap(n, width: g.cols).prefix(max(0, g.rows - 1 - y)) {
                g.put(cells: row, x: 0, y: y, style: dim); y += 1
            }
        }
        // Going back names the account, so the footer leaves out "(field empty)" to keep the address in view.
        let footer = s.reauthorizationReturn.map { "Enter submit · o open URL · c copy URL · Esc back to \($0)" }
            ?? "Enter submit · o open URL · c copy URL (field empty) · " + (a.addingAccount ? "Esc back" : a.permission == nil ? "Esc quit" : "Esc back, read-only")
        bar(footer, y: g.rows - 1, &g)
    }

    static func reasonText(_ reason: ReauthorizationReason, email: String?) -> String {
        let who = email ?? "this account"
        switch reason {
        case .grantRevoked:
            return "Google no longer accepts the saved authorization for \(who): it was revoked or expired. Authorize again to continue."
        case .rejectedAfterRefresh:
            return "Google refused the saved authorization for \(who) even after refreshing it. Authorize again to continue."
        case .noRefreshToken:
            return "No saved authorization can be renewed for \(who). Authorize again to continue."
        }
    }

    // MARK: Message list

    static func list(_ s: BrowserState, _ g: inout CellGrid) {
        let l = s.list
        bar(listHeader(s, width: g.cols - 1), y: 0, &g)

        let visible = s.listRows
        if let page = l.page {
            if page.messages.isEmpty {
                let noun = l.conversations == nil ? "messages" : "conversations"
                g.put(l.query.isEmpty ? "No \(noun)" : "No \(noun) match \(l.query)", x: 2, y: 2)
            }
            let senderWidth = min(24, max(10, g.cols / 4))
            for row in 0..<visible {
                let i = l.scroll + row
                guard i < page.messages.count else { break }
                let m = page.messages[i]
                let y = 1 + row
                if l.conversations != nil { conversationRow(m, s, y: y, selected: i == l.selection, &g); continue }
                if m.isUnread { g.put("●", x: 0, y: y, style: Style(role: .accent)) }
                if s.triage.selected.contains(m.id) { g.put("✓", x: 1, y: y, style: Style(bold: true)) }
                g.put(DisplayFormat.listDate(m.date, now: s.now, calendar: s.calendar), x: 2, y: y, maxWidth: 10)
                g.put(m.from.displayName, x: 14, y: y, maxWidth: senderWidth, style: Style(bold: m.isUnread))
                let x = rowMarkers(m, s, x: 14 + senderWidth + 2, y: y, &g)
                let subject = m.subject.isEmpty ? "(no subject)" : m.subject
                let end = g.put(subject, x: x, y: y, style: Style(bold: m.isUnread))
                if end < g.cols, TextLayout.width(subject) == end - x, !m.snippet.isEmpty {
                    g.put(" — " + m.snippet, x: end, y: y, style: dim)
                }
                if i == l.selection { g.restyle(y: y, x: 0, width: g.cols) { $0.reverse = true } }
            }
        } else if l.pending != nil {
            g.put("Loading…", x: 2, y: 2)
        }

        let statusY = g.rows - 2
        if let editor = l.editor {
            let label = "Search: "
            g.put(label, x: 0, y: statusY, style: Style(bold: true))
            field(editor, x: label.count, y: statusY, &g)
        } else if let e = l.error {
            g.put(e, x: 0, y: statusY, style: error)
        } else if l.pending != nil {
            g.put("\(Spinner.frame(s.spinnerFrame)) \(s.waitNote ?? "Loading…")", x: 0, y: statusY)
        } else if s.sync.pending != nil, s.sync.userAsked {
            g.put("\(Spinner.frame(s.spinnerFrame)) Syncing with Gmail…", x: 0, y: statusY)
        } else if let n = l.notice {
            g.put(n, x: 0, y: statusY, style: dim)
        }
        // With the editor open the status row holds the field, so a notice (the field is full) takes the footer.
        let footer = l.editor == nil ? s.keys.keymap.listHints
                                     : l.notice ?? "Enter search · Esc cancel · ←/→ move · Ctrl-U clear"
        bar(footer, y: g.rows - 1, &g)
    }

    /// The list's header: account, query, page and counts; when it does not fit, the query is
    /// shortened first (then the account), so the page and the counts always show.
    static func listHeader(_ s: BrowserState, width: Int) -> String {
        let l = s.list
        var account = s.account ?? "gmail-tui"
        var query = l.query.isEmpty ? "all mail" : l.query
        var tail = (l.conversations == nil ? [] : ["conversations"]) + ["page \(l.pageNumber)"]
        if let page = l.page {
            if page.messages.isEmpty {
                tail.append(l.conversations == nil ? "no messages" : "no conversations")
            } else {
                let first = (l.pageNumber - 1) * s.pageSize + 1
                let last = first + page.messages.count - 1
                tail.append("\(DisplayFormat.count(first))-\(DisplayFormat.count(last)) of ~\(DisplayFormat.count(max(page.resultSizeEstimate, last)))")
            }
        }
        if let freshness = s.freshness { tail.append(freshness) }
        let separator = " │ "
        func joined() -> String { ([account, query] + tail).joined(separator: separator) }
        let excess = TextLayout.width(joined()) - width
        guard excess > 0 else { return joined() }
        let shortest = 4
        let queryWidth = TextLayout.width(query)
        if queryWidth > shortest { query = TextLayout.truncate(query, to: max(shortest, queryWidth - excess)) }
        let left = TextLayout.width(joined()) - width
        let accountWidth = TextLayout.width(account)
        if left > 0, accountWidth > shortest { account = TextLayout.truncate(account, to: max(shortest, accountWidth - left)) }
        // The list's kind stays said in fewer columns rather than cutting the counts or freshness.
        if TextLayout.width(joined()) > width, let i = tail.firstIndex(of: "conversations") { tail[i] = "threads" }
        return joined()
    }

    // MARK: Message view

    static func message(_ s: BrowserState, _ g: inout CellGrid) {
        guard let m = s.message else { return }
        let subject = m.detail?.subject ?? s.list.page?.messages.first(where: { $0.id == m.id })?.subject ?? ""
        bar(subject.isEmpty ? "(no subject)" : subject, y: 0, &g)
        var position = ""
        if let detail = m.detail {
            let lines = MessageDocument.lines(for: detail, width: g.cols, state: s)
            let visible = max(1, g.rows - 2)
            let scroll = max(0, min(m.scroll, lines.count - visible))
            for row in 0..<visible where scroll + row < lines.count {
                let line = lines[scroll + row]
                g.put(cells: line.items, x: 0, y: 1 + row, style: line.style)
                if line.labelWidth > 0 { g.restyle(y: 1 + row, x: 0, width: line.labelWidth) { $0.bold = true } }
                if line.continues, row + 1 < visible, scroll + row + 1 < lines.count { g.softWrapped.insert(1 + row) }
            }
            position = lines.count <= visible ? "All" : "\(min(100, (scroll + visible) * 100 / lines.count))%"
        } else if let e = m.error {
            paragraph(e, y: 2, style: error, &g)
        } else {
            g.put("\(Spinner.frame(s.spinnerFrame)) \(s.waitNote ?? "Loading message…")", x: 0, y: 2)
        }
        var footer = s.keys.keymap.messageHints
        if !position.isEmpty { footer += " · " + position }
        if let n = m.notice { footer = n }
        bar(footer, y: g.rows - 1, &g)
    }

    // MARK: Help

    /// The help box, centred; a list longer than the screen flows into as many columns as it needs (the title
    /// stays on top), so every key of the screen shows at 80x24.
    static func help(_ helpLines: [String], _ g: inout CellGrid) {
        guard let title = helpLines.first, g.rows >= 3 else { return }
        let body = Array(helpLines.dropFirst())
        let fit = max(1, g.rows - 3)
        let columns = max(1, (body.count + fit - 1) / fit)
        let perColumn = (body.count + columns - 1) / max(1, columns)
        // Columns share the screen's width; a line longer than its column ends in "…".
        let columnWidth = min(body.map(TextLayout.width).max() ?? 0, max(1, (g.cols - 4 - 3 * (columns - 1)) / columns))
        let inner = max(TextLayout.width(title), columns * columnWidth + (columns - 1) * 3)
        let w = min(g.cols, inner + 4)
        let h = min(g.rows, perColumn + 3)
        let x0 = (g.cols - w) / 2, y0 = (g.rows - h) / 2
        for y in y0..<(y0 + h) { g.fill(y: y, x: x0, width: w, style: .plain) }
        g.put("┌" + String(repeating: "─", count: w - 2) + "┐", x: x0, y: y0)
        g.put("└" + String(repeating: "─", count: w - 2) + "┘", x: x0, y: y0 + h - 1)
        for i in 0..<(h - 2) {
            g.put("│", x: x0, y: y0 + 1 + i)
            g.put("│", x: x0 + w - 1, y: y0 + 1 + i)
        }
        g.put(title, x: x0 + 2, y: y0 + 1, maxWidth: w - 4, style: Style(bold: true))
        for (index, line) in body.enumerated() {
            let column = index / max(1, perColumn), row = index % max(1, perColumn)
            let x = x0 + 2 + column * (columnWidth + 3)
            guard x < x0 + w - 2, row + 2 < h - 1 else { continue }
            g.put(line, x: x, y: y0 + 2 + row, maxWidth: min(columnWidth, x0 + w - 2 - x))
        }
    }
}
