import Foundation

/// A Gmail search query (`q`), parsed into a tree and evaluated per message.
///
/// Supported: `is:`, `in:`, `label:`, `category:`, `from:`, `to:`, `cc:`, `subject:`,
/// `rfc822msgid:`, `has:attachment`, `newer_than:`/`older_than:`, `after:`/`before:`,
/// `larger:`/`smaller:`, bare words and "phrases", `-` negation, `OR`, `{ }` and `( )`.
/// Unknown operators match nothing, as Gmail's lenient search does.
indirect enum SearchQuery: Sendable, Equatable {
    case all
    case term(field: String?, value: String)
    case not(SearchQuery)
    case and([SearchQuery])
    case or([SearchQuery])

    /// What a term is checked against.
    struct Subject {
        var message: StoredMessage
        var labels: Set<String>
        var labelNames: [String: String]
        var now: Date
        var parsed: () -> ParsedMessage
    }

    static func parse(_ q: String) -> SearchQuery {
        var parser = Parser(tokens: tokenize(q))
        let result = parser.parseOr()
        return result
    }

    /// Whether the query names Spam or Trash itself (then they are not excluded).
    var mentionsSpamTrash: Bool {
        switch self {
        case .all: false
        case .term(let f, let v): f == "in" && ["anywhere", "spam", "trash"].contains(v.lowercased()) || f == "label" && ["spam", "trash"].contains(v.lowercased())
        case .not(let q): q.mentionsSpamTrash
        case .and(let qs), .or(let qs): qs.contains { $0.mentionsSpamTrash }
        }
    }

    func matches(_ s: Subject) -> Bool {
        switch self {
        case .all: return true
        case .not(let q): return !q.matches(s)
        case .and(let qs): return qs.allSatisfy { $0.matches(s) }
        case .or(let qs): return qs.contains { $0.matches(s) }
        case .term(let field, let value): return SearchQuery.term(field, value, s)
        }
    }

    private static func term(_ field: String?, _ rawValue: String, _ s: Subject) -> Bool {
        let value = rawValue.lowercased()
        func contains(_ haystack: String) -> Bool { haystack.lowercased().contains(value) }
        func hasLabel(_ v: String) -> Bool {
            let wanted = v.lowercased()
            return s.labels.contains { id in
                id.lowercased() == wanted
                    || (s.labelNames[id] ?? id).lowercased() == wanted
                    || (s.labelNames[id] ?? id).lowercased().map { $0 == " " || $0 == "/" ? "-" : String($0) }.joined() == wanted
            }
        }
        switch field {
        case nil:
            let m = s.message
            if contains(m.subject) || contains(m.from) || contains(m.to) || contains(m.cc) { return true }
            return s.parsed().searchText.contains(value)
        case "is":
            switch value {
            case "unread": return s.labels.contains("UNREAD")
            case "read": return !s.labels.contains("UNREAD")
            case "starred": return s.labels.contains("STARRED")
            case "important": return s.labels.contains("IMPORTANT")
            default: return false
            }
        case "in":
            return value == "anywhere" ? true : hasLabel(value)
        case "label":
            return hasLabel(value)
        case "category":
            return s.labels.contains("CATEGORY_" + value.uppercased()) || (value == "primary" && s.labels.contains("CATEGORY_PERSONAL"))
        case "from": return contains(s.message.from)
        case "to": return contains(s.message.to) || contains(s.message.cc)
        case "cc": return contains(s.message.cc)
        case "subject": return contains(s.message.subject)
        case "rfc822msgid":
            return s.message.messageID == value.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
        case "has":
            return value == "attachment" ? s.parsed().hasAttachment : false
        case "newer_than", "older_than":
            guard let span = relativeSpan(value), let cutoff = Int64(exactly: ((s.now.timeIntervalSince1970 - span) * 1000).rounded(.towardZero)) else { return false }
            return field == "newer_than" ? s.message.internalDate > cutoff : s.message.internalDate < cutoff
        case "after", "before", "newer", "older":
            guard let ms = absoluteDate(value) else { return false }
            return field == "after" || field == "newer" ? s.message.internalDate >= ms : s.message.internalDate < ms
        case "larger", "smaller":
            guard let size = byteSize(value) else { return false }
            return field == "larger" ? s.message.raw.count > size : s.message.raw.count < size
        default:
            return false
        }
    }

    /// `2d`, `3m`, `1y` in seconds.
    static func relativeSpan(_ v: String) -> Double? {
        guard let unit = v.last, let n = Double(v.dropLast()) else { return nil }
        switch unit {
        case "d": return n * 86400
        case "m": return n * 30 * 86400
        case "y": return n * 365 * 86400
        default: return nil
        }
    }

    /// `YYYY/MM/DD` (or `-`), read as UTC midnight, or epoch seconds; nil for a date no message can have.
    static func absoluteDate(_ v: String) -> Int64? {
        let parts = v.split(whereSeparator: { $0 == "/" || $0 == "-" }).compactMap { Int($0) }
        if parts.count == 3 {
            guard parts.allSatisfy((-1_000_000...1_000_000).contains) else { return nil }
            return Int64(daysFromCivil(year: parts[0], month: parts[1], day: parts[2])) * 86_400_000
        }
        if parts.count == 1, let secs = Int64(v) {
            let (ms, overflow) = secs.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : ms
        }
        return nil
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm): no calendar object per message searched.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func byteSize(_ v: String) -> Int? {
        let lower = v.lowercased()
        if lower.hasSuffix("m"), let n = Int(lower.dropLast()) { return n * 1_000_000 }
        if lower.hasSuffix("k"), let n = Int(lower.dropLast()) { return n * 1000 }
        return Int(lower)
    }

    enum Token: Equatable { case open, close, braceOpen, braceClose, or, minus, word(String, quoted: Bool) }

    static func tokenize(_ q: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var inQuote = false
        var quotedCurrent = false
        func flush() {
            if !current.isEmpty || quotedCurrent {
                if current == "OR" && !quotedCurrent { tokens.append(.or) } else { tokens.append(.word(current, quoted: quotedCurrent)) }
            }
            current = ""; quotedCurrent = false
        }
        for ch in q {
            if inQuote {
                if ch == "\"" { inQuote = false } else { current.append(ch) }
                continue
            }
            switch ch {
            case "\"":
                inQuote = true
                // A quote that opens a token is a phrase; after `field:` it is the field's value.
                if current.isEmpty { quotedCurrent = true }
            case " ", "\t", "\n": flush()
            case "(": flush(); tokens.append(.open)
            case ")": flush(); tokens.append(.close)
            case "{": flush(); tokens.append(.braceOpen)
            case "}": flush(); tokens.append(.braceClose)
            case "-" where current.isEmpty && !quotedCurrent: tokens.append(.minus)
            default: current.append(ch)
            }
        }
        flush()
        return tokens
    }

    struct Parser {
        var tokens: [Token]
        var i = 0

        mutating func parseOr() -> SearchQuery {
            var alternatives = [parseAnd()]
            while i < tokens.count, tokens[i] == .or {
                i += 1
                alternatives.append(parseAnd())
            }
            return alternatives.count == 1 ? alternatives[0] : .or(alternatives)
        }

        mutating func parseAnd() -> SearchQuery {
            var items: [SearchQuery] = []
            while i < tokens.count, tokens[i] != .close, tokens[i] != .braceClose, tokens[i] != .or {
                items.append(parseUnary())
                // `a OR b` binds tighter than the implicit AND: `x a OR b` is `x AND (a OR b)`.
                while i < tokens.count, tokens[i] == .or, !items.isEmpty {
                    i += 1
                    let last = items.removeLast()
                    let next = (i < tokens.count && tokens[i] != .close) ? parseUnary() : .all
                    if case .or(let existing) = last { items.append(.or(existing + [next])) } else { items.append(.or([last, next])) }
                }
            }
            if items.isEmpty { return .all }
            return items.count == 1 ? items[0] : .and(items)
        }

        mutating func parseUnary() -> SearchQuery {
            guard i < tokens.count else { return .all }
            switch tokens[i] {
            case .minus:
                i += 1
                return .not(parseUnary())
            case .open:
                i += 1
                let inner = parseOr()
                if i < tokens.count, tokens[i] == .close { i += 1 }
                return inner
            case .braceOpen:
                i += 1
                var alternatives: [SearchQuery] = []
                while i < tokens.count, tokens[i] != .braceClose {
                    if tokens[i] == .or { i += 1; continue }
                    alternatives.append(parseUnary())
                }
                if i < tokens.count { i += 1 }
                return alternatives.isEmpty ? .all : .or(alternatives)
            case .word(let w, let quoted):
                i += 1
                if !quoted, let colon = w.firstIndex(of: ":"), colon != w.startIndex {
                    let field = w[..<colon].lowercased()
                    var value = String(w[w.index(after: colon)...])
                    if value.isEmpty, i < tokens.count, case .word(let next, true) = tokens[i] {
                        value = next
                        i += 1
                    } else if value.isEmpty, i < tokens.count, tokens[i] == .open {
                        // subject:(a b): every word in that field.
                        i += 1
                        var words: [SearchQuery] = []
                        while i < tokens.count, tokens[i] != .close {
                            if case .word(let x, _) = tokens[i] { words.append(.term(field: field, value: x)) }
                            i += 1
                        }
                        if i < tokens.count { i += 1 }
                        return words.count == 1 ? words[0] : .and(words)
                    }
                    return .term(field: field, value: value)
                }
                return .term(field: nil, value: w)
            case .close, .braceClose, .or:
                i += 1
                return .all
            }
        }
    }
}
