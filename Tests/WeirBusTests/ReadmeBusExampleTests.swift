import Testing
import Weir

/// The "Event bus" example proposed for the README, run as written (with a charge that fails).
@Suite struct ReadmeBusExampleTests {
    struct Declined: Error, CustomStringConvertible {
        var description: String { "card declined" }
    }

    @Test func readmeExample() async throws {
        @Sendable func charge(_ event: Event) async throws { throw Declined() }

        let clock = ManualClock()
        let bus = EventBus(clock: clock, deduplication: .within(TimeSpan(milliseconds: 60_000)),
                           sleep: { clock.advance(by: $0) })

        // A subscription is an AsyncSequence of the events it matches, in publish order.
        let bigOrders = try await bus.subscribe(to: "order.*", where: "data.total > 1000", buffer: 256, overflow: .wait)

        // A handler that throws is retried per its policy, then its event is dead-lettered.
        try await bus.subscribe(to: "payment.requested", retry: .exponential(attempts: 3, initial: TimeSpan(milliseconds: 100))) { event in
            try await charge(event)
        }

        let order = try Event(id: "o1", source: "/shop", type: "order.created", data: ["total": 1250])
        await bus.publish(order)
        await bus.publish(order)    // the same source and id within a minute: suppressed
        await bus.publish(try Event(id: "p1", source: "/shop", type: "payment.requested", data: ["total": 1250]))
        await bus.close()           // subscriptions deliver what they buffered, then end; handlers finish

        var received: [String] = []
        for try await order in bigOrders { received.append(order.id) }
        #expect(received == ["o1"])
        let counters = await bus.counters
        #expect(counters.published == 3)
        #expect(counters.duplicatesSuppressed == 1)
        #expect(counters.retries == 2)
        #expect(await bus.deadLetters.map(\.description) == [
            "#2 'payment.requested' /shop p1: the handler failed 3 times, the attempts its retry policy allows: card declined",
        ])
        #expect(clock.now == Timestamp(milliseconds: 300))
    }
}
