import Testing
import WeirCore
import WeirSyntax
@testable import WeirCompiler

/// The compiled plan: what the engine evaluates, in each context.
@Suite struct RulePlanTests {
    static let metrics = """
        AGGREGATE order_metrics
          ON 'order.created'
          WHERE data.total > 0
          GROUP BY data.customer
          WINDOW TUMBLING 1h
          HAVING count() >= 3 AND sum(data.total) > 100
          EMIT 'metrics' { customer: key, city: key.city, orders: count(), revenue: sum(data.total), revenue2: sum( data.total ), ids: collect(data.id), latest: last(data).id, start: window.start, end: window.end, n: count(data.x) }
        """

    static func aggregate(_ text: String) throws -> AggregatePlan {
        let plan = try RuleText.plan(text)
        guard case .aggregate(let a) = plan.declarations[0].kind else { throw RuleTextError.didNotCompile }
        return a
    }

    @Test func aggregatesAreDeduplicatedInFirstAppearanceOrder() throws {
        let a = try Self.aggregate(Self.metrics)
        // `sum( data.total )` is `sum(data.total)`: the argument's own text is compared.
        #expect(a.aggregates.map(\.function) == [.count, .sum, .collect, .last, .countValue])
        #expect(a.aggregates.map { $0.argument?.clause } == [nil, "sum(data.total)", "collect(data.id)", "last(data)", "count(data.x)"])
        #expect(a.window == .tumbling(size: 3_600_000))
        // Aggregate arguments read each event.
        let event = Event.test("order.created", ["total": 40, "id": "o1"])
        #expect(a.aggregates[1].argument?.evaluate(event).json == 40)
        #expect(a.groupBy?.clause == "GROUP BY")
        #expect(a.filter!.test(event) == (true, nil))
    }

    @Test func havingAndEmitAtFireTime() throws {
        let a = try Self.aggregate(Self.metrics)
        let fire = FireContext(
            key: .object(["city": "Oslo", "id": 7]), windowStart: 1_772_359_200_000, windowEnd: 1_772_362_800_000,
            aggregates: [.long(3), .long(150), .array(["o1", "o2"]), .object(["id": "o2"]), .long(2)])
        #expect(a.having!.test(fire) == (true, nil))
        #expect(a.emit.data.evaluate(fire).json == [
            "customer": ["city": "Oslo", "id": 7], "city": "Oslo", "orders": 3, "revenue": 150, "revenue2": 150,
            "ids": ["o1", "o2"], "latest": "o2", "start": "2026-03-01T10:00:00.000Z", "end": "2026-03-01T11:00:00.000Z", "n": 2,
        ])
        var few = fire
        few.aggregates[0] = .long(2)
        #expect(a.having!.test(few) == (false, nil))
        // No GROUP BY: `key` is missing, so the field is left out.
        few.key = .error(.missingAttribute)
        #expect(a.emit.data.evaluate(few).json?[ "customer"] == nil)
    }

    @Test func ruleProgramsOnEventAndDocument() throws {
        let plan = try RuleText.plan("""
            RULE big
              ON 'order.*'
              WHERE data.total > 100 AND EXISTS data.id
              EMIT 'big' { id: data.id, total: data.total } WHEN data.total > 1000
              EMIT 'medium' { id: data.id }
            """)
        guard case .rule(let r) = plan.declarations[0].kind else { Issue.record("not a rule"); return }
        #expect(plan.declarations[0].on.map { $0.matches("order.created") } == [true])
        let event = Event.test("order.created", ["total": 500, "id": "o1"])
        #expect(r.filter!.test(event) == (true, nil))
        #expect(r.emits.map(\.type) == ["big", "medium"])
        #expect(r.emits[0].when!.test(event) == (false, nil))
        #expect(r.emits[1].when == nil)
        #expect(r.emits[1].data.evaluate(event).json == ["id": "o1"])
        #expect(r.filter?.clause == "WHERE")
        #expect(r.filter!.test(Event.test("order.created", ["total": "x"])) == (false, .cast))
    }

    @Test func valuesReadAndExplain() throws {
        let plan = try RuleText.plan("""
            RULE r
              ON 'a'
              WHERE data.total > 100 AND data.total < 500 AND EXISTS data.country AND subject = 'x'
              EMIT 'b' {}
            """)
        guard case .rule(let r) = plan.declarations[0].kind, let filter = r.filter else { Issue.record("no filter"); return }
        let event = Event.test("a", ["total": 50])
        let read = filter.valuesRead(event)
        #expect(read.map(\.path) == ["data.total", "data.country", "subject"])
        #expect(read.map { $0.value.json } == [50, nil, nil])
        #expect(filter.explain(event) == nil)  // false, no error
        let why = filter.explain(Event.test("a", ["total": "many"]))
        #expect(why?.message == "cast error: cannot cast 'many' to Integer")
    }

    @Test func activationSlots() {
        // A slot node reads the activation, never the event.
        let node = Node(.arithmetic(.add, Node(.slot(1), .dynamic, SourceRange(at: 0)), Node(.constant(.int(1)), .int, SourceRange(at: 0))),
                        .number, SourceRange(at: 0))
        let evaluator = EvaluatorBuilder<EventActivation<EventView>>.build(node)
        let slots: [Val] = [.int(10), .int(41)]
        let event = Event.test("a", ["x": 1])
        let result = slots.withUnsafeBufferPointer { buffer in
            event.withView { evaluator(EventActivation(event: $0, slots: buffer)) }
        }
        #expect(result.json == 42)
        // Slots past the end are missing.
        let missing = [Val]().withUnsafeBufferPointer { buffer in
            event.withView { evaluator(EventActivation(event: $0, slots: buffer)) }
        }
        #expect(missing.json == nil)
    }
}

extension RulePlanTests {
    @Test func emitFieldsLeftOutForAnErrorAreReported() throws {
        let plan = try RuleText.plan("RULE r\n  ON 'a'\n  EMIT 'b' { id: data.id, n: INT(data.n), gone: data.missing, k: 1 }")
        guard case .rule(let r) = plan.declarations[0].kind else { Issue.record("not a rule"); return }
        let result = r.emits[0].data.evaluateFields(Event.test("a", ["id": "x", "n": "seven"]))
        #expect(result.object == ["id": "x", "k": 1])
        #expect(result.errors.map(\.field) == ["n"])
        #expect(result.errors.map(\.error) == [.cast])
        #expect(r.emits[0].data.evaluate(Event.test("a", ["id": "x", "n": "7"])).json == ["id": "x", "n": 7, "k": 1])
    }
}
