import Testing
import WeirSyntax

/// SAGA syntax errors (issue 12, item 3): one test per error, with its message and its
/// `line:column`; recovery past broken steps and sagas.
@Suite struct SagaParserErrorTests {
    /// `line:column message` of each diagnostic of `text` as a rule file.
    static func located(_ text: String) -> [String] {
        let (_, diagnostics, source) = parseRules(text)
        return diagnostics.map { source.position(of: $0.range.start) + " " + $0.message }
    }

    /// The notes of the diagnostics of `text`.
    static func notes(_ text: String) -> [String] {
        parseRules(text).diagnostics.flatMap { $0.notes.map(\.message) }
    }

    /// A saga's head (three lines), for the step errors below.
    static let head = "SAGA s\n  START ON 'a' AS o\n  KEY o.id\n"

    // MARK: The saga's clauses

    @Test func missingClauses() {
        #expect(Self.located("SAGA s START ON 'x' AS o") == ["1:1 the 'KEY' and 'STEP' clauses are missing from SAGA 's'"])
        #expect(Self.located("SAGA s\n  STEP s1 SEND 'x' {}") == ["1:1 the 'START' and 'KEY' clauses are missing from SAGA 's'"])
        #expect(ruleDiagnostics("SAGA s START ON 'x' AS o KEY o.id") == """
            test.rules:1:1: error: the 'STEP' clause is missing from SAGA 's'
            1 | SAGA s START ON 'x' AS o KEY o.id
              | ^~~~~~
            """)
    }

    @Test func missingName() {
        #expect(Self.located("SAGA\n  START ON 'a' AS o KEY o.id STEP x SEND 'y' {}") == ["2:3 expected a name after 'SAGA', found 'START'"])
    }

    @Test func startWithoutOn() {
        #expect(Self.located("SAGA s\n  START 'a' AS o\n  KEY o.id\n  STEP s1 SEND 'x' {}") == ["2:9 expected 'ON' after 'START', found string literal 'a'"])
        #expect(Self.notes("SAGA s START 'a' AS o") == [
            "a saga starts with START ON 'type' AS alias, then an optional WHERE condition (START ON 'order.placed' AS order)",
        ])
    }

    /// The alias is missing: pointed at right after the type, not at the next clause.
    @Test func startWithoutAlias() {
        #expect(Self.located("SAGA s\n  START ON 'a'\n  KEY o.id\n  STEP s1 SEND 'x' {}")
            == ["2:15 expected 'AS' and an alias after the event type of START ON, found 'KEY'"])
        #expect(Self.located("SAGA s\n  START ON 'a' AS\n  KEY o.id\n  STEP s1 SEND 'x' {}") == ["2:18 expected an alias after 'AS', found 'KEY'"])
    }

    @Test func startWithoutType() {
        #expect(Self.located("SAGA s\n  START ON order.placed AS o") == ["2:12 expected an event type in quotes after 'START ON', found 'order'"])
    }

    @Test func repeatedAndMisplacedSagaClauses() {
        #expect(Self.located(Self.head + "  KEY o.x\n  STEP s1 SEND 'x' {}") == ["4:3 repeated 'KEY' clause in SAGA 's' (first at 3:3)"])
        #expect(Self.located(Self.head + "  TIMEOUT 5m\n  TIMEOUT 6m\n  STEP s1 SEND 'x' {}") == ["5:3 repeated 'TIMEOUT' clause in SAGA 's' (first at 4:3)"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  TIMEOUT 5m") == ["5:3 'TIMEOUT' must come before 'STEP' in SAGA 's'"])
        #expect(Self.notes(Self.head + "  STEP s1 SEND 'x' {}\n  TIMEOUT 5m")
            == ["the clauses of SAGA come in this order: START, KEY, TIMEOUT, STEP, ON COMPLETE, ON FAILURE"])
        #expect(Self.located("SAGA s\n  KEY o.id\n  START ON 'a' AS o\n  STEP s1 SEND 'x' {}") == ["3:3 'START' must come before 'KEY' in SAGA 's'"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  ON COMPLETE EMIT 'y' {}\n  STEP s2 SEND 'x' {}")
            == ["6:3 'STEP' must come before 'ON COMPLETE' in SAGA 's'"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  ON FAILURE EMIT 'f' {}\n  ON COMPLETE EMIT 'y' {}")
            == ["6:3 'ON COMPLETE' must come before 'ON FAILURE' in SAGA 's'"])
    }

    @Test func timeoutWithoutDuration() {
        #expect(Self.located(Self.head + "  TIMEOUT\n  STEP s1 SEND 'x' {}")
            == ["4:10 expected a duration after 'TIMEOUT' (250ms, 30s, 10m, 1h, 7d, 1h30m), found 'STEP'"])
        #expect(Self.located(Self.head + "  TIMEOUT 0s\n  STEP s1 SEND 'x' {}").count == 1)
    }

    @Test func misspeltSagaClause() {
        #expect(Self.located(Self.head + "  TIMOUT 5m\n  STEP s1 SEND 'x' {}")
            == ["4:3 unexpected 'TIMOUT' after the KEY expression of SAGA 's'; did you mean 'TIMEOUT'?"])
        #expect(Self.located("SAGA s\n  STRAT ON 'a' AS o") == ["2:3 expected 'START' in SAGA 's', found 'STRAT'; did you mean 'START'?"])
    }

    // MARK: Steps

    @Test func stepWithoutName() {
        #expect(Self.located(Self.head + "  STEP\n    SEND 'x' {}") == ["5:5 expected a name after 'STEP', found 'SEND'"])
        #expect(Self.located(Self.head + "  STEP 'one' SEND 'x' {}") == ["4:8 expected a name after 'STEP', found string literal 'one'"])
    }

    @Test func missingSend() {
        #expect(Self.located(Self.head + "  STEP s1\n    AWAIT 'b' WITHIN 1s") == ["4:3 the 'SEND' clause is missing from STEP 's1'"])
    }

    @Test func repeatedStepClauses() {
        #expect(Self.located(Self.head + "  STEP s1\n    SEND 'x' {}\n    AWAIT 'b' WITHIN 1s\n    AWAIT 'c' WITHIN 1s")
            == ["7:5 repeated 'AWAIT' clause in STEP 's1' (first at 6:5)"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} AWAIT 'b' WITHIN 1s RETRY 1 EVERY 1s RETRY 2 EVERY 1s")
            == ["4:60 repeated 'RETRY' clause in STEP 's1' (first at 4:43)"])
        #expect(Self.located(Self.head + "  STEP s1\n    SEND 'x' {}\n    COMPENSATE 'y' {}\n    COMPENSATE 'z' {}")
            == ["7:5 repeated 'COMPENSATE' clause in STEP 's1' (first at 6:5)"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} SEND 'y' {}") == ["4:23 repeated 'SEND' clause in STEP 's1' (first at 4:11)"])
    }

    /// Several FAIL ON are allowed (no error); other clauses out of order are one error each.
    @Test func stepClausesOutOfOrder() {
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} AWAIT 'b' WITHIN 1s FAIL ON 'c' FAIL ON 'd'").isEmpty)
        #expect(Self.located(Self.head + "  STEP s1\n    SEND 'x' {}\n    RETRY 2 EVERY 1s\n    AWAIT 'b' WITHIN 1s")
            == ["7:5 'AWAIT' must come before 'RETRY' in STEP 's1'"])
        #expect(Self.notes(Self.head + "  STEP s1 SEND 'x' {} RETRY 3 EVERY 1s AWAIT 'x'")
            == ["the clauses of STEP come in this order: SEND, AWAIT, FAIL ON, RETRY, COMPENSATE"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} COMPENSATE 'y' {} FAIL ON 'z'")
            == ["4:41 'FAIL ON' must come before 'COMPENSATE' in STEP 's1'"])
    }

    @Test func misspeltStepClause() {
        #expect(Self.located(Self.head + "  STEP s1\n    SEND 'x' {}\n    COMPENSTE 'y' {}")
            == ["6:5 expected 'AWAIT', 'FAIL ON', 'RETRY' or 'COMPENSATE' in STEP 's1', found 'COMPENSTE'; did you mean 'COMPENSATE'?"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} AWAIT 'r' WHERE data.a = 1 FIAL ON 'q'")
            == ["4:50 unexpected 'FIAL' after the WHERE expression of STEP 's1'; did you mean 'FAIL ON'?"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} AWAIT 'r' WHERE data.a = 1 FAIL 'q'") == ["4:55 expected 'ON' after 'FAIL', found string literal 'q'"])
    }

    @Test func stepClauseOutsideStep() {
        #expect(Self.located(Self.head + "  SEND 'x' {}\n  STEP s1 SEND 'x' {}")
            == ["4:3 'SEND' in SAGA 's' is a clause of a step: write it after 'STEP name', before the ON COMPLETE and ON FAILURE branches"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  ON COMPLETE EMIT 'y' {}\n  AWAIT 'z' WITHIN 1s")
            == ["6:3 'AWAIT' in SAGA 's' is a clause of a step: write it after 'STEP name', before the ON COMPLETE and ON FAILURE branches"])
    }

    // MARK: Commands and replies

    @Test func commandErrors() {
        #expect(Self.located(Self.head + "  STEP s1 SEND x.y {}") == ["4:16 expected an event type in quotes after 'SEND', found 'x'"])
        #expect(Self.notes(Self.head + "  STEP s1 SEND x.y {}") == ["event types are string literals: SEND 'inventory.reserve' { ... }"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x'\n  STEP s2 SEND 'y' {}") == ["4:19 SEND needs an object: { field: value, ... }"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x.*' {}") == ["4:16 an emitted event has one exact type; 'x.*' has a '*'"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} COMPENSATE '' {}") == ["4:34 empty event type"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' { a: 1 } WHEN o.ok")
            == ["4:29 'WHEN' in STEP 's1' must follow an ON COMPLETE or ON FAILURE branch: ON COMPLETE EMIT 'type' { ... } WHEN condition"])
    }

    @Test func awaitErrors() {
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} AWAIT reply") == ["4:29 expected an event type in quotes after 'AWAIT', found 'reply'"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} AWAIT 'b' WITHIN 1s WHERE data.x = 1")
            == ["4:43 'WHERE' must come before 'WITHIN' in the AWAIT of STEP 's1': AWAIT 'type' AS alias WHERE condition WITHIN 30s"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} AWAIT 'r' WITHIN 1s WITHIN 2s") == ["4:43 repeated 'WITHIN' in the AWAIT of STEP 's1' (first at 4:33)"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} AWAIT 'r' AS\n  STEP s2 SEND 'x' {}") == ["4:35 expected an alias after 'AS', found 'STEP'"])
    }

    @Test func failOnTakesNeitherAliasNorWithin() {
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} FAIL ON 'b' AS r WITHIN 3s") == [
            "4:35 'AS' in the FAIL ON of STEP 's1': only a step's AWAIT names its reply",
            "4:40 'WITHIN' in the FAIL ON of STEP 's1': the step's deadline goes on its AWAIT",
        ])
    }

    @Test func compensationAwaitErrors() {
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} COMPENSATE 'y' {} AWAIT 'z' AS q WITHIN 3s AWAIT 'w'") == [
            "4:51 'AS' in the compensation's AWAIT of STEP 's1': only a step's AWAIT names its reply",
            "4:66 repeated 'AWAIT' after COMPENSATE in STEP 's1' (first at 4:41): a compensation has at most one confirmation",
        ])
    }

    @Test func strayWhereWithinAs() {
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} WHERE data.ok")
            == ["4:23 'WHERE' in STEP 's1' must follow the event type of START ON, AWAIT or FAIL ON: AWAIT 'type' WHERE condition"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} WITHIN 5s")
            == ["4:23 'WITHIN' in STEP 's1' belongs to an AWAIT: AWAIT 'type' WITHIN 30s (the whole saga's deadline is TIMEOUT, before the steps)"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} AS r")
            == ["4:23 'AS' in STEP 's1' must follow the event type of START ON or of a step's AWAIT: AWAIT 'type' AS reply"])
        #expect(Self.located(Self.head + "  WHERE o.ok\n  STEP s1 SEND 'x' {}")
            == ["4:3 'WHERE' in SAGA 's' must follow the event type of START ON, AWAIT or FAIL ON: AWAIT 'type' WHERE condition"])
    }

    // MARK: RETRY

    @Test func retryWithoutEvery() {
        #expect(Self.located(Self.head + "  STEP s1\n    SEND 'x' {}\n    AWAIT 'b' WITHIN 1s\n    RETRY 3 1s") == ["7:13 expected 'EVERY' after 'RETRY 3', found '1s'"])
        #expect(Self.notes(Self.head + "  STEP s1 SEND 'x' {} AWAIT 'b' WITHIN 1s RETRY 3")
            == ["RETRY n EVERY d, then optionally BACKOFF f and MAX m: RETRY 3 EVERY 1s BACKOFF 2 MAX 30s"])
    }

    @Test func retryCount() {
        let retry = { (count: String) in Self.located(Self.head + "  STEP s1 SEND 'x' {} AWAIT 'b' WITHIN 1s RETRY \(count) EVERY 1s") }
        #expect(retry("0") == ["4:49 'RETRY' takes a whole number of retries from 1 to 1000, found '0'"])
        #expect(retry("1001") == ["4:49 'RETRY' takes a whole number of retries from 1 to 1000, found '1001'"])
        #expect(retry("-2") == ["4:49 'RETRY' takes a whole number of retries from 1 to 1000, found '-2'"])
        #expect(retry("1.5") == ["4:49 'RETRY' takes a whole number of retries from 1 to 1000, found '1.5'"])
        #expect(retry("three") == ["4:49 'RETRY' takes a whole number of retries from 1 to 1000, found 'three'"])
        #expect(retry("99999999999999999999") == ["4:49 'RETRY' takes a whole number of retries from 1 to 1000, found '99999999999999999999'"])
        #expect(retry("1000").isEmpty)
        #expect(retry("1").isEmpty)
    }

    @Test func backoff() {
        let backoff = { (factor: String) in Self.located(Self.head + "  STEP s1 SEND 'x' {} AWAIT 'b' WITHIN 1s RETRY 3 EVERY 1s BACKOFF \(factor)") }
        let message = "'BACKOFF' takes a number from 1 to 100 (the factor each wait grows by: 2, 1.5), found "
        #expect(backoff("0.5") == ["4:68 " + message + "'0.5'"])
        #expect(backoff("fast") == ["4:68 " + message + "'fast'"])
        #expect(backoff("-2") == ["4:68 " + message + "'-2'"])
        #expect(backoff("101") == ["4:68 " + message + "'101'"])
        #expect(backoff("") == ["4:67 " + message + "end of input"])
        #expect(backoff("1").isEmpty)
        #expect(backoff("1.5").isEmpty)
        #expect(backoff("100").isEmpty)
    }

    @Test func backoffAfterMax() {
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {} AWAIT 'b' WITHIN 1s RETRY 3 EVERY 1s MAX 1m BACKOFF 2")
            == ["4:67 'BACKOFF' must come before 'MAX' in RETRY"])
    }

    // MARK: ON COMPLETE, ON FAILURE

    @Test func branchWithoutEmit() {
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  ON COMPLETE 'done' {}") == ["5:15 expected 'EMIT' after 'ON COMPLETE', found string literal 'done'"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  ON FAILURE { reason: error.message }") == ["5:14 expected 'EMIT' after 'ON FAILURE', found '{'"])
    }

    @Test func onFollowedByAnythingElse() {
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  ON SUCCESS EMIT 'done' {}")
            == ["5:6 expected 'COMPLETE EMIT' or 'FAILURE EMIT' after 'ON' in SAGA 's', found 'SUCCESS'"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  ON COMPLET EMIT 'done' {}")
            == ["5:6 expected 'COMPLETE EMIT' or 'FAILURE EMIT' after 'ON' in SAGA 's', found 'COMPLET'; did you mean 'ON COMPLETE'?"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  ON 'x.y'")
            == ["5:6 expected 'COMPLETE EMIT' or 'FAILURE EMIT' after 'ON' in SAGA 's', found string literal 'x.y'"])
        #expect(Self.notes(Self.head + "  STEP s1 SEND 'x' {}\n  ON 'x.y'")
            == ["a SAGA has no ON clause: it starts on START ON 'type' AS alias, and its steps AWAIT their replies"])
    }

    @Test func branchAll() {
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  ON FAILURE EMIT ALL 'f' {}")
            == ["5:19 'ALL' after ON FAILURE EMIT in SAGA 's': saga branches are first-match (the first whose WHEN holds emits)"])
    }

    @Test func bareEmitAndStrayWhen() {
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  EMIT 'y' {}")
            == ["5:3 SAGA 's' has no bare 'EMIT': it emits in ON COMPLETE EMIT and ON FAILURE EMIT branches, and its steps SEND commands"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  ON COMPLETE EMIT 'y' {} WHEN true WHEN false")
            == ["5:37 'WHEN' in SAGA 's' must follow an ON COMPLETE or ON FAILURE branch: ON COMPLETE EMIT 'type' { ... } WHEN condition"])
    }

    // MARK: Clauses of other declarations

    @Test func clausesOfOtherDeclarations() {
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  GROUP BY data.x") == ["5:3 SAGA 's' has no 'GROUP BY' clause; 'GROUP BY' belongs to AGGREGATE"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  HAVING count() > 1") == ["5:3 SAGA 's' has no 'HAVING' clause; 'HAVING' belongs to AGGREGATE"])
        #expect(Self.located(Self.head + "  STEP s1\n    SEND 'x' {}\n    MATCH a: 'x'") == ["6:5 SAGA 's' has no 'MATCH' clause; 'MATCH' belongs to PATTERN"])
        #expect(Self.located(Self.head + "  STEP s1 SEND 'x' {}\n  ON TIMEOUT EMIT 'y' {}")
            == ["5:3 SAGA 's' has no 'ON TIMEOUT EMIT' clause; 'ON TIMEOUT EMIT' belongs to PATTERN"])
        #expect(Self.notes(Self.head + "  STEP s1 SEND 'x' {}\n  ON TIMEOUT EMIT 'y' {}")
            == ["a saga whose step or deadline times out fails: its ON FAILURE branches run, with error.kind 'timeout' or 'deadline'"])
    }

    // MARK: Recovery

    /// Several broken sagas, then a valid RULE: every error is reported (one per mistake),
    /// the RULE is kept and gets no diagnostic.
    @Test func recoveryPastBrokenSagas() {
        let text = """
            SAGA a
              START ON 'x' AS o
              KEY o.id
              STEP one
                SEND 'c' { id: o.id }
                AWAIT 'r' WITHIN 1s
                COMPENSTE 'u' {}
              STEP two
                SEND 'd' {}
                RETRY 0 EVERY 1s
              STEP three
                AWAIT 'q' WITHIN 2s
            SAGA b
              START ON 'x' AS o
              KEY o.id
              STEP
                SEND 'c' {}
              ON COMPLETE 'z' {}
              ON FAILURE EMIT 'f' { r: error.message }
            SAGA c START ON 'x' KEY o.id STEP s SEND 'c' {}
            SAGA d START ON 'x' AS o KEY o.id STEP s SEND 'c' { a: } STEP t SEND 'd' {} AWAIT 'e' WITHIN 0s
            RULE ok ON 'x' EMIT 'y' { z: 1 }
            """
        let (file, diagnostics, source) = parseRules(text)
        #expect(diagnostics.map { source.position(of: $0.range.start) + " " + $0.message } == [
            "7:5 expected 'FAIL ON', 'RETRY' or 'COMPENSATE' in STEP 'one', found 'COMPENSTE'; did you mean 'COMPENSATE'?",
            "10:11 'RETRY' takes a whole number of retries from 1 to 1000, found '0'",
            "11:3 the 'SEND' clause is missing from STEP 'three'",
            "17:5 expected a name after 'STEP', found 'SEND'",
            "18:15 expected 'EMIT' after 'ON COMPLETE', found string literal 'z'",
            "20:20 expected 'AS' and an alias after the event type of START ON, found 'KEY'",
            "21:56 expected expression, found '}'",
            "21:94 duration '0s' must be greater than zero",
        ])
        #expect(file.declarations.map(\.name.text) == ["ok"])
    }

    /// A step's error does not hide the next step's, nor the branches'.
    @Test func oneErrorPerBrokenStep() {
        #expect(Self.located(Self.head + """
              STEP s1 SEND 'x'
              STEP s2 SEND 'y' {} RETRY 2000 EVERY 1s
              STEP s3 SEND 'z' {} AWAIT 'r' FAIL 'q'
              ON COMPLETE EMIT ALL 'a' {}
            """) == [
            "4:19 SEND needs an object: { field: value, ... }",
            "5:29 'RETRY' takes a whole number of retries from 1 to 1000, found '2000'",
            "6:38 expected 'ON' after 'FAIL', found string literal 'q'",
            "7:20 'ALL' after ON COMPLETE EMIT in SAGA 's': saga branches are first-match (the first whose WHEN holds emits)",
        ])
    }
}
