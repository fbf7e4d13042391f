import Testing
import Weir
import WeirTestSupport

/// Ordered delivery per subscriber, and many subscribers over many events without cross-talk.
/// (The time limit only turns a lost wake-up into a failure instead of a hang; nothing is timed.)
@Suite(.timeLimit(.minutes(1))) struct OrderingTests {
    @Test func eachSubscriberReceivesInPublishOrder() async throws {
        let bus = EventBus()
        let first = try await bus.subscribe(to: "*")
        let second = try await bus.subscribe(to: "a.*")
        let events = (0..<500).map { event($0 % 3 == 0 ? "a.x" : "b.y", id: "e\($0)") }
        for chunk in stride(from: 0, to: events.count, by: 50) { await bus.publish(events[chunk..<chunk + 50]) }
        await bus.close()
        #expect(ids(try await collect(first)) == ids(events))
        #expect(ids(try await collect(second)) == ids(events.filter { $0.type == "a.x" }))
    }

    /// Publishes from concurrent tasks: each task's events stay in its order, at every
    /// subscriber, and every subscriber sees the same interleaving.
    @Test func concurrentPublishersKeepTheirOrderAndEverySubscriberSeesTheSameOrder() async throws {
        let bus = EventBus()
        let subscriptions = try await (0..<3).asyncMap { _ in try await bus.subscribe(to: "*", buffer: 2, overflow: .wait) }
        let readers = subscriptions.map { subscription in Task { try await collect(subscription) } }
        await withTaskGroup(of: Void.self) { group in
            for p in 0..<4 {
                group.addTask {
                    for i in 0..<100 { await bus.publish(event("t", id: "\(i)", source: "/p\(p)")) }
                }
            }
        }
        await bus.close()
        let seen = try await readers.asyncMap { try await $0.value }
        #expect(seen[0].count == 400)
        for p in 0..<4 {
            #expect(ids(seen[0].filter { $0.source == "/p\(p)" }) == (0..<100).map { "\($0)" })
        }
        #expect(seen[1] == seen[0])
        #expect(seen[2] == seen[0])
    }

    /// A publish waiting for a slow `.wait` subscriber holds back the publishes after it, even
    /// to other subscribers: a batch is never interleaved with a later publish.
    @Test func laterPublishWaitsItsTurnBehindAWaitingOne() async throws {
        let bus = EventBus()
        let slow = try await bus.subscribe(to: "a.*", buffer: 1, overflow: .wait)
        let all = try await bus.subscribe(to: "*", buffer: 10)
        let first = Task { await bus.publish([event("a.x", id: "a1"), event("a.x", id: "a2")]) }
        await bus.publisherWaiting(on: slow.id)
        let second = Task { await bus.publish(event("b.x", id: "b1")) }
        await bus.publishWaitingForTurn()
        var events = slow.makeAsyncIterator()
        #expect(try await events.next()?.id == "a1")
        await first.value
        await second.value
        await bus.close()
        #expect(ids(try await collect(all)) == ["a1", "a2", "b1"])
        #expect(ids(try await collect(slow)) == ["a2"])
    }

    /// 50 subscriptions (exact types, wildcards and filters) over 3,000 events: each receives
    /// exactly what a direct computation says, in order.
    @Test func manySubscribersManyEventsNoCrossTalk() async throws {
        let bus = EventBus()
        let types = ["order.created", "order.paid", "order.item.added", "payment.done", "ship.sent"]
        let patterns = ["order.created", "order.*", "*", "order.item.*", "payment.done", "ship.*", "nothing"]
        var expectations: [(Subscription, (Event) -> Bool)] = []
        for s in 0..<50 {
            let pattern = patterns[s % patterns.count]
            let modulus = s % 4 + 1
            let subscription = try await bus.subscribe(to: pattern, where: "data.n % \(modulus) = 0", buffer: 10_000)
            let matches: (Event) -> Bool = { event in
                let typeMatches = pattern == "*" || event.type == pattern
                    || (pattern.hasSuffix(".*") && event.type.hasPrefix(pattern.dropLast()) && event.type.count > pattern.count - 1)
                guard case .int(let n)? = event.data?["n"] else { return false }
                return typeMatches && n % Int64(modulus) == 0
            }
            expectations.append((subscription, matches))
        }
        var rng = SplitMix64(seed: 12)
        let events = (0..<3_000).map { i in event(types[Int(rng.next() % UInt64(types.count))], id: "e\(i)", data: ["n": .int(Int64(i))]) }
        await bus.publish(events)
        await bus.close()
        for (subscription, matches) in expectations {
            let got = try await collect(subscription)
            #expect(ids(got) == ids(events.filter(matches)), "subscription \(subscription.id)")
        }
        let counters = await bus.counters
        #expect(counters.delivered == expectations.reduce(0) { sum, each in sum + events.filter(each.1).count })
        #expect(counters.published == 3_000)
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
