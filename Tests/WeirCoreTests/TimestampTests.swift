import Testing
import WeirCore

/// RFC 3339 parsing, formatting and calendar fields of `Timestamp`.
@Suite struct TimestampTests {
    /// 2026-01-01T10:00:00Z, from `date -u -d 2026-01-01T10:00:00Z +%s`.
    static let tenAM: Int64 = 1_767_261_600

    @Test func utcDesignators() {
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00Z") == Timestamp(seconds: Self.tenAM))
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00z") == Timestamp(seconds: Self.tenAM))
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00Z") == Timestamp(seconds: 0))
    }

    @Test func separators() {
        #expect(Timestamp(rfc3339: "2026-01-01t10:00:00Z") == Timestamp(seconds: Self.tenAM))
        #expect(Timestamp(rfc3339: "2026-01-01 10:00:00Z") == Timestamp(seconds: Self.tenAM))
        #expect(Timestamp(rfc3339: "2026-01-01_10:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-01-0110:00:00Z") == nil)
    }

    @Test func offsets() {
        #expect(Timestamp(rfc3339: "2026-01-01T11:00:00+01:00") == Timestamp(seconds: Self.tenAM))
        #expect(Timestamp(rfc3339: "2026-01-01T04:30:00-05:30") == Timestamp(seconds: Self.tenAM))
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00+00:00") == Timestamp(seconds: Self.tenAM))
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00-00:00") == Timestamp(seconds: Self.tenAM))
        // An offset crossing midnight and the year boundary.
        #expect(Timestamp(rfc3339: "2025-12-31T23:00:00-11:00") == Timestamp(seconds: Self.tenAM))
        #expect(Timestamp(rfc3339: "2026-01-01T23:59:00+13:59") == Timestamp(seconds: Self.tenAM))
        // Malformed offsets.
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00+0100") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00+01") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00+24:00") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00+01:60") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00 +01:00") == nil)
    }

    @Test(arguments: 1...9)
    func fractionDigits(_ n: Int) throws {
        let digits = String("123456789".prefix(n))
        let t = try #require(Timestamp(rfc3339: "2026-01-01T10:00:00.\(digits)Z"))
        var expected: Int32 = Int32(digits)!
        for _ in n..<9 { expected *= 10 }
        #expect(t.seconds == Self.tenAM)
        #expect(t.nanoseconds == expected)
        // The same fraction with an offset.
        #expect(Timestamp(rfc3339: "2026-01-01T12:00:00.\(digits)+02:00") == t)
    }

    @Test func fractionEdgeCases() {
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00.5Z")?.nanoseconds == 500_000_000)
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00.000000001Z")?.nanoseconds == 1)
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00.999999999Z")?.nanoseconds == 999_999_999)
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00.Z") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00.") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00,5Z") == nil)
    }

    @Test func missingOffsetIsInvalid() {
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T10:00:00.250") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T10:00Z") == nil)
    }

    @Test func impossibleDates() {
        #expect(Timestamp(rfc3339: "2026-02-30T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2025-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "1900-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-04-31T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-01-32T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-01-00T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-00-10T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-13-01T00:00:00Z") == nil)
    }

    @Test func leapDays() {
        #expect(Timestamp(rfc3339: "2000-02-29T00:00:00Z") == Timestamp(seconds: 951_782_400))
        #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2026-04-30T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2026-01-31T23:59:59Z") != nil)
        #expect(Timestamp(rfc3339: "1900-03-01T00:00:00Z") == Timestamp(seconds: -2_203_891_200))
    }

    @Test func leapSecond() throws {
        let leap = try #require(Timestamp(rfc3339: "2016-12-31T23:59:60Z"))
        let before = try #require(Timestamp(rfc3339: "2016-12-31T23:59:59Z"))
        let after = try #require(Timestamp(rfc3339: "2017-01-01T00:00:00Z"))
        #expect(before <= leap && leap < after)
    }

    @Test func invalidTimesOfDay() {
        #expect(Timestamp(rfc3339: "2026-01-01T24:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T23:60:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T23:59:61Z") == nil)
        #expect(Timestamp(rfc3339: "2026-01-01T23:59:59Z") != nil)
    }

    @Test func garbageAndTrailingText() {
        for text in [
            "", "garbage", "now", "2026", "2026-1-01T10:00:00Z", "26-01-01T10:00:00Z", "2026-01-01T1:00:00Z",
            "2026-01-01T10:00:00Zx", "2026-01-01T10:00:00Z ", " 2026-01-01T10:00:00Z", "2026-01-01T10:00:00+01:00x",
            "2026-01-01T10:00:00.250Zjunk", "2026-01-01T10:00:00ZZ", "２０２６-01-01T10:00:00Z", "2026-01-01T10:0a:00Z",
        ] {
            #expect(Timestamp(rfc3339: text) == nil, "\(text.debugDescription) must not parse")
        }
    }

    @Test func formattingPrecision() {
        #expect(Timestamp(seconds: 0).rfc3339 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(seconds: Self.tenAM, nanoseconds: 250_000_000).rfc3339 == "2026-01-01T10:00:00.250Z")
        #expect(Timestamp(seconds: Self.tenAM, nanoseconds: 123_456_000).rfc3339 == "2026-01-01T10:00:00.123456Z")
        #expect(Timestamp(seconds: Self.tenAM, nanoseconds: 123_456_789).rfc3339 == "2026-01-01T10:00:00.123456789Z")
        #expect(Timestamp(seconds: Self.tenAM, nanoseconds: 1_000).rfc3339 == "2026-01-01T10:00:00.000001Z")
        #expect(Timestamp(seconds: Self.tenAM, nanoseconds: 1).rfc3339 == "2026-01-01T10:00:00.000000001Z")
        #expect(Timestamp(seconds: Self.tenAM).description == "2026-01-01T10:00:00.000Z")
        #expect(Timestamp(seconds: 951_782_400 + 86_399).rfc3339 == "2000-02-29T23:59:59.000Z")
    }

    @Test func negativeEpoch() {
        #expect(Timestamp(milliseconds: -1).rfc3339 == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp(milliseconds: -1) == Timestamp(seconds: -1, nanoseconds: 999_000_000))
        #expect(Timestamp(milliseconds: -1).milliseconds == -1)
        #expect(Timestamp(seconds: -86_400).rfc3339 == "1969-12-31T00:00:00.000Z")
        #expect(Timestamp(seconds: -86_401).rfc3339 == "1969-12-30T23:59:59.000Z")
        #expect(Timestamp(seconds: -2_203_891_200).rfc3339 == "1900-03-01T00:00:00.000Z")
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.999Z") == Timestamp(milliseconds: -1))
        #expect(Timestamp(milliseconds: -1500) == Timestamp(seconds: -2, nanoseconds: 500_000_000))
    }

    @Test func milliseconds() {
        let t = Timestamp(rfc3339: "2026-01-01T10:00:00.250Z")
        #expect(t?.milliseconds == 1_767_261_600_250)
        #expect(Timestamp(milliseconds: 1_767_261_600_250) == t)
        #expect(Timestamp(seconds: 1, nanoseconds: 999_999_999).milliseconds == 1999)
    }

    @Test func roundTrips() throws {
        for text in [
            "1970-01-01T00:00:00.000Z", "2026-01-01T10:00:00.250Z", "1969-07-20T20:17:40.000Z",
            "2000-02-29T12:34:56.789123Z", "1900-03-01T00:00:00.000000001Z", "9999-12-31T23:59:59.999Z",
        ] {
            let t = try #require(Timestamp(rfc3339: text))
            #expect(t.rfc3339 == text)
            #expect(Timestamp(rfc3339: t.rfc3339) == t)
        }
    }

    @Test func ordering() throws {
        let a = try #require(Timestamp(rfc3339: "2026-01-01T10:00:00.000000001Z"))
        let b = try #require(Timestamp(rfc3339: "2026-01-01T10:00:00.000000002Z"))
        let c = try #require(Timestamp(rfc3339: "2026-01-01T10:00:01Z"))
        #expect(a < b && b < c && a < c)
        #expect(!(b < a))
        #expect(Timestamp(milliseconds: -1) < Timestamp(seconds: 0))
    }

    @Test func utcFields() throws {
        let t = try #require(Timestamp(rfc3339: "2026-01-01T10:20:30.999Z"))
        let f = t.utcFields
        #expect(f.year == 2026 && f.month == 1 && f.day == 1)
        #expect(f.hour == 10 && f.minute == 20 && f.second == 30)
        #expect(f.weekday == 4)  // Thursday
    }

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 4), ("1969-12-31T23:59:59Z", 3), ("2000-02-29T00:00:00Z", 2),
        ("2024-03-03T12:00:00Z", 7), ("2024-03-04T00:00:00Z", 1), ("1900-03-01T00:00:00Z", 4),
        ("2026-01-03T00:00:00Z", 6), ("2026-01-02T23:59:59+05:00", 5),
    ])
    func weekdays(_ text: String, _ weekday: Int64) throws {
        #expect(try #require(Timestamp(rfc3339: text)).utcFields.weekday == weekday)
    }

    @Test func utcFieldsBeforeEpoch() {
        let f = Timestamp(milliseconds: -1).utcFields
        #expect(f.year == 1969 && f.month == 12 && f.day == 31)
        #expect(f.hour == 23 && f.minute == 59 && f.second == 59)
        #expect(f.weekday == 3)
    }

    @Test func utcFieldsAfterOffset() throws {
        // 01:30 at +02:00 is 23:30 UTC the day before.
        let f = try #require(Timestamp(rfc3339: "2024-03-01T01:30:00+02:00")).utcFields
        #expect(f.year == 2024 && f.month == 2 && f.day == 29 && f.hour == 23 && f.minute == 30 && f.second == 0)
        #expect(f.weekday == 4)
    }
}
