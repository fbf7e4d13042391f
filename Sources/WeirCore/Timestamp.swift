/// An instant on the UTC time line, read from and written as RFC 3339 text
/// (`2026-01-01T10:00:00.000Z`, `2026-01-01T11:00:00+01:00`), with nanosecond precision.
///
/// ```swift
/// let t = Timestamp(rfc3339: "2026-01-01T10:00:00.250Z")!
/// t.milliseconds          // 1767261600250
/// t.rfc3339               // "2026-01-01T10:00:00.250Z"
/// ```
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64
    /// Nanoseconds within the second, 0..<1_000_000_000.
    public var nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public init(milliseconds: Int64) {
        let (q, r) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        self.init(seconds: r < 0 ? q - 1 : q, nanoseconds: Int32((r < 0 ? r + 1000 : r) * 1_000_000))
    }

    /// The seconds RFC 3339 text can write: 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z (four-digit years).
    public static let rfc3339Seconds: ClosedRange<Int64> = -62_167_219_200...253_402_300_799

    /// Whether `rfc3339` writes this instant as RFC 3339 (its year is 0000 to 9999); beyond,
    /// the text has a year of another width and no RFC 3339 reader takes it.
    public var isRFC3339: Bool { Timestamp.rfc3339Seconds.contains(seconds) }

    /// Milliseconds since the epoch (rounded toward negative infinity).
    /// Saturates at `Int64.min` / `Int64.max` for instants beyond them (about 292 million years).
    public var milliseconds: Int64 {
        let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = ms.addingReportingOverflow(Int64(nanoseconds / 1_000_000))
        return overflow2 ? .max : sum
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// Parses RFC 3339 date-time text; nil when it is not one (or names an impossible date).
    public init?(rfc3339 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Timestamp.parse($0) }) else { return nil }
        self = parsed
    }

    /// Parses RFC 3339 date-time text from UTF-8 bytes.
    public static func parse(_ s: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= s.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + n) {
                let c = s[k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
            let day = digits(2)
        else { return nil }
        guard i < s.count, s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") || s[i] == UInt8(ascii: " ")
        else { return nil }
        i += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2), expect(UInt8(ascii: ":")),
            let second = digits(2)
        else { return nil }
        var nanos: Int64 = 0
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            var scale: Int64 = 100_000_000
            let start = i
            while i < s.count, s[i] >= 48, s[i] <= 57 {
                nanos += Int64(s[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offset: Int64 = 0
        guard i < s.count else { return nil }
        if s[i] == UInt8(ascii: "Z") || s[i] == UInt8(ascii: "z") {
            i += 1
        } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
            let sign: Int64 = s[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2), expect(UInt8(ascii: ":")), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == s.count else { return nil }
        guard month >= 1, month <= 12, day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second <= 60
        else { return nil }
        // A leap second (:60) is read as the last instant of that minute's 59th second.
        let secs = min(second, 59)
        let days = daysFromCivil(year: year, month: month, day: day)
        let total = days * 86_400 + hour * 3600 + minute * 60 + secs - offset
        return Timestamp(seconds: total, nanoseconds: Int32(nanos))
    }

    /// RFC 3339 text in UTC with millisecond precision (`2026-01-01T10:00:00.250Z`), or more
    /// digits when the instant has sub-millisecond precision.
    public var rfc3339: String {
        let (days, secOfDay) = Timestamp.days(seconds)
        let (y, m, d) = Timestamp.civil(fromDays: days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let text = String(v)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        var fraction = pad(Int64(nanoseconds), 9)
        if nanoseconds % 1_000_000 == 0 {
            fraction = String(fraction.prefix(3))
        } else if nanoseconds % 1000 == 0 {
            fraction = String(fraction.prefix(6))
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secOfDay / 3600, 2)):\(pad(secOfDay / 60 % 60, 2)):"
            + "\(pad(secOfDay % 60, 2)).\(fraction)Z"
    }

    public var description: String { rfc3339 }

    /// UTC calendar fields: year, month 1-12, day 1-31, hour, minute, second, ISO weekday (1 = Monday).
    public var utcFields: (year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, weekday: Int64) {
        let (days, secOfDay) = Timestamp.days(seconds)
        let (y, m, d) = Timestamp.civil(fromDays: days)
        // 1970-01-01 was a Thursday (ISO weekday 4).
        let weekday = ((days % 7) + 7 + 3) % 7 + 1
        return (y, m, d, secOfDay / 3600, secOfDay / 60 % 60, secOfDay % 60, weekday)
    }

    /// Whole days since the epoch (rounded down) and the second of that day, for any second
    /// count, without overflow.
    static func days(_ seconds: Int64) -> (days: Int64, second: Int64) {
        let (q, r) = seconds.quotientAndRemainder(dividingBy: 86_400)
        return r < 0 ? (q - 1, r + 86_400) : (q, r)
    }

    static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    package static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    package static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    package static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// A duration (named so as not to shadow Swift.Duration): milliseconds, written `250ms`, `30s`, `10m`, `1h`, `7d` or combined (`1h30m`).
public struct TimeSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func < (a: TimeSpan, b: TimeSpan) -> Bool { a.milliseconds < b.milliseconds }

    /// Parses `250ms`, `30s`, `10m`, `1h`, `7d`, and sums of them (`1h30m`); nil otherwise or on overflow.
    public init?(parsing text: String) {
        var total: Int64 = 0
        var chars = Array(text.utf8)[...]
        guard !chars.isEmpty else { return nil }
        while !chars.isEmpty {
            var value: Int64 = 0
            var sawDigit = false
            while let c = chars.first, c >= 48, c <= 57 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(c - 48))
                guard !o1, !o2 else { return nil }
                value = a
                sawDigit = true
                chars.removeFirst()
            }
            guard sawDigit else { return nil }
            let unit: Int64
            if chars.starts(with: "ms".utf8) {
                unit = 1
                chars.removeFirst(2)
            } else if let c = chars.first {
                switch c {
                case UInt8(ascii: "s"): unit = 1000
                case UInt8(ascii: "m"): unit = 60_000
                case UInt8(ascii: "h"): unit = 3_600_000
                case UInt8(ascii: "d"): unit = 86_400_000
                default: return nil
                }
                chars.removeFirst()
            } else {
                return nil
            }
            let (part, o1) = value.multipliedReportingOverflow(by: unit)
            let (sum, o2) = total.addingReportingOverflow(part)
            guard !o1, !o2 else { return nil }
            total = sum
        }
        milliseconds = total
    }

    public var description: String {
        var ms = milliseconds
        if ms == 0 { return "0ms" }
        var text = ms < 0 ? "-" : ""
        ms = ms.magnitude > Int64.max.magnitude ? Int64.max : abs(ms)
        for (unit, name) in [(Int64(86_400_000), "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s"), (1, "ms")]
        where ms >= unit {
            text += "\(ms / unit)\(name)"
            ms %= unit
        }
        return text
    }
}
