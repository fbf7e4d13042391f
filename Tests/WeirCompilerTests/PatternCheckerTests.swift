import Testing
import WeirSyntax
@testable import WeirCompiler

/// `PatternChecker` (issue 11, item 1 "checks"): one test per structural error, each with its
/// message and `line:column`. Until the compiler calls the checker, these call it directly
/// on the parsed declaration.
@Suite struct PatternCheckerTests {
    /// The first declaration of `text`, a PATTERN that parses without error.
    static func pattern(_ text: String) -> (PatternDeclaration, SourceFile)? {
        let source = SourceFile(name: "p.rules", text: text)
        let (file, diagnostics) = RuleFileParser.parse(source)
        guard !diagnostics.contains(where: { $0.isError }), case .pattern(let p)? = file.declarations.first else {
            Issue.record("not a valid PATTERN: \(diagnostics.map(\.message))")
            return nil
        }
        return (p, source)
    }

    /// `line:column severity: message` of each checker diagnostic.
    static func located(_ text: String) -> [String] {
        guard let (p, source) = pattern(text) else { return [] }
        return PatternChecker.check(p).map { "\(source.position(of: $0.range.start)) \($0.severity.rawValue): \($0.message)" }
    }

    static func notes(_ text: String) -> [String] {
        guard let (p, _) = pattern(text) else { return [] }
        return PatternChecker.check(p).flatMap { $0.notes.map(\.message) }
    }

    // MARK: Accepted

    @Test func languageExampleIsAccepted() {
        #expect(Self.located("""
            PATTERN potential_fraud
              PARTITION BY data.userId
              MATCH login: 'user.login' WHERE data.loginAttempts >= 5
              THEN  tx:    'transaction.initiated' WHERE data.amount > 5000 WITHIN 10m
              THEN  moved: 'user.location-changed'
                           WHERE distance(data.location, login.data.location) > 1000 WITHIN 15m
              EMIT 'fraud.potential-detected' { userId: login.data.userId }
            """).isEmpty)
    }

    @Test func singleStepIsFine() {
        #expect(Self.located("PATTERN p MATCH a: 'x' EMIT 'y' {}").isEmpty)
    }

    /// Negated steps only after MATCH, and two in a row, are fine.
    @Test func negatedStepsAfterMatchAreFine() {
        #expect(Self.located("PATTERN p MATCH a: 'x' THEN NOT b: 'y' THEN NOT c: 'z' WITHIN 10m EMIT 'y' {}").isEmpty)
        #expect(Self.located("PATTERN p WITHIN 1h MATCH a: 'x' THEN NOT b: 'y' THEN NOT c: 'z' EMIT 'y' {}").isEmpty)
    }

    @Test func boundedOrWindowedLoopsAreFine() {
        #expect(Self.located("PATTERN p MAX RUNS 10 MATCH a: 'x'{2,5} THEN b: 'y'{3} EMIT 'y' {}").isEmpty)
        #expect(Self.located("PATTERN p MATCH a: 'x'+ WITHIN 1m THEN b: 'y'{2,} WITHIN 1m EMIT 'y' {}").isEmpty)
        #expect(Self.located("PATTERN p WITHIN 1m MATCH a: 'x'+ THEN b: 'y'{2,} EMIT 'y' {}").isEmpty)
    }

    // MARK: Aliases

    @Test func duplicateAlias() {
        let text = "PATTERN p WITHIN 1m\n  MATCH a: 'x'\n  THEN a: 'y'\n  EMIT 'z' {}"
        #expect(Self.located(text) == ["3:8 error: step alias 'a' is already used by an earlier step; each step needs its own alias"])
        guard let (p, source) = Self.pattern(text) else { return }
        let note = PatternChecker.check(p).first?.notes.first
        #expect(note?.message == "first used here")
        #expect(note?.range.map { source.position(of: $0.start) } == "2:9")
    }

    @Test func aliasShadowsData() {
        #expect(Self.located("PATTERN p WITHIN 1m\n  MATCH data: 'user.login'")
            == ["2:9 error: step alias 'data' would hide the current event's 'data'; choose another name"])
        #expect(Self.notes("PATTERN p WITHIN 1m\n  MATCH data: 'user.login'") == ["did you mean 'login'?"])
    }

    @Test func aliasShadowsKeyAndWindow() {
        #expect(Self.located("PATTERN p WITHIN 1m MATCH a: 'x'\n  THEN key: 'y'")
            == ["2:8 error: step alias 'key' would hide 'key', a name the compiler resolves; choose another name"])
        #expect(Self.located("PATTERN p WITHIN 1m MATCH a: 'x'\n  THEN Window: 'y'")
            == ["2:8 error: step alias 'Window' would hide 'window', a name the compiler resolves; choose another name"])
    }

    @Test func aliasShadowsAnAttribute() {
        for attribute in ["id", "type", "source", "time", "subject", "specversion", "datacontenttype", "dataschema", "TYPE"] {
            #expect(Self.located("PATTERN p WITHIN 1m MATCH \(attribute): 'order.created'")
                == ["1:27 error: step alias '\(attribute)' would hide the CloudEvents attribute '\(attribute.lowercased())'; choose another name"])
        }
        #expect(Self.notes("PATTERN p WITHIN 1m MATCH id: 'order.created'") == ["did you mean 'created'?"])
        // No suggestion when the type's last segment is itself taken or not a name.
        #expect(Self.notes("PATTERN p WITHIN 1m MATCH id: 'x.created' THEN created: 'y'").isEmpty)
        #expect(Self.notes("PATTERN p WITHIN 1m MATCH id: 'x.*'").isEmpty)
        #expect(Self.notes("PATTERN p WITHIN 1m MATCH id: 'x.data'").isEmpty)
    }

    @Test func aliasIsAKeyword() {
        #expect(Self.located("PATTERN p WITHIN 1m MATCH a: 'x'\n  THEN not: 'y'") == ["2:8 error: step alias 'not' is a keyword; choose another name"])
        #expect(Self.located("PATTERN p WITHIN 1m MATCH a: 'x'\n  THEN Match: 'y'") == ["2:8 error: step alias 'Match' is a keyword; choose another name"])
        // Contextual words are not keywords.
        #expect(Self.located("PATTERN p WITHIN 1m MATCH any: 'x' THEN last: 'y' THEN event: 'z' THEN max: 'w'").isEmpty)
    }

    // MARK: First step

    @Test func firstStepOptional() {
        #expect(Self.located("PATTERN p WITHIN 1m\n  MATCH a: 'x'?")
            == ["2:15 error: the first step starts every run; it cannot be optional ('?', {0,...})"])
        #expect(Self.located("PATTERN p WITHIN 1m\n  MATCH a: 'x'{0,3}")
            == ["2:15 error: the first step starts every run; it cannot be optional ('?', {0,...})"])
        #expect(Self.notes("PATTERN p WITHIN 1m MATCH a: 'x'?") == ["start its quantifier at 1 ({1,3}), or drop the '?'"])
        // Later optional steps are fine.
        #expect(Self.located("PATTERN p WITHIN 1m MATCH a: 'x' THEN b: 'y'? THEN c: 'z'{0,2}").isEmpty)
    }

    /// The parser has no `MATCH NOT`; a tree built otherwise (the Swift API) is still checked.
    @Test func firstStepNegated() {
        guard let (parsed, source) = Self.pattern("PATTERN p WITHIN 1m MATCH a: 'x'\n  THEN NOT b: 'y' THEN ANY c: 'z'") else { return }
        var p = parsed
        p.steps = [p.steps[1], p.steps[0]]
        p.maxRuns = PatternDeclaration.Count(value: 1, range: p.name.range)
        let located = PatternChecker.check(p).map { "\(source.position(of: $0.range.start)) \($0.message)" }
        #expect(located == [
            "1:21 only the first step of a pattern is a MATCH step; later steps follow THEN, NEXT, THEN ANY or THEN NOT",
            "2:3 the first step cannot be negated (there is no 'MATCH NOT'): a run starts with an event, not an absence",
        ])
        p.steps = [parsed.steps[2]]
        #expect(PatternChecker.check(p).map(\.message) == ["the first step of a pattern is its MATCH step"])
    }

    @Test func withinOnAnUnquantifiedFirstStep() {
        #expect(Self.located("PATTERN p WITHIN 1h\n  MATCH a: 'x' WITHIN 5m THEN b: 'y'")
            == ["2:23 warning: WITHIN on the first step has no effect: a step's window is measured from the previous matched step, and the first step has none"])
        #expect(Self.notes("PATTERN p WITHIN 1h MATCH a: 'x' WITHIN 5m") == ["for a window on the whole match, write WITHIN in the header, before MATCH"])
        // On a quantified first step it bounds the iterations: no warning.
        #expect(Self.located("PATTERN p MATCH a: 'x'{3} WITHIN 5m").isEmpty)
    }

    // MARK: Negation

    @Test func negatedStepWithAQuantifier() {
        #expect(Self.located("PATTERN p WITHIN 1h MATCH a: 'x'\n  THEN NOT b: 'y'{2} THEN c: 'z'")
            == ["2:18 error: the negated step 'b' takes no quantifier: 'THEN NOT' means no such event at all"])
        #expect(Self.located("PATTERN p WITHIN 1h MATCH a: 'x'\n  THEN NOT b: 'y'+ THEN c: 'z'")
            == ["2:18 error: the negated step 'b' takes no quantifier: 'THEN NOT' means no such event at all"])
    }

    @Test func trailingNegationWithoutDeadline() {
        #expect(Self.located("PATTERN p MATCH a: 'x'\n  THEN b: 'y' WITHIN 1m\n  THEN NOT paid: 'payment.received'")
            == ["3:3 error: the trailing 'THEN NOT' step 'paid' means absence, which needs a deadline: it has no WITHIN, and neither has the pattern"])
        #expect(Self.notes("PATTERN p MATCH a: 'x' THEN NOT paid: 'payment.received'")
            == ["give the step a window (THEN NOT paid: 'payment.received' WITHIN 30m), or the pattern one (WITHIN 30m before MATCH)"])
        // A MAX RUNS bounds memory, not time: absence still needs a deadline.
        #expect(Self.located("PATTERN p MAX RUNS 5 MATCH a: 'x' THEN NOT b: 'y'").count == 1)
        // A negation between two steps needs none.
        #expect(Self.located("PATTERN p MATCH a: 'x' THEN NOT b: 'y' THEN c: 'z' WITHIN 1m").isEmpty)
    }

    // MARK: Loops and horizons

    @Test func unboundedLoopWithoutWindow() {
        #expect(Self.located("PATTERN p MAX RUNS 10 MATCH a: 'x'\n  THEN fails: 'login.failed'{3,}")
            == ["2:29 error: step 'fails' repeats without end ('{3,}') and has no window, so a run could wait for it forever"])
        #expect(Self.located("PATTERN p MAX RUNS 10\n  MATCH fails: 'login.failed'+")
            == ["2:30 error: step 'fails' repeats without end ('+') and has no window, so a run could wait for it forever"])
        #expect(Self.notes("PATTERN p MAX RUNS 10 MATCH a: 'x'+") == [
            "give it an upper bound ({3,10}), a window of its own (WITHIN 10m after the step), or the pattern a window (WITHIN 10m before MATCH)",
        ])
        // Another step's window does not bound this loop.
        #expect(Self.located("PATTERN p MATCH a: 'x' THEN b: 'y' WITHIN 1m THEN c: 'z'+").count == 1)
    }

    @Test func noFiniteHorizon() {
        #expect(Self.located("PATTERN pairs\n  MATCH a: 'x' THEN b: 'y'")
            == ["1:9 error: PATTERN 'pairs' has no finite horizon: no WITHIN anywhere and no MAX RUNS, so its runs could live forever"])
        #expect(Self.notes("PATTERN p MATCH a: 'x' THEN b: 'y'") == [
            "add a whole-match window before MATCH (PARTITION BY data.userId WITHIN 10m MATCH ...), a WITHIN on its later steps, or a cap on live runs (MAX RUNS 1000)",
        ])
        // A quantified single step waits too.
        #expect(Self.located("PATTERN p MATCH a: 'x'{3}").count == 1)
        // A WITHIN that has no effect gives no horizon.
        #expect(Self.located("PATTERN p MATCH a: 'x' WITHIN 5m THEN b: 'y'").count == 2)
        // Any window, or MAX RUNS, is a horizon.
        #expect(Self.located("PATTERN p MAX RUNS 100 MATCH a: 'x' THEN b: 'y'").isEmpty)
        #expect(Self.located("PATTERN p WITHIN 5m MATCH a: 'x' THEN b: 'y'").isEmpty)
        #expect(Self.located("PATTERN p MATCH a: 'x' THEN b: 'y' WITHIN 5m").isEmpty)
    }

    /// Every run has a finite horizon: without a whole-match window or MAX RUNS, each step a run
    /// can wait for needs a window of its own (one window somewhere is not enough).
    @Test func everyWaitedStepNeedsAWindow() {
        #expect(Self.located("PATTERN p MATCH a: 'x' THEN b: 'y' WITHIN 5m THEN c: 'z'")
            == ["1:51 error: step 'c' has no window, and the pattern has neither a whole-match window nor MAX RUNS, so a run waiting for it could live forever"])
        #expect(Self.located("PATTERN p MATCH a: 'x'{3} THEN b: 'y' WITHIN 5m").count == 1)
        #expect(Self.located("PATTERN p MATCH a: 'x'{3} WITHIN 1m THEN b: 'y' WITHIN 5m").isEmpty)
        #expect(Self.located("PATTERN p WITHIN 1h MATCH a: 'x' THEN b: 'y' WITHIN 5m THEN c: 'z'").isEmpty)
        #expect(Self.located("PATTERN p MAX RUNS 10 MATCH a: 'x' THEN b: 'y' WITHIN 5m THEN c: 'z'").isEmpty)
    }

    /// An error whose fix is a window already says so: no second message about the horizon.
    @Test func oneMessageWhenAWindowIsTheFix() {
        #expect(Self.located("PATTERN p MATCH a: 'x'+").count == 1)
        #expect(Self.located("PATTERN p MATCH a: 'x' THEN NOT b: 'y'").count == 1)
    }

    @Test func thenAnyWithoutRunCap() {
        #expect(Self.located("PATTERN p WITHIN 1m MATCH a: 'x'\n  THEN ANY b: 'y'\n  THEN ANY c: 'z'")
            == ["2:3 error: 'THEN ANY' needs a run cap: every combination of events is a run of its own"])
        #expect(Self.notes("PATTERN p WITHIN 1m MATCH a: 'x' THEN ANY b: 'y'")
            == ["write MAX RUNS n in the header, before MATCH (PARTITION BY data.userId MAX RUNS 1000 MATCH ...)"])
        #expect(Self.located("PATTERN p WITHIN 1m MAX RUNS 50 MATCH a: 'x' THEN ANY b: 'y'").isEmpty)
    }

    /// Several problems: all reported, in source order.
    @Test func everyProblemInSourceOrder() {
        #expect(Self.located("""
            PATTERN p
              MATCH type: 'x'?
              THEN ANY type: 'y'
              THEN NOT c: 'z'{2}
            """) == [
            "2:9 error: step alias 'type' would hide the CloudEvents attribute 'type'; choose another name",
            "2:18 error: the first step starts every run; it cannot be optional ('?', {0,...})",
            "3:3 error: 'THEN ANY' needs a run cap: every combination of events is a run of its own",
            "3:12 error: step alias 'type' is already used by an earlier step; each step needs its own alias",
            "4:3 error: the trailing 'THEN NOT' step 'c' means absence, which needs a deadline: it has no WITHIN, and neither has the pattern",
            "4:18 error: the negated step 'c' takes no quantifier: 'THEN NOT' means no such event at all",
        ])
    }
}
