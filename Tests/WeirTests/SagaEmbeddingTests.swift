import Testing
import Weir

/// SAGA from Swift (issue 12, items 3 and 5): the builder gives the same histories as the rule
/// text; instances are inspectable by id and by key.
@Suite struct SagaEmbeddingTests {
    static let text = """
        SAGA order_fulfillment
          START ON 'order.placed' AS order
          KEY order.data.orderId
          TIMEOUT 5m
          STEP reserve_inventory
            SEND 'inventory.reserve' { orderId: order.data.orderId }
            AWAIT 'inventory.reserved' AS reserved WHERE data.orderId = order.data.orderId WITHIN 30s
            FAIL ON 'inventory.rejected' WHERE data.orderId = order.data.orderId
            COMPENSATE 'inventory.release' { orderId: order.data.orderId }
          STEP charge_payment
            SEND 'payment.charge' { orderId: order.data.orderId, amount: order.data.total }
            AWAIT 'payment.charged' WITHIN 60s
            FAIL ON 'payment.declined'
            RETRY 2 EVERY 1s BACKOFF 2 MAX 30s
            COMPENSATE 'payment.refund' { orderId: order.data.orderId }
          ON COMPLETE EMIT 'order.fulfilled' { orderId: order.data.orderId, reservation: reserved.id }
          ON FAILURE EMIT 'order.failed' { orderId: order.data.orderId, reason: error.message, kind: error.kind }
        RULE inventory ON 'inventory.reserve' EMIT 'inventory.reserved' { orderId: data.orderId }
        RULE payment ON 'payment.charge'
          EMIT 'payment.declined' { orderId: data.orderId } WHEN data.amount > 100
          EMIT 'payment.charged' { orderId: data.orderId }
        """

    static let built = Saga("order_fulfillment")
        .start(on: "order.placed", as: "order")
        .key("order.data.orderId")
        .timeout(.minutes(5))
        .step("reserve_inventory", send: "inventory.reserve", ["orderId": "order.data.orderId"],
              await: .init("inventory.reserved", as: "reserved", where: "data.orderId = order.data.orderId", within: .seconds(30)),
              failOn: [.init("inventory.rejected", where: "data.orderId = order.data.orderId")],
              compensate: .init("inventory.release", ["orderId": "order.data.orderId"]))
        .step("charge_payment", send: "payment.charge", ["orderId": "order.data.orderId", "amount": "order.data.total"],
              await: .init("payment.charged", within: .seconds(60)), failOn: [.init("payment.declined")],
              retry: .init(2, every: .seconds(1), backoff: 2, max: .seconds(30)),
              compensate: .init("payment.refund", ["orderId": "order.data.orderId"]))
        .onComplete(emit: "order.fulfilled", ["orderId": "order.data.orderId", "reservation": "reserved.id"])
        .onFailure(emit: "order.failed", ["orderId": "order.data.orderId", "reason": "error.message", "kind": "error.kind"])

    static var orders: [Event] {
        [("o1", 50), ("o2", 500), ("o1", 60), ("o3", 70)].enumerated().map { i, order in
            RuleRun.event("e\(i)", "order.placed", "2026-01-01T10:00:0\(i)Z", ["orderId": .string(order.0), "total": .int(Int64(order.1))])
        }
    }

    static func run(_ rules: RuleSet) throws -> (out: [String], instances: [SagaRecord]) {
        let engine = RuleEngine(rules: rules, keepEndedSagas: true)
        var out: [String] = []
        for e in orders { out += try engine.process(e).map(\.jsonText) }
        out += engine.finish().map(\.jsonText)
        return (out, engine.sagaInstances)
    }

    @Test func builderAndRuleTextGiveTheSameHistories() throws {
        let participants = Self.text[Self.text.range(of: "RULE inventory")!.lowerBound...]
        let fromText = try Self.run(try RuleSet(text: Self.text))
        let fromBuilder = try Self.run(try RuleSet(text: Self.built.ruleText + "\n" + participants))
        #expect(fromBuilder.out == fromText.out)
        #expect(fromBuilder.instances == fromText.instances)
        #expect(fromText.instances.map(\.state) == ["completed", "compensated", "completed", "completed"])
        #expect(fromText.instances[1].history.filter { $0.what == "sent" }.count == 4)   // reserve + 3 charge attempts
        #expect(try RuleSet(sagas: [Self.built]).declarationNames == ["order_fulfillment"])
    }

    @Test func instancesAreInspectableByIdAndKey() throws {
        let (_, instances) = try Self.run(try RuleSet(text: Self.text))
        #expect(instances.map(\.id) == ["order_fulfillment-1", "order_fulfillment-2", "order_fulfillment-3", "order_fulfillment-4"])
        let engine = RuleEngine(rules: try RuleSet(text: Self.text), keepEndedSagas: true)
        for e in Self.orders { try engine.process(e) }
        _ = engine.finish()
        #expect(engine.sagaInstance(id: "order_fulfillment-2")?.error?.kind == "failure")
        #expect(engine.sagaInstance(id: "order_fulfillment-2")?.error?.attempt == 3)
        #expect(engine.sagaInstances(saga: "order_fulfillment", key: "o1").map(\.id) == ["order_fulfillment-1", "order_fulfillment-3"])
        // Without keepEndedSagas an ended instance is let go.
        let lean = RuleEngine(rules: try RuleSet(text: Self.text))
        for e in Self.orders { try lean.process(e) }
        _ = lean.finish()
        #expect(lean.sagaInstances.isEmpty)
        #expect(lean.statistics.declarations[0].sagasCompleted == 3)
    }
}
