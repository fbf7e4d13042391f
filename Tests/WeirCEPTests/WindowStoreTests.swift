import Foundation
import Testing
import WeirCore
@testable import WeirCEP
import WeirTestSupport

/// An input event of the window tests.
struct TestEvent: Codable, Hashable {
    var id: String
    var time: Int64
    var group: String?
    var amount: Int64?
    var name: String
    var correlation: String?
}

/// What a fired window emits in these tests.
struct Emitted: Hashable, CustomStringConvertible {
    var group: GroupKey
    var window: Window
    var values: [JSONValue?]
    var cause: String
    var correlation: String?
    var description: String { "\(group) \(window) \(values.map { $0?.description ?? "-" }) \(cause)" }
}

/// A miniature AGGREGATE engine over the runtime pieces, wired as the engine will be: one
/// scheduler (reorder buffer plus timers), one store.
struct MiniAggregate: Codable {
    static let functions: [AggregateFunction] = [.count, .sum, .max, .collect, .first, .last, .avg, .countValues, .min]

    var scheduler: EventTimeScheduler<TestEvent, Int, WindowRef>
    var store: WindowStore
    var late: [String] = []
    var emitted: [Emitted] = []
    var grouped = true

    /// The state a snapshot keeps (what was emitted or found late is output, already written).
    private enum CodingKeys: String, CodingKey { case scheduler, store, grouped }

    init(_ spec: WindowSpec, lateness: Int64 = 0, grouped: Bool = true) {
        scheduler = EventTimeScheduler(lateness: lateness)
        store = WindowStore(spec: spec, functions: Self.functions)
        self.grouped = grouped
    }

    mutating func offer(_ event: TestEvent) {
        if scheduler.events.insert(event, at: event.time) == .late { late.append(event.id) }
        drain()
    }

    mutating func finish() {
        scheduler.flush()
        drain()
    }

    mutating func drain() {
        while let step = scheduler.next() {
            switch step {
            case .event(let time, let e):
                let key = grouped ? (GroupKey(e.group.map { Val.string($0) } ?? .error(.missingAttribute)) ?? .missing) : .all
                store.route(group: key, time: time) { ref, due in scheduler.timers.schedule(ref, due: due) }
                let amount: Val = e.amount.map { .long($0) } ?? .error(.missingAttribute)
                for (i, f) in Self.functions.enumerated() {
                    store.accumulate(i, f == .collect ? .string(e.name) : amount)
                }
                store.setCause(id: e.id, correlationId: e.correlation)
            case .timer(let timer):
                let fired = store.fire(timer.payload, due: timer.due) { ref, due in scheduler.timers.schedule(ref, due: due) }
                if let w = fired {
                    emitted.append(Emitted(group: w.group, window: w.window, values: w.accumulators.map { $0.value.json },
                                           cause: w.lastEventId, correlation: w.lastCorrelationId))
                }
            }
        }
    }
}

@Suite struct WindowStoreTests {
    func event(_ id: String, _ time: Int64, _ group: String? = "a", amount: Int64? = 1, correlation: String? = nil) -> TestEvent {
        TestEvent(id: id, time: time, group: group, amount: amount, name: id, correlation: correlation)
    }

    /// A window fires once the watermark reaches its end; an event at exactly the end belongs to
    /// the next window, and the first fires before it is processed.
    @Test func tumblingWindowFiresAtItsEnd() {
        var agg = MiniAggregate(.tumbling(size: 100))
        agg.offer(event("e1", 10, amount: 5))
        agg.offer(event("e2", 99, amount: 7))
        #expect(agg.emitted.isEmpty)
        agg.offer(event("e3", 100, amount: 1))
        #expect(agg.emitted == [Emitted(group: GroupKey(.string("a"))!, window: Window(start: 0, end: 100),
                                        values: [2, 12, 7, ["e1", "e2"], 5, 7, .double(6), 2, 5], cause: "e2")])
        #expect(agg.store.openCount == 1)
    }

    /// With lateness, the watermark reaching exactly the end fires the window.
    @Test func watermarkExactlyAtTheEndFires() {
        var agg = MiniAggregate(.tumbling(size: 100), lateness: 10)
        agg.offer(event("e1", 50))
        agg.offer(event("e2", 109))  // watermark 99
        #expect(agg.emitted.isEmpty)
        agg.offer(event("e3", 110))  // watermark 100
        #expect(agg.emitted.map(\.window) == [Window(start: 0, end: 100)])
    }

    /// Events within the lateness land in their window; events beyond it are late and counted.
    @Test func reorderingWithinLatenessAndLateBeyond() {
        var agg = MiniAggregate(.tumbling(size: 100), lateness: 20)
        agg.offer(event("e1", 110))
        agg.offer(event("e2", 95))  // watermark 90: on time, window [0,100)
        agg.offer(event("e3", 130))  // watermark 110: fires [0,100)
        agg.offer(event("e4", 99))  // late
        agg.finish()
        #expect(agg.late == ["e4"])
        #expect(agg.emitted.map(\.window) == [Window(start: 0, end: 100), Window(start: 100, end: 200)])
        #expect(agg.emitted[0].values[3] == ["e2"])
        #expect(agg.emitted[1].values[3] == ["e1", "e3"])
    }

    /// Windows fire by end, then in the order they opened; the state is freed when fired.
    @Test func firingOrderAndStateFreed() {
        var agg = MiniAggregate(.tumbling(size: 100))
        agg.offer(event("b1", 10, "b"))
        agg.offer(event("a1", 20, "a"))
        agg.offer(event("b2", 30, "b"))
        #expect(agg.store.openCount == 2)
        agg.offer(event("c1", 250, "c"))
        #expect(agg.emitted.map(\.group) == [GroupKey(.string("b"))!, GroupKey(.string("a"))!])
        #expect(agg.store.openCount == 1)
        #expect(agg.store.peakOpenCount == 2)
        #expect(agg.store.firedCount == 2)
    }

    /// Sliding: an event counts in every window containing it; a window no event fell into
    /// emits nothing.
    @Test func slidingWindows() {
        var agg = MiniAggregate(.sliding(size: 100, every: 50))
        agg.offer(event("e1", 60))  // [0,100) and [50,150)
        agg.offer(event("e2", 400))  // [350,450) and [400,500)
        agg.finish()
        #expect(agg.emitted.map(\.window) == [
            Window(start: 0, end: 100), Window(start: 50, end: 150), Window(start: 350, end: 450), Window(start: 400, end: 500),
        ])
        #expect(agg.emitted.map { $0.values[0] } == [1, 1, 1, 1])
    }

    /// Sessions: [first, last + gap); an event at exactly last + gap starts a new session, and the
    /// old one fires first.
    @Test func sessionsCloseAtLastPlusGap() {
        var agg = MiniAggregate(.session(gap: 30))
        agg.offer(event("e1", 100))
        agg.offer(event("e2", 120))  // extends to [100, 150)
        agg.offer(event("e3", 149))  // extends to [100, 179)
        #expect(agg.emitted.isEmpty)
        agg.offer(event("e4", 179))  // exactly last + gap: fires the session, opens a new one
        #expect(agg.emitted.map(\.window) == [Window(start: 100, end: 179)])
        #expect(agg.emitted[0].values[0] == 3)
        agg.finish()
        #expect(agg.emitted.map(\.window) == [Window(start: 100, end: 179), Window(start: 179, end: 209)])
        #expect(agg.store.openCount == 0)
    }

    /// Sessions are per group: one group's events do not extend another's session.
    @Test func sessionsArePerGroup() {
        var agg = MiniAggregate(.session(gap: 30))
        agg.offer(event("a1", 100, "a"))
        agg.offer(event("b1", 110, "b"))
        agg.offer(event("b2", 135, "b"))
        agg.finish()
        #expect(agg.emitted.map(\.window) == [Window(start: 100, end: 130), Window(start: 110, end: 165)])
        #expect(agg.emitted.map(\.group) == [GroupKey(.string("a"))!, GroupKey(.string("b"))!])
    }

    /// Without a flush (`--no-flush`) open windows stay open at the end.
    @Test func noFlushLeavesWindowsOpen() {
        var agg = MiniAggregate(.tumbling(size: 100))
        agg.offer(event("e1", 10))
        #expect(agg.emitted.isEmpty)
        #expect(agg.store.openCount == 1)
        agg.finish()
        #expect(agg.emitted.count == 1)
    }

    /// The window's cause is its last event: its id and correlation id.
    @Test func causeIsTheLastEvent() {
        var agg = MiniAggregate(.tumbling(size: 100))
        agg.offer(event("first-event-with-a-long-id", 10, correlation: "c-1"))
        agg.offer(event("e2", 20, correlation: "c-2"))
        agg.offer(event("e3", 30))
        agg.offer(event("x", 150, correlation: "c-9"))
        agg.finish()
        #expect(agg.emitted.map(\.cause) == ["e3", "x"])
        #expect(agg.emitted.map(\.correlation) == [nil, "c-9"])
    }

    /// No GROUP BY: one group.
    @Test func withoutGroupByOneGroup() {
        var agg = MiniAggregate(.tumbling(size: 100), grouped: false)
        agg.offer(event("e1", 10, "a"))
        agg.offer(event("e2", 20, "b"))
        agg.finish()
        #expect(agg.emitted.map(\.group) == [.all])
        #expect(agg.emitted[0].values[0] == 2)
    }

    /// A missing GROUP BY value forms its own group.
    @Test func missingGroupIsAGroup() {
        var agg = MiniAggregate(.tumbling(size: 100))
        agg.offer(event("e1", 10, nil))
        agg.offer(event("e2", 20, "a"))
        agg.offer(event("e3", 30, nil))
        agg.finish()
        #expect(agg.emitted.map(\.group) == [.missing, GroupKey(.string("a"))!])
        #expect(agg.emitted.map { $0.values[0] } == [2, 1])
    }

    /// A stale reference (a window already fired) fires nothing.
    @Test func staleReferenceFiresNothing() {
        var store = WindowStore(spec: .tumbling(size: 10), functions: [.count])
        var refs: [WindowRef] = []
        store.route(group: .all, time: 5) { ref, _ in refs.append(ref) }
        #expect(store.fire(refs[0], due: 9) { _, _ in } != nil)
        #expect(store.fire(refs[0], due: 9) { _, _ in } == nil)
        store.route(group: .all, time: 15) { ref, _ in refs.append(ref) }
        #expect(refs[1].slot == refs[0].slot)  // the slot is reused...
        #expect(store.fire(refs[0], due: 9) { _, _ in } == nil)  // ...but the old reference is stale
        #expect(store.openCount == 1)
    }

    /// A session's timer is scheduled once; when it comes due after the session grew, `fire`
    /// reschedules it for the new end instead of firing.
    @Test func grownSessionIsRescheduled() {
        var store = WindowStore(spec: .session(gap: 30), functions: [.count])
        var scheduled: [(WindowRef, Int64)] = []
        store.route(group: .all, time: 100) { scheduled.append(($0, $1)) }
        store.accumulate(0, .long(1))
        store.route(group: .all, time: 120) { scheduled.append(($0, $1)) }
        store.accumulate(0, .long(1))
        #expect(scheduled.count == 1)
        #expect(scheduled[0].1 == 129)
        var rescheduled: [(WindowRef, Int64)] = []
        #expect(store.fire(scheduled[0].0, due: 129) { rescheduled.append(($0, $1)) } == nil)
        #expect(rescheduled.map(\.1) == [149])
        let fired = store.fire(rescheduled[0].0, due: 149) { _, _ in Issue.record("rescheduled twice") }
        #expect(fired?.window == Window(start: 100, end: 150))
        #expect(fired?.accumulators[0].value.json == 2)
    }

    /// If the engine offers an event past a session's end before its timer fired, the event opens
    /// a new session and the old one still fires, alone, when its timer comes due.
    @Test func eventPastAnUnfiredSessionOpensANewOne() {
        var store = WindowStore(spec: .session(gap: 30), functions: [.count])
        var refs: [WindowRef] = []
        store.route(group: .all, time: 100) { ref, _ in refs.append(ref) }
        store.accumulate(0, .long(1))
        store.route(group: .all, time: 200) { ref, _ in refs.append(ref) }
        store.accumulate(0, .long(1))
        #expect(refs.count == 2)
        #expect(store.openCount == 2)
        #expect(store.fire(refs[0], due: 129) { _, _ in }?.window == Window(start: 100, end: 130))
        store.route(group: .all, time: 210) { ref, _ in refs.append(ref) }
        store.accumulate(0, .long(1))
        #expect(refs.count == 2)  // joined the open session
        #expect(store.fire(refs[1], due: 239) { _, _ in }?.accumulators[0].value.json == 2)
    }

    /// The milestone: feed half the events, snapshot, restore into a fresh engine, feed the rest:
    /// the same windows fire with the same values, in the same order, as in one run.
    @Test(arguments: [
        WindowSpec.tumbling(size: 1000), .sliding(size: 1000, every: 250), .session(gap: 300),
    ])
    func snapshotMidwayGivesTheSameOutput(spec: WindowSpec) throws {
        var rng = SplitMix64(seed: 42)
        let events = (0..<2000).map { i -> TestEvent in
            // Bursts of 100 events with a pause after each, so that sessions close.
            let time = Int64(i) * 10 + Int64(i / 100) * 1000 + Int64(rng.next() % 200)
            let group = ["DE", "FR", "US", "é", "e\u{301}"][Int(rng.next() % 5)]
            let amount: Int64? = rng.next() % 7 == 0 ? nil : Int64(rng.next() % 1000) - 100
            return TestEvent(id: "e\(i)", time: time, group: group, amount: amount, name: "n\(i % 13)",
                             correlation: i % 3 == 0 ? "c\(i)" : nil)
        }
        var whole = MiniAggregate(spec, lateness: 150)
        for e in events { whole.offer(e) }
        whole.finish()

        var first = MiniAggregate(spec, lateness: 150)
        for e in events[..<1000] { first.offer(e) }
        let data = try JSONEncoder().encode(first)
        var second = try JSONDecoder().decode(MiniAggregate.self, from: data)
        for e in events[1000...] { second.offer(e) }
        second.finish()

        #expect(whole.emitted.count > 50)
        #expect(!whole.late.isEmpty)
        #expect(first.emitted + second.emitted == whole.emitted)
        #expect(first.late + second.late == whole.late)
        #expect(!first.emitted.isEmpty && !second.emitted.isEmpty)
        #expect(second.store.peakOpenCount == whole.store.peakOpenCount)
        #expect(second.store.openCount == 0)
    }

    /// Aggregation over every window equals a brute-force recomputation from the events.
    @Test func resultsMatchABruteForceRecount() {
        var rng = SplitMix64(seed: 9)
        let spec = WindowSpec.sliding(size: 500, every: 100)
        var agg = MiniAggregate(spec, lateness: 0)
        var events: [TestEvent] = []
        for i in 0..<500 {
            let e = TestEvent(id: "e\(i)", time: Int64(i) * 7, group: ["x", "y"][Int(rng.next() % 2)],
                              amount: Int64(rng.next() % 100), name: "n", correlation: nil)
            events.append(e)
            agg.offer(e)
        }
        agg.finish()
        for fired in agg.emitted {
            let members = events.filter { fired.window.contains($0.time) && GroupKey(.string($0.group!)) == fired.group }
            #expect(fired.values[0] == .int(Int64(members.count)))
            #expect(fired.values[1] == .int(members.reduce(0) { $0 + $1.amount! }))
            #expect(fired.values[2] == .int(members.map { $0.amount! }.max()!))
            #expect(fired.cause == members.last!.id)
        }
        #expect(agg.emitted.count == Set(events.flatMap { e in spec.windows(containing: e.time).map { "\($0) \(e.group!)" } }).count)
    }
}
