import Testing
import Weir

/// The counters snapshot, over one run that exercises each.
@Suite struct CounterTests {
    @Test func countersAddUp() async throws {
        let clock = ManualClock()
        let bus = EventBus(clock: clock, deduplication: .lastEvents(100), sleep: { clock.advance(by: $0) })
        let all = try await bus.subscribe(to: "*", buffer: 100)
        let lossy = try await bus.subscribe(to: "a.*", buffer: 2, overflow: .dropOldest)
        let failing = try await bus.subscribe(to: "b", retry: .fixed(attempts: 2, every: TimeSpan(milliseconds: 1))) { _ in
            throw HandlerFailure(attempt: 0)
        }
        let events = [event("a.x", id: "1"), event("a.x", id: "2"), event("a.y", id: "3"), event("b", id: "4"),
                      event("a.x", id: "1"), event("a.z", id: "5")]
        await bus.publish(events)
        await bus.close()
        _ = try await collect(all)
        _ = try await collect(lossy)

        let counters = await bus.counters
        #expect(counters.published == 6)
        #expect(counters.duplicatesSuppressed == 1)
        #expect(counters.subscriptions[all.id]!.delivered == 5)
        #expect(counters.subscriptions[lossy.id]!.dropped == 2)
        #expect(counters.subscriptions[lossy.id]!.delivered == 2)
        #expect(counters.subscriptions[failing]!.delivered == 1)
        #expect(counters.subscriptions[failing]!.retries == 1)
        #expect(counters.subscriptions[failing]!.deadLettered == 1)
        #expect(counters.subscriptions[failing]!.typePattern == "b")
        #expect(counters.delivered == 8)
        #expect(counters.dropped == 2)
        #expect(counters.retries == 1)
        #expect(counters.deadLettered == 1)
        #expect(counters.waits == 0)
        #expect(counters.subscriptions.values.allSatisfy { $0.state == .finished && $0.buffered == 0 })
    }

    @Test func deadLetterLogKeepsTheMostRecent() async throws {
        let bus = EventBus(deadLetterLimit: 2)
        try await bus.subscribe(to: "*") { _ in throw HandlerFailure(attempt: 1) }
        await bus.publish((1...5).map { event("t", id: "\($0)") })
        await bus.close()
        #expect(await bus.deadLetters.map(\.event.id) == ["4", "5"])
        #expect(await bus.counters.deadLettered == 5)
    }
}
