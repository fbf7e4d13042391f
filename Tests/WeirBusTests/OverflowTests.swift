import Testing
import Weir

/// A subscriber that falls behind, per its declared policy: wait (backpressure), drop the
/// oldest, fail. Each counted.
/// (The time limit only turns a lost wake-up into a failure instead of a hang; nothing is timed.)
@Suite(.timeLimit(.minutes(1))) struct OverflowTests {
    static func events(_ n: Int) -> [Event] { (1...n).map { event("t", id: "e\($0)") } }

    /// `.wait`: the publish that finds the buffer full suspends until the subscriber takes an
    /// event; the publish after it waits its turn; nothing is lost and the order holds.
    @Test func waitSuspendsThePublisherUntilThereIsRoom() async throws {
        let bus = EventBus()
        let slow = try await bus.subscribe(to: "*", buffer: 2, overflow: .wait)
        let publisher = Task { await bus.publish(Self.events(3)) }
        await bus.publisherWaiting(on: slow.id)
        var counters = await bus.counters.subscriptions[slow.id]!
        #expect(counters.buffered == 2)
        #expect(counters.waits == 1)
        #expect(counters.delivered == 0)

        let later = Task { await bus.publish(event("t", id: "e4")) }
        var events = slow.makeAsyncIterator()
        #expect(try await events.next()?.id == "e1")
        await publisher.value
        await bus.publisherWaiting(on: slow.id)
        counters = await bus.counters.subscriptions[slow.id]!
        #expect(counters.buffered == 2)
        #expect(counters.waits == 2)
        #expect(try await events.next()?.id == "e2")
        await later.value
        await bus.close()
        #expect(ids(try await collect(slow)) == ["e3", "e4"])
        #expect(await bus.counters.dropped == 0)
    }

    /// A slow `.wait` subscriber holds back the others only as far as its buffer: they still
    /// receive every event in order.
    @Test func waitDeliversEverythingToEveryone() async throws {
        let bus = EventBus()
        let slow = try await bus.subscribe(to: "*", buffer: 1, overflow: .wait)
        let fast = try await bus.subscribe(to: "*", buffer: 100, overflow: .wait)
        let reader = Task { try await collect(slow) }
        await bus.publish(Self.events(50))
        await bus.close()
        #expect(ids(try await reader.value) == ids(Self.events(50)))
        #expect(ids(try await collect(fast)) == ids(Self.events(50)))
    }

    @Test func dropOldestKeepsTheNewestAndCounts() async throws {
        let bus = EventBus()
        let lossy = try await bus.subscribe(to: "*", buffer: 3, overflow: .dropOldest)
        await bus.publish(Self.events(10))
        let counters = await bus.counters
        #expect(counters.subscriptions[lossy.id]!.dropped == 7)
        #expect(counters.dropped == 7)
        #expect(counters.subscriptions[lossy.id]!.buffered == 3)
        await bus.close()
        #expect(ids(try await collect(lossy)) == ["e8", "e9", "e10"])
        #expect(await bus.counters.subscriptions[lossy.id]!.delivered == 3)
    }

    /// `.fail`: the subscriber receives what it had buffered, then the error; the event that
    /// did not fit is dead-lettered; later events are not offered; other subscribers go on.
    @Test func failEndsTheSubscriptionWithAnErrorAfterItsBuffer() async throws {
        let bus = EventBus()
        let strict = try await bus.subscribe(to: "*", buffer: 2, overflow: .fail)
        let other = try await bus.subscribe(to: "*")
        await bus.publish(Self.events(5))
        var received: [String] = []
        do {
            for try await event in strict { received.append(event.id) }
            Issue.record("the subscription ended without an error")
        } catch {
            #expect(error == .overflow(strict.id, capacity: 2))
            #expect(error.description == "subscription #1 fell behind: its buffer of 2 events was full and its overflow policy is 'fail'")
        }
        #expect(received == ["e1", "e2"])
        var after = strict.makeAsyncIterator()
        #expect(try await after.next() == nil)

        let counters = await bus.counters
        #expect(counters.subscriptions[strict.id]!.state == .failed)
        #expect(counters.overflowFailures == 1)
        #expect(counters.subscriptions[strict.id]!.deadLettered == 1)
        let letters = await bus.deadLetters
        #expect(letters.map(\.event.id) == ["e3"])
        #expect(letters.first?.reason == .subscriberOverflow)
        #expect(letters.first?.attempts == 0)
        await bus.close()
        #expect(ids(try await collect(other)) == ids(Self.events(5)))
    }
}
