import Testing
import WeirCore

/// `TimeSpan(parsing:)`: the duration literals of rules (`250ms`, `30s`, `1h30m`).
@Suite struct TimeSpanTests {
    @Test(arguments: [
        ("250ms", Int64(250)), ("30s", 30_000), ("10m", 600_000), ("1h", 3_600_000), ("7d", 604_800_000),
        ("1h30m", 5_400_000), ("0ms", 0), ("0s", 0), ("1m30s", 90_000), ("1d1h1m1s1ms", 90_061_001),
        ("1s500ms", 1_500), ("500ms1s", 1_500), ("007s", 7_000), ("2h2h", 14_400_000),
    ])
    func valid(_ text: String, _ milliseconds: Int64) {
        #expect(TimeSpan(parsing: text) == TimeSpan(milliseconds: milliseconds), "\(text)")
    }

    @Test(arguments: [
        "", "10", "m", "ms", "10x", "10M", "10 m", " 10m", "10m ", "1h30", "-5s", "+5s", "1.5h", "10mm", "10sms",
        "h1", "99999999999999999999d", "9223372036854775808ms",
    ])
    func invalid(_ text: String) {
        #expect(TimeSpan(parsing: text) == nil, "\(text.debugDescription) must not parse")
    }

    @Test func overflow() {
        // Int64.max milliseconds is 106751991167 days and a bit.
        #expect(TimeSpan(parsing: "9223372036854775807ms") == TimeSpan(milliseconds: .max))
        #expect(TimeSpan(parsing: "106751991167d") == TimeSpan(milliseconds: 106_751_991_167 * 86_400_000))
        #expect(TimeSpan(parsing: "106751991168d") == nil)  // the product overflows
        #expect(TimeSpan(parsing: "106751991167d106751991167d") == nil)  // the sum overflows
        #expect(TimeSpan(parsing: "9223372036854775807ms1ms") == nil)
    }

    @Test func description() {
        #expect(TimeSpan(milliseconds: 0).description == "0ms")
        #expect(TimeSpan(milliseconds: 5_400_000).description == "1h30m")
        #expect(TimeSpan(milliseconds: 90_061_001).description == "1d1h1m1s1ms")
        #expect(TimeSpan(milliseconds: 250).description == "250ms")
        #expect(TimeSpan(milliseconds: -1_500).description == "-1s500ms")
        for text in ["250ms", "30s", "10m", "1h", "7d", "1h30m", "1d1h1m1s1ms"] {
            #expect(TimeSpan(parsing: text)?.description == text)
        }
    }

    @Test func ordering() {
        #expect(TimeSpan(parsing: "59s")! < TimeSpan(parsing: "1m")!)
        #expect(!(TimeSpan(parsing: "60s")! < TimeSpan(parsing: "1m")!))
        #expect(TimeSpan(parsing: "60s") == TimeSpan(parsing: "1m"))
    }
}
