import Foundation
import Testing
import Weir

/// An audit of LANGUAGE.md sections 1-5 (RULE and AGGREGATE) and issue 10 sections 2-4: one test per
/// contract sentence, written the way a user reads the sentence, with the rule files exactly as the
/// contract shows them. A discrepancy stays here asserting the contract, inside `withKnownIssue`.
@Suite struct LanguageContractTests {
    // MARK: Helpers

    static func event(_ id: String, _ type: String, _ time: String?, _ data: JSONValue? = nil,
                      correlation: String? = nil) -> Event {
        RuleRun.event(id, type, time, data, correlation: correlation, source: "/audit")
    }

    /// Every emitted event and the ids of the late ones, in order.
    static func run(_ rules: String, _ events: [Event], lateness: Int64 = 0, maxDerivation: Int = 32,
                    flush: Bool = true) throws -> (out: [Event], late: [String], engine: RuleEngine) {
        try RuleRun.run(rules, events, lateness: lateness, maxDerivation: maxDerivation, flush: flush)
    }

    /// `type data` per emitted event.
    static func lines(_ events: [Event]) -> [String] { RuleRun.lines(events) }

    /// The compile error text of `rules`, or nil when they compile.
    static func errors(_ rules: String) -> String? {
        do {
            _ = try RuleSet(text: rules)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    static func attribute(_ e: Event, _ name: String) -> String? {
        if case .string(let s)? = e.attributes[name] { return s }
        return nil
    }

    static let verbatimRule = """
        RULE high_value_us
          ON 'order.created'
          WHERE data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'
          EMIT 'order.high-value' { orderId: data.orderId, priority: data.totalAmount > 2000 }
        """

    static let verbatimAggregate = """
        AGGREGATE order_metrics
          ON 'order.created' WHERE data.totalAmount > 0
          GROUP BY data.customerId
          WINDOW TUMBLING 1h            -- or SLIDING 1h EVERY 5m, or SESSION GAP 30m
          HAVING count() >= 3
          EMIT 'metrics.orders.hourly' {
            customerId: key, orders: count(), revenue: sum(data.totalAmount),
            average: avg(data.totalAmount), customers: collect(data.customerId),
            windowStart: window.start, windowEnd: window.end
          }
        """

    static func order(_ id: String, _ time: String, _ amount: Int64, customer: String = "u1", country: String = "USA",
                      correlation: String? = nil) -> Event {
        event(id, "order.created", time, ["orderId": .string(id), "totalAmount": .int(amount), "customerId": .string(customer),
                                          "shippingAddress": ["country": .string(country)]], correlation: correlation)
    }

    // MARK: Section 3: the verbatim examples

    /// "RULE high_value_us ..." as written in LANGUAGE.md filters, transforms and routes.
    @Test func verbatimRuleExample() throws {
        let r = try Self.run(Self.verbatimRule, [
            Self.order("A", "2026-03-01T10:05:00Z", 1500),
            Self.order("B", "2026-03-01T10:06:00Z", 2500, country: "FR"),
            Self.order("C", "2026-03-01T10:07:00Z", 3000),
            Self.order("D", "2026-03-01T10:08:00Z", 1000),
        ])
        #expect(Self.lines(r.out) == [
            #"order.high-value {"orderId":"A","priority":false}"#,
            #"order.high-value {"orderId":"C","priority":true}"#,
        ])
    }

    /// "AGGREGATE order_metrics ..." as written, comment included, over one busy hour and one quiet one.
    @Test func verbatimAggregateExample() throws {
        let r = try Self.run(Self.verbatimAggregate, [
            Self.order("o1", "2026-03-01T10:05:00Z", 100),
            Self.order("o2", "2026-03-01T10:10:00Z", 200),
            Self.order("x", "2026-03-01T10:11:00Z", 0),          // WHERE totalAmount > 0 keeps it out
            Self.order("o3", "2026-03-01T10:59:59.999Z", 300, correlation: "c-3"),
            Self.order("o4", "2026-03-01T11:00:00Z", 50),          // exactly the end: the next window
            Self.order("v1", "2026-03-01T10:30:00Z", 10, customer: "u2"),  // late: the watermark is 11:00
        ])
        #expect(r.late == ["v1"])
        #expect(r.out.count == 1)
        let w = try #require(r.out.first)
        #expect(w.jsonText == #"{"specversion":"1.0","id":"order_metrics-1","source":"weir://order_metrics","type":"metrics.orders.hourly","time":"2026-03-01T11:00:00.000Z","datacontenttype":"application/json","correlationid":"c-3","causationid":"o3","data":{"customerId":"u1","orders":3,"revenue":600,"average":200.0,"customers":["u1","u1","u1"],"windowStart":"2026-03-01T10:00:00.000Z","windowEnd":"2026-03-01T11:00:00.000Z"}}"#)
    }

    /// The example's comment: "or SLIDING 1h EVERY 5m": every window containing the events emits.
    @Test func verbatimAggregateWithSlidingWindow() throws {
        let rules = Self.verbatimAggregate.replacingOccurrences(of: "TUMBLING 1h", with: "SLIDING 1h EVERY 5m")
        let r = try Self.run(rules, [
            Self.order("o1", "2026-03-01T10:05:00Z", 100), Self.order("o2", "2026-03-01T10:10:00Z", 200),
            Self.order("o3", "2026-03-01T10:20:00Z", 300),
        ])
        // Windows holding all three start at 09:25 ... 10:05 (9 windows); later ones hold fewer than 3.
        let starts = r.out.compactMap { e -> String? in
            if case .object(let o)? = e.data, case .string(let s)? = o["windowStart"] { return s }
            return nil
        }
        #expect(starts == (0..<9).map { i in
            let minute = 25 + 5 * i
            return minute < 60 ? "2026-03-01T09:\(minute):00.000Z" : String(format: "2026-03-01T10:%02d:00.000Z", minute - 60)
        })
    }

    /// The example's comment: "or SESSION GAP 30m": a session is [first, last + g).
    @Test func verbatimAggregateWithSessionWindow() throws {
        let rules = Self.verbatimAggregate.replacingOccurrences(of: "TUMBLING 1h", with: "SESSION GAP 30m")
        let r = try Self.run(rules, [
            Self.order("o1", "2026-03-01T10:05:00Z", 100), Self.order("o2", "2026-03-01T10:30:00Z", 200),
            Self.order("o3", "2026-03-01T10:59:59.999Z", 300), Self.order("o4", "2026-03-01T11:29:59.998Z", 1),
            Self.order("o5", "2026-03-01T11:59:59.998Z", 1),  // exactly last + g: a new session (of one)
        ])
        #expect(r.out.count == 1)
        #expect(r.out.first.map { Self.lines([$0]) } == [#"metrics.orders.hourly {"customerId":"u1","orders":4,"revenue":601,"average":150.25,"customers":["u1","u1","u1","u1"],"windowStart":"2026-03-01T10:05:00.000Z","windowEnd":"2026-03-01T11:59:59.998Z"}"#])
    }

    /// The PATTERN and SAGA examples compile; the declarations after them are still checked.
    @Test func patternAndSagaExamplesCompile() throws {
        let pattern = Self.errors("""
            PATTERN potential_fraud
              PARTITION BY data.userId
              MATCH login: 'user.login' WHERE data.loginAttempts >= 5
              THEN  tx:    'transaction.initiated' WHERE data.amount > 5000 WITHIN 10m
              EMIT 'fraud.potential-detected' { userId: login.data.userId }
            RULE later ON 'x' WHER true EMIT 'y' {}
            """)
        #expect(pattern?.contains("step 'tx'") == false)
        #expect(pattern?.contains("not supported yet") == false)
        #expect(pattern?.contains("did you mean 'WHERE'") == true)
        let saga = Self.errors("""
            SAGA order_fulfillment
              START ON 'order.placed' AS order
              KEY order.data.orderId
              STEP reserve_inventory
                SEND 'inventory.reserve' { orderId: order.data.orderId }
              ON COMPLETE EMIT 'order.fulfilled' { orderId: order.data.orderId }
            """)
        #expect(saga == nil)
    }

    // MARK: Section 3: declarations

    /// "Keywords are case-insensitive; names are case-sensitive."
    @Test func keywordsCaseInsensitiveNamesCaseSensitive() throws {
        let r = try Self.run("""
            rule Big on 'x' where data.N > 1 emit 'y' { n: data.N }
            Rule big On 'x' Where data.n > 1 Emit 'z' { n: data.n }
            """, [Self.event("1", "x", "2026-03-01T10:00:00Z", ["N": 5, "n": 0])])
        #expect(Self.lines(r.out) == [#"y {"n":5}"#])
    }

    /// "Comments: `-- to end of line` and `/* block */`."
    @Test func comments() throws {
        let r = try Self.run("""
            -- a file comment
            RULE r /* inline */ ON 'x' -- after ON
              /* a block
                 over lines */
              EMIT 'y' { a: 1 } -- trailing
            """, [Self.event("1", "x", "2026-03-01T10:00:00Z")])
        #expect(Self.lines(r.out) == [#"y {"a":1}"#])
    }

    /// "'order.*' (one or more further segments: it matches order.created and order.a.b, never
    /// order), '*' (everything)."
    @Test func eventTypeWildcards() throws {
        let r = try Self.run("""
            RULE w ON 'order.*' EMIT 'seen.w' { t: type }
            RULE anything ON '*' WHERE NOT (type LIKE 'seen.%') EMIT 'seen.all' { t: type }
            """, ["order", "order.created", "order.a.b", "orders", "order."].enumerated().map {
                Self.event("e\($0.offset)", $0.element, "2026-03-01T10:00:00Z")
            })
        #expect(Self.lines(r.out) == [
            #"seen.all {"t":"order"}"#,
            #"seen.w {"t":"order.created"}"#, #"seen.all {"t":"order.created"}"#,
            #"seen.w {"t":"order.a.b"}"#, #"seen.all {"t":"order.a.b"}"#,
            #"seen.all {"t":"orders"}"#,
            #"seen.all {"t":"order."}"#,
        ])
    }

    /// "`WHERE` is optional (absent means true)."
    @Test func whereIsOptional() throws {
        let r = try Self.run("RULE r ON 'x' EMIT 'y' { id: id }", [Self.event("a", "x", "2026-03-01T10:00:00Z")])
        #expect(Self.lines(r.out) == [#"y {"id":"a"}"#])
    }

    /// "branches are tried in written order and the first whose WHEN holds emits ... a WHEN that
    /// errs is false; when no WHEN holds, nothing is emitted."
    @Test func firstBranchWhoseWhenHolds() throws {
        let rules = """
            RULE route ON 'x'
              EMIT 'err' {} WHEN data.s + 1 > 0
              EMIT 'big' {} WHEN data.n > 10
              EMIT 'pos' {} WHEN data.n > 0
            """
        let r = try Self.run(rules, [
            Self.event("1", "x", "2026-03-01T10:00:00Z", ["n": 50, "s": "abc"]),
            Self.event("2", "x", "2026-03-01T10:00:00Z", ["n": 5, "s": "abc"]),
            Self.event("3", "x", "2026-03-01T10:00:00Z", ["n": -5, "s": "abc"]),
        ])
        #expect(Self.lines(r.out) == ["big {}", "pos {}"])
        #expect(r.engine.statistics.declarations[0].errorCount == 3)
    }

    /// "(or every one that holds, with EMIT ALL)"
    @Test func emitAllEmitsEveryBranchThatHolds() throws {
        let rules = """
            RULE route ON 'x'
              EMIT ALL 'a' {} WHEN data.n > 0
              EMIT 'b' {} WHEN data.s + 1 > 0
              EMIT 'c' {} WHEN data.n > 10
              EMIT 'd' {} WHEN data.n > 100
            """
        let r = try Self.run(rules, [Self.event("1", "x", "2026-03-01T10:00:00Z", ["n": 50, "s": "abc"])])
        #expect(Self.lines(r.out) == ["a {}", "c {}"])
    }

    /// Section 2: "a WHERE whose evaluation errs is false, with the error counted"; CESQL: a
    /// non-Boolean filter result does not pass.
    @Test func whereThatErrsIsFalseAndCounted() throws {
        let r = try Self.run("RULE r ON 'x' WHERE data.n + 1 > 0 EMIT 'y' { n: data.n }", [
            Self.event("1", "x", "2026-03-01T10:00:00Z", ["n": "zz"]),
            Self.event("2", "x", "2026-03-01T10:00:00Z", ["n": 1]),
        ])
        #expect(Self.lines(r.out) == [#"y {"n":1}"#])
        #expect(r.engine.statistics.declarations[0].errors["WHERE"]?["cast"] == 1)
        let notBoolean = try Self.run("RULE r ON 'x' WHERE data.f EMIT 'y' {}", [
            Self.event("1", "x", "2026-03-01T10:00:00Z", ["f": 5]), Self.event("2", "x", "2026-03-01T10:00:00Z", ["f": true]),
        ])
        #expect(notBoolean.out.map { $0.attributes["causationid"] } == [.string("2")])
    }

    /// "Windows are half-open, [start, end), aligned to the Unix epoch ... fires once the
    /// watermark reaches its end (watermark >= end)": before the event at the end is processed.
    @Test func tumblingWindowEdges() throws {
        let r = try Self.run("""
            AGGREGATE g ON 'e' WINDOW TUMBLING 1m EMIT 'w' { ids: collect(id), s: window.start, e: window.end }
            RULE r ON 'e' EMIT 'seen' { id: id }
            """, [
                Self.event("a", "e", "2026-03-01T10:00:00Z"), Self.event("b", "e", "2026-03-01T10:00:59.999Z"),
                Self.event("c", "e", "2026-03-01T10:01:00Z"),
            ], flush: false)
        #expect(Self.lines(r.out) == [
            #"seen {"id":"a"}"#, #"seen {"id":"b"}"#,
            #"w {"ids":["a","b"],"s":"2026-03-01T10:00:00.000Z","e":"2026-03-01T10:01:00.000Z"}"#,
            #"seen {"id":"c"}"#,
        ])
    }

    /// "SLIDING d EVERY s: windows start at every multiple of s since the epoch and last d; an
    /// event belongs to every window that contains it; a window no event fell into emits nothing."
    @Test func slidingWindowsAtMultiplesOfTheStep() throws {
        let r = try Self.run("AGGREGATE g ON 'e' WINDOW SLIDING 1m EVERY 25s EMIT 'w' { n: count(), s: window.start, e: window.end }", [
            Self.event("a", "e", "2026-03-01T10:00:10Z"), Self.event("b", "e", "2026-03-01T10:05:00Z"),
        ])
        // Epoch multiples of 25s include 10:00:00. 10:00:10 is in the windows starting at 09:59:35
        // and 10:00:00 (not 09:59:10: [09:59:10, 10:00:10) is half-open); 10:05:00 in 10:04:10,
        // 10:04:35, 10:05:00. Nothing in between.
        #expect(Self.lines(r.out) == [
            #"w {"n":1,"s":"2026-03-01T09:59:35.000Z","e":"2026-03-01T10:00:35.000Z"}"#,
            #"w {"n":1,"s":"2026-03-01T10:00:00.000Z","e":"2026-03-01T10:01:00.000Z"}"#,
            #"w {"n":1,"s":"2026-03-01T10:04:10.000Z","e":"2026-03-01T10:05:10.000Z"}"#,
            #"w {"n":1,"s":"2026-03-01T10:04:35.000Z","e":"2026-03-01T10:05:35.000Z"}"#,
            #"w {"n":1,"s":"2026-03-01T10:05:00.000Z","e":"2026-03-01T10:06:00.000Z"}"#,
        ])
    }

    /// "SESSION GAP g: a session is [first, last + g) of its key's events; an event at exactly
    /// last + g starts a new one."
    @Test func sessionEdges() throws {
        let r = try Self.run("AGGREGATE s ON 'e' GROUP BY data.k WINDOW SESSION GAP 10s EMIT 'w' { k: key, ids: collect(id), s: window.start, e: window.end }", [
            Self.event("a", "e", "2026-03-01T10:00:00Z", ["k": "A"]),
            Self.event("b", "e", "2026-03-01T10:00:09.999Z", ["k": "A"]),
            Self.event("x", "e", "2026-03-01T10:00:15Z", ["k": "B"]),
            Self.event("c", "e", "2026-03-01T10:00:19.999Z", ["k": "A"]),   // exactly last + g
        ])
        #expect(Self.lines(r.out) == [
            #"w {"k":"A","ids":["a","b"],"s":"2026-03-01T10:00:00.000Z","e":"2026-03-01T10:00:19.999Z"}"#,
            #"w {"k":"B","ids":["x"],"s":"2026-03-01T10:00:15.000Z","e":"2026-03-01T10:00:25.000Z"}"#,
            #"w {"k":"A","ids":["c"],"s":"2026-03-01T10:00:19.999Z","e":"2026-03-01T10:00:29.999Z"}"#,
        ])
    }

    /// "WHERE, GROUP BY (absent: one group) and HAVING are optional."
    @Test func aggregateOptionalClauses() throws {
        let r = try Self.run("AGGREGATE g ON 'e' WINDOW TUMBLING 1h EMIT 'w' { n: count(), total: sum(data.v) }", [
            Self.event("a", "e", "2026-03-01T10:00:00Z", ["v": 1, "k": "x"]),
            Self.event("b", "e", "2026-03-01T10:30:00Z", ["v": 2, "k": "y"]),
        ])
        #expect(Self.lines(r.out) == [#"w {"n":2,"total":3}"#])
    }

    /// Issue 10: count(), count(x), sum, avg, min, max, first, last, collect; HAVING filters.
    @Test func aggregateFunctions() throws {
        let r = try Self.run("""
            AGGREGATE g ON 'e' GROUP BY data.k WINDOW TUMBLING 1m HAVING count(data.v) >= 2
              EMIT 'w' { k: key, n: count(), nv: count(data.v), s: sum(data.v), a: avg(data.v), lo: min(data.v),
                         hi: max(data.v), f: first(data.v), l: last(data.v), c: collect(data.v) }
            """, [
                Self.event("1", "e", "2026-03-01T10:00:01Z", ["k": "A", "v": 3]),
                Self.event("2", "e", "2026-03-01T10:00:02Z", ["k": "A"]),
                Self.event("3", "e", "2026-03-01T10:00:03Z", ["k": "A", "v": 1]),
                Self.event("4", "e", "2026-03-01T10:00:04Z", ["k": "A", "v": 2]),
                Self.event("5", "e", "2026-03-01T10:00:05Z", ["k": "B", "v": 9]),
            ])
        #expect(Self.lines(r.out) == [#"w {"k":"A","n":4,"nv":3,"s":6,"a":2.0,"lo":1,"hi":3,"f":3,"l":2,"c":[3,1,2]}"#])
    }

    // MARK: Section 1: emitted events

    /// "a unique id that is deterministic, source naming the declaration (weir://...), time = the
    /// event time that caused it, correlationid carried over, causationid = the id of the cause,
    /// datacontenttype application/json."
    @Test func emittedEventAttributes() throws {
        let rules = """
            RULE a ON 'x' EMIT ALL 'a1' {} WHEN true EMIT 'a2' {}
            RULE b ON 'x' EMIT 'b1' {}
            """
        let input = [Self.event("i1", "x", "2026-03-01T12:00:00.250+02:00", correlation: "K"), Self.event("i2", "x", "2026-03-01T10:00:01Z")]
        let r = try Self.run(rules, input)
        #expect(r.out.map(\.specversion) == ["1.0", "1.0", "1.0", "1.0", "1.0", "1.0"])
        #expect(Set(r.out.map(\.id)).count == 6)
        #expect(r.out.map(\.source) == ["weir://a", "weir://a", "weir://b", "weir://a", "weir://a", "weir://b"])
        #expect(r.out.map(\.time) == Array(repeating: "2026-03-01T10:00:00.250Z", count: 3) + Array(repeating: "2026-03-01T10:00:01.000Z", count: 3))
        #expect(r.out.map { Self.attribute($0, "correlationid") } == ["K", "K", "K", nil, nil, nil])
        #expect(r.out.map { Self.attribute($0, "causationid") } == ["i1", "i1", "i1", "i2", "i2", "i2"])
        #expect(r.out.allSatisfy { Self.attribute($0, "datacontenttype") == "application/json" })
        #expect(try Self.run(rules, input).out.map(\.jsonText) == r.out.map(\.jsonText))
    }

    /// Issue 10 section 3: a window's event has time = its end, causationid (and correlationid)
    /// of the last event in it.
    @Test func windowEventAttributes() throws {
        let r = try Self.run("AGGREGATE g ON 'e' WINDOW TUMBLING 1m EMIT 'w' { n: count() }", [
            Self.event("a", "e", "2026-03-01T10:00:10Z", correlation: "c-a"),
            Self.event("b", "e", "2026-03-01T10:00:20Z", correlation: "c-b"),
        ])
        let w = try #require(r.out.first)
        #expect(w.time == "2026-03-01T10:01:00.000Z")
        #expect(Self.attribute(w, "causationid") == "b")
        #expect(Self.attribute(w, "correlationid") == "c-b")
        #expect(w.source == "weir://g")
    }

    // MARK: Section 4: outputs feed back

    /// "once the event that caused them has been offered to every declaration, the queue drains in
    /// order (what a drained event emits joins its end), all before the next input event."
    @Test func feedbackQueueOrder() throws {
        let r = try Self.run("""
            RULE a ON 'in' EMIT ALL 'a1' {} WHEN true EMIT 'a2' {} WHEN true
            RULE b ON 'in' EMIT 'b1' {}
            RULE c ON 'a1' EMIT 'c1' {}
            RULE d ON 'b1' EMIT 'd1' {}
            RULE e ON 'a2' EMIT 'e1' {}
            RULE f ON 'c1' EMIT 'f1' {}
            """, [Self.event("1", "in", "2026-03-01T10:00:00Z"), Self.event("2", "in", "2026-03-01T10:00:01Z")])
        let one = ["a1", "a2", "b1", "c1", "e1", "d1", "f1"]
        #expect(r.out.map(\.type) == one + one)
        #expect(r.out.map { Self.attribute($0, "causationid") }.prefix(7) == ["1", "1", "1", "a-1", "a-2", "b-1", "c-1"])
    }

    /// "A derivation-depth limit (default 32) stops cycles: the event past it is not published,
    /// the chain is reported with a count, and the run goes on."
    @Test func derivationLimitDefault32() throws {
        let rules = "RULE ping ON 'ping' EMIT 'pong' {}\nRULE pong ON 'pong' EMIT 'ping' {}"
        let r = try Self.run(rules, [Self.event("1", "ping", "2026-03-01T10:00:00Z"), Self.event("2", "ping", "2026-03-01T10:00:01Z")])
        #expect(r.out.count == 64)
        #expect(r.engine.statistics.derivationLimitDrops == 2)
    }

    /// "An event is late only if its time is before the watermark; derived events are never late."
    @Test func derivedEventsAreNeverLate() throws {
        let r = try Self.run("""
            RULE r ON 'e' EMIT 'd' { src: id }
            RULE s ON 'd' EMIT 'dd' { src: data.src }
            """, [Self.event("a", "e", "2026-03-01T10:00:00Z"), Self.event("b", "e", "2026-03-01T10:01:00Z")], lateness: 30_000)
        #expect(r.late.isEmpty)
        #expect(Self.lines(r.out) == [#"d {"src":"a"}"#, #"dd {"src":"a"}"#, #"d {"src":"b"}"#, #"dd {"src":"b"}"#])
    }

    /// Section 4 with section 5: a window's event (time = its end) feeds another AGGREGATE and is
    /// never late, even when the watermark is already past it; a HAVING that errs is false, counted.
    @Test func windowEventsFeedAnotherAggregate() throws {
        let r = try Self.run("""
            AGGREGATE m ON 'e' GROUP BY data.k WINDOW TUMBLING 1m HAVING sum(data.v) > 1 EMIT 'per.min' { k: key }
            AGGREGATE h ON 'per.min' WINDOW TUMBLING 2m EMIT 'per.2min' { ks: collect(data.k), s: window.start }
            """, [
                Self.event("1", "e", "2026-03-01T10:00:01Z", ["k": "a", "v": 5]),
                Self.event("2", "e", "2026-03-01T10:00:02Z", ["k": "b", "v": "x"]),
                Self.event("3", "e", "2026-03-01T10:01:30Z", ["k": "c", "v": 3]),
                Self.event("4", "e", "2026-03-01T10:05:00Z", ["k": "d", "v": 0]),
            ], flush: false)
        #expect(r.late.isEmpty)
        #expect(Self.lines(r.out) == [
            #"per.min {"k":"a"}"#, #"per.2min {"ks":["a"],"s":"2026-03-01T10:00:00.000Z"}"#,
            #"per.min {"k":"c"}"#, #"per.2min {"ks":["c"],"s":"2026-03-01T10:02:00.000Z"}"#,
        ])
        #expect(r.out.map(\.time) == ["2026-03-01T10:01:00.000Z", "2026-03-01T10:02:00.000Z", "2026-03-01T10:02:00.000Z", "2026-03-01T10:04:00.000Z"])
        #expect(r.engine.statistics.declarations[0].errors["HAVING"]?["missingAttribute"] == 1)
    }

    // MARK: Section 5: time

    /// "The watermark is the largest event time seen minus the allowed lateness ... Events later
    /// than the watermark go to a late-event output with a counter"; "late only if before".
    @Test func lateOnlyIfBeforeTheWatermark() throws {
        let r = try Self.run("RULE r ON 'e' EMIT 'seen' { id: id }", [
            Self.event("a", "e", "2026-03-01T10:01:00Z"), Self.event("eq", "e", "2026-03-01T10:01:00Z"),
            Self.event("early", "e", "2026-03-01T10:00:59.999Z"),
        ])
        #expect(r.late == ["early"])
        #expect(r.engine.statistics.late == 1)
        #expect(Self.lines(r.out) == [#"seen {"id":"a"}"#, #"seen {"id":"eq"}"#])
    }

    /// Issue 10: events within the lateness are held and released in time order (stable for ties).
    @Test func eventsWithinTheLatenessAreReordered() throws {
        let r = try Self.run("""
            RULE r ON 'e' EMIT 'seen' { id: id }
            AGGREGATE g ON 'e' WINDOW TUMBLING 1m EMIT 'w' { ids: collect(id) }
            """, [
                Self.event("a", "e", "2026-03-01T10:00:10Z"), Self.event("b", "e", "2026-03-01T10:00:50Z"),
                Self.event("c", "e", "2026-03-01T10:00:20Z"), Self.event("c2", "e", "2026-03-01T10:00:20Z"),
                Self.event("d", "e", "2026-03-01T10:01:30Z"),
            ], lateness: 30_000)
        #expect(r.late.isEmpty)
        #expect(Self.lines(r.out) == [
            #"seen {"id":"a"}"#, #"seen {"id":"c"}"#, #"seen {"id":"c2"}"#, #"seen {"id":"b"}"#,
            #"w {"ids":["a","c","c2","b"]}"#, #"seen {"id":"d"}"#, #"w {"ids":["d"]}"#,
        ])
    }

    /// "Past-due timers fire in (deadline, creation) order", before the event that passed them,
    /// across declarations and keys.
    @Test func timersFireInDeadlineThenCreationOrder() throws {
        let r = try Self.run("""
            AGGREGATE x ON 'p' GROUP BY data.k WINDOW TUMBLING 1m EMIT 'wx' { k: key }
            AGGREGATE y ON 'q' GROUP BY data.k WINDOW TUMBLING 1m EMIT 'wy' { k: key }
            AGGREGATE s ON 'q' WINDOW SESSION GAP 5s EMIT 'ws' { n: count() }
            RULE r ON 'z' EMIT 'seen' {}
            """, [
                Self.event("1", "q", "2026-03-01T10:00:01Z", ["k": "B"]), Self.event("2", "p", "2026-03-01T10:00:02Z", ["k": "Z"]),
                Self.event("3", "p", "2026-03-01T10:00:03Z", ["k": "A"]), Self.event("4", "q", "2026-03-01T10:00:04Z", ["k": "A"]),
                Self.event("5", "z", "2026-03-01T10:05:00Z"),
            ], flush: false)
        #expect(Self.lines(r.out) == [#"ws {"n":2}"#, #"wy {"k":"B"}"#, #"wx {"k":"Z"}"#, #"wx {"k":"A"}"#, #"wy {"k":"A"}"#, "seen {}"])
    }

    /// "when several declarations react to one event, they do so in the order they appear in the file."
    @Test func declarationsReactInFileOrder() throws {
        let r = try Self.run("""
            RULE z ON 'e' EMIT 'z' {}
            AGGREGATE m ON 'e' WINDOW TUMBLING 1m EMIT 'm' {}
            RULE a ON '*' WHERE type = 'e' EMIT 'a' {}
            RULE k ON 'e.*' EMIT 'k' {}
            """, [Self.event("1", "e", "2026-03-01T10:00:00Z")])
        #expect(r.out.map(\.type) == ["z", "a", "m"])
    }

    /// "When a finite input ends, the CLI advances the watermark past every pending deadline ...
    /// unless told not to."
    @Test func endOfInputFlush() throws {
        let rules = "AGGREGATE g ON 'e' WINDOW SESSION GAP 1h EMIT 'w' { n: count() }"
        let events = [Self.event("a", "e", "2026-03-01T10:00:00Z")]
        #expect(Self.lines(try Self.run(rules, events).out) == [#"w {"n":1}"#])
        #expect(try Self.run(rules, events, flush: false).out.isEmpty)
    }

    /// "window.start and window.end are RFC 3339 UTC text with milliseconds."
    @Test func windowBoundsHaveMilliseconds() throws {
        let r = try Self.run("AGGREGATE g ON 'e' WINDOW TUMBLING 250ms EMIT 'w' { s: window.start, e: window.end }", [
            Self.event("a", "e", "2026-03-01T10:00:00.600+01:00"),
        ])
        #expect(Self.lines(r.out) == [#"w {"s":"2026-03-01T09:00:00.500Z","e":"2026-03-01T09:00:00.750Z"}"#])
    }

    // MARK: Section 2 in rule files

    /// Paths, numbers with fractions, 64-bit integers, arrays and objects, null as absent,
    /// PCRE2 MATCHES, distance, coalesce, size/length, duration literals.
    @Test func expressionExtensionsInRuleFiles() throws {
        let r = try Self.run(#"""
            RULE x ON 'e' WHERE data.email MATCHES '^[^@]+@corp\.com$'
              EMIT 'y' { p: data.items[0].price, f: 59.98 + 1, big: 9223372036854775807, n: EXISTS data.nul,
                         c: coalesce(data.nul, 7), s: size(data.items), l: length('abc'), d: DURATION_MS(10m),
                         km: distance(data.a, data.a), o: { k: [1, 'a'] } }
            """#, [
                Self.event("1", "e", "2026-03-01T10:00:00Z", ["email": "bob@corp.com", "nul": .null, "items": [["price": 5]],
                                                              "a": ["lat": 48.85, "lon": 2.35]]),
                Self.event("2", "e", "2026-03-01T10:00:00Z", ["email": "bob@corpxcom"]),
            ])
        #expect(Self.lines(r.out) == [#"y {"p":5,"f":60.98,"big":9223372036854775807,"n":false,"c":7,"s":1,"l":3,"d":600000,"km":0.0,"o":{"k":[1,"a"]}}"#])
    }

    /// "now() is NOT offered (rules depend on event time only)".
    @Test func nowIsRefused() {
        #expect(Self.errors("RULE r ON 'x' EMIT 'y' { t: now() }")?.contains("now()") == true)
    }

    // MARK: Issue 10 section 2: the checker

    @Test(arguments: [
        ("RULE a ON 'x' WHERE 1 + 2 EMIT 'y' {}", "never a Boolean"),
        ("RULE a ON 'x' WHERE count() > 1 EMIT 'y' {}", "only allowed in an AGGREGATE's HAVING and EMIT"),
        ("RULE a ON 'x' EMIT 'y' { k: key }", "'key' is only defined"),
        ("RULE a ON 'x' EMIT 'y' { w: window.end }", "'window' is only defined"),
        ("RULE a ON 'x' EMIT 'y' {}\nAGGREGATE a ON 'x' WINDOW TUMBLING 1m EMIT 'z' {}", "a declaration named 'a' already exists"),
        ("RULE a ON 'x'", "the 'EMIT' clause is missing"),
        ("RULE a ON 'x' WHERE true WHERE true EMIT 'y' {}", "repeated 'WHERE' clause"),
        ("AGGREGATE a ON 'x' WINDOW TUMBLING 0s EMIT 'y' {}", "greater than zero"),
        ("AGGREGATE a ON 'x' WINDOW SLIDING 1m EVERY 2m EMIT 'y' {}", "larger than its size"),
        ("AGGREGATE a ON 'x' EMIT 'y' {}", "the 'WINDOW' clause is missing"),
        ("RULE a ON 'x' WHERE login.data.x = 1 EMIT 'y' {}", "unknown alias 'login'"),
        ("RULE a ON 'x' WHERE foo(1) EMIT 'y' {}", "unknown function 'foo'"),
        ("RULE a ON 'x' WHERE upper(1, 2) = 'A' EMIT 'y' {}", "takes 1 argument"),
        ("RULE a ON 'x' WHER true EMIT 'y' {}", "did you mean 'WHERE'"),
    ])
    func checkerRefuses(rules: String, message: String) {
        let text = Self.errors(rules)
        #expect(text?.contains(message) == true, "\(text ?? "no error")")
    }
}
