import Testing
import Weir

/// Ending a subscription: cancel, the consuming task's cancellation, closing the bus.
/// (The time limit only turns a lost wake-up into a failure instead of a hang; nothing is timed.)
@Suite(.timeLimit(.minutes(1))) struct CancellationTests {
    @Test func cancelEndsTheSequenceAndDiscardsItsBuffer() async throws {
        let bus = EventBus()
        let cancelled = try await bus.subscribe(to: "*")
        let kept = try await bus.subscribe(to: "*")
        await bus.publish([event("t", id: "1"), event("t", id: "2")])
        await cancelled.cancel()
        await bus.publish(event("t", id: "3"))
        await bus.close()
        #expect(try await collect(cancelled).isEmpty)
        #expect(ids(try await collect(kept)) == ["1", "2", "3"])
        let counters = await bus.counters.subscriptions[cancelled.id]!
        #expect(counters.state == .cancelled)
        #expect(counters.discarded == 2)
        #expect(counters.delivered == 0)
    }

    /// A consumer suspended in `next()` sees the end when its subscription is cancelled.
    @Test func cancelWakesAWaitingConsumer() async throws {
        let bus = EventBus()
        let subscription = try await bus.subscribe(to: "*")
        let reader = Task { try await collect(subscription) }
        await bus.cancel(subscription.id)
        #expect(try await reader.value.isEmpty)
    }

    @Test func cancellingTheConsumingTaskCancelsTheSubscription() async throws {
        let bus = EventBus()
        let subscription = try await bus.subscribe(to: "*")
        let reader = Task { try await collect(subscription) }
        reader.cancel()
        #expect(try await reader.value.isEmpty)
        #expect(await bus.counters.subscriptions[subscription.id]!.state == .cancelled)
    }

    /// A publisher waiting on a `.wait` subscriber is released when it is cancelled; the
    /// event it was waiting to deliver is counted as discarded.
    @Test func cancelReleasesAWaitingPublisher() async throws {
        let bus = EventBus()
        let stuck = try await bus.subscribe(to: "*", buffer: 1, overflow: .wait)
        let other = try await bus.subscribe(to: "*")
        let publisher = Task { await bus.publish([event("t", id: "1"), event("t", id: "2"), event("t", id: "3")]) }
        await bus.publisherWaiting(on: stuck.id)
        await stuck.cancel()
        await publisher.value
        await bus.close()
        #expect(ids(try await collect(other)) == ["1", "2", "3"])
        #expect(await bus.counters.subscriptions[stuck.id]!.discarded == 2)
    }

    @Test func closeDeliversTheBufferThenEndsAndRefusesNewWork() async throws {
        let bus = EventBus()
        let subscription = try await bus.subscribe(to: "*")
        await bus.publish(event("t", id: "1"))
        await bus.close()
        await bus.publish(event("t", id: "2"))
        #expect(ids(try await collect(subscription)) == ["1"])
        await #expect(throws: BusError.closed) { try await bus.subscribe(to: "*") }
        let counters = await bus.counters
        #expect(counters.published == 1)
        #expect(counters.publishedAfterClose == 1)
        #expect(counters.subscriptions[subscription.id]!.state == .finished)
    }
}
