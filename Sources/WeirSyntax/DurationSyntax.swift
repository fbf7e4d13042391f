/// Reading duration literals: `250ms`, `30s`, `10m`, `1h`, `7d`, `1h30m`.
///
/// A duration is one or more `digits unit` parts, units in decreasing order, each at most
/// once: `d` (day, 86,400,000 ms), `h`, `m`, `s`, `ms`. Units are lower case. The value is
/// in milliseconds, greater than zero and at most `Int64.max`. The lexer reads a duration as a
/// `.word` token (digits followed by letters); the parser reads it as a duration where an
/// operand or a duration is expected.
package enum DurationSyntax {
    /// What a word starting with a digit is, read as a duration.
    package enum Reading: Hashable, Sendable {
        /// A valid duration, in milliseconds (> 0).
        case milliseconds(Int64)
        /// Not a duration at all (`1abc`, `10`, `5x`).
        case malformed
        /// Parts out of order or repeated (`30m1h`, `1m1m`).
        case misordered
        /// Upper-case units (`10M`, `1H`): the lower-case spelling, which is valid.
        case upperCase(String)
        /// Zero in total (`0s`, `0h0m`).
        case zero
        /// More milliseconds than `Int64` holds.
        case overflow
    }

    /// The unit at `i`, its length and its rank (0 for `d`, 4 for `ms`), if any.
    private static func unit(_ bytes: ArraySlice<UInt8>, at i: Int) -> (millis: Int64, length: Int, rank: Int)? {
        guard i < bytes.endIndex else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "d"): return (86_400_000, 1, 0)
        case UInt8(ascii: "h"): return (3_600_000, 1, 1)
        case UInt8(ascii: "m"):
            if i + 1 < bytes.endIndex, bytes[i + 1] == UInt8(ascii: "s") { return (1, 2, 4) }
            return (60_000, 1, 2)
        case UInt8(ascii: "s"): return (1000, 1, 3)
        default: return nil
        }
    }

    /// Reads `bytes` (a whole word) as a duration.
    ///
    ///     duration-unit    ::= "ms" | "s" | "m" | "h" | "d"
    package static func read(_ bytes: ArraySlice<UInt8>) -> Reading {
        let reading = readExactly(bytes)
        guard reading == .malformed, bytes.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            return reading
        }
        let lower = ArraySlice(bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 })
        if case .milliseconds = readExactly(lower) { return .upperCase(String(decoding: lower, as: UTF8.self)) }
        return reading
    }

    private static func readExactly(_ bytes: ArraySlice<UInt8>) -> Reading {
        var i = bytes.startIndex
        var total: Int64 = 0
        var lastRank = -1
        var overflow = false
        var misordered = false
        while i < bytes.endIndex {
            var value: Int64 = 0
            let digitsStart = i
            while i < bytes.endIndex, ByteClass.isDigit(bytes[i]) {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int64(bytes[i] &- UInt8(ascii: "0")))
                if o1 || o2 { overflow = true }
                value = sum
                i += 1
            }
            guard i > digitsStart, let (millis, length, rank) = unit(bytes, at: i) else { return .malformed }
            i += length
            if rank <= lastRank { misordered = true }
            lastRank = rank
            let (part, o3) = value.multipliedReportingOverflow(by: millis)
            let (sum, o4) = total.addingReportingOverflow(part)
            if o3 || o4 { overflow = true }
            total = sum
        }
        if lastRank < 0 { return .malformed }
        if misordered { return .misordered }
        if overflow { return .overflow }
        return total > 0 ? .milliseconds(total) : .zero
    }
}
