import WeirTestSupport
import Testing
import WeirCore
@testable import WeirEngine

/// `EventTimeText`, the engine's fast RFC 3339 writer and reader, agrees with `Timestamp`
/// (the reference) on seeded random instants across the four-digit years, and on the edges.
@Suite struct EventTimeTextTests {
    /// 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z in milliseconds.
    static let firstMs: Int64 = Timestamp.rfc3339Seconds.lowerBound * 1000
    static let lastMs: Int64 = Timestamp.rfc3339Seconds.upperBound * 1000 + 999

    static func ms(_ text: String) -> Int64 { Timestamp(rfc3339: text)!.milliseconds }

    /// Instants worth checking by hand: the epoch and its neighbours, leap days, ends of months
    /// and years (leap and not, century rules), the ends of the range.
    static let edges: [Int64] = {
        var list: [Int64] = [0, -1, 1, 999, -999, -1000, -1001, 86_399_999, -86_400_000, -86_400_001, firstMs, lastMs]
        for year in [0, 1, 4, 99, 100, 400, 1582, 1899, 1900, 1969, 1970, 2000, 2024, 2100, 2400, 9999] {
            let y = String(repeating: "0", count: 4 - String(year).count) + String(year)
            for text in ["\(y)-01-01T00:00:00Z", "\(y)-02-28T23:59:59.999Z", "\(y)-03-01T00:00:00Z", "\(y)-12-31T23:59:59.999Z",
                         "\(y)-04-30T23:59:59.999Z", "\(y)-06-30T12:00:00.500Z"] {
                list.append(ms(text))
            }
            if Timestamp(rfc3339: "\(y)-02-29T00:00:00Z") != nil { list.append(ms("\(y)-02-29T12:34:56.789Z")) }
        }
        return list
    }()

    // MARK: format

    @Test func formatAgreesWithTimestampOnEdges() {
        for ms in Self.edges {
            #expect(EventTimeText.format(ms) == Timestamp(milliseconds: ms).rfc3339, "ms \(ms)")
        }
    }

    @Test func formatAgreesWithTimestampOnRandomInstants() {
        var random = SplitMix64(seed: 0x7157_3A11)
        for i in 0..<200_000 {
            let ms: Int64
            switch i % 4 {
            case 0: ms = Int64.random(in: Self.firstMs...Self.lastMs, using: &random)
            case 1: ms = Int64.random(in: -86_400_000 * 400...86_400_000 * 400, using: &random)   // around the epoch
            case 2: ms = Self.edges[random.next(below: Self.edges.count)] + Int64.random(in: -2000...2000, using: &random)
            default: ms = Int64.random(in: Self.firstMs - 10_000_000_000_000...Self.lastMs + 10_000_000_000_000, using: &random)  // beyond
            }
            let expected = Timestamp(milliseconds: ms).rfc3339
            let got = EventTimeText.format(ms)
            if got != expected {
                Issue.record("format(\(ms)) = \(got), Timestamp gives \(expected)")
                return
            }
        }
    }

    @Test func formatWritesTwentyFourBytesInsideTheRange() {
        var random = SplitMix64(seed: 24)
        for _ in 0..<10_000 {
            let text = EventTimeText.format(Int64.random(in: Self.firstMs...Self.lastMs, using: &random))
            #expect(text.utf8.count == 24)
        }
    }

    // MARK: parseCommon

    static func parseCommon(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { EventTimeText.parseCommon($0) }
    }

    static func reference(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { Timestamp.parse($0) }?.milliseconds
    }

    /// A canonical `YYYY-MM-DDTHH:MM:SS(.sss)?Z` text of random fields: `valid` keeps every field
    /// in its range but the day may pass the month's end (1-31); otherwise anything goes.
    static func randomText(_ random: inout SplitMix64, valid: Bool) -> String {
        func pad(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        let year = random.next(below: 10_000)
        let month = valid ? 1 + random.next(below: 12) : random.next(below: 100)
        let day = valid ? 1 + random.next(below: 31) : random.next(below: 100)
        let hour = valid ? random.next(below: 24) : random.next(below: 100)
        let minute = valid ? random.next(below: 60) : random.next(below: 100)
        let second = valid ? random.next(below: 60) : random.next(below: 100)
        let t = random.next(below: 2) == 0 ? "T" : "t"
        let z = random.next(below: 2) == 0 ? "Z" : "z"
        let fraction = random.next(below: 2) == 0 ? "" : "." + pad(random.next(below: 1000), 3)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))\(t)\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))\(fraction)\(z)"
    }

    @Test func parseCommonReadsEveryCanonicalTextAsTimestampDoes() {
        var random = SplitMix64(seed: 0xDA7E)
        var valid = 0
        for _ in 0..<100_000 {
            let text = Self.randomText(&random, valid: true)
            let got = Self.parseCommon(text)
            guard let expected = Self.reference(text) else {
                // Only a day past the month's end (Feb 29-31, Apr 31, ...) is refused.
                let day = Int(text.dropFirst(8).prefix(2))!
                #expect(day >= 29, "Timestamp.parse refused \(text)")
                if got != nil {
                    Issue.record("parseCommon read the impossible \(text) as \(got!)")
                    return
                }
                continue
            }
            valid += 1
            if got != expected {
                Issue.record("parseCommon(\(text)) = \(String(describing: got)), Timestamp gives \(expected)")
                return
            }
        }
        #expect(valid > 95_000)
    }

    @Test func parseCommonReadsWhatFormatWrites() {
        var random = SplitMix64(seed: 0xF0F0)
        for ms in Self.edges + (0..<50_000).map({ _ in Int64.random(in: Self.firstMs...Self.lastMs, using: &random) }) {
            let text = EventTimeText.format(ms)
            #expect(Self.parseCommon(text) == ms, "\(text)")
            // The seconds-only form of the same instant.
            let seconds = String(text.prefix(19)) + "Z"
            #expect(Self.parseCommon(seconds) == Self.reference(seconds), "\(seconds)")
            #expect(Self.parseCommon(seconds) != nil, "\(seconds)")
        }
    }

    /// Random fields out of range (day 0, Feb 30, month 13, hour 24, minute 60, second 60):
    /// parseCommon accepts exactly where Timestamp.parse does, and agrees on the instant. The one
    /// form it leaves to the full parser is the leap second (`:60`), which Timestamp reads.
    @Test func parseCommonRejectsInvalidFieldsWhereTimestampDoes() {
        var random = SplitMix64(seed: 0xBAD_DA7E)
        var refusedBoth = 0
        for _ in 0..<200_000 {
            let text = Self.randomText(&random, valid: false)
            let expected = Self.reference(text)
            let got = Self.parseCommon(text)
            if let got {
                if got != expected {
                    Issue.record("parseCommon(\(text)) = \(got), Timestamp gives \(String(describing: expected))")
                    return
                }
            } else if expected != nil, !text.contains(":60") {
                Issue.record("parseCommon refused \(text), which Timestamp reads as \(expected!)")
                return
            }
            if got == nil && expected == nil { refusedBoth += 1 }
        }
        #expect(refusedBoth > 100_000)
    }

    @Test func parseCommonOnNamedInvalidDates() {
        let invalid = [
            "2026-02-29T00:00:00Z", "2100-02-29T00:00:00.000Z", "2026-02-30T00:00:00Z", "2024-02-30T00:00:00Z",
            "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z",
            "2026-01-32T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z", "2026-01-01T23:59:61.000Z",
        ]
        for text in invalid {
            #expect(Self.reference(text) == nil, "\(text)")
            #expect(Self.parseCommon(text) == nil, "\(text)")
        }
        for text in ["2024-02-29T00:00:00Z", "2000-02-29T23:59:59.999Z", "0000-02-29T00:00:00Z", "9999-12-31T23:59:59.999Z"] {
            #expect(Self.parseCommon(text) != nil, "\(text)")
            #expect(Self.parseCommon(text) == Self.reference(text), "\(text)")
        }
    }

    /// Any single byte of a valid text replaced by a non-digit, a sign, a space or a byte above
    /// 127: parseCommon never accepts what Timestamp refuses, and agrees when both accept.
    @Test func parseCommonOnMutatedBytes() {
        var random = SplitMix64(seed: 0x5EED)
        let replacements: [UInt8] = Array("aZz:T-+ ./0123456789".utf8) + [0, 0x2F, 0x3A, 0x7F, 0x80, 0xC3, 0xFF]
        for _ in 0..<100_000 {
            var bytes = Array(Self.randomText(&random, valid: true).utf8)
            bytes[random.next(below: bytes.count)] = replacements[random.next(below: replacements.count)]
            let expected = bytes.withUnsafeBufferPointer { Timestamp.parse($0) }?.milliseconds
            let got = bytes.withUnsafeBufferPointer { EventTimeText.parseCommon($0) }
            if let got, got != expected {
                Issue.record("parseCommon(\(bytes)) = \(got), Timestamp gives \(String(describing: expected))")
                return
            }
        }
    }

    @Test func parseCommonLeavesOtherFormsToTheFullParser() {
        for text in ["2026-03-01T10:00:00+01:00", "2026-03-01 10:00:00Z", "2026-03-01T10:00:00.5Z", "2026-03-01T10:00:00.123456Z",
                     "2026-03-01T10:00:00", "", "2026-03-01", "+2026-03-01T10:00:00Z"] {
            #expect(Self.parseCommon(text) == nil, "\(text)")
        }
    }
}
