import Foundation

/// Parses `Date` header values as mailers really write them (RFC 5322 and its obsolete forms).
public enum RFC5322Date {
    /// Parses `Tue, 13 Feb 2024 14:31:55 +0700` and variants; nil when no date can be read.
    ///
    /// Accepted: optional day name (any case, with or without comma), one- or two-digit days,
    /// month names in any case (or their first three letters), two- and three-digit years
    /// (RFC 5322 4.3: below 50 is 20xx, else 19xx), missing seconds, numeric zones, named
    /// zones (UT, GMT, Z, EST, EDT, CST, CDT, MST, MDT, PST, PDT, and a few common others),
    /// zones in comments (`+0000 (UTC)`), no zone at all (read as UTC), and asctime order
    /// (`Mon Jan  2 15:04:05 2006`).
    public static func parse(_ value: String) -> Date? {
        // Comments carry no date information: `(EST)`, `(UTC)`.
        var text = ""
        var depth = 0
        for ch in value {
            if ch == "(" { depth += 1; text.append(" "); continue }
            if ch == ")" { depth = max(depth - 1, 0); continue }
            if depth == 0 { text.append(ch) }
        }
        let tokens = text.replacingOccurrences(of: ",", with: " ").split(whereSeparator: \.isWhitespace).map(String.init)
        var day: Int?, month: Int?, year: Int?
        var hour = 0, minute = 0, second = 0
        var sawTime = false
        var offset: Int?
        for token in tokens {
            let lower = token.lowercased()
            if token.contains(":"), !sawTime {
                let pieces = token.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
                guard pieces.count >= 2, let h = pieces[0], let m = pieces[1] else { continue }
                hour = h; minute = m
                if pieces.count >= 3, let s = pieces[2] { second = s }
                sawTime = true
            } else if let m = monthIndex(lower) {
                if month == nil { month = m }
            } else if dayNames.contains(where: { lower.hasPrefix($0) }) {
                continue
            } else if (token.hasPrefix("+") || token.hasPrefix("-")), token.count == 5, let n = Int(token.dropFirst()) {
                let sign = token.hasPrefix("-") ? -1 : 1
                offset = sign * ((n / 100) * 3600 + (n % 100) * 60)
            } else if let zone = namedZones[lower] {
                if offset == nil { offset = zone * 3600 }
            } else if let n = Int(token), n >= 0 {
                if day == nil, n >= 1, n <= 31, token.count <= 2 {
                    day = n
                } else if year == nil {
                    year = token.count <= 2 ? (n < 50 ? 2000 + n : 1900 + n) : token.count == 3 ? 1900 + n : n
                }
            }
        }
        guard let day, let month, let year, hour < 24, minute < 60, second <= 60 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        var components = DateComponents()
        components.year = year; components.month = month; components.day = day
        components.hour = hour; components.minute = minute; components.second = min(second, 59)
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else { return nil }
        return date.addingTimeInterval(TimeInterval(-(offset ?? 0)))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    private static func monthIndex(_ token: String) -> Int? {
        guard token.count >= 3, token.allSatisfy(\.isLetter) else { return nil }
        return months.firstIndex { token.hasPrefix($0) }.map { $0 + 1 }
    }

    /// Hours from UTC of the zone names RFC 822 defined, plus a few that mailers still send.
    private static let namedZones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 1, "cet": 1, "met": 1, "cest": 2, "eet": 2, "eest": 3,
        "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
        "jst": 9, "kst": 9, "hkt": 8,
    ]
}
