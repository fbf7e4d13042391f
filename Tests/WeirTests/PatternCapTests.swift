import Testing
import Weir

/// The caps on live PATTERN runs (issue 11, item 3): `MAX RUNS` per partition, `maxRuns` per
/// pattern over all partitions, and the overload policies, each drop counted.
@Suite struct PatternCapTests {
    static let combos = """
        PATTERN combos
          PARTITION BY data.k
          MAX RUNS 5
          MATCH a: 'A'
          THEN ANY b: 'B' WITHIN 1h
          THEN ANY c: 'C' WITHIN 1h
          EMIT 'combo' { a: a.id, b: b.id, c: c.id }
        """

    /// Ten A, ten B, then one C, in partition `k`, a second apart from `start`.
    static func burst(_ k: String, start: Int = 0) -> [Event] {
        (0..<21).map { i in
            let type = i < 10 ? "A" : i < 20 ? "B" : "C"
            let s = start + i
            return RuleRun.event("\(k)\(i)", type, "2026-01-01T10:\(String(format: "%02d:%02d", s / 60, s % 60))Z", ["k": .string(k)])
        }
    }

    static func run(_ events: [Event], maxRuns: Int = 1_000_000, overload: OverloadPolicy) throws -> (out: [Event], engine: RuleEngine) {
        let engine = RuleEngine(rules: try RuleSet(text: combos), maxRuns: maxRuns, overload: overload)
        var out: [Event] = []
        for e in events { out += try engine.process(e) }
        return (out + engine.finish(), engine)
    }

    @Test func forksNeverPassTheCapOfTheirPartition() throws {
        let (out, engine) = try Self.run(Self.burst("x"), overload: .dropOldest)
        let s = engine.statistics.declarations[0]
        #expect(s.peakRuns == 5)
        #expect(s.runsDropped > 0)
        #expect(s.runsStarted == s.runsCompleted + s.runsExpired + s.runsDropped + s.liveRuns + s.runsDiscarded + s.runsRejected)
        // The runs kept are the newest: the last forks (a9 with the last Bs).
        #expect(out.allSatisfy { $0.data?["a"] == "x9" })
        #expect(out.count == 5)
    }

    @Test func refuseNewKeepsTheOldestRuns() throws {
        let (out, engine) = try Self.run(Self.burst("x"), overload: .refuseNew)
        let s = engine.statistics.declarations[0]
        #expect(s.peakRuns == 5)
        #expect(s.runsRefused > 0)
        #expect(s.runsDropped == 0)
        #expect(out.allSatisfy { ["x0", "x1", "x2", "x3", "x4"].contains($0.data?["a"]?.stringValue ?? "") })
    }

    @Test func failStopsWithARejection() throws {
        let engine = RuleEngine(rules: try RuleSet(text: Self.combos), overload: .fail)
        var failed: String?
        for e in Self.burst("x") {
            if case .failure(.overloaded(let why)) = Result(catching: { () throws(RuleEngine.Rejection) in try engine.process(e) }) {
                failed = why
                break
            }
        }
        #expect(failed?.contains("combos") == true)
    }

    @Test func theGlobalCapCountsEveryPartition() throws {
        let events = Self.burst("x") + Self.burst("y", start: 30)
        let (_, engine) = try Self.run(events, maxRuns: 7, overload: .dropOldest)
        let s = engine.statistics.declarations[0]
        #expect(s.peakRuns <= 7)
        #expect(s.runsDropped > 0)
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
