import Foundation
import MailModels
import TerminalCells

extension Views {
    /// The label checklist (`l`): a box over the screen, one user label a row, `[x]` on every target,
    /// `[-]` on some, `[ ]` on none.
    static func labelPicker(_ s: BrowserState, _ g: inout CellGrid) {
        guard let picker = s.triage.labelPicker else { return }
        let title = picker.ids.count == 1 ? "Labels" : "Labels of \(picker.ids.count) messages"
        var rows: [String]
        if let error = picker.error {
            rows = [error]
        } else if let labels = picker.labels {
            rows = labels.isEmpty ? ["No labels of your own yet"] : labels.map { label in
                switch picker.mark(label.id) {
                case .all: return "[x] " + label.name
                case .some: return "[-] " + label.name
                case .none: return "[ ] " + label.name
                }
            }
        } else {
            rows = ["\(Spinner.frame(s.spinnerFrame)) Loading labels…"]
        }
        let footer = "Space toggle · Enter apply · Esc cancel"
        let inner = min(g.cols - 4, max(TextLayout.width(footer), TextLayout.width(title), rows.map(TextLayout.width).max() ?? 0))
        let w = min(g.cols, inner + 4)
        let visible = max(1, min(rows.count, g.rows - 6))
        let h = visible + 4
        let x0 = max(0, (g.cols - w) / 2), y0 = max(0, (g.rows - h) / 2)
        let top = max(0, min(picker.cursor - visible + 1, rows.count - visible))
        for y in y0..<min(g.rows, y0 + h) { g.fill(y: y, x: x0, width: w, style: .plain) }
        g.put("┌" + String(repeating: "─", count: max(0, w - 2)) + "┐", x: x0, y: y0)
        g.put("└" + String(repeating: "─", count: max(0, w - 2)) + "┘", x: x0, y: y0 + h - 1)
        for i in 1..<(h - 1) {
            g.put("│", x: x0, y: y0 + i)
            g.put("│", x: x0 + w - 1, y: y0 + i)
        }
        g.put(title, x: x0 + 2, y: y0 + 1, maxWidth: w - 4, style: Style(bold: true))
        for row in 0..<visible where top + row < rows.count {
            let y = y0 + 2 + row
            g.put(rows[top + row], x: x0 + 2, y: y, maxWidth: w - 4, style: picker.error == nil ? .plain : error)
            if picker.labels != nil, picker.error == nil, top + row == picker.cursor {
                g.restyle(y: y, x: x0 + 1, width: w - 2) { $0.reverse = true }
            }
        }
        g.put(footer, x: x0 + 2, y: y0 + h - 2, maxWidth: w - 4, style: dim)
    }
}
