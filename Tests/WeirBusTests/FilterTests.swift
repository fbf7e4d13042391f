import Testing
import Weir

/// A subscription's filter: an expression (through the `Weir` module) or a Swift predicate,
/// applied after the type.
@Suite struct FilterTests {
    static func order(_ n: Int, total: Double, country: String = "USA") -> Event {
        event("order.created", id: "o\(n)", data: ["total": .double(total), "country": .string(country)])
    }

    @Test func expressionFilterSelectsEvents() async throws {
        let bus = EventBus()
        let big = try await bus.subscribe(to: "order.*", where: "data.total > 100 AND data.country = 'USA'")
        let all = try await bus.subscribe(to: "order.*")
        await bus.publish([Self.order(1, total: 50), Self.order(2, total: 150), Self.order(3, total: 500, country: "FR"),
                           Self.order(4, total: 101), event("payment.done", id: "p1", data: ["total": 1000])])
        await bus.close()
        #expect(ids(try await collect(big)) == ["o2", "o4"])
        #expect(ids(try await collect(all)) == ["o1", "o2", "o3", "o4"])
    }

    /// A filter that fails to evaluate (a missing field) lets nothing through, as in CESQL.
    @Test func filterThatFailsToEvaluateRejects() async throws {
        let bus = EventBus()
        let subscription = try await bus.subscribe(to: "*", where: "data.missing > 1")
        await bus.publish(Self.order(1, total: 5))
        await bus.close()
        #expect(try await collect(subscription).isEmpty)
    }

    @Test func filterThatDoesNotCompileIsRefusedWithItsDiagnostic() async {
        let bus = EventBus()
        do {
            _ = try await bus.subscribe(to: "*", where: "data.total >")
            Issue.record("the filter compiled")
        } catch {
            guard case .invalidFilter(let rendered) = error else { Issue.record("\(error)"); return }
            #expect(rendered.hasPrefix("<filter>:1:13: error: expected expression"))
            #expect(error.description.hasPrefix("the subscription's filter does not compile:\n<filter>:1:13"))
        }
        #expect(await bus.counters.subscriptions.isEmpty)
    }

    @Test func swiftPredicateFilter() async throws {
        let bus = EventBus()
        let odd = try await bus.subscribe(to: "n", where: EventFilter { $0.id.last.map { "13579".contains($0) } ?? false })
        for i in 0..<6 { await bus.publish(event("n", id: "\(i)")) }
        await bus.close()
        #expect(ids(try await collect(odd)) == ["1", "3", "5"])
    }
}
