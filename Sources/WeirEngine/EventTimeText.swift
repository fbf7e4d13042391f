import WeirCEP
import WeirCore

/// Event time as RFC 3339 UTC text with milliseconds (`2026-03-01T10:00:00.000Z`), written
/// straight into 24 bytes: the `time` of every emitted event, so it must be cheap.
enum EventTimeText {
    static func format(_ time: EventTime) -> String {
        withText(time) { String(decoding: $0, as: UTF8.self) } ?? Timestamp(milliseconds: time).rfc3339
    }

    /// Calls `body` with the 24 bytes of `format(time)`, with no `String` made; nil (and `body`
    /// not called) when the year is outside 0000-9999.
    @inline(__always)
    static func withText<R>(_ time: EventTime, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        let (seconds, millis) = divide(time, 1000)
        let (days, secondOfDay) = divide(seconds, 86_400)
        let (year, month, day) = Timestamp.civil(fromDays: days)
        guard (0...9999).contains(year) else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { out in
            _ = write(year: year, month: month, day: day, secondOfDay: secondOfDay, millis: millis, to: out)
            return body(UnsafeBufferPointer(out))
        }
    }

    /// The 24 bytes of a four-digit-year instant into `out`; returns 24.
    @inline(__always)
    private static func write(
        year: Int64, month: Int64, day: Int64, secondOfDay: Int64, millis: Int64, to out: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        // Two digits at a time from a table of "00" to "99".
        let pairs: StaticString = """
            0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
            5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
            """
        func two(_ value: Int64, at start: Int) {
            let p = pairs.utf8Start + 2 * Int(value)
            out[start] = p[0]
            out[start + 1] = p[1]
        }
        func put(_ value: Int64, _ width: Int, at start: Int) {
            switch width {
            case 4:
                two(value / 100, at: start)
                two(value % 100, at: start + 2)
            case 3:
                out[start] = UInt8(48 + value / 100)
                two(value % 100, at: start + 1)
            default:
                two(value, at: start)
            }
        }
        put(year, 4, at: 0)
        out[4] = UInt8(ascii: "-")
        put(month, 2, at: 5)
        out[7] = UInt8(ascii: "-")
        put(day, 2, at: 8)
        out[10] = UInt8(ascii: "T")
        put(secondOfDay / 3600, 2, at: 11)
        out[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, 2, at: 14)
        out[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, 2, at: 17)
        out[19] = UInt8(ascii: ".")
        put(millis, 3, at: 20)
        out[23] = UInt8(ascii: "Z")
        return 24
    }

    /// Parses the common UTC forms `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS.sssZ`
    /// directly; nil for anything else (the caller then uses the full RFC 3339 parser).
    @inline(__always)
    static func parseCommon(_ s: UnsafeBufferPointer<UInt8>) -> EventTime? {
        guard s.count == 24 || s.count == 20, let p = s.baseAddress else { return nil }
        guard p[4] == 0x2D, p[7] == 0x2D, p[10] == 0x54 || p[10] == 0x74, p[13] == 0x3A, p[16] == 0x3A,
            p[s.count - 1] == 0x5A || p[s.count - 1] == 0x7A
        else { return nil }
        if s.count == 24 { guard p[19] == 0x2E else { return nil } }
        @inline(__always) func d(_ i: Int) -> Int64 { Int64(p[i] &- 48) }
        @inline(__always) func isDigit(_ i: Int) -> Bool { p[i] &- 48 < 10 }
        var allDigits = isDigit(0) && isDigit(1) && isDigit(2) && isDigit(3) && isDigit(5) && isDigit(6)
        allDigits = allDigits && isDigit(8) && isDigit(9) && isDigit(11) && isDigit(12) && isDigit(14)
        allDigits = allDigits && isDigit(15) && isDigit(17) && isDigit(18)
        if s.count == 24 { allDigits = allDigits && isDigit(20) && isDigit(21) && isDigit(22) }
        guard allDigits else { return nil }
        let year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3)
        let month = d(5) * 10 + d(6), day = d(8) * 10 + d(9)
        let hour = d(11) * 10 + d(12), minute = d(14) * 10 + d(15), second = d(17) * 10 + d(18)
        let millis = s.count == 24 ? d(20) * 100 + d(21) * 10 + d(22) : 0
        guard (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        return ((days * 86_400 + hour * 3600 + minute * 60 + second) * 1000) + millis
    }

    /// The last calendar date `parseCommon(_:dates:)` read and its day number: consecutive
    /// events mostly share their date, whose validation and conversion are then skipped.
    struct DateMemo {
        /// The bytes `YYYY-MM-DD` (the first 8 and the next 2), and whether they are set.
        fileprivate var head: UInt64 = 0
        fileprivate var tail: UInt16 = 0
        fileprivate var days: Int64 = 0
        fileprivate var isSet = false
    }

    /// `parseCommon(_:)`, reusing the date of the previous call when it is the same.
    @inline(__always)
    static func parseCommon(_ s: UnsafeBufferPointer<UInt8>, dates: inout DateMemo) -> EventTime? {
        guard s.count == 24 || s.count == 20, let p = s.baseAddress else { return nil }
        let raw = UnsafeRawPointer(p)
        let head = raw.loadUnaligned(as: UInt64.self)
        let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        guard dates.isSet, head == dates.head, tail == dates.tail else {
            guard let time = parseCommon(s) else { return nil }
            let (days, _) = divide(divide(time, 1000).0, 86_400)
            dates = DateMemo(head: head, tail: tail, days: days, isSet: true)
            return time
        }
        // The date (bytes 0-9) is known valid: check and read the time of day.
        guard p[10] == 0x54 || p[10] == 0x74, p[13] == 0x3A, p[16] == 0x3A, p[s.count - 1] == 0x5A || p[s.count - 1] == 0x7A
        else { return nil }
        @inline(__always) func d(_ i: Int) -> Int64 { Int64(p[i] &- 48) }
        @inline(__always) func isDigit(_ i: Int) -> Bool { p[i] &- 48 < 10 }
        var allDigits = isDigit(11) && isDigit(12) && isDigit(14) && isDigit(15) && isDigit(17) && isDigit(18)
        if s.count == 24 { allDigits = allDigits && p[19] == 0x2E && isDigit(20) && isDigit(21) && isDigit(22) }
        guard allDigits else { return nil }
        let hour = d(11) * 10 + d(12), minute = d(14) * 10 + d(15), second = d(17) * 10 + d(18)
        let millis = s.count == 24 ? d(20) * 100 + d(21) * 10 + d(22) : 0
        guard hour < 24, minute < 60, second < 60 else { return nil }
        return ((dates.days * 86_400 + hour * 3600 + minute * 60 + second) * 1000) + millis
    }

    /// Floor division and its non-negative remainder.
    private static func divide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
