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
}

/// Folds HTML tokens into a `TextWriter`, tracking lists, links, quotes and `<pre>`.
struct HTMLTextRenderer {
    var writer = TextWriter()
    private var inHead = false
    private var lists: [(ordered: Bool, next: Int)] = []
    private var links: [(href: String, textStart: Int)] = []

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
            lists.append((name == "ol", Int(attributes["start"] ?? "") ?? 1))
        case "li":
            writer.requestBreak(1)
            let indent = String(repeating: "  ", count: max(lists.count - 1, 0))
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
            if !selfClosing { links.append((attributes["href"] ?? "", writer.count)) }
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
            guard let link = links.popLast() else { return }
            let text = writer.text(since: link.textStart).trimmingCharacters(in: .whitespacesAndNewlines)
            let href = link.href.trimmingCharacters(in: .whitespacesAndNewlines)
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
    private var out = ""
    private var pendingNewlines = 0
    private var pendingSpace = false
    private var atLineStart = true
    var quoteDepth = 0
    var preDepth = 0
    var skipNextNewline = false
    /// A list marker written before the next text at the start of a line.
    var marker: String?

    /// Bytes written so far (UTF-8), to find a link's text later.
    var count: Int { out.utf8.count }

    func text(since offset: Int) -> String {
        let utf8 = Array(out.utf8)
        return offset <= utf8.count ? String(decoding: utf8[offset...], as: UTF8.self) : ""
    }

    /// Asks for `n` line breaks (1: new line, 2: blank line) before the next text.
    mutating func requestBreak(_ n: Int) {
        guard !out.isEmpty else { return }
        pendingNewlines = max(pendingNewlines, n)
        pendingSpace = false
    }

    /// A `<br>`: one more line break, even on an empty line.
    mutating func lineBreak() {
        guard !out.isEmpty else { return }
        pendingNewlines = min(pendingNewlines + 1, 2)
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
                    emit(String(ch == "\u{A0}" ? " " : ch), collapse: false)
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

    private mutating func emit(_ text: String, collapse: Bool = true) {
        flushNewlines(limit: 2)
        if atLineStart {
            out += String(repeating: "> ", count: quoteDepth)
            if let marker { out += marker; self.marker = nil }
            atLineStart = false
        } else if pendingSpace {
            out += " "
        }
        pendingSpace = false
        out += text
    }

    private mutating func flushNewlines(limit: Int) {
        guard pendingNewlines > 0 else { return }
        let count = min(pendingNewlines, limit)
        for index in 0..<count {
            out += "\n"
            // Blank lines inside a quote keep the quote marks so the quote reads as one block.
            if index < count - 1, quoteDepth > 0 { out += String(repeating: ">", count: quoteDepth) }
        }
        pendingNewlines = 0
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
