import Foundation

/// HTML to readable plain text.
///
/// Script, style and head are dropped; block elements start new lines (paragraphs, headings,
/// lists, tables and quotes are set off by a blank line); list items get `- ` or `1. `; quotes
/// get `> `; links become `text <url>` when the URL differs from the text; images with alt text
/// become `[image: alt]`; entities are decoded (`&nbsp;` is a space that does not collapse);
/// whitespace collapses as in a browser except inside `<pre>`; at most one blank line in a row.
public enum HTMLText {
    /// Renders `html` as plain text with LF line endings and no leading or trailing blank lines.
    public static func render(_ html: String) -> String {
        var renderer = HTMLTextRenderer()
        var tokenizer = HTMLTokenizer(html)
        while let token = tokenizer.next() { renderer.handle(token) }
        return renderer.writer.finish()
    }

    /// The charset an HTML document declares in a `<meta charset=...>` or
    /// `<meta http-equiv="Content-Type" content="...; charset=...">` tag near its start.
    public static func declaredCharset(_ html: Data) -> String? {
        let head = Array(html.prefix(4096)).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let text = String(decoding: head, as: UTF8.self)
        var searchStart = text.startIndex
        while let meta = text.range(of: "<meta", range: searchStart..<text.endIndex) {
            let tagEnd = text[meta.upperBound...].firstIndex(of: ">") ?? text.endIndex
            let tag = text[meta.upperBound..<tagEnd]
            if let found = tag.range(of: "charset=") {
                let value = tag[found.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
                let name = value.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." }
                if !name.isEmpty { return String(name) }
            }
            searchStart = tagEnd
        }
        return nil
    }
}

/// Folds HTML tokens into a `TextWriter`, tracking lists, links, quotes and `<pre>`.
struct HTMLTextRenderer {
    var writer = TextWriter()
    private var inHead = false
    private var lists: [(ordered: Bool, next: Int)] = []
    private var links: [String] = []
    /// Open links past this depth are not tracked (nested links are invalid HTML anyway).
    private static let maximumOpenLinks = 8

    private static let headElements: Set<String> = ["meta", "link", "base", "basefont", "bgsound", "noscript", "object", "head", "html"]
    private static let lineBlocks: Set<String> = [
        "div", "tr", "dt", "dd", "address", "article", "aside", "header", "footer", "nav", "section", "form",
        "fieldset", "figure", "figcaption", "center", "caption", "main", "option", "details", "summary", "legend",
    ]
    private static let paragraphBlocks: Set<String> = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "dl"]

    mutating func handle(_ token: HTMLToken) {
        switch token {
        case .text(let text):
            guard !inHead else { return }
            writer.write(HTMLEntities.decode(Substring(text)))
        case .start(let name, let attributes, let selfClosing):
            start(name, attributes, selfClosing)
        case .end(let name):
            end(name)
        }
    }

    private mutating func start(_ name: String, _ attributes: [String: String], _ selfClosing: Bool) {
        if name == "head" { inHead = true; return }
        if name == "body" { inHead = false; return }
        if inHead {
            // A head left open: the first element that cannot be in a head ends it.
            guard !Self.headElements.contains(name) else { return }
            inHead = false
        }
        switch name {
        case "br":
            writer.lineBreak()
        case "hr":
            writer.requestBreak(1)
            writer.writeWord("----------")
            writer.requestBreak(1)
        case "ul", "ol":
            writer.requestBreak(lists.isEmpty ? 2 : 1)
            // A hostile `start` must not overflow the counter.
            lists.append((name == "ol", min(max(Int(attributes["start"] ?? "") ?? 1, -1_000_000), 1_000_000)))
        case "li":
            writer.requestBreak(1)
            let indent = String(repeating: "  ", count: min(max(lists.count - 1, 0), TextWriter.maximumNestingShown))
            if let last = lists.last, last.ordered {
                writer.marker = indent + "\(last.next). "
                lists[lists.count - 1].next += 1
            } else {
                writer.marker = indent + "- "
            }
        case "blockquote":
            writer.requestBreak(2)
            writer.quoteDepth += 1
        case "pre":
            writer.requestBreak(2)
            writer.preDepth += 1
            writer.skipNextNewline = true
        case "td", "th":
            writer.space()
        case "img":
            let alt = (attributes["alt"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if !alt.isEmpty { writer.writeWord("[image: \(alt)]") }
        case "a":
            if !selfClosing, links.count < Self.maximumOpenLinks {
                links.append(attributes["href"] ?? "")
                writer.captures.append("")
            }
        default:
            if Self.paragraphBlocks.contains(name) {
                writer.requestBreak(2)
            } else if Self.lineBlocks.contains(name) {
                writer.requestBreak(1)
            }
        }
    }

    private mutating func end(_ name: String) {
        if name == "head" { inHead = false; return }
        switch name {
        case "ul", "ol":
            if !lists.isEmpty { lists.removeLast() }
            writer.requestBreak(lists.isEmpty ? 2 : 1)
        case "li":
            writer.requestBreak(1)
        case "blockquote":
            writer.requestBreak(2)
            writer.quoteDepth = max(writer.quoteDepth - 1, 0)
        case "pre":
            writer.preDepth = max(writer.preDepth - 1, 0)
            writer.requestBreak(2)
        case "a":
            guard let link = links.popLast(), let captured = writer.captures.popLast() else { return }
            let text = captured.trimmingCharacters(in: .whitespacesAndNewlines)
            let href = link.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty, Self.isShown(href), !Self.sameTarget(text, href) { writer.writeWord("<\(href)>") }
        default:
            if Self.paragraphBlocks.contains(name) {
                writer.requestBreak(2)
            } else if Self.lineBlocks.contains(name) {
                writer.requestBreak(1)
            }
        }
    }

    private static func isShown(_ href: String) -> Bool {
        !href.isEmpty && !href.hasPrefix("#") && !href.lowercased().hasPrefix("javascript:")
    }

    /// Whether the link text already says where the link goes.
    private static func sameTarget(_ text: String, _ href: String) -> Bool {
        func normalized(_ s: String) -> String {
            var s = s.lowercased()
            for prefix in ["mailto:", "https://", "http://"] where s.hasPrefix(prefix) { s.removeFirst(prefix.count) }
            while s.hasSuffix("/") { s.removeLast() }
            return s
        }
        return normalized(text) == normalized(href)
    }
}

/// Builds plain text line by line: collapses whitespace, holds line breaks until text follows
/// (so breaks never pile up), and writes quote prefixes and list markers at the start of lines.
struct TextWriter {
    /// Quote marks and list indents shown at most this deep: each line repeats its nesting, so
    /// hostile markup nested thousands deep would otherwise turn kilobytes into gigabytes of text.
    static let maximumNestingShown = 10

    private var out = ""
    private var pendingNewlines = 0
    private var pendingSpace = false
    private var atLineStart = true
    /// The shallowest quote depth seen while breaks were pending: a blank line between two
    /// quoted paragraphs keeps the quote mark, one entering or leaving a quote does not.
    private var pendingQuoteDepth = Int.max
    var quoteDepth = 0
    var preDepth = 0
    var skipNextNewline = false
    /// A list marker written before the next text at the start of a line.
    var marker: String?

    /// Text written since each open link started (prefixes and markers excluded), innermost last.
    var captures: [String] = []

    /// Asks for `n` line breaks (1: new line, 2: blank line) before the next text.
    mutating func requestBreak(_ n: Int) {
        guard !out.isEmpty else { return }
        pendingNewlines = max(pendingNewlines, n)
        pendingQuoteDepth = min(pendingQuoteDepth, quoteDepth)
        pendingSpace = false
    }

    /// A `<br>`: one more line break, even on an empty line.
    mutating func lineBreak() {
        guard !out.isEmpty else { return }
        pendingNewlines = min(pendingNewlines + 1, 2)
        pendingQuoteDepth = min(pendingQuoteDepth, quoteDepth)
        pendingSpace = false
    }

    /// A word separator that collapses with other whitespace.
    mutating func space() {
        if !atLineStart || pendingNewlines == 0 { pendingSpace = true }
    }

    /// Writes `word` as one unit, separated from what precedes it by a space.
    mutating func writeWord(_ word: String) {
        space()
        emit(word)
    }

    /// Writes decoded text, collapsing whitespace unless inside `<pre>`.
    mutating func write(_ text: String) {
        if preDepth > 0 {
            for ch in text {
                if skipNextNewline {
                    skipNextNewline = false
                    if ch == "\n" || ch == "\r\n" { continue }
                }
                if ch == "\n" || ch == "\r\n" || ch == "\r" {
                    if out.isEmpty { continue }
                    pendingNewlines += 1
                    flushNewlines(limit: Int.max)
                } else {
                    emit(String(ch == "\u{A0}" ? " " : ch))
                }
            }
            return
        }
        var word = ""
        for ch in text {
            if ch == " " || ch == "\t" || ch == "\n" || ch == "\r\n" || ch == "\r" || ch == "\u{0C}" {
                if !word.isEmpty { emit(word); word = "" }
                space()
            } else {
                word.append(ch == "\u{A0}" ? " " : ch)
            }
        }
        if !word.isEmpty { emit(word) }
    }

    private mutating func emit(_ text: String) {
        flushNewlines(limit: 2)
        if atLineStart {
            out += String(repeating: "> ", count: min(quoteDepth, Self.maximumNestingShown))
            if let marker { out += marker; self.marker = nil }
            atLineStart = false
        } else if pendingSpace {
            out += " "
            for index in captures.indices { captures[index] += " " }
        }
        pendingSpace = false
        out += text
        for index in captures.indices { captures[index] += text }
    }

    private mutating func flushNewlines(limit: Int) {
        guard pendingNewlines > 0 else { return }
        let count = min(pendingNewlines, limit)
        let blankDepth = min(pendingQuoteDepth, quoteDepth, Self.maximumNestingShown)
        for index in 0..<count {
            out += "\n"
            // Blank lines inside a quote keep the quote marks so the quote reads as one block.
            if index < count - 1, blankDepth > 0 { out += String(repeating: ">", count: blankDepth) }
        }
        pendingNewlines = 0
        pendingQuoteDepth = Int.max
        pendingSpace = false
        atLineStart = true
    }

    /// The text with trailing spaces removed from each line, at most one blank line in a row,
    /// and no blank lines at either end.
    func finish() -> String {
        var lines: [Substring] = []
        for raw in out.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw
            while let last = line.last, last == " " || last == "\t" { line.removeLast() }
            if line.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
