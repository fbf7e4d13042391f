import Testing
import WeirCore
@testable import WeirCEP
import WeirTestSupport

/// The watermark and the reorder buffer (LANGUAGE.md section 5).
@Suite struct EventTimeTests {
    @Test func noWatermarkBeforeTheFirstEvent() {
        let tracker = EventTimeTracker(lateness: 10)
        #expect(tracker.watermark == .min)
        #expect(!tracker.isLate(.min + 1))
        #expect(tracker.untimedEventTime == nil)
    }

    /// watermark = largest event time seen - allowed lateness.
    @Test func watermarkIsLargestTimeMinusLateness() {
        var tracker = EventTimeTracker(lateness: 10)
        tracker.observe(100)
        #expect(tracker.watermark == 90)
        tracker.observe(95)
        #expect(tracker.watermark == 90)
        #expect(tracker.maxEventTime == 100)
        tracker.observe(130)
        #expect(tracker.watermark == 120)
    }

    /// An event is late only if its time is before the watermark: one exactly at it is on time.
    @Test func lateMeansStrictlyBeforeTheWatermark() {
        var tracker = EventTimeTracker(lateness: 0)
        tracker.observe(100)
        #expect(tracker.isLate(99))
        #expect(!tracker.isLate(100))
    }

    @Test func watermarkNeverMovesBackwards() {
        var tracker = EventTimeTracker(lateness: 0)
        tracker.advance(to: 500)
        tracker.observe(100)
        #expect(tracker.watermark == 500)
        tracker.advance(to: 400)
        #expect(tracker.watermark == 500)
    }

    @Test func negativeLatenessCountsAsZero() {
        var tracker = EventTimeTracker(lateness: -5)
        tracker.observe(100)
        #expect(tracker.watermark == 100)
    }

    @Test func latenessDoesNotUnderflow() {
        var tracker = EventTimeTracker(lateness: .max)
        tracker.observe(-10)
        #expect(tracker.watermark == .min)
    }

    /// An event without `time` takes the watermark: processed where it arrives, never late.
    @Test func untimedEventTakesTheWatermark() {
        var buffer = ReorderBuffer<String>(lateness: 0)
        buffer.insert("a", at: 100)
        let time = buffer.tracker.untimedEventTime!
        #expect(time == 100)
        #expect(buffer.insert("untimed", at: time) == .held)
        #expect(buffer.popReady()! == (100, "a"))
        #expect(buffer.popReady()! == (100, "untimed"))
        #expect(buffer.watermark == 100)
    }

    @Test func zeroLatenessReleasesAtOnce() {
        var buffer = ReorderBuffer<String>()
        #expect(buffer.insert("a", at: 100) == .held)
        #expect(buffer.nextReadyTime == 100)
        #expect(buffer.popReady()! == (100, "a"))
        #expect(buffer.popReady() == nil)
    }

    /// Events within the lateness are held and released in time order.
    @Test func reordersWithinTheLateness() {
        var buffer = ReorderBuffer<String>(lateness: 10)
        buffer.insert("b", at: 105)
        buffer.insert("a", at: 100)
        #expect(buffer.popReady() == nil)  // watermark 95
        buffer.insert("c", at: 120)  // watermark 110
        #expect(drain(&buffer) == ["a", "b"])
        #expect(buffer.count == 1)
    }

    /// Ties leave in arrival order.
    @Test func tiesAreStable() {
        var buffer = ReorderBuffer<Int>(lateness: 5)
        for i in 0..<50 { buffer.insert(i, at: 100 + Int64(i % 3)) }
        buffer.flush()
        let out = drainAll(&buffer)
        let expected = (0..<50).sorted { (100 + $0 % 3, $0) < (100 + $1 % 3, $1) }
        #expect(out == expected)
    }

    /// Beyond the lateness an event is late: not held, and it does not move the watermark.
    @Test func beyondTheLatenessIsLate() {
        var buffer = ReorderBuffer<String>(lateness: 10)
        buffer.insert("c", at: 120)
        #expect(buffer.insert("x", at: 109) == .late)
        #expect(buffer.insert("y", at: 110) == .held)
        #expect(buffer.watermark == 110)
        #expect(buffer.count == 2)
    }

    @Test func flushReleasesEverything() {
        var buffer = ReorderBuffer<String>(lateness: 1000)
        buffer.insert("b", at: 20)
        buffer.insert("a", at: 10)
        #expect(buffer.popReady() == nil)
        buffer.flush()
        #expect(drain(&buffer) == ["a", "b"])
        #expect(buffer.isEmpty)
    }

    @Test func advanceReleasesHeldEvents() {
        var buffer = ReorderBuffer<String>(lateness: 1000)
        buffer.insert("a", at: 10)
        buffer.insert("b", at: 20)
        buffer.advance(to: 15)
        #expect(drain(&buffer) == ["a"])
        #expect(buffer.insert("late", at: 14) == .late)
    }

    /// A random stream, released through the buffer, comes out sorted by (time, arrival) and
    /// every event is either released or late.
    @Test func randomStreamsComeOutSorted() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<50 {
            var buffer = ReorderBuffer<Int>(lateness: Int64(rng.next() % 20))
            var times: [Int64] = []
            var late = 0
            var out: [(Int64, Int)] = []
            for i in 0..<200 {
                let t = Int64(i) + Int64(rng.next() % 30)
                times.append(t)
                if buffer.insert(i, at: t) == .late { late += 1 }
                while let e = buffer.popReady() { out.append(e) }
            }
            buffer.flush()
            while let e = buffer.popReady() { out.append(e) }
            #expect(out.count + late == 200)
            #expect(zip(out, out.dropFirst()).allSatisfy { ($0.0, $0.1) < ($1.0, $1.1) })
            #expect(out.allSatisfy { times[$0.1] == $0.0 })
        }
    }

    @Test func snapshotRoundTrips() throws {
        var buffer = ReorderBuffer<String>(lateness: 10)
        buffer.insert("b", at: 105)
        buffer.insert("a", at: 105)
        var restored = try roundTrip(buffer)
        restored.insert("c", at: 105)
        restored.flush()
        #expect(drain(&restored) == ["b", "a", "c"])
        #expect(restored.insert("z", at: 1) == .late)
    }

    private func drain(_ buffer: inout ReorderBuffer<String>) -> [String] {
        var out: [String] = []
        while let e = buffer.popReady() { out.append(e.element) }
        return out
    }

    private func drainAll(_ buffer: inout ReorderBuffer<Int>) -> [Int] {
        var out: [Int] = []
        while let e = buffer.popReady() { out.append(e.element) }
        return out
    }
}


import Foundation

func roundTrip<T: Codable>(_ value: T) throws -> T {
    try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(value))
}
