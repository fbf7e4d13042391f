import Foundation
import Testing
import WeirCore
@testable import WeirCEP
import WeirTestSupport

/// The window store's own index (group hash and window start to slot): an event's GROUP BY
/// value finds its window whatever form the value takes, and the index stays right through
/// growth and the removal of fired windows.
@Suite struct WindowIndexTests {
    /// Routes `value` at `time` into `store` (one aggregate: `count()`), scheduling into `timers`.
    private func offer(_ value: Val, at time: EventTime, _ store: inout WindowStore, _ timers: inout TimerQueue<Int, WindowRef>) {
        store.route(groupValue: value, time: time) { ref, due in timers.schedule(ref, due: due) }
        store.accumulate(0, .bool(true))
        store.setCause(id: "e\(time)", correlationId: nil)
    }

    @Test func aStringFindsItsWindowInEveryForm() {
        var store = WindowStore(spec: .tumbling(size: 100), functions: [.count])
        var timers = TimerQueue<Int, WindowRef>()
        offer(.string("é"), at: 1, &store, &timers)
        var bytes = Array("é".utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            offer(.raw(RawString(base: UnsafePointer(buffer.baseAddress!), count: buffer.count)), at: 2, &store, &timers)
        }
        store.route(group: GroupKey(.string("é"))!, time: 3) { ref, due in timers.schedule(ref, due: due) }
        store.accumulate(0, .bool(true))
        // Numbers by value: 2 and 2.0 are one group; 2.5 another.
        offer(.long(2), at: 4, &store, &timers)
        offer(.double(2.0), at: 5, &store, &timers)
        offer(.int(2), at: 6, &store, &timers)
        offer(.double(2.5), at: 7, &store, &timers)
        offer(.error(.missingAttribute), at: 8, &store, &timers)
        offer(.error(.missingAttribute), at: 9, &store, &timers)
        #expect(store.openCount == 4)
        var counts: [GroupKey: JSONValue] = [:]
        while let timer = timers.popDue(watermark: .max) {
            if let fired = store.fire(timer.payload, due: timer.due, reschedule: { _, _ in }) {
                counts[fired.group] = fired.accumulators[0].value.json
            }
        }
        #expect(counts == [.string(ByteString("é")): .int(3), .integer(2): .int(3), .double(2.5): .int(1), .missing: .int(2)])
        #expect(store.openCount == 0)
    }

    /// Thousands of groups open and fire in an interleaved order (the index grows and entries
    /// are removed from the middle of probe runs): every window counts exactly its events.
    @Test(arguments: [WindowSpec.tumbling(size: 10000), .sliding(size: 10000, every: 4000), .session(gap: 3000)])
    func manyGroupsMatchABruteForceCount(spec: WindowSpec) {
        var rng = SplitMix64(seed: 77)
        var store = WindowStore(spec: spec, functions: [.count])
        var timers = TimerQueue<Int, WindowRef>()
        var fired: [GroupKey: [Window: Int64]] = [:]
        var times: [GroupKey: [EventTime]] = [:]
        var watermark: EventTime = .min
        func drain(_ w: EventTime) {
            while let timer = timers.popDue(watermark: w) {
                guard let window = store.fire(timer.payload, due: timer.due, reschedule: { ref, due in timers.schedule(ref, due: due) })
                else { continue }
                guard case .long(let n) = window.accumulators[0].value else { Issue.record("count"); return }
                #expect(fired[window.group, default: [:]][window.window] == nil)
                fired[window.group, default: [:]][window.window] = n
            }
        }
        for i in 0..<6000 {
            let time = EventTime(i) * 3 + EventTime(rng.next() % 3)
            if time > watermark {
                watermark = time
                drain(watermark)
            }
            let n = Int(rng.next() % 3000)
            // Numbers, and strings of every length from 1 to 44 bytes (beyond 16, compared
            // through their key).
            let value: Val = n % 3 == 0 ? .long(Int64(n)) : .string(String(repeating: "x", count: n % 41) + "\(n)")
            times[GroupKey(value)!, default: []].append(time)
            offer(value, at: time, &store, &timers)
        }
        drain(.max)
        #expect(store.openCount == 0)
        #expect(store.peakOpenCount > 500)
        // The expected windows, from each group's event times alone.
        var expected: [GroupKey: [Window: Int64]] = [:]
        for (group, ts) in times {
            if case .session(let gap) = spec {
                var session: Session?
                for t in ts {
                    if let s = session, s.admits(t) {
                        session!.add(t)
                    } else {
                        if let s = session { expected[group, default: [:]][s.window] = Int64(ts.filter { s.window.contains($0) }.count) }
                        session = Session(at: t, gap: gap)
                    }
                }
                if let s = session { expected[group, default: [:]][s.window] = Int64(ts.filter { s.window.contains($0) }.count) }
            } else {
                for t in ts { for w in spec.windows(containing: t) { expected[group, default: [:]][w, default: 0] += 1 } }
            }
        }
        #expect(fired == expected)
    }

    /// A window's cause is its last event's id and correlation id, whatever their length (ids
    /// beyond 32 bytes are kept apart from short ones), also across a snapshot.
    @Test func causeOfAnyLengthSurvivesASnapshot() throws {
        let long = String(repeating: "x", count: 40) + "-é"
        let cases: [(id: String, correlation: String?)] = [
            (long, nil), ("short", long), (long + "2", "c"), ("", nil), ("s", nil), (long, ""),
        ]
        for (id, correlation) in cases {
            var store = WindowStore(spec: .tumbling(size: 100), functions: [.count])
            var refs: [WindowRef] = []
            store.route(group: .all, time: 1) { ref, _ in refs.append(ref) }
            store.setCause(id: long + "first", correlationId: "first correlation")
            store.route(group: .all, time: 2) { ref, _ in refs.append(ref) }
            store.setCause(id: id, correlationId: correlation)
            let restored = try JSONDecoder().decode(WindowStore.self, from: JSONEncoder().encode(store))
            for var copy in [store, restored] {
                let fired = copy.fire(refs[0], due: 99) { _, _ in }
                #expect(fired?.lastEventId == id)
                #expect(fired?.lastCorrelationId == correlation)
            }
        }
    }
}
