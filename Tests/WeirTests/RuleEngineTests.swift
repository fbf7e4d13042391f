import Foundation
import Testing
import Weir

/// The engine's semantics, one golden test per decision of LANGUAGE.md sections 3-5 for RULE
/// and AGGREGATE: dispatch, branches, emitted events, feedback, windows and their edges,
/// lateness, flushing, the derivation limit, snapshots.
@Suite struct RuleEngineTests {
    static func event(_ id: String, _ type: String, _ time: String?, _ data: JSONValue = .object(JSONObject()),
                      correlation: String? = nil) -> Event {
        RuleRun.event(id, type, time, data, correlation: correlation)
    }

    /// Runs `rules` over `events` and returns every emitted event, in emission order.
    static func run(_ rules: String, _ events: [Event], lateness: Int64 = 0, flush: Bool = true) throws -> [Event] {
        try RuleRun.run(rules, events, lateness: lateness, flush: flush).out
    }

    static func summary(_ events: [Event]) -> [String] { RuleRun.lines(events) }

    static let t0 = "2026-03-01T10:00:00.000Z"

    // MARK: RULE

    @Test func ruleFiltersAndTransforms() throws {
        let out = try Self.run("""
            RULE big ON 'order.created' WHERE data.total > 100
              EMIT 'order.big' { id: data.id, vip: data.total > 1000 }
            """, [
                Self.event("1", "order.created", Self.t0, ["id": "a", "total": 50]),
                Self.event("2", "order.created", Self.t0, ["id": "b", "total": 5000]),
                Self.event("3", "order.updated", Self.t0, ["id": "c", "total": 5000]),
            ])
        #expect(Self.summary(out) == [#"order.big {"id":"b","vip":true}"#])
    }

    @Test func typePatterns() throws {
        let rules = """
            RULE exact ON 'a.b' EMIT 'x.exact' {}
            RULE prefix ON 'a.*' EMIT 'x.prefix' { t: type }
            RULE everything ON '*' WHERE NOT (type LIKE 'x.%') EMIT 'x.all' { t: type }
            """
        let out = try Self.run(rules, [Self.event("1", "a", Self.t0), Self.event("2", "a.b", Self.t0), Self.event("3", "a.b.c", Self.t0)])
        #expect(Self.summary(out) == [
            #"x.all {"t":"a"}"#,
            #"x.exact {}"#, #"x.prefix {"t":"a.b"}"#, #"x.all {"t":"a.b"}"#,
            #"x.prefix {"t":"a.b.c"}"#, #"x.all {"t":"a.b.c"}"#,
        ])
    }

    @Test func firstBranchThatHoldsEmits() throws {
        let rules = """
            RULE route ON 't'
              EMIT 'r.one' { n: data.n } WHEN data.n = 1
              EMIT 'r.small' { n: data.n } WHEN data.n < 10
              EMIT 'r.other' { n: data.n }
            """
        let out = try Self.run(rules, [1, 5, 50].map { Self.event("e\($0)", "t", Self.t0, ["n": .int(Int64($0))]) })
        #expect(Self.summary(out) == [#"r.one {"n":1}"#, #"r.small {"n":5}"#, #"r.other {"n":50}"#])
    }

    @Test func emitAllEmitsEveryBranchThatHolds() throws {
        let rules = """
            RULE route ON 't'
              EMIT ALL 'r.one' { n: data.n } WHEN data.n = 1
              EMIT 'r.small' { n: data.n } WHEN data.n < 10
              EMIT 'r.err' { n: data.n } WHEN data.nope > 1
              EMIT 'r.any' { n: data.n }
            """
        let out = try Self.run(rules, [Self.event("e", "t", Self.t0, ["n": 1])])
        #expect(Self.summary(out) == [#"r.one {"n":1}"#, #"r.small {"n":1}"#, #"r.any {"n":1}"#])
    }

    @Test func missingTemplateFieldsAreOmitted() throws {
        let out = try Self.run("RULE r ON 't' EMIT 'o' { a: data.a, b: data.b, c: 'k' }", [Self.event("e", "t", Self.t0, ["a": 1])])
        #expect(Self.summary(out) == [#"o {"a":1,"c":"k"}"#])
    }

    @Test func emittedEventsAreCloudEvents() throws {
        let rules = "RULE copy ON 't' EMIT 'copied' { n: data.n }"
        let input = [Self.event("in-1", "t", "2026-03-01T11:00:00+01:00", ["n": 1], correlation: "c-9"), Self.event("in-2", "t", nil, ["n": 2])]
        let out = try Self.run(rules, input)
        #expect(out.map(\.jsonText) == [
            #"{"specversion":"1.0","id":"copy-1","source":"weir://copy","type":"copied","time":"2026-03-01T10:00:00.000Z","datacontenttype":"application/json","correlationid":"c-9","causationid":"in-1","data":{"n":1}}"#,
            // No `time`: processed at the watermark, which the first event set.
            #"{"specversion":"1.0","id":"copy-2","source":"weir://copy","type":"copied","time":"2026-03-01T10:00:00.000Z","datacontenttype":"application/json","causationid":"in-2","data":{"n":2}}"#,
        ])
        // Same input, same ids.
        #expect(try Self.run(rules, input).map(\.jsonText) == out.map(\.jsonText))
    }

    // MARK: Outputs feed back

    @Test func derivedEventsDrainInOrderBeforeTheNextInput() throws {
        let rules = """
            RULE a ON 'in' EMIT 'mid' { n: data.n }
            RULE b ON 'in' EMIT 'side' { n: data.n }
            RULE c ON 'mid' EMIT 'end' { n: data.n }
            """
        let out = try Self.run(rules, [Self.event("1", "in", Self.t0, ["n": 1]), Self.event("2", "in", Self.t0, ["n": 2])])
        #expect(Self.summary(out) == [
            #"mid {"n":1}"#, #"side {"n":1}"#, #"end {"n":1}"#,
            #"mid {"n":2}"#, #"side {"n":2}"#, #"end {"n":2}"#,
        ])
        #expect(out[2].jsonText.contains(#""causationid":"a-1""#))
    }

    @Test func derivationLimitStopsACycle() throws {
        let rules = "RULE ping ON 'p' EMIT 'q' {} \n RULE pong ON 'q' EMIT 'p' {}"
        let engine = RuleEngine(rules: try RuleSet(text: rules), maxDerivation: 5)
        let out = try engine.process(Self.event("1", "p", Self.t0))
        #expect(out.map(\.type) == ["q", "p", "q", "p", "q"])
        #expect(engine.statistics.derivationLimitDrops == 1)
        // The run goes on.
        #expect(try engine.process(Self.event("2", "p", Self.t0)).count == 5)
        #expect(engine.statistics.derivationLimitDrops == 2)
    }

    // MARK: AGGREGATE

    static let perMinute = """
        AGGREGATE per_minute ON 't' GROUP BY data.k WINDOW TUMBLING 1m
          EMIT 'm' { k: key, n: count(), s: sum(data.v), from: window.start, to: window.end }
        """

    @Test func anEventAtExactlyTheEndOpensTheNextWindow() throws {
        let out = try Self.run(Self.perMinute, [
            Self.event("1", "t", "2026-03-01T10:00:59.999Z", ["k": "a", "v": 1]),
            Self.event("2", "t", "2026-03-01T10:01:00.000Z", ["k": "a", "v": 2]),
        ])
        #expect(Self.summary(out) == [
            #"m {"k":"a","n":1,"s":1,"from":"2026-03-01T10:00:00.000Z","to":"2026-03-01T10:01:00.000Z"}"#,
            #"m {"k":"a","n":1,"s":2,"from":"2026-03-01T10:01:00.000Z","to":"2026-03-01T10:02:00.000Z"}"#,
        ])
    }

    @Test func aWatermarkExactlyAtTheEndFiresTheWindowBeforeTheEvent() throws {
        let engine = RuleEngine(rules: try RuleSet(text: Self.perMinute))
        #expect(try engine.process(Self.event("1", "t", "2026-03-01T10:00:10.000Z", ["k": "a", "v": 1])).isEmpty)
        let fired = try engine.process(Self.event("2", "t", "2026-03-01T10:01:00.000Z", ["k": "b", "v": 1]))
        #expect(Self.summary(fired).count == 1)
        #expect(fired[0].jsonText.contains(#""time":"2026-03-01T10:01:00.000Z""#))
        #expect(fired[0].jsonText.contains(#""causationid":"1""#))
    }

    @Test func withoutFlushOpenWindowsDoNotFire() throws {
        let input = [Self.event("1", "t", Self.t0, ["k": "a", "v": 1])]
        #expect(try Self.run(Self.perMinute, input, flush: false).isEmpty)
        #expect(try Self.run(Self.perMinute, input, flush: true).count == 1)
    }

    @Test func eventsWithinTheLatenessAreReorderedAndLaterOnesAreLate() throws {
        let input = [
            Self.event("1", "t", "2026-03-01T10:00:10.000Z", ["k": "a", "v": 1]),
            Self.event("2", "t", "2026-03-01T10:01:20.000Z", ["k": "a", "v": 2]),
            Self.event("3", "t", "2026-03-01T10:00:50.000Z", ["k": "a", "v": 4]),   // 30 s late: within 1m
            Self.event("4", "t", "2026-03-01T10:03:00.000Z", ["k": "a", "v": 8]),
            Self.event("5", "t", "2026-03-01T10:00:30.000Z", ["k": "a", "v": 16]),  // beyond: late
        ]
        let engine = RuleEngine(rules: try RuleSet(text: Self.perMinute), lateness: TimeSpan(milliseconds: 60_000))
        var out: [Event] = []
        var late: [String] = []
        for e in input {
            switch Result(catching: { () throws(RuleEngine.Rejection) in try engine.process(e) }) {
            case .success(let emitted): out += emitted
            case .failure(.late): late.append(e.id)
            case .failure(let other): throw other
            }
        }
        out += engine.finish()
        #expect(late == ["5"])
        #expect(engine.statistics.late == 1)
        #expect(Self.summary(out).map { $0.components(separatedBy: ",\"from")[0] } == [
            #"m {"k":"a","n":2,"s":5"#, #"m {"k":"a","n":1,"s":2"#, #"m {"k":"a","n":1,"s":8"#,
        ])
    }

    @Test func havingFiltersWindows() throws {
        let rules = """
            AGGREGATE busy ON 't' GROUP BY data.k WINDOW TUMBLING 1h HAVING count() >= 2
              EMIT 'busy' { k: key, n: count(), first: first(data.v), last: last(data.v), all: collect(data.v) }
            """
        let out = try Self.run(rules, [
            Self.event("1", "t", "2026-03-01T10:00:00.000Z", ["k": "a", "v": 1]),
            Self.event("2", "t", "2026-03-01T10:10:00.000Z", ["k": "b", "v": 2]),
            Self.event("3", "t", "2026-03-01T10:20:00.000Z", ["k": "a", "v": 3]),
        ])
        #expect(Self.summary(out) == [#"busy {"k":"a","n":2,"first":1,"last":3,"all":[1,3]}"#])
    }

    @Test func slidingWindowsTakeAnEventInEveryWindowContainingIt() throws {
        let rules = "AGGREGATE s ON 't' WINDOW SLIDING 10m EVERY 5m EMIT 'w' { n: count(), from: window.start }"
        let out = try Self.run(rules, [Self.event("1", "t", "2026-03-01T10:07:00.000Z")])
        #expect(Self.summary(out) == [#"w {"n":1,"from":"2026-03-01T10:00:00.000Z"}"#, #"w {"n":1,"from":"2026-03-01T10:05:00.000Z"}"#])
    }

    @Test func sessionsCloseAfterTheGap() throws {
        let rules = "AGGREGATE s ON 't' GROUP BY data.u WINDOW SESSION GAP 30m EMIT 'session' { u: key, n: count(), from: window.start, to: window.end }"
        let out = try Self.run(rules, [
            Self.event("1", "t", "2026-03-01T10:00:00.000Z", ["u": "x"]),
            Self.event("2", "t", "2026-03-01T10:29:59.999Z", ["u": "x"]),
            // Exactly last + gap: a new session (and the first one fires before it).
            Self.event("3", "t", "2026-03-01T10:59:59.999Z", ["u": "x"]),
        ])
        #expect(Self.summary(out) == [
            #"session {"u":"x","n":2,"from":"2026-03-01T10:00:00.000Z","to":"2026-03-01T10:59:59.999Z"}"#,
            #"session {"u":"x","n":1,"from":"2026-03-01T10:59:59.999Z","to":"2026-03-01T11:29:59.999Z"}"#,
        ])
    }

    @Test func aggregatesFeedRules() throws {
        let rules = """
            AGGREGATE counts ON 't' WINDOW TUMBLING 1m EMIT 'count' { n: count() }
            RULE alarm ON 'count' WHERE data.n > 1 EMIT 'alarm' { n: data.n }
            """
        let out = try Self.run(rules, [Self.event("1", "t", Self.t0), Self.event("2", "t", Self.t0)])
        #expect(Self.summary(out) == [#"count {"n":2}"#, #"alarm {"n":2}"#])
        #expect(out[1].jsonText.contains(#""causationid":"counts-1""#))
    }

    // MARK: Milestone

    @Test func aSnapshotMidwayRestoredIntoANewEngineGivesTheSameOutput() throws {
        let rules = try RuleSet(text: Self.perMinute + """

            AGGREGATE sessions ON 't' GROUP BY data.k WINDOW SESSION GAP 90s EMIT 's' { k: key, n: count(), vs: collect(data.v) }
            RULE echo ON 't' WHERE data.v % 3 = 0 EMIT 'e' { v: data.v }
            """)
        var input: [Event] = []
        for i in 0..<60 {
            let time = Timestamp(milliseconds: 1_772_359_200_000 + Int64(i) * 17_000 + Int64((i * 7919) % 23) * 1000)
            input.append(Self.event("e\(i)", "t", time.rfc3339, ["k": .string(["a", "b", "c"][i % 3]), "v": .int(Int64(i))]))
        }
        let lateness = TimeSpan(milliseconds: 20_000)
        func feed(_ engine: RuleEngine, _ events: ArraySlice<Event>) -> [Event] {
            var out: [Event] = []
            for e in events { out += (try? engine.process(e)) ?? [] }
            return out
        }
        let whole = RuleEngine(rules: rules, lateness: lateness)
        let expected = feed(whole, input[...]) + whole.finish()

        let first = RuleEngine(rules: rules, lateness: lateness)
        var got = feed(first, input[..<30])
        let saved = try first.snapshot()
        let second = try RuleEngine(rules: rules, restoring: saved, lateness: lateness)
        got += feed(second, input[30...]) + second.finish()
        #expect(got.map(\.jsonText) == expected.map(\.jsonText))
        #expect(expected.count > 30)
    }

    @Test func countStarIsCount() throws {
        let rules = "AGGREGATE a ON 't' WINDOW TUMBLING 1m HAVING count(*) >= 2 EMIT 'n' { n: count(*), m: count() }"
        let out = try Self.run(rules, [Self.event("1", "t", Self.t0), Self.event("2", "t", Self.t0)])
        #expect(Self.summary(out) == [#"n {"n":2,"m":2}"#])
    }

    @Test func aKeywordNamesADeclarationWhenOnFollows() throws {
        let out = try Self.run("RULE all ON 't' EMIT 'x' {}", [Self.event("1", "t", Self.t0)])
        #expect(out.map(\.jsonText).first?.contains(#""source":"weir://all""#) == true)
    }

    // MARK: Streams

    @Test(.timeLimit(.minutes(1))) func emittedEventsTakenAfterFinishEndsAtOnce() async throws {
        let engine = RuleEngine(rules: try RuleSet(text: "RULE r ON 't' EMIT 'o' {}"))
        engine.finish()
        var count = 0
        for await _ in engine.emittedEvents { count += 1 }
        #expect(count == 0)
    }
}
