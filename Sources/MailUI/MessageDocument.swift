import Foundation
import MailModels
import TerminalCells

/// The message view's text as wrapped rows: headers, body, attachments.
enum MessageDocument {
    struct Line: Equatable {
        var items: [TextLayout.Item]
        /// Columns at the start drawn bold (the header label).
        var labelWidth = 0
        var style = Style.plain
        /// The row's last cell and the next row's first are one word cut at the edge (a long URL): drawn so
        /// that the terminal wraps it itself, and a selection copies it whole.
        var continues = false
    }

    /// `allHeaders` defaults to the message view's `H`; a conversation's messages leave out the subject its
    /// title bar shows (`subject: false`).
    static func lines(for m: MessageDetail, width: Int, state: BrowserState, allHeaders: Bool? = nil, subject: Bool = true) -> [Line] {
        guard width > 0 else { return [] }
        var out: [Line] = []
        func header(_ label: String, _ value: String) {
            // A TAB or CR left in a header by folding is one space here, not a tab stop or a line break.
            for (i, row) in TextLayout.wrap(label + " " + OneLine.display(value), width: width).enumerated() {
                out.append(Line(items: row, labelWidth: i == 0 ? label.count : 0))
            }
        }
        if allHeaders ?? (state.message?.allHeaders == true), !m.headers.isEmpty {
            for h in m.headers { header(h.name + ":", h.value) }
        } else {
            header("From:", address(m.from))
            if !m.to.isEmpty { header("To:", m.to.map(address).joined(separator: ", ")) }
            if !m.cc.isEmpty { header("Cc:", m.cc.map(address).joined(separator: ", ")) }
            if let date = m.date { header("Date:", DisplayFormat.fullDate(date, calendar: state.calendar)) }
            if subject { header("Subject:", m.subject.isEmpty ? "(no subject)" : m.subject) }
        }
        out.append(Line(items: []))
        var body = m.body
        while body.last?.isNewline == true { body.removeLast() }
        for line in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            // Quoted text (a reply's "> " lines) steps back, so the new text stands out.
            let quoted = line.drop(while: { $0 == " " }).hasPrefix(">")
            out += BodyRows.rows(String(line), width: width, style: quoted ? Style(dim: true) : .plain)
        }
        if !m.attachments.isEmpty {
            out.append(Line(items: []))
            for a in m.attachments {
                for row in TextLayout.wrap("📎 \(a.filename) (\(DisplayFormat.size(a.size)))", width: width) {
                    out.append(Line(items: row))
                }
            }
        }
        return out
    }

    static func address(_ a: MailAddress) -> String {
        if let name = a.name, !name.isEmpty { return a.email.isEmpty ? name : "\(name) <\(a.email)>" }
        return a.email
    }
}
