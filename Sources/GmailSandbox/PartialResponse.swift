import Foundation

/// The `fields` parameter (partial response): `a,b/c,d(e,f)`, applied to a JSON answer.
///
/// Supported: comma lists, `/` paths and `( )` groups, nested; arrays apply the
/// selection to each element. `*` keeps everything at its level. A selection that
/// cannot be parsed leaves the response whole.
struct FieldSelection: Equatable {
    /// nil children = keep the whole value.
    var children: [String: FieldSelection?]

    static func parse(_ spec: String) -> FieldSelection? {
        var p = Parser(chars: Array(spec.filter { !$0.isWhitespace }))
        guard let sel = p.list(), p.i == p.chars.count else { return nil }
        return sel
    }

    func apply(_ value: JSON) -> JSON {
        switch value {
        case .array(let items): return .array(items.map(apply))
        case .object(let members):
            if children["*"] != nil { return value }
            return .object(members.compactMap { key, v in
                guard let sub = children[key] else { return nil }
                return (key, sub.map { $0.apply(v) } ?? v)
            })
        default: return value
        }
    }

    /// Merges two selections of the same level.
    mutating func merge(_ key: String, _ sub: FieldSelection?) {
        if let existing = children[key] {
            guard let e = existing, let s = sub else { children[key] = .some(nil); return }
            var merged = e
            for (k, v) in s.children { merged.merge(k, v) }
            children[key] = merged
        } else {
            children[key] = .some(sub)
        }
    }

    struct Parser {
        var chars: [Character]
        var i = 0

        mutating func list() -> FieldSelection? {
            var sel = FieldSelection(children: [:])
            repeat {
                guard let (key, sub) = path() else { return nil }
                sel.merge(key, sub)
                if i < chars.count, chars[i] == "," { i += 1 } else { break }
            } while true
            return sel
        }

        /// `name`, `name/rest`, `name(list)`.
        mutating func path() -> (String, FieldSelection?)? {
            var name = ""
            while i < chars.count, !",/()".contains(chars[i]) { name.append(chars[i]); i += 1 }
            guard !name.isEmpty else { return nil }
            if i < chars.count, chars[i] == "/" {
                i += 1
                guard let (k, sub) = path() else { return nil }
                var inner = FieldSelection(children: [:])
                inner.merge(k, sub)
                return (name, inner)
            }
            if i < chars.count, chars[i] == "(" {
                i += 1
                guard let inner = list(), i < chars.count, chars[i] == ")" else { return nil }
                i += 1
                return (name, inner)
            }
            return (name, nil)
        }
    }
}
