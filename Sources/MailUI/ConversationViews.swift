import Foundation
import MailModels
import TerminalCells

/// A conversation row's senders as Gmail shortens them: "Ann, Bob, me".
enum SenderList {
    /// One piece of the senders' text; `unread` pieces are drawn bold.
    struct Part: Equatable {
        var text: String
        var unread = false
    }

    /// The distinct senders (by address, in the order they first wrote), the account's own address as "me";
    /// one sender by the whole name, several by first names; more than three that do not fit in `width` columns
    /// as the first, "..", and the last two. A sender is unread when one of the thread's last `unreadCount`
    /// messages is theirs (the newest messages are the unread ones, in the usual case the row can know about).
    static func parts(_ senders: [MailAddress], unreadCount: Int, account: String?, width: Int = .max) -> [Part] {
        let me = account?.lowercased()
        var order: [String] = []
        var first: [String: MailAddress] = [:]
        var unread: Set<String> = []
        for (i, sender) in senders.enumerated() {
            let key = sender.email.isEmpty ? sender.displayName : sender.email.lowercased()
            if first[key] == nil { first[key] = sender; order.append(key) }
            if i >= senders.count - unreadCount { unread.insert(key) }
        }
        func name(_ key: String) -> Part {
            let address = first[key] ?? MailAddress(name: nil, email: key)
            let text: String
            if key == me {
                text = "me"
            } else if order.count == 1 {
                text = OneLine.display(address.displayName)
            } else {
                text = firstName(address)
            }
            return Part(text: text, unread: unread.contains(key))
        }
        var all: [Part] = []
        for (i, key) in order.enumerated() {
            if i > 0 { all.append(Part(text: ", ")) }
            all.append(name(key))
        }
        guard order.count > 3, TextLayout.width(all.map(\.text).joined()) > width else { return all }
        let last = order.suffix(2)
        return [name(order[0]), Part(text: " .. "), name(last[last.startIndex]), Part(text: ", "), name(last[last.startIndex + 1])]
    }

    /// "Ann" for "Ann Smith", "ann" for ann@example.com; names with no spaces (most CJK names) stay whole.
    static func firstName(_ a: MailAddress) -> String {
        let name = OneLine.display(a.name ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\"' ").union(.whitespaces))
        if let word = name.split(whereSeparator: { $0 == " " || $0 == "," }).first { return String(word) }
        let local = a.email.split(separator: "@").first.map(String.init) ?? a.email
        return local.isEmpty ? a.email : local
    }
}

/// A conversation's messages as rows of the conversation view.
enum ConversationDocument {
    enum Row: Equatable {
        /// A row of an expanded message (headers, body, attachments), or the rule between messages.
        case text(MessageDocument.Line)
        /// A collapsed message: sender, date, snippet on one row.
        case collapsed(Int)
    }

    /// The rows of every message in order, and where each message's rows start.
    static func rows(_ v: ConversationViewState, width: Int, state: BrowserState) -> (rows: [Row], starts: [Int]) {
        guard let messages = v.conversation?.messages, width > 0 else { return ([], []) }
        var out: [Row] = [], starts: [Int] = []
        for (i, m) in messages.enumerated() {
            let open = v.expanded.contains(m.id)
            // A rule sets an expanded message apart from its neighbours; collapsed ones stack as a list.
            if i > 0, open || v.expanded.contains(messages[i - 1].id) {
                out.append(.text(MessageDocument.Line(items: TextLayout.cells(String(repeating: "─", count: width), tabs: .singleSpace),
                                                      style: Style(dim: true))))
            }
            starts.append(out.count)
            if open {
                out += MessageDocument.lines(for: m, width: width, state: state, allHeaders: v.allHeaders.contains(m.id), subject: false)
                    .map(Row.text)
            } else {
                out.append(.collapsed(i))
            }
        }
        return (out, starts)
    }

    /// A collapsed message's snippet: its first lines of new text (quoted lines left out), on one line.
    static func snippet(_ body: String) -> String {
        var words: [String] = []
        var length = 0
        for line in body.split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty, !text.hasPrefix(">") else { continue }
            words.append(OneLine.display(text))
            length += text.count
            if length > 300 { break }
        }
        return words.joined(separator: " ")
    }
}

extension Views {
    /// A row of the conversation list: markers, newest date, senders and count, tags, subject and snippet.
    static func conversationRow(_ m: MessageSummary, _ s: BrowserState, y: Int, selected: Bool, _ g: inout CellGrid) {
        let c = s.list.conversations?.byID[m.id]
        if m.isUnread { g.put("●", x: 0, y: y, style: Style(role: .accent)) }
        if s.triage.selected.contains(m.id) { g.put("✓", x: 1, y: y, style: Style(bold: true)) }
        g.put(DisplayFormat.listDate(m.date, now: s.now, calendar: s.calendar), x: 2, y: y, maxWidth: 10)
        let senderWidth = min(24, max(10, g.cols / 4))
        // The row's own unread state wins: `I` and `U` change it before Gmail has answered.
        let unread = m.isUnread ? max(1, c?.unreadCount ?? 1) : 0
        let count = (c?.messageCount ?? 1) > 1 ? " \(c?.messageCount ?? 1)" : ""
        let parts = SenderList.parts(c?.senders ?? [m.from], unreadCount: unread, account: s.account,
                                     width: senderWidth - TextLayout.width(count))
        senders(parts, x: 14, y: y, width: senderWidth - TextLayout.width(count), &g)
        if !count.isEmpty {
            let end = 14 + min(senderWidth - TextLayout.width(count), TextLayout.width(parts.map(\.text).joined()))
            g.put(count, x: end, y: y, style: dim)
        }
        let x = rowMarkers(m, s, x: 14 + senderWidth + 2, y: y, &g)
        let subject = m.subject.isEmpty ? "(no subject)" : m.subject
        let end = g.put(subject, x: x, y: y, style: Style(bold: m.isUnread))
        if end < g.cols, TextLayout.width(subject) == end - x, !m.snippet.isEmpty {
            g.put(" — " + m.snippet, x: end, y: y, style: dim)
        }
        if selected { g.restyle(y: y, x: 0, width: g.cols) { $0.reverse = true } }
    }

    /// Draws the senders within `width` columns ("…" where they are cut), the unread ones bold.
    static func senders(_ parts: [SenderList.Part], x: Int, y: Int, width: Int, _ g: inout CellGrid) {
        guard width > 0 else { return }
        let whole = parts.map(\.text).joined()
        let shown = TextLayout.width(whole) > width ? TextLayout.truncate(whole, to: width) : whole
        g.put(shown, x: x, y: y, maxWidth: width)
        var column = x
        for part in parts {
            let w = TextLayout.width(part.text)
            if part.unread { g.restyle(y: y, x: column, width: min(w, x + width - 1 - column)) { $0.bold = true } }
            column += w
            if column >= x + width { break }
        }
    }

    /// The conversation view: the subject and message count on top, the messages in order, the cursor
    /// message's first row highlighted.
    static func conversation(_ s: BrowserState, _ g: inout CellGrid) {
        guard let v = s.conversation else { return }
        let subject = v.conversation?.subject ?? s.list.page?.messages.first(where: { $0.id == v.id })?.subject ?? ""
        let count = v.conversation?.messages.count ?? 0
        bar((subject.isEmpty ? "(no subject)" : subject) + (count > 1 ? " · \(count) messages" : ""), y: 0, &g)
        var position = ""
        if let c = v.conversation {
            let doc = ConversationDocument.rows(v, width: g.cols, state: s)
            let visible = max(1, g.rows - 2)
            let scroll = max(0, min(v.scroll, doc.rows.count - visible))
            let cursorRow = doc.starts.indices.contains(v.cursor) ? doc.starts[v.cursor] : -1
            for row in 0..<visible where scroll + row < doc.rows.count {
                let y = 1 + row
                switch doc.rows[scroll + row] {
                case .text(let line):
                    g.put(cells: line.items, x: 0, y: y, style: line.style)
                    if line.labelWidth > 0 { g.restyle(y: y, x: 0, width: line.labelWidth) { $0.bold = true } }
                    if line.continues, row + 1 < visible, scroll + row + 1 < doc.rows.count { g.softWrapped.insert(y) }
                case .collapsed(let i):
                    collapsed(c.messages[i], s, y: y, &g)
                }
                if scroll + row == cursorRow { g.restyle(y: y, x: 0, width: g.cols) { $0.reverse = true } }
            }
            position = doc.rows.count <= visible ? "All" : "\(min(100, (scroll + visible) * 100 / max(1, doc.rows.count)))%"
        } else if let e = v.error {
            paragraph(e, y: 2, style: error, &g)
        } else {
            g.put("\(Spinner.frame(s.spinnerFrame)) \(s.waitNote ?? "Loading conversation…")", x: 0, y: 2)
        }
        var footer = "q back · n/p message · Enter expand/collapse · j/k scroll"
        if !position.isEmpty { footer += " · " + position }
        bar(v.notice ?? footer, y: g.rows - 1, &g)
    }

    /// A collapsed message: sender, date, snippet.
    static func collapsed(_ m: MessageDetail, _ s: BrowserState, y: Int, _ g: inout CellGrid) {
        let senderWidth = min(24, max(10, g.cols / 4))
        let me = s.account.map { m.from.email.lowercased() == $0.lowercased() } ?? false
        g.put(me ? "me" : OneLine.display(m.from.displayName), x: 2, y: y, maxWidth: senderWidth, style: Style(bold: m.isUnread))
        let x = 2 + senderWidth + 2
        let date = DisplayFormat.listDate(m.date, now: s.now, calendar: s.calendar)
        g.put(date, x: x, y: y, maxWidth: 10)
        g.put(ConversationDocument.snippet(m.body), x: x + 12, y: y, style: dim)
    }
}
