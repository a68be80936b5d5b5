import Foundation

/// Header text on one screen line.
public enum OneLine {
    /// `text` with each TAB, CR, LF and other control character shown as a space.
    ///
    /// Old list software folds subjects with TAB and leaves CR behind; shown raw they shift
    /// columns or move the cursor. Machine-readable output (`list --json`) keeps the header's text.
    public static func display(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isControl(scalar) ? " " : scalar) }
        return String(scalars)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
    }
}
