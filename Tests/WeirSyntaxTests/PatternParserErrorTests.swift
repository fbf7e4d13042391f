import Testing
import WeirSyntax

/// PATTERN syntax errors (issue 11, item 1): one test per error, with its message and its
/// `line:column`; recovery past broken steps and declarations.
@Suite struct PatternParserErrorTests {
    /// `line:column message` of each diagnostic of `text` as a rule file.
    static func located(_ text: String) -> [String] {
        let (_, diagnostics, source) = parseRules(text)
        return diagnostics.map { source.position(of: $0.range.start) + " " + $0.message }
    }

    @Test func missingMatch() {
        #expect(Self.located("PATTERN p\n  PARTITION BY data.u\n  EMIT 'z' {}") == ["1:1 the 'MATCH' clause is missing from PATTERN 'p'"])
        #expect(ruleDiagnostics("PATTERN p") == """
            test.rules:1:1: error: the 'MATCH' clause is missing from PATTERN 'p'
            1 | PATTERN p
              | ^~~~~~~~~
            """)
    }

    @Test func missingName() {
        #expect(Self.located("PATTERN MATCH a: 'x'") == ["1:9 expected a name after 'PATTERN', found 'MATCH'"])
    }

    @Test func missingAlias() {
        #expect(Self.located("PATTERN p\n  MATCH 'user.login' EMIT 'z' {}") == ["2:9 the step after 'MATCH' has no alias; write MATCH name: 'user.login'"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN NOT 'y' WITHIN 1m") == ["2:12 the step after 'THEN NOT' has no alias; write THEN NOT name: 'y'"])
    }

    @Test func missingColon() {
        #expect(Self.located("PATTERN p\n  MATCH login 'user.login'") == ["2:15 expected ':' after the step alias 'login', found string literal 'user.login'"])
    }

    @Test func missingType() {
        let (_, diagnostics, _) = parseRules("PATTERN p\n  MATCH login: user.login")
        #expect(Self.located("PATTERN p\n  MATCH login: user.login") == ["2:16 expected the event type of step 'login' in quotes, found 'user'"])
        #expect(diagnostics.first?.notes.map(\.message) == ["event types are string literals: MATCH login: 'user.login'"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN b: WHERE data.x > 1") == ["2:11 expected the event type of step 'b' in quotes, found 'WHERE'"])
        #expect(Self.located("PATTERN p MATCH a: 'x..y'") == ["1:20 empty segment in event type 'x..y'; segments are separated by single dots"])
    }

    @Test func thenWithoutStep() {
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN\n  EMIT 'z' {}")
            == ["3:3 expected a step after 'THEN', found 'EMIT'; a step is alias: 'type' (THEN login: 'user.login')"])
        #expect(Self.located("PATTERN p MATCH a: 'x' THEN")
            == ["1:28 expected a step after 'THEN', found end of input; a step is alias: 'type' (THEN login: 'user.login')"])
        #expect(Self.located("PATTERN p MATCH a: 'x' THEN NEXT b: 'y'")
            == ["1:29 expected a step after 'THEN', found 'NEXT'; a step is alias: 'type' (THEN login: 'user.login')"])
        #expect(Self.located("PATTERN p MATCH\nRULE r ON 'x' EMIT 'y' {}")
            == ["1:16 expected a step after 'MATCH', found 'RULE'; a step is alias: 'type' (MATCH login: 'user.login')"])
    }

    @Test func misspeltStepModifier() {
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN NTO paid: 'y' WITHIN 1m") == ["2:8 unexpected 'NTO' after 'THEN'; did you mean 'THEN NOT'?"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN AYN b: 'y'") == ["2:8 unexpected 'AYN' after 'THEN'; did you mean 'THEN ANY'?"])
    }

    @Test func modifiersThatDoNotExist() {
        #expect(Self.located("PATTERN p\n  MATCH NOT a: 'x'")
            == ["2:9 the first step cannot be negated: there is no 'MATCH NOT' (a run starts with an event, not an absence)"])
        #expect(Self.located("PATTERN p\n  MATCH ANY a: 'x'")
            == ["2:9 there is no 'MATCH ANY': the first step is written MATCH alias: 'type', and every event that matches it starts a run"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  NEXT NOT b: 'y'")
            == ["2:8 there is no 'NEXT NOT'; write 'THEN NOT' (no such event between the steps around it)"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  NEXT ANY b: 'y'")
            == ["2:8 there is no 'NEXT ANY'; write 'THEN ANY' (skip till any match) or 'NEXT' (strict contiguity)"])
    }

    @Test func emptyQuantifier() {
        #expect(Self.located("PATTERN p\n  MATCH a: 'x'{}") == ["2:15 empty quantifier '{}'"])
        #expect(parseRules("PATTERN p MATCH a: 'x'{}").diagnostics.first?.notes.map(\.message)
            == ["a quantifier is {n}, {n,m}, {n,} (whole numbers up to 10000), '+' (one or more) or '?' (optional)"])
    }

    @Test func quantifierMaxBelowMin() {
        #expect(Self.located("PATTERN p\n  MATCH a: 'x'{3,1}") == ["2:15 quantifier {3,1} allows at most 1, fewer than its least 3"])
    }

    @Test func quantifierOfZero() {
        #expect(Self.located("PATTERN p\n  MATCH a: 'x'{0}")
            == ["2:15 quantifier {0} matches no event; a step occurs at least once ('?' or {0,1} makes it optional)"])
        #expect(Self.located("PATTERN p\n  MATCH a: 'x' {0,0}")
            == ["2:16 quantifier {0,0} matches no event; a step occurs at least once ('?' or {0,1} makes it optional)"])
    }

    @Test func quantifierNotAWholeNumber() {
        #expect(Self.located("PATTERN p\n  MATCH a: 'x'{1.5}") == ["2:16 expected a whole number in the quantifier, found '1.5'"])
        #expect(Self.located("PATTERN p\n  MATCH a: 'x'{n}") == ["2:16 expected a whole number in the quantifier, found 'n'"])
        #expect(Self.located("PATTERN p\n  MATCH a: 'x'{-1}") == ["2:16 expected a whole number in the quantifier, found '-'"])
        #expect(Self.located("PATTERN p\n  MATCH a: 'x'{2,x}") == ["2:18 expected a whole number in the quantifier, found 'x'"])
    }

    @Test func quantifierTooLarge() {
        #expect(Self.located("PATTERN p\n  MATCH a: 'x'{10001}") == ["2:16 quantifier count 10001 is larger than the limit of 10000"])
        #expect(Self.located("PATTERN p\n  MATCH a: 'x'{1,99999999999999999999}")
            == ["2:18 quantifier count 99999999999999999999 is larger than the limit of 10000"])
        #expect(Self.located("PATTERN p WITHIN 1m MATCH a: 'x'{10000} THEN b: 'y'{0,10000} EMIT 'z' {}").isEmpty)
    }

    @Test func unclosedQuantifier() {
        // The rest of the pattern is still read: its EMIT branch is not swallowed.
        #expect(Self.located("PATTERN p\n  MATCH a: 'x'{3\n  THEN b: 'y' EMIT 'z' { a: 1, a: 2 }")
            == ["2:17 expected '}' to close '{' at 2:15", "3:32 repeated key 'a' in the object (first at 3:26)"])
    }

    @Test func quantifierAfterWhere() {
        let (_, diagnostics, _) = parseRules("PATTERN p MATCH a: 'x' WHERE data.n > 1 {3}")
        #expect(Self.located("PATTERN p MATCH a: 'x' WHERE data.n > 1 {3}")
            == ["1:41 unexpected '{' after the WHERE expression of step 'a' in PATTERN 'p'"])
        #expect(diagnostics.first?.notes.map(\.message) == ["a quantifier follows the event type directly: login: 'user.login'{3}, 'x'+, 'x'?"])
    }

    @Test func maxRunsNotAPositiveInteger() {
        let expected = { (col: Int, found: String) in ["2:\(col) 'MAX RUNS' takes a whole number from 1 to 10000000, found \(found)"] }
        #expect(Self.located("PATTERN p\n  MAX RUNS 0 MATCH a: 'x'") == expected(12, "'0'"))
        #expect(Self.located("PATTERN p\n  MAX RUNS -3 MATCH a: 'x'") == expected(12, "'-3'"))
        #expect(Self.located("PATTERN p\n  MAX RUNS 2.5 MATCH a: 'x'") == expected(12, "'2.5'"))
        #expect(Self.located("PATTERN p\n  MAX RUNS many MATCH a: 'x'") == expected(12, "'many'"))
        #expect(Self.located("PATTERN p\n  MAX RUNS 10000001 MATCH a: 'x'") == expected(12, "'10000001'"))
        #expect(Self.located("PATTERN p\n  MAX RUNS MATCH a: 'x'") == expected(12, "'MATCH'"))
        #expect(Self.located("PATTERN p MAX RUNS 10000000 MATCH a: 'x' EMIT 'y' {}").isEmpty)
    }

    @Test func headerClausesOutOfOrder() {
        #expect(Self.located("PATTERN p\n  WITHIN 1m\n  PARTITION BY data.u\n  MATCH a: 'x'") == ["3:3 'PARTITION BY' must come before 'WITHIN' in PATTERN 'p'"])
        #expect(parseRules("PATTERN p MAX RUNS 3 WITHIN 1m MATCH a: 'x'").diagnostics.first?.notes.map(\.message)
            == ["the clauses of PATTERN come in this order: PARTITION BY, WITHIN, MAX RUNS, MATCH, THEN, AFTER MATCH, EMIT, ON TIMEOUT EMIT"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  PARTITION BY data.u") == ["2:3 'PARTITION BY' must come before 'MATCH' in PATTERN 'p'"])
        #expect(Self.located("PATTERN p MATCH a: 'x' EMIT 'y' {}\n  THEN b: 'z'") == ["2:3 'THEN' must come before 'EMIT' in PATTERN 'p'"])
        #expect(Self.located("PATTERN p MATCH a: 'x' ON TIMEOUT EMIT 'y' {}\n  EMIT 'z' {}") == ["2:3 'EMIT' must come before 'ON TIMEOUT EMIT' in PATTERN 'p'"])
        #expect(Self.located("PATTERN p MATCH a: 'x' EMIT 'y' {}\n  AFTER MATCH SKIP TO NEXT") == ["2:3 'AFTER MATCH' must come before 'EMIT' in PATTERN 'p'"])
    }

    @Test func headerClausesRepeated() {
        #expect(Self.located("PATTERN p WITHIN 1m\n  WITHIN 2m MATCH a: 'x'") == ["2:3 repeated 'WITHIN' clause in PATTERN 'p' (first at 1:11)"])
        #expect(Self.located("PATTERN p MAX RUNS 1\n  MAX RUNS 2 MATCH a: 'x'") == ["2:3 repeated 'MAX RUNS' clause in PATTERN 'p' (first at 1:11)"])
        #expect(Self.located("PATTERN p PARTITION BY a\n  PARTITION BY b MATCH a: 'x'") == ["2:3 repeated 'PARTITION BY' clause in PATTERN 'p' (first at 1:11)"])
        let (_, diagnostics, _) = parseRules("PATTERN p MATCH a: 'x'\n  MATCH b: 'y'")
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  MATCH b: 'y'") == ["2:3 repeated 'MATCH' clause in PATTERN 'p' (first at 1:11)"])
        #expect(diagnostics.first?.notes.map(\.message) == ["a pattern has one MATCH, its first step; later steps follow THEN, NEXT, THEN ANY or THEN NOT"])
        #expect(Self.located("PATTERN p MATCH a: 'x' AFTER MATCH SKIP TO NEXT\n  AFTER MATCH SKIP TO NEXT")
            == ["2:3 repeated 'AFTER MATCH' clause in PATTERN 'p' (first at 1:24)"])
    }

    @Test func stepClausesRepeatedOrOutOfOrder() {
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN b: 'y' WHERE c WHERE d") == ["2:23 repeated 'WHERE' in step 'b' (first at 2:15)"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN b: 'y' WITHIN 1m WITHIN 2m") == ["2:25 repeated 'WITHIN' in step 'b' (first at 2:15)"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN b: 'y' WITHIN 1m WHERE c") == ["2:25 'WHERE' must come before 'WITHIN' in step 'b'"])
    }

    @Test func partitionWithoutBy() {
        #expect(Self.located("PATTERN p\n  PARTITION data.u MATCH a: 'x'") == ["2:13 expected 'BY' after 'PARTITION', found 'data'"])
    }

    @Test func misspeltHeaderClause() {
        #expect(Self.located("PATTERN p\n  MAP RUNS 3 MATCH a: 'x'")
            == ["2:3 expected 'PARTITION BY', 'WITHIN', 'MAX RUNS' or 'MATCH' in PATTERN 'p', found 'MAP'; did you mean 'MAX RUNS'?"])
        #expect(Self.located("PATTERN p\n  MACTH a: 'x'")
            == ["2:3 expected 'PARTITION BY', 'WITHIN', 'MAX RUNS' or 'MATCH' in PATTERN 'p', found 'MACTH'; did you mean 'MATCH'?"])
        #expect(Self.located("PATTERN p PARTITION BY data.u\n  WITHN 1m MATCH a: 'x'")
            == ["2:3 unexpected 'WITHN' after the PARTITION BY expression of PATTERN 'p'; did you mean 'WITHIN'?"])
    }

    @Test func misspeltStepKeyword() {
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THNE b: 'y'") == ["2:3 unexpected 'THNE' in step 'a' of PATTERN 'p'; did you mean 'THEN'?"])
        #expect(Self.located("PATTERN p MATCH a: 'x' WHER data.x > 1") == ["1:24 unexpected 'WHER' in step 'a' of PATTERN 'p'; did you mean 'WHERE'?"])
        #expect(Self.located("PATTERN p MATCH a: 'x' WHERE data.x > 1\n  WITHN 1m")
            == ["2:3 unexpected 'WITHN' after the WHERE expression of step 'a' in PATTERN 'p'; did you mean 'WITHIN'?"])
        #expect(Self.located("PATTERN p MATCH a: 'x' WHERE data.x > 1 ADN data.y")
            == ["1:41 unexpected 'ADN' after the WHERE expression of step 'a' in PATTERN 'p'; did you mean 'AND' instead of 'ADN'?"])
    }

    @Test func afterMatchNeitherForm() {
        let note = "AFTER MATCH is followed by SKIP TO NEXT (the default: other runs go on) or SKIP PAST LAST EVENT (other runs of the partition are dropped)"
        let (_, diagnostics, _) = parseRules("PATTERN p MATCH a: 'x' AFTER MATCH SKIP EMIT 'z' {}")
        #expect(diagnostics.first?.notes.map(\.message) == [note])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  AFTER MATCH SKIP EMIT 'z' {}") == ["2:20 expected 'TO' or 'PAST' after 'AFTER MATCH SKIP', found 'EMIT'"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  AFTER MATCH SKIP PAST LAST\n  EMIT 'z' {}")
            == ["3:3 expected 'EVENT' after 'AFTER MATCH SKIP PAST LAST', found 'EMIT'"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  AFTER MATCH SKIP PAST LAST EVNT EMIT 'z' {}")
            == ["2:30 expected 'EVENT' after 'AFTER MATCH SKIP PAST LAST', found 'EVNT'; did you mean 'EVENT'?"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  AFTER MATCH SKP TO NEXT EMIT 'z' {}")
            == ["2:15 expected 'SKIP' after 'AFTER MATCH', found 'SKP'; did you mean 'SKIP'?"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  AFTER SKIP PAST LAST EVENT") == ["2:9 expected 'MATCH' after 'AFTER', found 'SKIP'"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  AFTER MATCH SKIP TO LAST EVENT") == ["2:23 expected 'NEXT' after 'AFTER MATCH SKIP TO', found 'LAST'"])
    }

    @Test func onWithoutTimeoutEmit() {
        let (_, diagnostics, _) = parseRules("PATTERN p MATCH a: 'x' ON 'y'")
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  ON 'y'") == ["2:6 expected 'TIMEOUT EMIT' after 'ON' in PATTERN 'p', found string literal 'y'"])
        #expect(diagnostics.first?.notes.map(\.message) == ["a PATTERN has no ON clause: each step names its event type (MATCH login: 'user.login')"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  ON TIMOUT EMIT 'y' { a: 1, a: 2 }")
            == ["2:6 expected 'TIMEOUT EMIT' after 'ON' in PATTERN 'p', found 'TIMOUT'; did you mean 'TIMEOUT'?",
                "2:30 repeated key 'a' in the object (first at 2:24)"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  ON TIMEOUT 'y' {}") == ["2:14 expected 'EMIT' after 'ON TIMEOUT', found string literal 'y'"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  ON TIMEOUT EMIT ALL 'y' {}")
            == ["2:19 'ALL' after ON TIMEOUT EMIT in PATTERN 'p': timeout branches are first-match (the first whose WHEN holds emits)"])
    }

    @Test func clauseOfAnotherDeclaration() {
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  GROUP BY data.x") == ["2:3 PATTERN 'p' has no 'GROUP BY' clause; 'GROUP BY' belongs to AGGREGATE"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  HAVING count() > 1") == ["2:3 PATTERN 'p' has no 'HAVING' clause; 'HAVING' belongs to AGGREGATE"])
        #expect(Self.located("PATTERN p\n  WHERE data.x MATCH a: 'x'")
            == ["2:3 PATTERN 'p' has no 'WHERE' clause; a condition belongs to a step: MATCH login: 'user.login' WHERE condition"])
        #expect(Self.located("PATTERN p MATCH a: 'x' EMIT 'y' {}\n  WHERE data.x")
            == ["2:3 PATTERN 'p' has no 'WHERE' clause; a condition belongs to a step: MATCH login: 'user.login' WHERE condition"])
        // And PATTERN's clauses in a RULE or an AGGREGATE.
        #expect(Self.located("RULE r ON 'x'\n  THEN a: 'y' EMIT 'z' {}") == ["2:3 RULE 'r' has no 'THEN' clause; 'THEN' belongs to PATTERN"])
        #expect(Self.located("AGGREGATE g ON 'x' WINDOW TUMBLING 1m\n  WITHIN 1m EMIT 'z' {}") == ["2:3 AGGREGATE 'g' has no 'WITHIN' clause; 'WITHIN' belongs to PATTERN"])
        #expect(Self.located("RULE r ON 'x' EMIT 'z' {}\n  ON TIMEOUT EMIT 'y' {}").first == "2:3 RULE 'r' has no 'ON TIMEOUT EMIT' clause; 'ON TIMEOUT EMIT' belongs to PATTERN")
    }

    @Test func withinNotADuration() {
        #expect(Self.located("PATTERN p\n  WITHIN soon MATCH a: 'x'")
            == ["2:10 expected a duration (250ms, 30s, 10m, 1h, 7d, 1h30m), found 'soon'"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN b: 'y' WITHIN 0s") == ["2:22 duration '0s' must be greater than zero"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN b: 'y' WITHIN 'soon'")
            == ["2:22 expected a duration after 'WITHIN' (250ms, 30s, 10m, 1h, 7d, 1h30m), found string literal 'soon'"])
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN b: 'y' WITHIN -5m")
            == ["2:22 expected a duration after 'WITHIN' (250ms, 30s, 10m, 1h, 7d, 1h30m), found '-'"])
    }

    @Test func withinAfterTheSteps() {
        #expect(Self.located("PATTERN p MATCH a: 'x' EMIT 'y' {}\n  WITHIN 5m")
            == ["2:3 'WITHIN' after the steps of PATTERN 'p': a step's window follows the step (THEN tx: 'x' WITHIN 10m); the whole-match window goes before MATCH"])
    }

    @Test func strayWhen() {
        #expect(Self.located("PATTERN p MATCH a: 'x' AFTER MATCH SKIP TO NEXT\n  WHEN true EMIT 'y' {}")
            == ["2:3 'WHEN' in PATTERN 'p' must follow an EMIT branch: EMIT 'type' { ... } WHEN condition"])
    }

    @Test func emitAllOnALaterBranch() {
        #expect(Self.located("PATTERN p MATCH a: 'x' EMIT 'y' {} WHEN true\n  EMIT ALL 'z' {}")
            == ["2:8 'ALL' on a later EMIT branch of PATTERN 'p', but not on the first"])
    }

    // MARK: Recovery

    /// A bad step hides no error in the steps after it, nor in the EMIT branches.
    @Test func everyErrorOfOnePattern() {
        #expect(Self.located("""
            PATTERN p
              MATCH a: 'x'{0}
              THEN 'y'
              THEN c 'z'{3,1} WHERE data.n > WITHIN 1m
              THEN NTO d: 'w'
              AFTER MATCH SKIP PAST LAST
              EMIT 'q' { k: 1, k: 2 }
            """) == [
            "2:15 quantifier {0} matches no event; a step occurs at least once ('?' or {0,1} makes it optional)",
            "3:8 the step after 'THEN' has no alias; write THEN name: 'y'",
            "4:10 expected ':' after the step alias 'c', found string literal 'z'",
            "4:13 quantifier {3,1} allows at most 1, fewer than its least 3",
            "4:34 expected expression, found 'WITHIN'",
            "5:8 unexpected 'NTO' after 'THEN'; did you mean 'THEN NOT'?",
            "7:3 expected 'EVENT' after 'AFTER MATCH SKIP PAST LAST', found 'EMIT'",
            "7:20 repeated key 'k' in the object (first at 7:14)",
        ])
    }

    /// Three broken patterns and a valid RULE: every error reported, the RULE kept.
    @Test func threeBrokenPatternsAndARule() {
        let text = """
            PATTERN one
              MATCH a 'x'
              THEN b: 'y'{}
            PATTERN two MAX RUNS 0
              MATCH a: 'x'
              THEN NOT b: 'y' WITHN 1m
            PATTERN three
              MATCH a: 'x'
              AFTER MATCH SKIP TO
              ON TIMEOUT 'z' {}
            RULE kept ON 'x' EMIT 'y' {}
            """
        let (file, diagnostics, _) = parseRules(text)
        #expect(Self.located(text) == [
            "2:11 expected ':' after the step alias 'a', found string literal 'x'",
            "3:14 empty quantifier '{}'",
            "4:22 'MAX RUNS' takes a whole number from 1 to 10000000, found '0'",
            "6:19 unexpected 'WITHN' in step 'b' of PATTERN 'two'; did you mean 'WITHIN'?",
            "10:3 expected 'NEXT' after 'AFTER MATCH SKIP TO', found 'ON'",
            "10:14 expected 'EMIT' after 'ON TIMEOUT', found string literal 'z'",
        ])
        #expect(diagnostics.allSatisfy { $0.isError })
        #expect(file.declarations.map(\.name.text) == ["kept"])
    }

    /// A broken pattern does not take the declaration after it down.
    @Test func declarationAfterABrokenPattern() {
        let broken = [
            "PATTERN p MATCH",
            "PATTERN p MATCH a: 'x'{3",
            "PATTERN p MATCH a: 'x' THEN",
            "PATTERN p MATCH a: 'x' WHERE (data.x >",
            "PATTERN p MATCH a: 'x' AFTER MATCH",
            "PATTERN p MATCH a: 'x' ON TIMEOUT",
            "PATTERN p MATCH a: 'x' EMIT 'y' { a: 1",
            "PATTERN p MAX RUNS",
            "PATTERN p PARTITION BY",
            "PATTERN",
        ]
        for text in broken {
            let (file, diagnostics, _) = parseRules(text + "\nRULE ok ON 'x' EMIT 'y' { z: 1 }\nPATTERN fine WITHIN 1m MATCH a: 'x' EMIT 'y' {}\n")
            #expect(file.declarations.map(\.name.text) == ["ok", "fine"], "\(text)")
            #expect(diagnostics.contains { $0.isError }, "\(text)")
            #expect(!diagnostics.contains { $0.range.start >= text.utf8.count + 1 }, "\(text): \(diagnostics.map(\.message))")
        }
    }
}
