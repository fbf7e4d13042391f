import Testing
import WeirSyntax

/// Clause errors and recovery at declaration and clause boundaries (issue 10, §2 "Parser"):
/// one typo, one message; the next declaration is still parsed.
@Suite struct RuleFileRecoveryTests {
    @Test func misspeltClauseKeyword() {
        #expect(ruleDiagnostics("RULE r ON 'a' WHER data.c > 1 EMIT 'b' {}") == """
            test.rules:1:15: error: expected 'WHERE' or 'EMIT' in RULE 'r', found 'WHER'; did you mean 'WHERE'?
            1 | RULE r ON 'a' WHER data.c > 1 EMIT 'b' {}
              |               ^~~~
            """)
        #expect(ruleMessages("RULE r ON 'a' EMT 'b' {}") == ["expected 'WHERE' or 'EMIT' in RULE 'r', found 'EMT'; did you mean 'EMIT'?"])
        #expect(ruleMessages("AGGREGATE a ON 'a' GRUP BY x WINDOW TUMBLING 1h EMIT 'b' {}")
            == ["expected 'WHERE', 'GROUP BY', 'WINDOW', 'HAVING' or 'EMIT' in AGGREGATE 'a', found 'GRUP'; did you mean 'GROUP BY'?"])
        #expect(ruleMessages("RULE r ON 'a' WHERE x EMT 'b' {}") == ["unexpected 'EMT' after the WHERE expression of RULE 'r'; did you mean 'EMIT'?"])
        #expect(ruleMessages("RULE r ON 'a' WHERE x ANDD y EMIT 'b' {}")
            == ["unexpected 'ANDD' after the WHERE expression of RULE 'r'; did you mean 'AND' instead of 'ANDD'?"])
        #expect(ruleMessages("RUEL r ON 'a' EMIT 'b' {}") == ["expected a declaration (RULE, AGGREGATE, PATTERN or SAGA), found 'RUEL'; did you mean 'RULE'?"])
        #expect(ruleMessages("AGGREGATE a ON 'x' WINDOW TUMBLNG 1h EMIT 'y' {}")
            == ["expected 'TUMBLING', 'SLIDING' or 'SESSION' after 'WINDOW', found 'TUMBLNG'; did you mean 'TUMBLING'?"])
    }

    /// What is missing at the end of a declaration is pointed at there, not at the next one.
    @Test func missingPartsPointBeforeTheNextDeclaration() {
        #expect(ruleDiagnostics("RULE a ON\nRULE ok ON 'x' EMIT 'y' {}") == """
            test.rules:1:10: error: expected an event type in quotes after 'ON', found 'RULE'
            1 | RULE a ON
              |          ^
            """)
        #expect(ruleMessages("RULE\nRULE ok ON 'x' EMIT 'y' {}") == ["expected a name after 'RULE', found 'RULE'"])
        #expect(parseRules("RULE\nRULE ok ON 'x' EMIT 'y' {}").diagnostics.map(\.range) == [SourceRange(at: 4)])
    }

    /// A swap of two letters is one edit: `RUEL` suggests `RULE`.
    @Test func transposedLetters() {
        #expect(ruleMessages("AGGREGATE a ON 'x' WIDNOW TUMBLING 1h EMIT 'y' {}").first?.hasSuffix("did you mean 'WINDOW'?") == true)
        #expect(messages("type LKIE 'a%'") == ["unexpected 'LKIE' after the expression; did you mean 'LIKE' instead of 'LKIE'?"])
    }

    @Test func missingClauses() {
        #expect(ruleDiagnostics("RULE r ON 'a' WHERE x") == """
            test.rules:1:1: error: the 'EMIT' clause is missing from RULE 'r'
            1 | RULE r ON 'a' WHERE x
              | ^~~~~~
            """)
        #expect(ruleMessages("RULE r") == ["the 'ON' and 'EMIT' clauses are missing from RULE 'r'"])
        #expect(ruleMessages("RULE r EMIT 'b' {}") == ["the 'ON' clause is missing from RULE 'r'"])
        #expect(ruleMessages("AGGREGATE a ON 'x' EMIT 'y' {}") == ["the 'WINDOW' clause is missing from AGGREGATE 'a'"])
        #expect(ruleMessages("AGGREGATE a") == ["the 'ON', 'WINDOW' and 'EMIT' clauses are missing from AGGREGATE 'a'"])
        // A misspelt required clause is one message, not two.
        #expect(ruleMessages("RULE r ON 'a' EMT 'b' {}").count == 1)
    }

    @Test func repeatedClauses() {
        #expect(ruleDiagnostics("RULE r ON 'a' WHERE x WHERE y EMIT 'b' {}") == """
            test.rules:1:23: error: repeated 'WHERE' clause in RULE 'r' (first at 1:15)
            1 | RULE r ON 'a' WHERE x WHERE y EMIT 'b' {}
              |                       ^~~~~
            test.rules:1:23: note: to require several conditions, combine them with AND in one clause
            """)
        #expect(ruleMessages("RULE r ON 'a' ON 'b' EMIT 'b' {}") == ["repeated 'ON' clause in RULE 'r' (first at 1:8)"])
        #expect(ruleMessages("AGGREGATE a ON 'x' WINDOW TUMBLING 1h WINDOW TUMBLING 2h EMIT 'y' {}")
            == ["repeated 'WINDOW' clause in AGGREGATE 'a' (first at 1:20)"])
    }

    @Test func clausesOutOfOrder() {
        #expect(ruleDiagnostics("RULE r WHERE x ON 'a' EMIT 'b' {}") == """
            test.rules:1:16: error: 'ON' must come before 'WHERE' in RULE 'r'
            1 | RULE r WHERE x ON 'a' EMIT 'b' {}
              |                ^~
            test.rules:1:16: note: the clauses of RULE come in this order: ON, WHERE, EMIT
            """)
        #expect(ruleMessages("RULE r ON 'a' EMIT 'b' {} WHERE x") == ["'WHERE' must come before 'EMIT' in RULE 'r'"])
        #expect(ruleMessages("AGGREGATE a ON 'x' WINDOW TUMBLING 1h GROUP BY k EMIT 'y' {}")
            == ["'GROUP BY' must come before 'WINDOW' in AGGREGATE 'a'"])
        #expect(ruleMessages("AGGREGATE a ON 'x' WINDOW TUMBLING 1h EMIT 'y' {} HAVING p")
            == ["'HAVING' must come before 'EMIT' in AGGREGATE 'a'"])
    }

    @Test func clausesOfTheOtherDeclaration() {
        #expect(ruleMessages("RULE r ON 'a' HAVING count() > 1 EMIT 'b' {}")
            == ["RULE 'r' has no 'HAVING' clause; 'HAVING' belongs to AGGREGATE"])
        #expect(ruleMessages("RULE r ON 'a' GROUP BY x WINDOW TUMBLING 1h EMIT 'b' {}")
            == ["RULE 'r' has no 'GROUP BY' clause; 'GROUP BY' belongs to AGGREGATE"])
        #expect(ruleMessages("RULE r ON 'a' WHEN x EMIT 'b' {}")
            == ["'WHEN' in RULE 'r' must follow an EMIT branch: EMIT 'type' { ... } WHEN condition"])
    }

    @Test func windowErrors() {
        let cases: [(String, String)] = [
            ("TUMBLING 0s", "duration '0s' must be greater than zero"),
            ("TUMBLING -1h", "expected a duration after 'TUMBLING' (250ms, 30s, 10m, 1h, 7d, 1h30m), found '-'"),
            ("TUMBLING 10", "'10' is neither a number nor a duration, and a name cannot start with a digit"),
            ("TUMBLING '1h'", "expected a duration after 'TUMBLING' (250ms, 30s, 10m, 1h, 7d, 1h30m), found string literal '1h'"),
            ("TUMBLING 1H", "duration units are lower case: did you mean '1h' instead of '1H'?"),
            ("TUMBLING hour", "expected a duration (250ms, 30s, 10m, 1h, 7d, 1h30m), found 'hour'"),
            ("SLIDING 1h EVERY 2h", "the step of a SLIDING window (EVERY 2h) is larger than its size (1h): events between windows would belong to none"),
            ("SLIDING 1h 5m", "expected 'EVERY' after 'SLIDING 1h', found '5m'"),
            ("SLIDING 1h EVERY 0ms", "duration '0ms' must be greater than zero"),
            ("SESSION 5m", "expected 'GAP' after 'SESSION', found '5m'"),
            ("SESSION GAP 30m1h", "invalid duration '30m1h': write its units in decreasing order (d, h, m, s, ms), each at most once"),
            ("1h", "expected 'TUMBLING', 'SLIDING' or 'SESSION' after 'WINDOW', found '1h'"),
        ]
        for (window, message) in cases {
            #expect(ruleMessages("AGGREGATE a ON 'x' WINDOW \(window) EMIT 'y' {}") == [message], "\(window)")
        }
        #expect(ruleMessages("AGGREGATE a ON 'x' GROUP x WINDOW TUMBLING 1h EMIT 'y' {}") == ["expected 'BY' after 'GROUP', found 'x'"])
    }

    /// Two declarations with one error each give exactly two errors.
    @Test func oneMessagePerTypo() {
        let text = """
            RULE first
              ON 'a'
              WHER data.x > 1
              EMIT 'b' { x: 1 }

            AGGREGATE second
              ON 'a'
              WINDOW TUMBLING 0s
              EMIT 'c' { n: count() }
            """
        let (file, diagnostics, _) = parseRules(text)
        #expect(diagnostics.map(\.message) == [
            "expected 'WHERE' or 'EMIT' in RULE 'first', found 'WHER'; did you mean 'WHERE'?",
            "duration '0s' must be greater than zero",
        ])
        #expect(file.declarations.isEmpty)
    }

    /// A valid declaration after a broken one is in `file.declarations`.
    @Test func validDeclarationAfterBrokenOnes() {
        let broken = [
            "RULE a ON 'x' WHERE (data.x > EMIT 'y' {}",
            "RULE a ON 'x' EMIT 'y' { a: 1",
            "RULE a ON 'x' EMIT 'y' { a: [1, 2 }",
            "RULE a ON 'x' WHERE data.x = 'unterminated EMIT 'y' {}\n'",
            "AGGREGATE a ON 'x' WINDOW EMIT 'y' {}",
            "RULE a ON 'x' WHERE x @ y EMIT 'y' {}",
            "RULE a ON",
            "RULE",
            "junk before any declaration",
            "PATTERN p MATCH a 'x' THEN b: 'y' WITHIN 10m",
            "SAGA s START ON 'x' AS o",
            "RULE a ON 'x' EMIT 'y' {} garbage here",
            "RULE a ON 'x' WHERE f(g(h( EMIT 'y' {}",
        ]
        for text in broken {
            let (file, diagnostics, _) = parseRules(text + "\nRULE ok ON 'x' EMIT 'y' { z: 1 }\n")
            #expect(file.declarations.map(\.name.text) == ["ok"], "\(text)")
            #expect(diagnostics.contains { $0.isError }, "\(text)")
            // The valid declaration gets no diagnostic.
            #expect(!diagnostics.contains { $0.range.start >= text.utf8.count + 1 }, "\(text): \(diagnostics.map(\.message))")
        }
    }

    @Test func unterminatedStringIsOneMessage() {
        // The string swallows the rest: one message, no cascade.
        #expect(ruleMessages("RULE a ON 'x' EMIT 'y' { s: 1 } WHEN p = 'open") == ["unterminated string literal"])
        let messages = ruleMessages("RULE a ON 'x' EMIT 'y' { s: 'open }")
        #expect(messages == ["unterminated string literal"])
    }

    @Test func brokenDeclarationsAreLeftOut() {
        let text = """
            RULE a ON 'x' EMIT 'y' {}
            RULE b ON 'x' WHERE data.x > EMIT 'y' {}
            AGGREGATE c ON 'x' WINDOW TUMBLING 1h EMIT 'y' {}
            AGGREGATE d ON 'x' WINDOW TUMBLING 1h EMIT 'y' { a: 1, a: 2 }
            RULE e ON 'x' EMIT 'y' {}
            """
        let (file, diagnostics, _) = parseRules(text)
        #expect(file.declarations.map(\.name.text) == ["a", "c", "e"])
        #expect(diagnostics.count == 2)
    }

    /// Warnings (lints) do not make a declaration broken.
    @Test func warningsKeepTheDeclaration() {
        let (file, diagnostics, _) = parseRules("RULE a ON 'x' WHERE p AND q OR r EMIT 'y' {}")
        #expect(diagnostics.map(\.severity) == [.warning])
        #expect(file.declarations.count == 1)
    }

    /// Diagnostics come sorted by position.
    @Test func diagnosticsAreSorted() {
        let (_, diagnostics, _) = parseRules("RULE a ON 'x' WHER p EMIT 'y' {}\nRULE b ON '' EMIT 'y' {}\nRULE c ON 'x' EMIT 'y' { k: 1, k: 2 }")
        #expect(diagnostics.count == 3)
        #expect(diagnostics.map(\.range.start) == diagnostics.map(\.range.start).sorted())
    }
}
