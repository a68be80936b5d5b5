import Foundation
import MailModels
import TerminalCells

/// The attachment list (`v` in the message view): which one is selected and what became of the last action.
public struct AttachmentListState: Sendable, Equatable {
    public var selection = 0
    public var scroll = 0
    /// The fetches out now (saving or opening), so the spinner turns until they answer.
    public var inFlight = 0
    /// What the last action did ("Saved as …"), or why it failed.
    public var notice: String?
    public var failed = false
    public init() {}
}

// `v`, and the keys of the attachment list.
extension BrowserState {
    /// The attachments of the message showing (none until it has loaded).
    var shownAttachments: [AttachmentSummary] { message?.detail?.attachments ?? [] }

    /// `v` in the message view: the attachment list, or a word saying there is none.
    mutating func openAttachments() -> [BrowserEffect] {
        guard message?.detail != nil else { message?.notice = "The message is still loading"; return [] }
        guard !shownAttachments.isEmpty else { message?.notice = "This message has no attachments"; return [] }
        attachmentList = AttachmentListState()
        push(.attachments)
        return []
    }

    mutating func attachmentListKey(_ key: Key) -> [BrowserEffect] {
        guard var a = attachmentList, let id = message?.id else { pop(); return [] }
        let all = shownAttachments
        if a.inFlight == 0 { a.notice = nil; a.failed = false }
        switch key {
        case .character("q"), .escape, .character("v"):
            attachmentList = nil
            pop()
            return []
        case .character("j"), .down: a.selection += 1
        case .character("k"), .up: a.selection -= 1
        case .character("g"), .home: a.selection = 0
        case .character("G"), .end: a.selection = all.count - 1
        case .character(let c) where c.wholeNumberValue.map { $0 >= 1 && $0 <= all.count } == true:
            a.selection = (c.wholeNumberValue ?? 1) - 1
        case .enter, .character("s"), .character("o"):
            guard all.indices.contains(a.selection) else { return [] }
            let action: AttachmentAction = key == .character("s") ? .save : .open
            a.inFlight += 1
            a.failed = false
            a.notice = (action == .save ? "Saving " : "Opening ") + all[a.selection].filename + "…"
            attachmentList = a
            return [.fetchAttachment(messageID: id, attachment: all[a.selection], action: action)]
        case .character("?"):
            showingHelp = true
        default:
            a.notice = "Not a key of the attachment list: Enter opens, s saves, q goes back"
        }
        a.selection = max(0, min(a.selection, all.count - 1))
        let visible = attachmentRows
        if a.selection < a.scroll { a.scroll = a.selection }
        if a.selection >= a.scroll + visible { a.scroll = a.selection - visible + 1 }
        attachmentList = a
        return []
    }

    /// Folds in the answer to `.fetchAttachment`: on the attachment list if it still shows, else on the message.
    mutating func attachmentEvent(_ outcome: AttachmentOutcome) -> [BrowserEffect] {
        let words: String, failed: Bool
        switch outcome {
        case .saved(let path): words = "Saved as " + path; failed = false
        case .opened(let filename): words = "Opened " + filename; failed = false
        case .failed(let why): words = why; failed = true
        }
        if var a = attachmentList {
            a.inFlight = max(0, a.inFlight - 1)
            a.notice = words
            a.failed = failed
            attachmentList = a
        } else if message != nil {
            message?.notice = words
        }
        return []
    }

    var attachmentRows: Int { max(1, rows - 5) }
}

extension Views {
    /// The attachment list: number, name, type and size of each; the action's outcome on the status row.
    static func attachments(_ s: BrowserState, _ g: inout CellGrid) {
        let a = s.attachmentList ?? AttachmentListState()
        let all = s.shownAttachments
        let subject = s.message?.detail?.subject ?? ""
        bar("Attachments · " + (subject.isEmpty ? "(no subject)" : subject), y: 0, &g)
        let sizeWidth = 9
        let typeWidth = min(24, max(8, g.cols / 4))
        let sizeX = g.cols - sizeWidth - 1, typeX = sizeX - typeWidth - 1
        g.put("#", x: 1, y: 1, style: dim)
        g.put("Name", x: 5, y: 1, style: dim)
        g.put("Type", x: typeX, y: 1, style: dim)
        putRight("Size", x: sizeX, width: sizeWidth, y: 1, style: dim, &g)
        for row in 0..<s.attachmentRows {
            let i = a.scroll + row
            guard i < all.count else { break }
            let item = all[i], y = 2 + row
            putRight("\(i + 1)", x: 0, width: 3, y: y, style: .plain, &g)
            g.put(item.filename, x: 5, y: y, maxWidth: max(1, typeX - 6))
            g.put(item.mimeType, x: typeX, y: y, maxWidth: typeWidth, style: dim)
            putRight(DisplayFormat.size(item.size), x: sizeX, width: sizeWidth, y: y, style: .plain, &g)
            if i == a.selection { g.restyle(y: y, x: 0, width: g.cols) { $0.reverse = true } }
        }
        let statusY = g.rows - 2
        if let n = a.notice {
            let spin = a.inFlight > 0 ? "\(Spinner.frame(s.spinnerFrame)) " : ""
            g.put(spin + n, x: 0, y: statusY, style: a.failed ? error : (a.inFlight > 0 ? .plain : dim))
        }
        bar("Enter open · s save to Downloads · 1-9 pick · q back", y: g.rows - 1, &g)
    }
}
