import Foundation
import MailModels

/// One change of mail sent to Gmail: `serial` ties its answer (`.mailChanged`, `.mailChangeFailed`) to it.
public struct MailChange: Sendable, Equatable, Hashable {
    public var serial: Int
    public var action: MailAction
    /// Message ids, or thread ids when `target` is `.conversations`.
    public var ids: [String]
    public var target: ChangeTarget
    public init(serial: Int, action: MailAction, ids: [String], target: ChangeTarget = .messages) {
        self.serial = serial; self.action = action; self.ids = ids; self.target = target
    }
}

/// What the triage keys need to remember: the grant, the selected rows, the changes under way and the
/// last one for `z`, and the label checklist while it is open.
public struct TriageState: Sendable, Equatable {
    /// Whether the grant lets this account change mail (`gmail.modify`); told by `.modifyPermission`.
    public var canModify = false
    /// Opening an unread message marks it read (when `canModify`); `mark_read_on_open` in the configuration.
    public internal(set) var markReadOnOpen = true
    /// Rows selected with `x` (message ids): actions apply to all of them.
    public internal(set) var selected: Set<String> = []
    /// Changes shown on screen whose answer has not come, oldest first.
    internal var inFlight: [ShownChange] = []
    /// The last change the user made, for `z`.
    internal var undo: ShownChange?
    /// The label checklist (`l`), while open.
    public internal(set) var labelPicker: LabelPicker?
    /// User labels as `labels()` last gave them (for the checklist).
    public internal(set) var userLabels: [LabelSummary]?
    internal var nextSerial = 1

    public init() {}
}

/// A change as the screen shows it: what it did to the rows, so that it can be rolled back (Gmail
/// refused it) or undone (`z`).
struct ShownChange: Sendable, Equatable {
    /// The requests that carry it (an undo may need several: messages changed in different ways).
    var changes: [MailChange]
    /// The serials still waiting for Gmail's answer.
    var waiting: Set<Int>
    /// The list page it was made on.
    var query: String
    var tokens: [String?]
    /// What the change does to the screen (replayed when an earlier change is rolled back).
    var transform: ScreenTransform
    /// The list page and the open message as they were before it.
    var pageBefore: MessagePage?
    var detailBefore: MessageDetail?
    /// "Archived 3": the status line's confirmation.
    var confirmation: String
    /// False for the quiet changes (a message marked read as it opens): no confirmation, no undo.
    var undoable: Bool
    /// What it did to the label counts shown, and which labels it did it to (`LabelListState.generation`).
    var labelCounts = LabelCountChanges()
    var labelsGeneration = 0
    /// For a change of threads, once Gmail made it: the messages it altered (its undo reverts only those).
    var altered: [ChangedMessage]?
}

/// What a change does to the rows and the open message.
indirect enum ScreenTransform: Sendable, Equatable {
    /// `action` on these messages: rows leave the list or change in place.
    case apply(MailAction, [String])
    /// These messages back as they were before `ShownChange` (its undo): rows put back where they were.
    case restore(ShownChange, [String])
    /// Nothing on screen (an undo of a change made on another page).
    case none
}

/// The checklist of user labels for the rows an action applies to.
public struct LabelPicker: Sendable, Equatable {
    public enum Mark: Sendable, Equatable { case none, some, all }
    /// The messages it changes.
    public var ids: [String]
    /// Nil until the labels arrive (`.labelsLoaded`).
    public var labels: [LabelSummary]?
    /// How many of `ids` carry each label, as they were when it opened.
    public var counts: [String: Int] = [:]
    /// What the user set: a label toggled once is `all` or `none` from then on.
    public var marks: [String: Mark] = [:]
    public var cursor = 0
    public var error: String?

    /// The mark a label shows now.
    public func mark(_ id: String) -> Mark {
        if let set = marks[id] { return set }
        let n = counts[id] ?? 0
        return n == 0 ? .none : (n == ids.count ? .all : .some)
    }

    /// The change the checklist asks for: labels checked that some lacked, unchecked that some had.
    public var action: MailAction? {
        var add: [String] = [], remove: [String] = []
        for label in labels ?? [] {
            guard let set = marks[label.id] else { continue }
            let n = counts[label.id] ?? 0
            if set == .all, n < ids.count { add.append(label.id) }
            if set == .none, n > 0 { remove.append(label.id) }
        }
        return add.isEmpty && remove.isEmpty ? nil : .relabel(add: add, remove: remove)
    }
}

extension BrowserState {
    /// Whether opening an unread message marks it read (`mark_read_on_open` in the configuration; default true).
    public var markReadOnOpen: Bool {
        get { triage.markReadOnOpen }
        set { triage.markReadOnOpen = newValue }
    }
}
