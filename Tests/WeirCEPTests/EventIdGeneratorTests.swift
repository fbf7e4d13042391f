import Testing
@testable import WeirCEP
import WeirTestSupport

/// Ids of emitted events: `<declaration>-<n>`, unique in a run and deterministic.
@Suite struct EventIdGeneratorTests {
    @Test func countsPerDeclarationFromOne() {
        var ids = EventIdGenerator(declarations: ["high_value", "order_metrics"])
        #expect(ids.next(for: 0) == "high_value-1")
        #expect(ids.next(for: 0) == "high_value-2")
        #expect(ids.next(for: 1) == "order_metrics-1")
        #expect(ids.issued(for: 0) == 2)
    }

    /// Every count is written in full decimal, after names of any length (`é`: 2 bytes).
    @Test func countsOfEveryWidth() {
        var ids = EventIdGenerator(declarations: ["é", String(repeating: "long_name_", count: 5)])
        for n in 1...12_345 {
            let id = ids.next(for: 0)
            if [1, 9, 10, 99, 100, 999, 1000, 12_345].contains(n) { #expect(id == "é-\(n)") }
        }
        #expect(ids.next(for: 1) == String(repeating: "long_name_", count: 5) + "-1")
    }

    /// The same sequence of emissions gives the same ids, and no id repeats.
    @Test func deterministicAndUnique() {
        func run() -> [String] {
            var ids = EventIdGenerator(declarations: ["a", "b", "c"])
            var rng = SplitMix64(seed: 3)
            return (0..<1000).map { _ in ids.next(for: Int(rng.next() % 3)) }
        }
        let first = run()
        #expect(first == run())
        #expect(Set(first).count == first.count)
    }

    /// A restored generator goes on where the snapshot left off.
    @Test func snapshotContinues() throws {
        var ids = EventIdGenerator(declarations: ["a"])
        _ = ids.next(for: 0)
        var restored = try roundTrip(ids)
        #expect(restored.next(for: 0) == "a-2")
    }
}
