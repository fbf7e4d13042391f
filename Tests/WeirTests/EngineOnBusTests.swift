import Testing
import Weir

/// Rules, patterns and sagas on one bus (issue 12, item 1): the engine consumes what is
/// published and publishes what it emits; a participant written in Swift answers a saga's
/// command through the bus.
@Suite(.timeLimit(.minutes(1))) struct EngineOnBusTests {
    static let rules = """
        SAGA fulfil
          START ON 'order.placed' AS order
          KEY order.data.orderId
          STEP reserve
            SEND 'inventory.reserve' { orderId: order.data.orderId }
            AWAIT 'inventory.reserved' WITHIN 30s
          ON COMPLETE EMIT 'order.fulfilled' { orderId: order.data.orderId }
        RULE audit ON 'order.fulfilled' EMIT 'audit.logged' { orderId: data.orderId }
        """

    @Test func aSagaIsAnsweredByAParticipantOnTheBus() async throws {
        let bus = EventBus(clock: ManualClock())
        let outcomes = try await bus.subscribe(to: "audit.*")
        // The participant: a handler answering each command with the command's correlationid.
        try await bus.subscribe(to: "inventory.reserve") { command in
            var attributes = JSONObject()
            attributes["time"] = command.time.map { .string($0) } ?? .null
            if let correlation = command[attribute: "correlationid"] { attributes["correlationid"] = correlation }
            await bus.publish(try Event(id: "r-" + command.id, source: "/inventory", type: "inventory.reserved",
                                        attributes: attributes, data: command.data))
        }
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
        let engineTask = Task {
            let engine = RuleEngine(rules: try RuleSet(text: Self.rules))
            try await engine.run(on: bus, subscribed: { readyContinuation.yield(); readyContinuation.finish() })
            return engine.statistics.declarations.map { "\($0.name) \($0.emitted)" }
        }
        for await _ in ready {}
        // In event time a reply must not be later than the watermark: each order waits for its
        // outcome before the next (later) order is published.
        var audited: [String] = []
        var outcomesIterator = outcomes.makeAsyncIterator()
        for (i, id) in ["o1", "o2"].enumerated() {
            await bus.publish(try Event(id: "e\(i)", source: "/shop", type: "order.placed",
                                        attributes: ["time": .string("2026-01-01T10:00:0\(i)Z")], data: ["orderId": .string(id)]))
            if let event = try await outcomesIterator.next(), case .string(let id)? = event.data?["orderId"] { audited.append(id) }
        }
        await bus.close()
        let statistics = try await engineTask.value
        #expect(audited == ["o1", "o2"])
        // The saga sent two commands and two outcomes; the RULE, fed by the saga inside the
        // engine, logged both; nothing came back twice.
        #expect(statistics == ["fulfil 4", "audit 2"])
        let counters = await bus.counters
        #expect(counters.published == 2 + 2 + 2 + 2 + 2)
    }
}
