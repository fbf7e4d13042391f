import Testing
import Weir

/// Subscriptions by type: exact, `'prefix.*'` (one or more further segments, never the prefix
/// itself), `'*'`, and the patterns refused.
@Suite struct TypePatternTests {
    static let types = ["order", "order.a", "order.a.b", "orders.a", "payment.a", "order.ab"]

    func received(by pattern: String) async throws -> [String] {
        let bus = EventBus()
        let subscription = try await bus.subscribe(to: pattern)
        for (i, type) in Self.types.enumerated() { await bus.publish(event(type, id: "e\(i)")) }
        await bus.close()
        return try await collect(subscription).map(\.type)
    }

    @Test func wildcardMatchesOneOrMoreFurtherSegmentsNeverThePrefix() async throws {
        #expect(try await received(by: "order.*") == ["order.a", "order.a.b", "order.ab"])
    }

    @Test func deeperWildcard() async throws {
        #expect(try await received(by: "order.a.*") == ["order.a.b"])
    }

    @Test func starMatchesEveryType() async throws {
        #expect(try await received(by: "*") == Self.types)
    }

    @Test func exactTypeMatchesOnlyItself() async throws {
        #expect(try await received(by: "order") == ["order"])
        #expect(try await received(by: "order.a") == ["order.a"])
    }

    @Test(arguments: [
        ("", "empty event type pattern"),
        ("order.*.b", "'*' in event type pattern 'order.*.b' is allowed only as the whole pattern ('*') or as its last segment ('order.*')"),
        ("order*", "'*' in event type pattern 'order*' is allowed only as the whole pattern ('*') or as its last segment ('order.*')"),
        ("*.order", "'*' in event type pattern '*.order' is allowed only as the whole pattern ('*') or as its last segment ('order.*')"),
        ("order..a", "empty segment in event type pattern 'order..a'; segments are separated by single dots"),
        (".*", "empty segment in event type pattern '.*'; segments are separated by single dots"),
    ])
    func invalidPatternIsRefusedWithWhy(pattern: String, message: String) async {
        let bus = EventBus()
        await #expect(throws: BusError.invalidTypePattern(pattern, reason: message)) {
            try await bus.subscribe(to: pattern)
        }
        #expect(BusError.invalidTypePattern(pattern, reason: message).description == message)
        #expect(await bus.counters.subscriptions.isEmpty)
    }

    @Test func bufferMustHoldAnEvent() async {
        let bus = EventBus()
        await #expect(throws: BusError.invalidBuffer(0)) { try await bus.subscribe(to: "*", buffer: 0) }
    }
}
