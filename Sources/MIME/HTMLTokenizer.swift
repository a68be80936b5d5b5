import Foundation

/// One piece of an HTML document: text, or a tag with lower-cased name and attributes.
enum HTMLToken: Equatable {
    case text(String)
    case start(name: String, attributes: [String: String], selfClosing: Bool)
    case end(name: String)
}

/// A small, tolerant HTML tokenizer: never fails, skips comments, doctypes and the contents of
/// `script`, `style` and `title`, and reads a stray `<` as text.
struct HTMLTokenizer {
    private let bytes: [UInt8]
    private var index = 0

    /// Elements whose whole content is dropped (it is code or metadata, not text).
    static let droppedElements: Set<String> = ["script", "style", "title"]

    init(_ html: String) { bytes = Array(html.utf8) }

    mutating func next() -> HTMLToken? {
        let n = bytes.count
        while index < n {
            guard bytes[index] == UInt8(ascii: "<") else {
                let start = index
                while index < n, bytes[index] != UInt8(ascii: "<") { index += 1 }
                return .text(String(decoding: bytes[start..<index], as: UTF8.self))
            }
            let next = index + 1 < n ? bytes[index + 1] : 0
            if next == UInt8(ascii: "!") {
                if starts(with: "<!--", at: index) {
                    index = find("-->", from: index + 4).map { $0 + 3 } ?? n
                } else {
                    index = (bytes[index...].firstIndex(of: UInt8(ascii: ">")) ?? n - 1) + 1
                }
                continue
            }
            if next == UInt8(ascii: "?") {
                index = (bytes[index...].firstIndex(of: UInt8(ascii: ">")) ?? n - 1) + 1
                continue
            }
            if next == UInt8(ascii: "/") {
                if index + 2 < n, isLetter(bytes[index + 2]) {
                    var i = index + 2
                    let nameStart = i
                    while i < n, isNameByte(bytes[i]) { i += 1 }
                    let name = String(decoding: bytes[nameStart..<i], as: UTF8.self).lowercased()
                    index = (bytes[i...].firstIndex(of: UInt8(ascii: ">")) ?? n - 1) + 1
                    return .end(name: name)
                }
                index = (bytes[index...].firstIndex(of: UInt8(ascii: ">")) ?? n - 1) + 1
                continue
            }
            if isLetter(next) {
                let token = startTag()
                if case .start(let name, _, let selfClosing) = token, !selfClosing, Self.droppedElements.contains(name) {
                    skipContent(of: name)
                    continue
                }
                return token
            }
            index += 1
            return .text("<")
        }
        return nil
    }

    private mutating func startTag() -> HTMLToken {
        let n = bytes.count
        var i = index + 1
        let nameStart = i
        while i < n, isNameByte(bytes[i]) { i += 1 }
        let name = String(decoding: bytes[nameStart..<i], as: UTF8.self).lowercased()
        var attributes: [String: String] = [:]
        var selfClosing = false
        while i < n {
            while i < n, isSpace(bytes[i]) { i += 1 }
            guard i < n else { break }
            if bytes[i] == UInt8(ascii: ">") { i += 1; break }
            if bytes[i] == UInt8(ascii: "/") {
                i += 1
                if i < n, bytes[i] == UInt8(ascii: ">") { selfClosing = true }
                continue
            }
            let attrStart = i
            while i < n, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: "="), bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "/") || i == attrStart { i += 1 }
            let attrName = String(decoding: bytes[attrStart..<i], as: UTF8.self).lowercased()
            while i < n, isSpace(bytes[i]) { i += 1 }
            var value = ""
            if i < n, bytes[i] == UInt8(ascii: "=") {
                i += 1
                while i < n, isSpace(bytes[i]) { i += 1 }
                if i < n, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    let quote = bytes[i]
                    let valueStart = i + 1
                    let valueEnd = bytes[valueStart...].firstIndex(of: quote) ?? n
                    value = String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
                    i = min(valueEnd + 1, n)
                } else {
                    let valueStart = i
                    while i < n, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">") { i += 1 }
                    value = String(decoding: bytes[valueStart..<i], as: UTF8.self)
                }
            }
            if !attrName.isEmpty, attributes[attrName] == nil { attributes[attrName] = HTMLEntities.decode(Substring(value)) }
        }
        index = i
        return .start(name: name, attributes: attributes, selfClosing: selfClosing)
    }

    /// Moves past the end tag of a dropped element (or to the end of input when it is never closed).
    private mutating func skipContent(of name: String) {
        let closing = Array("</\(name)".utf8)
        var i = index
        let n = bytes.count
        while i + closing.count <= n {
            if bytes[i] == UInt8(ascii: "<"), zip(bytes[i..<(i + closing.count)], closing).allSatisfy({ lower($0) == $1 }) {
                index = (bytes[i...].firstIndex(of: UInt8(ascii: ">")) ?? n - 1) + 1
                return
            }
            i += 1
        }
        index = n
    }

    private func starts(with text: String, at i: Int) -> Bool {
        let pattern = Array(text.utf8)
        return i + pattern.count <= bytes.count && bytes[i..<(i + pattern.count)].elementsEqual(pattern)
    }

    private func find(_ text: String, from start: Int) -> Int? {
        let pattern = Array(text.utf8)
        var i = start
        while i + pattern.count <= bytes.count {
            if bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }

    private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
    private func isNameByte(_ b: UInt8) -> Bool {
        isLetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ":") || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }
    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
    private func lower(_ b: UInt8) -> UInt8 { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b | 0x20 : b }
}
