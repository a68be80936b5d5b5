import Foundation
import MailService
import TerminalCells

/// `gmail-tui list`'s table: columns aligned in terminal columns (wide and emoji characters count two),
/// one message a line.
enum ListTable {
    /// The widest a sender gets before it is shortened with "…".
    static let fromLimit = 28

    /// The table; with `header`, a first line names the columns and the unread marker.
    static func render(_ messages: [MessageSummary], header: Bool) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        // One message, one line: a TAB or CR in a header prints as a space (`--json` keeps the text).
        let rows = messages.map { m in
            (id: m.id, date: m.date.map(formatter.string(from:)) ?? "-", unread: m.isUnread,
             from: TextLayout.truncate(OneLine.display(m.from.displayName), to: fromLimit), subject: OneLine.display(m.subject))
        }
        let idWidth = max(header ? 2 : 0, rows.map { TextLayout.width($0.id) }.max() ?? 0)
        let dateWidth = 16
        let fromWidth = max(header ? 4 : 0, rows.map { TextLayout.width($0.from) }.max() ?? 0)
        func line(_ id: String, _ date: String, _ marker: String, _ from: String, _ subject: String) -> String {
            let text = [TextLayout.pad(id, to: idWidth), TextLayout.pad(date, to: dateWidth), marker + " " + TextLayout.pad(from, to: fromWidth), subject]
                .joined(separator: "  ")
            return text.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        var out = header ? line("ID", "DATE", " ", "FROM", "SUBJECT   (* marks unread)") : ""
        for r in rows { out += line(r.id, r.date, r.unread ? "*" : " ", r.from, r.subject) }
        return out
    }
}
