import Foundation

/// The sandbox's one JSON reader: request bodies, the labels sidecar, and its own answers
/// read back for `fields`. Key order is kept; anything RFC 8259 does not allow is refused.
enum JSONReader {
    /// Nesting deeper than this is refused rather than recursed into.
    static let maxDepth = 512

    /// The value of a whole document, or nil when it is not JSON.
    static func parse(_ data: Data) -> JSON? {
        var p = Parser(bytes: [UInt8](data))
        p.skip()
        guard let v = p.value(depth: 0) else { return nil }
        p.skip()
        return p.i == p.bytes.count ? v : nil
    }

    /// A request body that must be an object; an empty body reads as `{}`.
    static func object(_ data: Data) -> JSON? {
        guard !data.isEmpty else { return .object([]) }
        guard let v = parse(data), case .object = v else { return nil }
        return v
    }

    struct Parser {
        var bytes: [UInt8]
        var i = 0

        mutating func skip() { while i < bytes.count, [32, 9, 10, 13].contains(bytes[i]) { i += 1 } }

        /// Consumes `b` when it is next.
        mutating func take(_ b: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == b else { return false }
            i += 1
            return true
        }

        mutating func literal(_ s: String, _ v: JSON) -> JSON? {
            let b = Array(s.utf8)
            guard bytes.count - i >= b.count, Array(bytes[i..<i + b.count]) == b else { return nil }
            i += b.count
            return v
        }

        mutating func value(depth: Int) -> JSON? {
            guard i < bytes.count, depth < JSONReader.maxDepth else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, JSON)] = []
                skip()
                if take(UInt8(ascii: "}")) { return .object(members) }
                repeat {
                    skip()
                    guard let k = string() else { return nil }
                    skip()
                    guard take(UInt8(ascii: ":")) else { return nil }
                    skip()
                    guard let v = value(depth: depth + 1) else { return nil }
                    members.append((k, v))
                    skip()
                } while take(UInt8(ascii: ","))
                return take(UInt8(ascii: "}")) ? .object(members) : nil
            case UInt8(ascii: "["):
                i += 1
                var items: [JSON] = []
                skip()
                if take(UInt8(ascii: "]")) { return .array(items) }
                repeat {
                    skip()
                    guard let v = value(depth: depth + 1) else { return nil }
                    items.append(v)
                    skip()
                } while take(UInt8(ascii: ","))
                return take(UInt8(ascii: "]")) ? .array(items) : nil
            case UInt8(ascii: "\""): return string().map(JSON.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default: return number()
            }
        }

        mutating func digits() -> Int {
            let start = i
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            return i - start
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; an integer that fits stays `.int`.
        mutating func number() -> JSON? {
            let start = i
            _ = take(UInt8(ascii: "-"))
            let intStart = i
            let n = digits()
            guard n > 0, n == 1 || bytes[intStart] != UInt8(ascii: "0") else { return nil }
            var integral = true
            if take(UInt8(ascii: ".")) {
                guard digits() > 0 else { return nil }
                integral = false
            }
            if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard digits() > 0 else { return nil }
                integral = false
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if integral, let v = Int(text) { return .int(v) }
            return .number(text)
        }

        mutating func hex4() -> UInt32? {
            guard bytes.count - i >= 4, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else { return nil }
            i += 4
            return v
        }

        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                if b == UInt8(ascii: "\"") { return String(bytes: out, encoding: .utf8) }
                if b < 0x20 { return nil }
                if b != UInt8(ascii: "\\") { out.append(b); continue }
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(code) {
                        guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }
                    out += Array(String(Character(scalar)).utf8)
                default: return nil
                }
            }
            return nil
        }
    }
}

/// Reading values out of what `JSONReader` returns.
extension JSON {
    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var items: [JSON]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var members: [(String, JSON)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The strings of an array, other items skipped; empty for anything but an array.
    var strings: [String] { items?.compactMap(\.string) ?? [] }
}
