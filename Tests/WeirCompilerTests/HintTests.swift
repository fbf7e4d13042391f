import Testing
import Weir

/// Messages for the mistakes a new user makes: each says what is wrong and what to write.
@Suite struct HintTests {
    /// The warnings of an expression that compiles, rendered.
    static func warnings(_ text: String, dialect: Dialect = .weir) throws -> String {
        try CompiledExpression(text, dialect: dialect).renderedWarnings
    }

    /// The diagnostics of an expression that does not compile, rendered.
    static func errors(_ text: String) -> String {
        do {
            _ = try CompiledExpression(text)
            return ""
        } catch {
            return error.description
        }
    }

    @Test func nullIsAnAttributeName() throws {
        #expect(try Self.warnings("data.x = null") == """
            <expr>:1:10: warning: 'null' is an attribute name in CloudEvents SQL, not a null value: this compares with an attribute called 'null'
            1 | data.x = null
              |          ^~~~
            <expr>:1:10: note: to test whether a value is absent, write 'NOT EXISTS data.x'
            """)
        #expect(try Self.warnings("NULL != subject", dialect: .cesql).hasSuffix("note: to test whether a value is absent, write 'EXISTS subject'"))
        // A warning, not an error: `null` is a valid attribute name in CloudEvents SQL.
        let e = try CompiledExpression("data.x = null")
        #expect(e.evaluate(try Event(id: "1", source: "/s", type: "t", data: ["x": 1])) == EvaluationResult(value: false, error: .missingAttribute))
    }

    @Test func timeComparedWithAString() throws {
        #expect(try Self.warnings("time > '2026-01-01'") == """
            <expr>:1:1: warning: 'time' is an RFC 3339 string and '>' compares numbers, so this always fails with a cast error
            1 | time > '2026-01-01'
              | ^~~~~~~~~~~~~~~~~~~
            <expr>:1:1: note: to compare times, write 'TIME_AFTER(time, '2026-01-01')' or 'UNIX_MILLIS(time) > UNIX_MILLIS('2026-01-01')'
            """)
        // Only that warning, not a second one about the string's cast.
        #expect(try CompiledExpression("'2026-01-01T00:00:00Z' <= time").warnings.map(\.message) == [
            "'time' is an RFC 3339 string and '<=' compares numbers, so this always fails with a cast error"
        ])
        #expect(try Self.warnings("'2026-01-01T00:00:00Z' <= time").hasSuffix(
            "write 'NOT TIME_BEFORE(time, '2026-01-01T00:00:00Z')' or 'UNIX_MILLIS('2026-01-01T00:00:00Z') <= UNIX_MILLIS(time)'"))
    }

    @Test func aTimestampConstantThatNeverParses() throws {
        #expect(try Self.warnings("TIME_BEFORE(time, '2026-01-01')") == """
            <expr>:1:19: warning: '2026-01-01' is not an RFC 3339 timestamp, so 'TIME_BEFORE' always fails with a functionEvaluation error
            1 | TIME_BEFORE(time, '2026-01-01')
              |                   ^~~~~~~~~~~~
            <expr>:1:19: note: an RFC 3339 timestamp has a date, a time and an offset: '2026-01-01T00:00:00Z'
            """)
        #expect(try Self.warnings("TIME_BEFORE(time, '2026-01-01T00:00:00Z')") == "")
        #expect(try CompiledExpression("TIME_DIFF(data.t, 'soon') > 0").warnings.map(\.message) == [
            "'soon' is not an RFC 3339 timestamp, so 'TIME_DIFF' always fails with a functionEvaluation error"
        ])
    }

    @Test func castFailuresSayWhichValueAndWhichType() throws {
        let event = try Event(id: "1", source: "/s", type: "t", data: ["n": 1, "s": "abc", "list": "x"])
        func explained(_ text: String) throws -> String? {
            try CompiledExpression(text).explain(event)?.message
        }
        #expect(try explained("data.n + data.s > 1") == "cast error: cannot cast 'abc' to Integer")
        #expect(try explained("NOT data.s") == "cast error: cannot cast 'abc' to Boolean")
        #expect(try explained("abs(data.s) = 1") == "cast error: cannot cast 'abc' to Integer")
        #expect(try explained("data.n IN (2, data.s)") == "cast error: cannot cast 'abc' to Integer")
        #expect(try explained("1 IN data.list") == "cast error: 'x' is not an array, so 'IN' cannot look into it")
        let e = try CompiledExpression("data.n + data.s > 1")
        #expect(e.render(try #require(e.explain(event))) == """
            <expr>:1:1: error: cast error: cannot cast 'abc' to Integer
            1 | data.n + data.s > 1
              | ^~~~~~~~~~~~~~~
            """)
        // At compile time, the warnings name the value and the type too.
        #expect(try CompiledExpression("data.n + 'abc'").warnings.map(\.message) == [
            "'abc' is not a number, so '+' always fails with a cast error"
        ])
    }

    @Test func keywordTypos() {
        #expect(Self.errors("EXIST data.x") == """
            <expr>:1:7: error: unexpected 'data' after the expression; did you mean 'EXISTS' instead of 'EXIST'?
            1 | EXIST data.x
              |       ^~~~
            """)
        #expect(Self.errors("type LIK 'a%'") == """
            <expr>:1:6: error: unexpected 'LIK' after the expression; did you mean 'LIKE' instead of 'LIK'?
            1 | type LIK 'a%'
              |      ^~~
            """)
        #expect(Self.errors("(type LIK 'a%')").hasPrefix(
            "<expr>:1:6: error: expected ')' to close '(' at 1:1; did you mean 'LIKE' instead of 'LIK'?"))
        #expect(Self.errors("a ANDD b").hasPrefix("<expr>:1:3: error: unexpected 'ANDD' after the expression; did you mean 'AND' instead of 'ANDD'?"))
        // No suggestion when no word is close to a keyword.
        #expect(Self.errors("type ID 'x'").hasPrefix("<expr>:1:6: error: unexpected 'ID' after the expression\n"))
    }

    @Test func aFieldNameBeyondASCII() {
        #expect(Self.errors("data.名前 = 'x'") == """
            <expr>:1:6: error: unexpected character '名' (U+540D)
            1 | data.名前 = 'x'
              |      ^~
            <expr>:1:6: note: a field name after '.' has only ASCII letters, digits and '_'; write any other key in quotes: data['名前']
            """)
        #expect(Self.errors("data.a.é = 1").hasSuffix("write any other key in quotes: data.a['é']"))
    }
}
