import Foundation
import TerminalCells

/// The spinner shown while something loads.
public enum Spinner {
    public static let frames: [Character] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    static func frame(_ n: Int) -> Character { frames[((n % frames.count) + frames.count) % frames.count] }
}

/// Dates, sizes and counts as the screens show them, independent of the process locale.
public enum DisplayFormat {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    /// A list date: "14:05" today, "Nov 3" this year, "2024-03-15" before (never wider than 10 columns).
    public static func listDate(_ date: Date?, now: Date, calendar: Calendar) -> String {
        guard let date else { return "" }
        let d = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let n = calendar.dateComponents([.year, .month, .day], from: now)
        guard let year = d.year, let month = d.month, let day = d.day else { return "" }
        if year == n.year, month == n.month, day == n.day {
            return two(d.hour ?? 0) + ":" + two(d.minute ?? 0)
        }
        if year == n.year { return "\(months[month - 1]) \(day)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// A full date for the message view, in the calendar's time zone and saying which:
    /// "Sat 21 Nov 2026 14:05 +0100".
    public static func fullDate(_ date: Date, calendar: Calendar) -> String {
        let d = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        let weekday = weekdays[((d.weekday ?? 1) - 1) % 7]
        let offset = calendar.timeZone.secondsFromGMT(for: date) / 60
        let zone = (offset < 0 ? "-" : "+") + two(abs(offset) / 60) + two(abs(offset) % 60)
        return "\(weekday) \(d.day ?? 0) \(months[(d.month ?? 1) - 1]) \(d.year ?? 0) \(two(d.hour ?? 0)):\(two(d.minute ?? 0)) \(zone)"
    }

    /// A byte count: "512 B", "12.3 KB", "4.0 MB".
    public static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// An integer with thousands separators: "1,234".
    public static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
