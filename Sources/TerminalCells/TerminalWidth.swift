/// Deterministic terminal column widths for grapheme clusters.
///
/// The rules follow what terminals do (East Asian Wide/Fullwidth and emoji
/// presentation take two columns; combining marks, joiners and variation
/// selectors take none), fixed here so that layouts do not depend on the
/// C library's `wcwidth` tables.
public enum TerminalWidth {
    /// The number of columns `character` occupies: 0, 1 or 2.
    ///
    /// Control characters count as 1 because they are drawn through
    /// `displayed(_:)` as a visible replacement, never raw.
    public static func of(_ character: Character) -> Int {
        // ASCII (controls included, drawn as one replacement cell) is one column: skip the Unicode property
        // lookups, which dominate drawing a list of mostly ASCII rows.
        if character.isASCII { return 1 }
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if isControl(first) { return 1 }
        if isZeroWidth(first) { return 0 }
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if first.properties.isEmojiPresentation { return 2 }
        if isWide(first.value) { return 2 }
        return 1
    }

    /// What to draw for `character`: controls become a visible symbol, the rest is unchanged.
    ///
    /// C0 controls become their Control Pictures (`␀`…`␟`), DEL becomes `␡`,
    /// C1 controls become `?`.
    public static func displayed(_ character: Character) -> Character {
        guard let first = character.unicodeScalars.first, isControl(first) else { return character }
        switch first.value {
        case 0x00...0x1F: return Character(Unicode.Scalar(0x2400 + first.value) ?? "?")
        case 0x7F: return "\u{2421}"
        default: return "?"
        }
    }

    /// The total columns of `text`, measured cluster by cluster.
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// True for scalars a terminal draws in the previous cell (combining marks, variation selectors; not joiners).
    public static func isCombining(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        default: return (0xFE00...0xFE0F).contains(s.value)
        }
    }

    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0)
    }

    static func isZeroWidth(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: break
        }
        let v = s.value
        return (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) || v == 0x200B
    }

    /// East Asian Wide and Fullwidth ranges (Unicode 15, condensed).
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
