import Testing
import WeirSyntax

/// Duration literals (issue 10, §1 "Durations"): `250ms`, `30s`, `10m`, `1h`, `7d`, `1h30m`.
@Suite struct DurationTests {
    /// The value of `text` as a one-operand expression, or nil with diagnostics.
    func milliseconds(_ text: String) -> Int64? {
        guard case .duration(let value)? = parse(text).0.expression?.kind else { return nil }
        return value
    }

    @Test func units() {
        #expect(milliseconds("250ms") == 250)
        #expect(milliseconds("30s") == 30_000)
        #expect(milliseconds("10m") == 600_000)
        #expect(milliseconds("1h") == 3_600_000)
        #expect(milliseconds("7d") == 604_800_000)
        #expect(milliseconds("1h30m") == 5_400_000)
        let expected: Int64 = 86_400_000 + 7_200_000 + 180_000 + 4000 + 5
        #expect(milliseconds("1d2h3m4s5ms") == expected)
        let days: Int64 = 106_751_991_167
        #expect(milliseconds("106751991167d") == days * 86_400_000)
        #expect(milliseconds("90m") == 5_400_000, "a part may exceed the next unit")
        #expect(milliseconds("1h0m") == 3_600_000)
        #expect(milliseconds("9223372036854775807ms") == Int64.max)
    }

    /// `DURATION_MS(10m)` used to read an attribute named `10m`.
    @Test func durationInOperandPosition() {
        #expect(dump("DURATION_MS(10m)") == """
            call DURATION_MS @1:1
              duration 600000ms @1:13
            """)
        #expect(dump("TIME_ADD(time, 1h30m) > x") == """
            binary greater @1:1
              call TIME_ADD @1:1
                identifier time @1:10
                duration 5400000ms @1:16
              identifier x @1:25
            """)
        #expect(parse("10m").0.expression?.range == SourceRange(start: 0, end: 3))
    }

    @Test func invalidDurations() {
        #expect(diagnostics("DURATION_MS(1abc)") == """
            <expr>:1:13: error: '1abc' is neither a number nor a duration, and a name cannot start with a digit
            1 | DURATION_MS(1abc)
              |             ^~~~
            <expr>:1:13: note: durations are written 250ms, 30s, 10m, 1h, 7d or 1h30m (units d, h, m, s, ms, in lower case)
            <expr>:1:13: note: to read a field whose name starts with a digit, quote it: data['1abc']
            """)
        #expect(messages("30m1h") == ["invalid duration '30m1h': write its units in decreasing order (d, h, m, s, ms), each at most once"])
        #expect(messages("1m1m") == ["invalid duration '1m1m': write its units in decreasing order (d, h, m, s, ms), each at most once"])
        #expect(messages("1s1m") == ["invalid duration '1s1m': write its units in decreasing order (d, h, m, s, ms), each at most once"])
        #expect(messages("10M") == ["duration units are lower case: did you mean '10m' instead of '10M'?"])
        #expect(messages("0s") == ["duration '0s' must be greater than zero"])
        #expect(messages("0h0m") == ["duration '0h0m' must be greater than zero"])
        #expect(messages("9223372036854775808ms") == ["duration '9223372036854775808ms' is too long: it must fit in 64-bit milliseconds (about 292 million years)"])
        #expect(messages("106751991168d") == ["duration '106751991168d' is too long: it must fit in 64-bit milliseconds (about 292 million years)"])
        #expect(messages("5x").first == "'5x' is neither a number nor a duration, and a name cannot start with a digit")
        #expect(messages("1hm").first == "'1hm' is neither a number nor a duration, and a name cannot start with a digit")
        #expect(parse("1abc").0.diagnostics.allSatisfy { $0.code == .syntax })
    }

    /// Field names after `.` are keys, not durations; in CloudEvents SQL `10m` is a name.
    @Test func notDurations() {
        #expect(dump("data.10m") == "path data.10m @1:1")
        #expect(dump("data['1h']") == "path data.1h @1:1")
        #expect(dump("10m", dialect: .cesql) == "identifier 10m @1:1")
        #expect(dump("1e3") == "decimal 1000.0 @1:1")
        #expect(dump("m10") == "identifier m10 @1:1")
    }
}
