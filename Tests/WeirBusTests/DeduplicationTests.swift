import Testing
import Weir
@testable import WeirBus

/// Duplicate suppression by `source` + `id`, within a count or a time window, bounded.
@Suite struct DeduplicationTests {
    static let start = Timestamp(rfc3339: "2026-01-01T10:00:00Z")!

    func delivered(_ bus: EventBus, _ subscription: Subscription) async throws -> [String] {
        await bus.close()
        return try await collect(subscription).map { "\($0.source)\($0.id)" }
    }

    @Test func offDeliversEveryCopy() async throws {
        let bus = EventBus()
        let all = try await bus.subscribe(to: "*")
        await bus.publish([event("t", id: "1"), event("t", id: "1")])
        #expect(try await delivered(bus, all) == ["/test1", "/test1"])
        #expect(await bus.counters.duplicatesSuppressed == 0)
    }

    /// The same id from another source is another event.
    @Test func pairIsSourceAndId() async throws {
        let bus = EventBus(deduplication: .lastEvents(10))
        let all = try await bus.subscribe(to: "*")
        await bus.publish([event("t", id: "1", source: "/a"), event("u", id: "1", source: "/b"), event("v", id: "1", source: "/a")])
        #expect(try await delivered(bus, all) == ["/a1", "/b1"])
        #expect(await bus.counters.duplicatesSuppressed == 1)
        #expect(await bus.counters.published == 3)
    }

    /// A count window of 2: a pair is a duplicate while it is among the last two distinct
    /// pairs; the third distinct pair pushes it out (a suppressed copy does not refresh it).
    @Test func countWindowEdge() async throws {
        let bus = EventBus(deduplication: .lastEvents(2))
        let all = try await bus.subscribe(to: "*")
        await bus.publish(["a", "b", "a", "c", "a", "b"].map { event("t", id: $0) })
        #expect(try await delivered(bus, all) == ["/testa", "/testb", "/testc", "/testa", "/testb"])
        #expect(await bus.counters.duplicatesSuppressed == 1)
    }

    /// A 10 s window: a copy 9.999 s after the first sighting is suppressed, one at exactly 10 s
    /// is new (and opens a new window); a suppressed copy does not extend the window.
    @Test func timeWindowEdge() async throws {
        let clock = ManualClock(now: Self.start)
        let bus = EventBus(clock: clock, deduplication: .within(TimeSpan(milliseconds: 10_000)))
        let all = try await bus.subscribe(to: "*")
        await bus.publish(event("t", id: "x", data: 1))
        clock.advance(by: TimeSpan(milliseconds: 9_999))
        await bus.publish(event("t", id: "x", data: 2))
        clock.advance(by: TimeSpan(milliseconds: 1))
        await bus.publish(event("t", id: "x", data: 3))
        clock.advance(by: TimeSpan(milliseconds: 9_999))
        await bus.publish(event("t", id: "x", data: 4))
        await bus.close()
        #expect(try await collect(all).map(\.data) == [1, 3])
        #expect(await bus.counters.duplicatesSuppressed == 2)
    }

    /// Memory stays bounded: past `limit` pairs the oldest is forgotten early, and counted.
    @Test func timeWindowLimitForgetsTheOldest() async throws {
        let bus = EventBus(clock: ManualClock(now: Self.start), deduplication: .within(TimeSpan(milliseconds: 60_000), limit: 3))
        let all = try await bus.subscribe(to: "*")
        await bus.publish(["a", "b", "c", "d", "a", "d"].map { event("t", id: $0) })
        #expect(try await delivered(bus, all) == ["/testa", "/testb", "/testc", "/testd", "/testa"])
        let counters = await bus.counters
        #expect(counters.duplicatesSuppressed == 1)
        #expect(counters.deduplicationEvictions == 2)
    }

    @Test func windowMemoryIsBounded() {
        var count = DuplicateWindow(.lastEvents(100))
        var time = DuplicateWindow(.within(TimeSpan(milliseconds: 1_000_000), limit: 100))
        for i in 0..<10_000 {
            let fresh = event("t", id: "\(i)")
            let now = Timestamp(milliseconds: Int64(i))
            let repeatedByCount = count.isDuplicate(fresh, now: now)
            let repeatedByTime = time.isDuplicate(fresh, now: now)
            #expect(!repeatedByCount && !repeatedByTime)
        }
        #expect(count.count == 100)
        #expect(time.count == 100)
        #expect(time.evictions == 9_900)
    }
}
