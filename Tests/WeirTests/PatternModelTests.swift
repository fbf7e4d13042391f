import Testing
import Weir
import WeirTestSupport

/// PATTERN against an independent reference model (`PatternModel`): seeded random patterns of
/// 1-4 steps and random streams (equal times, several partitions, events with no key,
/// unrelated types, out-of-order input within and beyond the lateness), run through the engine
/// and the model; outputs, late events and the runs left after the flush compared. A mismatch
/// prints the rule, the smallest stream that still shows it, and both sides.
@Suite struct PatternModelTests {
    typealias M = PatternModel
    /// What "the order runs started" means for THEN ANY forks: creation order, as the semantics
    /// note says (`.start` if the lead settles on the order of first bound events).
    static let runOrder = M.RunOrder.origin

    // MARK: the model on hand-worked cases

    static func ev(_ id: String, _ type: String, _ time: Int64, key: Int? = 1, v: Int? = 0, arrival: Int? = nil) -> M.Event {
        M.Event(id: id, type: type, time: time, key: key, v: v, arrival: arrival ?? Int(id.dropFirst())!)
    }

    static func step(_ alias: String, _ type: String, _ kind: M.Kind, _ q: M.Quantifier? = nil,
                     where c: M.Condition? = nil, within: Int64? = nil) -> M.Step {
        M.Step(alias: alias, type: type, kind: kind, quantifier: q, condition: c, within: within)
    }

    static func pattern(_ steps: [M.Step], within: Int64? = nil, maxRuns: Int? = nil, skipPast: Bool = false) -> M.Pattern {
        M.Pattern(partitioned: true, within: within, maxRuns: maxRuns, steps: steps, skipPast: skipPast, onTimeout: true)
    }

    static func show(_ out: [M.Output]) -> [String] { out.map(\.description) }

    @Test func modelThenTakesFirstSuccessorAndEveryStartRuns() {
        let p = Self.pattern([Self.step("a", "A", .match), Self.step("b", "B", .then, within: 10)])
        let out = M.run(p, [Self.ev("e1", "A", 0), Self.ev("e2", "A", 1), Self.ev("e3", "B", 2), Self.ev("e4", "B", 3)])
        #expect(Self.show(out) == ["out@2 {a=e1, b=e3}", "out@2 {a=e2, b=e3}"])
    }

    @Test func modelExpiresWithTheAliasesBoundSoFar() {
        let p = Self.pattern([Self.step("a", "A", .match), Self.step("b", "B", .then, within: 5),
                              Self.step("c", "C", .then, within: 5)])
        let out = M.run(p, [Self.ev("e1", "A", 0), Self.ev("e2", "B", 5), Self.ev("e3", "C", 11)])
        #expect(Self.show(out) == ["tmo@10 {a=e1, b=e2}"])
    }

    @Test func modelTrailingAbsenceAndNegationBetweenSteps() {
        let absence = Self.pattern([Self.step("a", "A", .match), Self.step("x", "X", .not, within: 5)])
        #expect(Self.show(M.run(absence, [Self.ev("e1", "A", 0), Self.ev("e2", "X", 5), Self.ev("e3", "A", 6),
                                          Self.ev("e4", "X", 12)])) == ["out@11 {a=e3}"])
        let between = Self.pattern([Self.step("a", "A", .match), Self.step("x", "X", .not),
                                    Self.step("b", "B", .then, within: 9)])
        #expect(Self.show(M.run(between, [Self.ev("e1", "A", 0), Self.ev("e2", "X", 1), Self.ev("e3", "A", 2),
                                          Self.ev("e4", "B", 3)])) == ["out@3 {a=e3, b=e4}"])
    }

    @Test func modelQuantifierGreedyAndCompletesAtDeadline() {
        let q = M.Quantifier(text: "{2,3}", min: 2, max: 3)
        let p = Self.pattern([Self.step("a", "A", .match), Self.step("b", "B", .then, q, within: 10)], skipPast: true)
        let out = M.run(p, [Self.ev("e1", "A", 0), Self.ev("e2", "B", 1), Self.ev("e3", "A", 2), Self.ev("e4", "B", 3),
                            Self.ev("e5", "B", 4)])
        // e1's run takes e2 e4 e5 (3 = max: completes on e5), e3's run (e4 e5) is dropped.
        #expect(Self.show(out) == ["out@4 {a=e1, b_f=e2, b_l=e5, b_n=3}"])
        let open = Self.pattern([Self.step("a", "A", .match), Self.step("b", "B", .then, M.Quantifier(text: "+", min: 1, max: nil), within: 4)])
        #expect(Self.show(M.run(open, [Self.ev("e1", "A", 0), Self.ev("e2", "B", 4), Self.ev("e3", "B", 9)]))
                == ["out@4 {a=e1, b_f=e2, b_l=e2, b_n=1}"])
    }

    @Test func modelNextBreaksOnAnUnboundPartitionEvent() {
        let p = Self.pattern([Self.step("a", "A", .match), Self.step("b", "B", .next, within: 10)])
        let out = M.run(p, [Self.ev("e1", "A", 0), Self.ev("e2", "A", 1, key: 2), Self.ev("e3", "Z", 1),
                            Self.ev("e4", "B", 2, key: nil), Self.ev("e5", "B", 3)])
        // e2 is another partition's, e3 an unrelated type, e4 in no partition: e1's run is still strict.
        #expect(Self.show(out) == ["out@3 {a=e1, b=e5}", "tmo@11 {a=e2}"])
    }

    @Test func modelThenAnyForks() {
        let p = Self.pattern([Self.step("a", "A", .match), Self.step("b", "B", .thenAny)], maxRuns: 100)
        let out = M.run(p, [Self.ev("e1", "A", 0), Self.ev("e2", "A", 1), Self.ev("e3", "B", 2), Self.ev("e4", "B", 3)])
        #expect(Self.show(out) == ["out@2 {a=e1, b=e3}", "out@2 {a=e2, b=e3}", "out@3 {a=e1, b=e4}", "out@3 {a=e2, b=e4}"])
    }

    @Test func modelDropsLateEventsAndReorders() {
        let p = Self.pattern([Self.step("a", "A", .match), Self.step("b", "B", .then, within: 10)])
        let events = [Self.ev("e1", "B", 5), Self.ev("e2", "A", 3), Self.ev("e3", "A", 1)]
        #expect(M.lateIDs(events, lateness: 3) == ["e3"])
        #expect(Self.show(M.run(p, events, lateness: 3)) == ["out@5 {a=e2, b=e1}"])
    }

    // MARK: model against engine

    /// Random pattern of the model's family, valid per the contract (finite horizon, THEN ANY with
    /// MAX RUNS, unbounded loops windowed, first step plain).
    ///
    /// Without `forking`, no THEN ANY; with it, the draw is weighted towards THEN ANY, NEXT and
    /// optional steps (where a fork, the run it forked from and strict contiguity meet).
    static func randomPattern(_ g: inout SplitMix64, forking: Bool = false) -> M.Pattern {
        let types = ["A", "B", "C"]
        let n = 1 + g.next(below: 4)
        var steps: [M.Step] = []
        steps.append(step("a", types[g.next(below: 2)], .match, where: g.next(below: 4) == 0 ? .greater(g.next(below: 3)) : nil))
        let quantifiers = [M.Quantifier(text: "{2}", min: 2, max: 2), M.Quantifier(text: "{1,2}", min: 1, max: 2),
                           M.Quantifier(text: "{2,3}", min: 2, max: 3), M.Quantifier(text: "{2,}", min: 2, max: nil),
                           M.Quantifier(text: "+", min: 1, max: nil), M.Quantifier(text: "?", min: 0, max: 1)]
        let aliases = ["a", "b", "c", "d"]
        for i in 1..<max(n, 1) where n > 1 {
            let r = g.next(below: 10)
            let kind: M.Kind = forking ? (r < 2 ? .then : r < 5 ? .next : r < 8 ? .thenAny : .not)
                : (r < 5 ? .then : r < 7 ? .next : .not)
            var s = step(aliases[i], types[g.next(below: 3)], kind)
            if kind != .not, g.next(below: 5) < 2 {
                s.quantifier = forking && g.next(below: 2) == 0 ? quantifiers.last! : quantifiers[g.next(below: quantifiers.count)]
            }
            if g.next(below: 5) < 2 {
                let earlier = (0..<i).filter { !steps[$0].negated && steps[$0].quantifier == nil }
                if g.next(below: 2) == 0, !earlier.isEmpty {
                    s.condition = .equals(step: earlier[g.next(below: earlier.count)])
                } else {
                    s.condition = .greater(g.next(below: 3))
                }
            }
            if g.next(below: 2) == 0 { s.within = Int64(1 + g.next(below: 12)) }
            steps.append(s)
        }
        var p = M.Pattern(partitioned: g.next(below: 10) < 7, within: g.next(below: 5) < 2 ? Int64(3 + g.next(below: 18)) : nil,
                          maxRuns: nil, steps: steps, skipPast: g.next(below: 10) < 3, onTimeout: g.next(below: 10) < 8)
        for i in p.steps.indices where p.steps[i].max == nil && p.steps[i].within == nil && p.within == nil {
            p.steps[i].within = Int64(1 + g.next(below: 12))
        }
        // An absence needs a deadline.
        for i in p.steps.indices where p.steps[i].negated && p.within == nil && p.steps[i].within == nil
            && p.steps[(i + 1)...].allSatisfy({ $0.negated || $0.min == 0 }) {
            p.steps[i].within = Int64(1 + g.next(below: 12))
        }
        // A run that can complete only when its window passes (optional steps left, or a last
        // step that may take more events) needs that window.
        if p.within == nil, let last = p.steps.lastIndex(where: { !$0.negated && $0.min > 0 }) {
            if let max = p.steps[last].max, max > p.steps[last].min, p.steps[last].within == nil {
                p.steps[last].within = Int64(1 + g.next(below: 12))
            }
            for i in p.steps.indices where i > last && !p.steps[i].negated && p.steps[i].within == nil && p.steps[i].max != nil {
                p.steps[i].within = Int64(1 + g.next(below: 12))
            }
        }
        // Without a whole-match window, every positive later step needs its own, or a run cap.
        let windowed = p.within != nil || p.steps.dropFirst().allSatisfy { $0.negated || $0.within != nil }
        if p.steps.contains(where: { $0.kind == .thenAny }) || !windowed { p.maxRuns = 100_000 }
        return p
    }

    /// A random stream over the pattern's types and an unrelated one; times step by 0-3 ms;
    /// some events have no partition key. With `lateness`, some neighbours arrive swapped.
    static func randomStream(_ g: inout SplitMix64, _ p: M.Pattern, lateness: Int64) -> [M.Event] {
        var types = Array(Set(p.steps.map(\.type))).sorted()
        types.append("Z")
        let count = 3 + g.next(below: 16)
        var t: Int64 = 0
        var events: [M.Event] = []
        for i in 0..<count {
            t += Int64(g.next(below: 4))
            let key: Int? = g.next(below: 8) == 0 ? nil : 1 + g.next(below: 2)
            events.append(M.Event(id: "e\(i + 1)", type: types[g.next(below: types.count)], time: t, key: key,
                                  v: g.next(below: 12) == 0 ? nil : g.next(below: 4), arrival: 0))
        }
        if lateness > 0 {
            for i in events.indices.dropLast() where g.next(below: 3) == 0 { events.swapAt(i, i + 1) }
        }
        for i in events.indices { events[i].arrival = i }
        return events
    }

    static func timeText(_ ms: Int64) -> String {
        let s = ms / 1000, f = ms % 1000
        let ss = s < 10 ? "0\(s)" : "\(s)"
        let ff = f < 10 ? "00\(f)" : f < 100 ? "0\(f)" : "\(f)"
        return "2026-01-01T00:00:\(ss).\(ff)Z"
    }

    static func engineEvents(_ events: [M.Event]) -> [Event] {
        events.map { e in
            var data = JSONObject()
            if let v = e.v { data["v"] = .int(Int64(v)) }
            if let k = e.key { data["k"] = .int(Int64(k)) }
            return RuleRun.event(e.id, e.type, timeText(e.time), .object(data))
        }
    }

    static func outputs(_ events: [Event]) -> [M.Output] {
        events.map { e in
            var fields: [String: String] = [:]
            if case .object(let o)? = e.data {
                for (k, v) in o.fields {
                    switch v {
                    case .string(let s): fields[k] = s
                    case .int(let i): fields[k] = String(i)
                    default: fields[k] = "\(v)"
                    }
                }
            }
            let time = (try? e.eventTimeMilliseconds()).flatMap { $0 } ?? -1
            return M.Output(type: e.type, time: time - Timestamp(rfc3339: "2026-01-01T00:00:00.000Z")!.milliseconds,
                            fields: fields)
        }
    }

    /// What the engine did with a stream: its outputs and late ids, or the error it threw.
    enum EngineResult {
        /// Outputs, late ids, and the live runs and partitions left after the flush.
        case ran([M.Output], Set<String>, live: Int, partitions: Int)
        case failed(String)
    }

    static func engine(_ p: M.Pattern, _ events: [M.Event], lateness: Int64) -> EngineResult {
        do {
            let r = try RuleRun.run(p.text, engineEvents(events), lateness: lateness)
            let stats = r.engine.statistics.declarations[0]
            return .ran(outputs(r.out), Set(r.late), live: stats.liveRuns, partitions: stats.partitions)
        } catch {
            return .failed("\(error)")
        }
    }

    static func agrees(_ p: M.Pattern, _ events: [M.Event], lateness: Int64) -> Bool {
        guard case .ran(let out, let late, let live, let partitions) = engine(p, events, lateness: lateness) else { return false }
        let m = M.machine(p, events, lateness: lateness, order: runOrder)
        return out == m.out && late == M.lateIDs(events, lateness: lateness) && live == m.liveRuns && partitions == m.partitions
    }

    /// Drops events one at a time while the disagreement stays.
    static func minimise(_ p: M.Pattern, _ events: [M.Event], lateness: Int64) -> [M.Event] {
        var events = events
        var shrunk = true
        while shrunk {
            shrunk = false
            for i in events.indices.reversed() {
                var fewer = events
                fewer.remove(at: i)
                if !agrees(p, fewer, lateness: lateness) {
                    events = fewer
                    shrunk = true
                }
            }
        }
        return events
    }

    static func report(_ p: M.Pattern, _ events: [M.Event], lateness: Int64) -> String {
        var small = events
        if case .ran = engine(p, events, lateness: lateness) { small = minimise(p, events, lateness: lateness) }
        var text = "rule (lateness \(lateness)ms):\n\(p.text)events (arrival order):\n"
        for e in small { text += "  \(e.id) \(e.type) t=\(e.time) k=\(e.key.map(String.init) ?? "-") v=\(e.v.map(String.init) ?? "-")\n" }
        switch engine(p, small, lateness: lateness) {
        case .ran(let out, let late, let live, let partitions):
            text += "engine: \(out.map(\.description)) late \(late.sorted()); left \(live) runs in \(partitions) partitions\n"
        case .failed(let error):
            text += "engine error: \(error)\n"
        }
        let m = M.machine(p, small, lateness: lateness, order: runOrder)
        text += "model:  \(m.out.map(\.description)) late \(M.lateIDs(small, lateness: lateness).sorted()); left \(m.liveRuns) runs in \(m.partitions) partitions\n"
        return text
    }

    /// Compares engine and model on `cases` random patterns and streams from `seed`; returns
    /// the reports of the first disagreements and what was compared.
    static func compare(seed: UInt64, cases: Int, forking: Bool) -> (failures: [String], matches: Int, timeouts: Int, late: Int) {
        var g = SplitMix64(seed: seed)
        var failures: [String] = []
        var matches = 0, timeouts = 0, late = 0
        for _ in 0..<cases {
            let p = Self.randomPattern(&g, forking: forking)
            let lateness: Int64 = g.next(below: 10) < 3 ? Int64(1 + g.next(below: 4)) : 0
            let events = Self.randomStream(&g, p, lateness: lateness)
            let expected = M.run(p, events, lateness: lateness, order: Self.runOrder)
            matches += expected.filter { $0.type == "out" }.count
            timeouts += expected.filter { $0.type == "tmo" }.count
            late += M.lateIDs(events, lateness: lateness).count
            if !Self.agrees(p, events, lateness: lateness) {
                failures.append(Self.report(p, events, lateness: lateness))
                if failures.count >= 5 { break }
            }
        }
        return (failures, matches, timeouts, late)
    }

    @Test func engineAgreesWithTheModelOnRandomPatterns() {
        let r = Self.compare(seed: 0x5EED_0F_9A77E2, cases: 1500, forking: false)
        #expect(r.matches > 1000 && r.timeouts > 500 && r.late > 100)
        #expect(r.failures.isEmpty, "\(r.failures.count) disagreement(s); the first:\n\(r.failures.first ?? "")")
        for f in r.failures.dropFirst() { print(f) }
    }

    @Test
    func engineAgreesWithTheModelOnForkingPatterns() {
        let r = Self.compare(seed: 0xF0_4C_11, cases: 1500, forking: true)
        #expect(r.matches > 1000 && r.timeouts > 500)
        #expect(r.failures.isEmpty, "\(r.failures.count) disagreement(s); the first:\n\(r.failures.first ?? "")")
        for f in r.failures.dropFirst() { print(f) }
    }
}
