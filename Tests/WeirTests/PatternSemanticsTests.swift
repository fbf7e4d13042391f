import Testing
import Weir

/// PATTERN's semantics, one golden test per sentence of LANGUAGE.md section 3 (PATTERN) and the
/// parts of section 5 (Time) that patterns meet, plus the classic Esper `every` variants
/// (cep-anchors.md 2.1). Every expected output is written by hand from the contract.
@Suite struct PatternSemanticsTests {
    /// An event `id` of `type` at `ms` milliseconds after 10:00:00.000, with `data`.
    static func ev(_ id: String, _ type: String, _ ms: Int, _ data: JSONObject = [:], correlation: String? = nil) -> Event {
        RuleRun.event(id, type, time(ms), .object(data), correlation: correlation)
    }

    /// 10:00:00.000 plus `ms` (under 14 hours), as RFC 3339.
    static func time(_ ms: Int) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let f = ms % 1000
        let ff = f < 10 ? "00\(f)" : f < 100 ? "0\(f)" : "\(f)"
        return "2026-03-01T\(two(10 + ms / 3_600_000)):\(two(ms / 60_000 % 60)):\(two(ms / 1000 % 60)).\(ff)Z"
    }

    /// `type data` of every emitted event, in emission order (the input flushed at the end).
    static func run(_ rules: String, _ events: [Event], lateness: Int64 = 0) throws -> [String] {
        RuleRun.lines(try RuleRun.run(rules, events, lateness: lateness).out)
    }

    /// What each input event emitted (timers it passed first), then what the final flush emitted.
    static func perEvent(_ rules: String, _ events: [Event]) throws -> [[String]] {
        let engine = RuleEngine(rules: try RuleSet(text: rules))
        var out: [[String]] = []
        for e in events { out.append(RuleRun.lines(try engine.process(e))) }
        out.append(RuleRun.lines(engine.finish()))
        return out
    }

    /// Whether the rule text is refused.
    static func refused(_ rules: String) -> Bool { (try? RuleSet(text: rules)) == nil }

    // MARK: THEN, NEXT, THEN ANY

    @Test func thenIsSkipTillNextMatchEachRunTakesTheFirstQualifyingSuccessor() throws {
        let out = try Self.run("""
            PATTERN p MATCH a: 'A' THEN b: 'B' WHERE data.v > 1 WITHIN 1m
              EMIT 'out' { a: a.id, b: b.id }
            """, [Self.ev("a1", "A", 0), Self.ev("b1", "B", 1, ["v": 0]), Self.ev("c1", "C", 2), Self.ev("b2", "B", 3, ["v": 2]),
                  Self.ev("b3", "B", 4, ["v": 3])])
        #expect(out == [#"out {"a":"a1","b":"b2"}"#])
    }

    @Test func nextIsStrictContiguityWithinThePartition() throws {
        let rules = """
            PATTERN p PARTITION BY data.k MATCH a: 'A' NEXT b: 'B' WITHIN 1m
              EMIT 'out' { a: a.id, b: b.id }
            """
        // Another partition's event, a type the pattern does not use and an event with no key
        // do not break the contiguity; an unbound event of the pattern's types does.
        let out = try Self.run(rules, [
            Self.ev("a1", "A", 0, ["k": 1]), Self.ev("a2", "A", 1, ["k": 2]), Self.ev("z1", "Z", 2, ["k": 1]),
            Self.ev("b0", "B", 3), Self.ev("b1", "B", 4, ["k": 1]),
            Self.ev("a3", "A", 5, ["k": 1]), Self.ev("a4", "A", 6, ["k": 1]), Self.ev("b2", "B", 7, ["k": 1]),
        ])
        #expect(out == [#"out {"a":"a1","b":"b1"}"#, #"out {"a":"a4","b":"b2"}"#])
        // A successor that fails its WHERE is unbound too: the run is over.
        let strict = try Self.run("""
            PATTERN p MATCH a: 'A' NEXT b: 'B' WHERE data.v > 1 WITHIN 1m
              EMIT 'out' { a: a.id, b: b.id }
            """, [Self.ev("a1", "A", 0), Self.ev("b1", "B", 1, ["v": 0]), Self.ev("b2", "B", 2, ["v": 5])])
        #expect(strict.isEmpty)
    }

    @Test
    func nextIsStrictAlsoForTheRunThatAThenAnyStepForkedFrom() throws {
        let out = try Self.run("""
            PATTERN p WITHIN 1m MAX RUNS 10 MATCH a: 'A' THEN ANY b: 'C'? NEXT c: 'A'
              EMIT 'out' { a: a.id, nb: count(b), c: c.id }
            """, [Self.ev("a1", "A", 0), Self.ev("c1", "C", 1), Self.ev("a2", "A", 2)])
        // The fork (a1 c1) meets a2 next. The run that skipped c1 does not: c1 sits between a1 and a2.
        #expect(out == [#"out {"a":"a1","nb":1,"c":"a2"}"#])
    }

    @Test
    func thenAnyIsSkipTillAnyMatchEveryCombination() throws {
        let out = try Self.run("""
            PATTERN p MAX RUNS 10 MATCH a: 'A' THEN ANY b: 'B' THEN c: 'C'
              EMIT 'out' { a: a.id, b: b.id, c: c.id }
            """, [Self.ev("a1", "A", 0), Self.ev("b1", "B", 1), Self.ev("a2", "A", 2), Self.ev("b2", "B", 3), Self.ev("c1", "C", 4)])
        // Runs (a1), (a1 b1), (a2), (a1 b2), (a2 b2): three complete on c1, in start order.
        #expect(out == [#"out {"a":"a1","b":"b1","c":"c1"}"#, #"out {"a":"a1","b":"b2","c":"c1"}"#,
                        #"out {"a":"a2","b":"b2","c":"c1"}"#])
    }

    @Test func thenAnyIsAllowedOnlyWithARunCap() {
        #expect(Self.refused("PATTERN p WITHIN 1m MATCH a: 'A' THEN ANY b: 'B' EMIT 'out' {}"))
        #expect(!Self.refused("PATTERN p WITHIN 1m MAX RUNS 10 MATCH a: 'A' THEN ANY b: 'B' EMIT 'out' {}"))
    }

    @Test
    func runsSeeEachEventInStartOrderSoTimersSetOnOneEventKeepThatOrder() throws {
        let out = try Self.run("""
            PATTERN p MAX RUNS 10 MATCH a: 'A' THEN ANY b: 'B'{1,2} WITHIN 8s THEN c: 'C' WITHIN 2s
              EMIT 'out' { a: a.id } ON TIMEOUT EMIT 'tmo' { a: a.id, f: first(b).id, l: last(b).id }
            """, [Self.ev("a1", "A", 15000), Self.ev("a2", "A", 17000), Self.ev("b1", "B", 22000), Self.ev("b2", "B", 23000)])
        // Start order is the order of first events, a fork right after its origin's earlier
        // forks: after b1 the runs are 1 (a1, due 23s), 3 (a1 b1, due 24s), 2 (a2, due 25s),
        // 4 (a2 b1, due 25s). On b2, in that order: run 1 forks 5 (a1 b2, due 25s); run 3 takes b2
        // (its timer moves to 25s, set now); run 2 forks 6 (a2 b2, due 25s); run 4 takes b2 (its
        // due stays 25s, timer kept); the forks' timers are set after the runs that took b2. So
        // run 1 expires at 23s, then at 25s the timers fire in the order they were set: 2, 4, 3,
        // 5, 6.
        #expect(out == [
            #"tmo {"a":"a1"}"#, #"tmo {"a":"a2"}"#, #"tmo {"a":"a2","f":"b1","l":"b2"}"#, #"tmo {"a":"a1","f":"b1","l":"b2"}"#,
            #"tmo {"a":"a1","f":"b2","l":"b2"}"#, #"tmo {"a":"a2","f":"b2","l":"b2"}"#,
        ])
    }

    // MARK: runs

    @Test func everyEventThatSatisfiesTheFirstStepStartsItsOwnRun() throws {
        let out = try Self.run("""
            PATTERN p MATCH a: 'A' WHERE data.v > 1 THEN b: 'B' WITHIN 1m
              EMIT 'out' { a: a.id, b: b.id }
            """, [Self.ev("a1", "A", 0, ["v": 0]), Self.ev("a2", "A", 1, ["v": 5]), Self.ev("a3", "A", 2, ["v": 6]), Self.ev("b1", "B", 3)])
        #expect(out == [#"out {"a":"a2","b":"b1"}"#, #"out {"a":"a3","b":"b1"}"#])
    }

    @Test func aRunCompletesAtMostOnce() throws {
        let out = try Self.run("""
            PATTERN p MATCH a: 'A' THEN b: 'B' WITHIN 1m
              EMIT 'out' { a: a.id, b: b.id }
            """, [Self.ev("a1", "A", 0), Self.ev("b1", "B", 1), Self.ev("b2", "B", 2)])
        #expect(out == [#"out {"a":"a1","b":"b1"}"#])
    }

    @Test func runsThatCompleteOnTheSameEventEmitInTheOrderTheyStarted() throws {
        let out = try Self.run("""
            PATTERN p MATCH a: 'A' THEN b: 'B' WITHIN 1m THEN c: 'C' WITHIN 1m
              EMIT 'out' { a: a.id, b: b.id, c: c.id }
            """, [Self.ev("a1", "A", 0), Self.ev("a2", "A", 1), Self.ev("b1", "B", 2), Self.ev("a3", "A", 3), Self.ev("b2", "B", 4),
                  Self.ev("c1", "C", 5)])
        #expect(out == [#"out {"a":"a1","b":"b1","c":"c1"}"#, #"out {"a":"a2","b":"b1","c":"c1"}"#,
                        #"out {"a":"a3","b":"b2","c":"c1"}"#])
    }

    @Test func afterMatchSkipToNextIsTheDefaultOtherRunsGoOn() throws {
        let events = [Self.ev("a1", "A", 0), Self.ev("a2", "A", 1), Self.ev("a3", "A", 2), Self.ev("a4", "A", 3)]
        let written = try Self.run("""
            PATTERN p MATCH x: 'A' THEN y: 'A' WITHIN 1m AFTER MATCH SKIP TO NEXT EMIT 'out' { x: x.id, y: y.id }
            """, events)
        let implied = try Self.run("PATTERN p MATCH x: 'A' THEN y: 'A' WITHIN 1m EMIT 'out' { x: x.id, y: y.id }", events)
        #expect(written == [#"out {"x":"a1","y":"a2"}"#, #"out {"x":"a2","y":"a3"}"#, #"out {"x":"a3","y":"a4"}"#])
        #expect(implied == written)
    }

    @Test func afterMatchSkipPastLastEventTheEarliestRunEmitsEveryOtherRunOfThePartitionIsDropped() throws {
        // a2's run completes on b1 too, but only the earliest-started one emits; b1 starts no run.
        let out = try Self.run("""
            PATTERN p PARTITION BY data.k MATCH a: 'A' THEN b: 'B' WITHIN 1m AFTER MATCH SKIP PAST LAST EVENT
              EMIT 'out' { a: a.id, b: b.id }
            """, [Self.ev("a1", "A", 0, ["k": 1]), Self.ev("a2", "A", 1, ["k": 1]), Self.ev("a3", "A", 2, ["k": 2]),
                  Self.ev("b1", "B", 3, ["k": 1]), Self.ev("b2", "B", 4, ["k": 1]), Self.ev("b3", "B", 5, ["k": 2])])
        #expect(out == [#"out {"a":"a1","b":"b1"}"#, #"out {"a":"a3","b":"b3"}"#])
        // The completing event starts no run of its own.
        let pairs = try Self.run("""
            PATTERN p MATCH x: 'A' THEN y: 'A' WITHIN 1m AFTER MATCH SKIP PAST LAST EVENT EMIT 'out' { x: x.id, y: y.id }
            """, [Self.ev("a1", "A", 0), Self.ev("a2", "A", 1), Self.ev("a3", "A", 2), Self.ev("a4", "A", 3)])
        #expect(pairs == [#"out {"x":"a1","y":"a2"}"#, #"out {"x":"a3","y":"a4"}"#])
    }

    @Test func afterMatchSkipPastLastEventAlsoDropsTheOtherRunsWhenARunCompletesAtItsDeadline() throws {
        let out = try Self.run("""
            PATTERN p MATCH a: 'A' THEN NOT x: 'X' WITHIN 5s AFTER MATCH SKIP PAST LAST EVENT
              EMIT 'absent' { a: a.id }
            """, [Self.ev("a1", "A", 0), Self.ev("a2", "A", 1000), Self.ev("a3", "A", 5001)])
        // a1's absence completes at 5s (passed by a3): a2's run goes; a3 came after and runs on.
        #expect(out == [#"absent {"a":"a1"}"#, #"absent {"a":"a3"}"#])
    }

    @Test
    func aRunWhoseLastStepIsSatisfiedCompletesByTheEndOfInputOrThePatternIsRefused() throws {
        // (a1 b1 b2) is a match of 'B'{1,3}; greedy, the run waits for a third B, but with no
        // deadline the wait never ends. Either refuse the pattern (as a trailing THEN NOT with no
        // deadline is) or complete the run when the input ends.
        let events = [Self.ev("a1", "A", 0), Self.ev("b1", "B", 1), Self.ev("b2", "B", 2), Self.ev("a2", "A", 3)]
        for (rules, expected) in [
            ("PATTERN p MAX RUNS 10 MATCH a: 'A' THEN b: 'B'{1,3} EMIT 'out' { a: a.id, n: count(b) }", [#"out {"a":"a1","n":2}"#]),
            // a2's run has nothing after it, and its optional B never comes.
            ("PATTERN p MAX RUNS 10 MATCH a: 'A' THEN b: 'B'? EMIT 'out' { a: a.id, n: count(b) }",
             [#"out {"a":"a1","n":1}"#, #"out {"a":"a2","n":0}"#]),
        ] where !Self.refused(rules) {
            #expect(try Self.run(rules, events) == expected, "\(rules)")
        }
    }

    // MARK: windows

    @Test func aStepWithinIsInclusiveAtExactlyTheDeadlineAndMissedOneMillisecondPast() throws {
        let out = try Self.run("""
            PATTERN p MATCH a: 'A' THEN b: 'B' WITHIN 5s
              EMIT 'out' { a: a.id, b: b.id } ON TIMEOUT EMIT 'late' { a: a.id, b: b.id }
            """, [Self.ev("a1", "A", 0), Self.ev("b1", "B", 5000), Self.ev("a2", "A", 10000), Self.ev("b2", "B", 15001)])
        #expect(out == [#"out {"a":"a1","b":"b1"}"#, #"late {"a":"a2"}"#])
    }

    @Test func aHeaderWithinBoundsTheLastEventsTimeMinusTheFirsts() throws {
        let out = try Self.run("""
            PATTERN p WITHIN 10s MATCH a: 'A' THEN b: 'B' THEN c: 'C'
              EMIT 'out' { a: a.id, c: c.id } ON TIMEOUT EMIT 'late' { a: a.id, b: b.id }
            """, [Self.ev("a1", "A", 0), Self.ev("b1", "B", 6000), Self.ev("c1", "C", 10000),
                  Self.ev("a2", "A", 20000), Self.ev("b2", "B", 26000), Self.ev("c2", "C", 30001)])
        #expect(out == [#"out {"a":"a1","c":"c1"}"#, #"late {"a":"a2","b":"b2"}"#])
    }

    @Test func aPatternWithNoWindowAnywhereIsRejectedOrGivenAnExplicitMaxRuns() throws {
        #expect(Self.refused("PATTERN p MATCH a: 'A' THEN b: 'B' EMIT 'out' {}"))
        let out = try Self.run("PATTERN p MAX RUNS 5 MATCH a: 'A' THEN b: 'B' EMIT 'out' { a: a.id, b: b.id }",
                               [Self.ev("a1", "A", 0), Self.ev("b1", "B", 3_600_000)])
        #expect(out == [#"out {"a":"a1","b":"b1"}"#])
    }

    // MARK: negation

    @Test func negationBetweenTwoStepsMeansNoSuchEventBetweenThem() throws {
        let out = try Self.run("""
            PATTERN p MATCH a: 'A' THEN NOT x: 'X' THEN b: 'B' WITHIN 1m
              EMIT 'out' { a: a.id, b: b.id } ON TIMEOUT EMIT 'late' { a: a.id }
            """, [Self.ev("a1", "A", 0), Self.ev("x1", "X", 1), Self.ev("a2", "A", 2), Self.ev("b1", "B", 3), Self.ev("x2", "X", 4)])
        // a1's run ends on x1 (no output, not a timeout); x2 comes after the match.
        #expect(out == [#"out {"a":"a2","b":"b1"}"#])
        // A negation's own WITHIN bounds how long after the previous step it counts.
        let windowed = try Self.run("""
            PATTERN p MATCH a: 'A' THEN NOT x: 'X' WITHIN 2s THEN b: 'B' WITHIN 1m
              EMIT 'out' { a: a.id, b: b.id }
            """, [Self.ev("a1", "A", 0), Self.ev("x1", "X", 2001), Self.ev("b1", "B", 3000),
                  Self.ev("a2", "A", 10000), Self.ev("x2", "X", 12000), Self.ev("b2", "B", 13000)])
        #expect(windowed == [#"out {"a":"a1","b":"b1"}"#])
    }

    @Test func negationAsTheLastStepMeansAbsenceTheMatchCompletesWhenEventTimePassesTheDeadline() throws {
        let rules = """
            RULE seen ON 'Z' EMIT 'seen' { id: id }
            PATTERN p MATCH a: 'A' THEN NOT x: 'X' WITHIN 5s
              EMIT 'absent' { a: a.id }
            """
        let steps = try Self.perEvent(rules, [
            Self.ev("a1", "A", 0), Self.ev("z1", "Z", 5000), Self.ev("z2", "Z", 5001),
            Self.ev("a2", "A", 10000), Self.ev("x1", "X", 15000), Self.ev("z3", "Z", 20000),
            Self.ev("a3", "A", 30000),
        ])
        #expect(steps == [
            [], [#"seen {"id":"z1"}"#],
            // The absence (at the deadline) fires before the event that passed it, even though the
            // RULE comes first in the file.
            [#"absent {"a":"a1"}"#, #"seen {"id":"z2"}"#],
            // x1 at exactly a2's deadline is still inside: no absence.
            [], [], [#"seen {"id":"z3"}"#],
            [],
            // End of input: every deadline passes.
            [#"absent {"a":"a3"}"#],
        ])
    }

    // MARK: quantifiers

    @Test func quantifiersAreGreedyFollowThenContiguityAndFeedAggregates() throws {
        let out = try Self.run("""
            PATTERN p PARTITION BY data.user WITHIN 1m
              MATCH s: 'login.start'
              THEN fails: 'login.failed'+
              THEN ok: 'login.ok' WHERE count(fails) >= 3
              EMIT 'suspicious' {
                n: count(fails), firstIp: first(fails).data.ip, lastIp: last(fails).data.ip,
                total: sum(fails.data.n), lo: min(fails.data.n), hi: max(fails.data.n), mean: avg(fails.data.n)
              }
            """, [
                Self.ev("s1", "login.start", 0, ["user": "u1"]),
                Self.ev("f1", "login.failed", 1, ["user": "u1", "ip": "10.0.0.1", "n": 4]),
                Self.ev("o0", "other", 2, ["user": "u1"]),
                Self.ev("f2", "login.failed", 3, ["user": "u1", "ip": "10.0.0.2", "n": 2]),
                Self.ev("g1", "login.failed", 4, ["user": "u2", "ip": "10.9.9.9", "n": 100]),
                Self.ev("ok0", "login.ok", 5, ["user": "u1"]),
                Self.ev("f3", "login.failed", 6, ["user": "u1", "ip": "10.0.0.3", "n": 6]),
                Self.ev("ok1", "login.ok", 7, ["user": "u1"]),
            ])
        // ok0 comes after two failures only: the run waits; the third failure makes ok1 count.
        #expect(out == [#"suspicious {"n":3,"firstIp":"10.0.0.1","lastIp":"10.0.0.3","total":12,"lo":2,"hi":6,"mean":4.0}"#])
    }

    @Test func quantifierBoundsExactRangeOpenAndOptional() throws {
        let events = [Self.ev("a1", "A", 0), Self.ev("b1", "B", 1), Self.ev("b2", "B", 2), Self.ev("b3", "B", 3), Self.ev("c1", "C", 4)]
        // {2}: completes on the second iteration, the third B is not bound.
        #expect(try Self.run("PATTERN p MATCH a: 'A' THEN b: 'B'{2} WITHIN 1m EMIT 'out' { n: count(b), l: last(b).id }", events)
                == [#"out {"n":2,"l":"b2"}"#])
        // {1,2} followed by C: greedy up to 2, then C.
        #expect(try Self.run("""
            PATTERN p MATCH a: 'A' THEN b: 'B'{1,2} WITHIN 1m THEN c: 'C' WITHIN 1m EMIT 'out' { n: count(b), l: last(b).id, c: c.id }
            """, events) == [#"out {"n":2,"l":"b2","c":"c1"}"#])
        // {2,} as the last step: greedy until its window closes, then completes at the deadline.
        #expect(try Self.run("PATTERN p MATCH a: 'A' THEN b: 'B'{2,} WITHIN 1m EMIT 'out' { n: count(b), l: last(b).id }", events)
                == [#"out {"n":3,"l":"b3"}"#])
        // ?: the step may be skipped.
        #expect(try Self.run("""
            PATTERN p MATCH a: 'A' THEN x: 'X'? WITHIN 1m THEN c: 'C' WITHIN 1m EMIT 'out' { a: a.id, nx: count(x), c: c.id }
            """, events) == [#"out {"a":"a1","nx":0,"c":"c1"}"#])
        // A loop with no upper bound needs a window.
        #expect(Self.refused("PATTERN p MAX RUNS 10 MATCH a: 'A' THEN b: 'B'+ EMIT 'out' {}"))
    }

    // MARK: aliases

    @Test func conditionsMayReferenceAnyAliasBoundEarlierNotALaterOrOptionalOne() throws {
        let out = try Self.run("""
            PATTERN p MATCH a: 'A' THEN b: 'B' WHERE data.v = a.data.v WITHIN 1m
              EMIT 'out' { a: a.id, b: b.id }
            """, [Self.ev("a1", "A", 0, ["v": 7]), Self.ev("b1", "B", 1, ["v": 6]), Self.ev("b2", "B", 2, ["v": 7])])
        #expect(out == [#"out {"a":"a1","b":"b2"}"#])
        #expect(Self.refused("PATTERN p WITHIN 1m MATCH a: 'A' WHERE data.v = b.data.v THEN b: 'B' EMIT 'out' {}"))
        #expect(Self.refused("PATTERN p WITHIN 1m MATCH a: 'A' THEN b: 'B'? THEN c: 'C' WHERE data.v = b.data.v EMIT 'out' {}"))
    }

    @Test func theFirstStepCannotBeOptionalOrNegated() {
        #expect(Self.refused("PATTERN p WITHIN 1m MATCH a: 'A'? THEN b: 'B' EMIT 'out' {}"))
        #expect(Self.refused("PATTERN p WITHIN 1m MATCH NOT a: 'A' THEN b: 'B' EMIT 'out' {}"))
    }

    @Test func onTimeoutEmitEmitsThePartialMatchOfAnExpiredRunWithTheAliasesBoundSoFar() throws {
        let out = try Self.run("""
            PATTERN p MATCH a: 'A' THEN b: 'B' WITHIN 5s THEN c: 'C' WITHIN 5s
              EMIT 'out' { a: a.id, b: b.id, c: c.id }
              ON TIMEOUT EMIT 'partial' { a: a.id, b: b.id, c: c.id }
            """, [Self.ev("a1", "A", 0), Self.ev("b1", "B", 3000), Self.ev("a2", "A", 20000)])
        // a1's run expires at b1 + 5s; a2's at a2 + 5s (at the end of input). Unbound aliases
        // are left out.
        #expect(out == [#"partial {"a":"a1","b":"b1"}"#, #"partial {"a":"a2"}"#])
    }

    // MARK: partitions

    @Test func partitionByRunsOneAutomatonPerKeyAKeyWithNoLiveRunHoldsNoMemory() throws {
        let rules = """
            PATTERN p PARTITION BY data.k MATCH a: 'A' NEXT b: 'B' WITHIN 5s
              EMIT 'out' { a: a.id, b: b.id } ON TIMEOUT EMIT 'late' { a: a.id }
            """
        let r = try RuleRun.run(rules, [
            Self.ev("a1", "A", 0, ["k": "x"]), Self.ev("a2", "A", 1, ["k": "y"]), Self.ev("b2", "B", 2, ["k": "y"]),
            Self.ev("b1", "B", 3, ["k": "x"]), Self.ev("a3", "A", 4, ["k": "z"]), Self.ev("b0", "B", 5),
        ])
        #expect(RuleRun.lines(r.out) == [#"out {"a":"a2","b":"b2"}"#, #"out {"a":"a1","b":"b1"}"#, #"late {"a":"a3"}"#])
        let stats = r.engine.statistics.declarations[0]
        #expect(stats.liveRuns == 0 && stats.partitions == 0 && stats.peakRuns == 2 && stats.unpartitioned == 1)
    }

    // MARK: emitted events

    @Test func derivedEventsCarryTheLastBoundEventsIdsAndTime() throws {
        let rules = """
            PATTERN p MATCH a: 'A' THEN b: 'B' WITHIN 5s THEN c: 'C' WITHIN 5s
              EMIT 'out' { a: a.id } ON TIMEOUT EMIT 'late' { a: a.id }
            """
        let r = try RuleRun.run(rules, [
            Self.ev("a1", "A", 0, correlation: "c-a1"), Self.ev("b1", "B", 1000, correlation: "c-b1"),
            Self.ev("c1", "C", 2000, correlation: "c-c1"),
            Self.ev("a2", "A", 10000, correlation: "c-a2"), Self.ev("b2", "B", 11000, correlation: "c-b2"),
        ])
        #expect(r.out.count == 2)
        let match = r.out[0], timeout = r.out[1]
        #expect(match.type == "out" && match.time == Self.time(2000) && match.source == "weir://p")
        #expect(match.attributes["causationid"] == .string("c1") && match.attributes["correlationid"] == .string("c-c1"))
        #expect(match.id.hasPrefix("p-"))
        // A timer's output: the deadline as time, the last bound event as cause.
        #expect(timeout.type == "late" && timeout.time == Self.time(16000) && timeout.source == "weir://p")
        #expect(timeout.attributes["causationid"] == .string("b2") && timeout.attributes["correlationid"] == .string("c-b2"))
        #expect(timeout.id.hasPrefix("p-") && timeout.id != match.id)
        // Deterministic: the same input gives the same ids.
        let again = try RuleRun.run(rules, [
            Self.ev("a1", "A", 0, correlation: "c-a1"), Self.ev("b1", "B", 1000, correlation: "c-b1"),
            Self.ev("c1", "C", 2000, correlation: "c-c1"),
            Self.ev("a2", "A", 10000, correlation: "c-a2"), Self.ev("b2", "B", 11000, correlation: "c-b2"),
        ])
        #expect(again.out.map(\.id) == r.out.map(\.id))
    }

    // MARK: time

    @Test func eventsWithEqualTimesCountInArrivalOrder() throws {
        let rules = "PATTERN p MATCH a: 'A' THEN b: 'B' WITHIN 1s EMIT 'out' { a: a.id, b: b.id }"
        #expect(try Self.run(rules, [Self.ev("a1", "A", 7), Self.ev("b1", "B", 7)]) == [#"out {"a":"a1","b":"b1"}"#])
        #expect(try Self.run(rules, [Self.ev("b1", "B", 7), Self.ev("a1", "A", 7)]).isEmpty)
    }

    @Test func eventsAreReorderedWithinTheLatenessAndLaterOnesAreLate() throws {
        let rules = "PATTERN p MATCH a: 'A' THEN b: 'B' WITHIN 5s EMIT 'out' { a: a.id, b: b.id } ON TIMEOUT EMIT 'late' { a: a.id }"
        let r = try RuleRun.run(rules, [
            Self.ev("b1", "B", 3000), Self.ev("a1", "A", 1000),     // within 5s of lateness: put back in order
            Self.ev("a2", "A", 20000), Self.ev("b2", "B", 14000),   // 6s behind: late, not processed
        ], lateness: 5000)
        #expect(RuleRun.lines(r.out) == [#"out {"a":"a1","b":"b1"}"#, #"late {"a":"a2"}"#])
        #expect(r.late == ["b2"])
    }

    // MARK: Esper's `every` variants over A1 B1 C1 B2 A2 D1 A3 B3 E1 A4 F1 B4

    static let esperStream: [Event] = ["A1", "B1", "C1", "B2", "A2", "D1", "A3", "B3", "E1", "A4", "F1", "B4"]
        .enumerated().map { i, name in ev(name, String(name.prefix(1)), i * 1000) }

    @Test func esperEveryParenthesisedIsSkipPastLastEvent() throws {
        let out = try Self.run("""
            PATTERN p MAX RUNS 10 MATCH a: 'A' THEN b: 'B' AFTER MATCH SKIP PAST LAST EVENT EMIT 'm' { a: a.id, b: b.id }
            """, Self.esperStream)
        #expect(out == [#"m {"a":"A1","b":"B1"}"#, #"m {"a":"A2","b":"B3"}"#, #"m {"a":"A4","b":"B4"}"#])
    }

    @Test func esperEveryAFollowedByBIsTheDefaultThen() throws {
        let out = try Self.run("PATTERN p MAX RUNS 10 MATCH a: 'A' THEN b: 'B' EMIT 'm' { a: a.id, b: b.id }", Self.esperStream)
        #expect(out == [#"m {"a":"A1","b":"B1"}"#, #"m {"a":"A2","b":"B3"}"#, #"m {"a":"A3","b":"B3"}"#, #"m {"a":"A4","b":"B4"}"#])
    }

    @Test func esperEveryAFollowedByEveryBIsThenAny() throws {
        let out = try Self.run("PATTERN p MAX RUNS 10 MATCH a: 'A' THEN ANY b: 'B' EMIT 'm' { a: a.id, b: b.id }", Self.esperStream)
        #expect(out == [
            #"m {"a":"A1","b":"B1"}"#, #"m {"a":"A1","b":"B2"}"#,
            #"m {"a":"A1","b":"B3"}"#, #"m {"a":"A2","b":"B3"}"#, #"m {"a":"A3","b":"B3"}"#,
            #"m {"a":"A1","b":"B4"}"#, #"m {"a":"A2","b":"B4"}"#, #"m {"a":"A3","b":"B4"}"#, #"m {"a":"A4","b":"B4"}"#,
        ])
    }

    @Test func esperAFollowedByEveryBIsThenAnyWithOneRunThatRefusesNewOnes() throws {
        let engine = RuleEngine(rules: try RuleSet(text: """
            PATTERN p MAX RUNS 1 MATCH a: 'A' THEN ANY b: 'B' EMIT 'm' { a: a.id, b: b.id }
            """), overload: .refuseNew)
        var out: [Event] = []
        for e in Self.esperStream { out += try engine.process(e) }
        out += engine.finish()
        #expect(RuleRun.lines(out) == [#"m {"a":"A1","b":"B1"}"#, #"m {"a":"A1","b":"B2"}"#, #"m {"a":"A1","b":"B3"}"#,
                                       #"m {"a":"A1","b":"B4"}"#])
        #expect(engine.statistics.declarations[0].runsRefused == 3)
    }
}
