import Foundation

/// A JSON value written by the sandbox's own hand, keys in the order given.
///
/// The sandbox never uses the client's Codable models, so a decoding bug
/// cannot hide on both sides of the wire.
enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// A number that is not an `Int` (a fraction, an exponent, a large value), as written.
    case number(String)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func == (a: JSON, b: JSON) -> Bool { a.text == b.text }

    /// The compact UTF-8 serialization.
    var data: Data { Data(text.utf8) }

    /// The compact serialization as a string.
    var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let text): out += text
        case .string(let s): JSON.writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                JSON.writeString(key, into: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// A member of an object, by key; the last one when a key repeats.
    subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members.last { $0.0 == key }?.1 }
        return nil
    }
}
