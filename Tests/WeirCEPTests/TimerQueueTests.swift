import Testing
@testable import WeirCEP

/// Timers: (due, creation) order, firing strictly after the due instant, cancellation by key.
@Suite struct TimerQueueTests {
    /// A deadline D fires once the watermark is past D: not at D, at D + 1.
    @Test func firesOnlyWhenTheWatermarkIsPastDue() {
        var timers = TimerQueue<String, String>()
        timers.schedule("d", due: 100)
        #expect(timers.popDue(watermark: 100) == nil)
        #expect(timers.popDue(watermark: 101)?.payload == "d")
        #expect(timers.isEmpty)
    }

    /// A window [start, end) is scheduled at end - 1, so it fires once watermark >= end.
    @Test func windowDueIsEndMinusOne() {
        var timers = TimerQueue<String, String>()
        let window = Window(start: 0, end: 60_000)
        timers.schedule("w", due: window.due)
        #expect(timers.popDue(watermark: 59_999) == nil)
        #expect(timers.popDue(watermark: 60_000)?.payload == "w")
    }

    /// Past-due timers fire in (due, creation) order.
    @Test func ordersByDueThenCreation() {
        var timers = TimerQueue<String, String>()
        timers.schedule("b1", due: 20)
        timers.schedule("a", due: 10)
        timers.schedule("b2", due: 20)
        timers.schedule("c", due: 30)
        timers.schedule("b3", due: 20)
        var fired: [String] = []
        while let t = timers.popDue(watermark: 1000) { fired.append(t.payload) }
        #expect(fired == ["a", "b1", "b2", "b3", "c"])
    }

    @Test func cancelledTimerNeverFires() {
        var timers = TimerQueue<String, String>()
        timers.schedule("x", due: 10, key: "k")
        timers.schedule("y", due: 20)
        let cancelled = timers.cancel(key: "k")
        let again = timers.cancel(key: "k")
        #expect(cancelled)
        #expect(!again)
        #expect(timers.count == 1)
        #expect(timers.popDue(watermark: 1000)?.payload == "y")
        #expect(timers.popDue(watermark: 1000) == nil)
    }

    /// Scheduling under a key replaces its pending timer: the stale one does nothing.
    @Test func reschedulingAKeyReplacesItsTimer() {
        var timers = TimerQueue<String, String>()
        timers.schedule("first", due: 10, key: "k")
        timers.schedule("second", due: 50, key: "k")
        #expect(timers.count == 1)
        let next = timers.nextDue()
        #expect(next == 50)
        #expect(timers.popDue(watermark: 20) == nil)
        let t = timers.popDue(watermark: 51)
        #expect(t?.payload == "second")
        #expect(t?.key == "k")
        #expect(!timers.isScheduled(key: "k"))
    }

    /// Many cancellations compact the heap without changing what fires.
    @Test func compactionKeepsLiveTimers() {
        var timers = TimerQueue<Int, Int>()
        for i in 0..<1000 { timers.schedule(i, due: Int64(1000 - i), key: i) }
        for i in 0..<1000 where i % 10 != 0 { timers.cancel(key: i) }
        #expect(timers.count == 100)
        var fired: [Int] = []
        while let t = timers.popDue(watermark: .max) { fired.append(t.payload) }
        #expect(fired == stride(from: 990, through: 0, by: -10).map { $0 })
    }

    /// A snapshot keeps live timers, their order and the creation counter.
    @Test func snapshotRoundTrips() throws {
        var timers = TimerQueue<String, String>()
        timers.schedule("a", due: 20, key: "ka")
        timers.schedule("stale", due: 5, key: "kb")
        timers.schedule("b", due: 20, key: "kb")
        var restored = try roundTrip(timers)
        var original = timers
        restored.schedule("c", due: 20)
        original.schedule("c", due: 20)
        var a: [TimerQueue<String, String>.Timer] = []
        var b: [TimerQueue<String, String>.Timer] = []
        while let t = original.popDue(watermark: .max) { a.append(t) }
        while let t = restored.popDue(watermark: .max) { b.append(t) }
        #expect(a == b)
        #expect(b.map(\.payload) == ["a", "b", "c"])
    }
}

/// The engine loop: released events and due timers interleaved in event-time order.
@Suite struct EventTimeSchedulerTests {
    enum Item: Equatable { case event(Int64, String), timer(String) }

    func drain(_ s: inout EventTimeScheduler<String, String, String>) -> [Item] {
        var out: [Item] = []
        while let step = s.next() {
            switch step {
            case .event(let time, let e): out.append(.event(time, e))
            case .timer(let t): out.append(.timer(t.payload))
            }
        }
        return out
    }

    /// A timer past due fires before the event that moved the watermark past it.
    @Test func timerFiresBeforeTheEventThatPassedIt() {
        var s = EventTimeScheduler<String, String, String>()
        s.timers.schedule("deadline 100", due: 100)
        s.events.insert("at 100", at: 100)
        #expect(drain(&s) == [.event(100, "at 100")])
        s.events.insert("at 101", at: 101)
        #expect(drain(&s) == [.timer("deadline 100"), .event(101, "at 101")])
    }

    /// With lateness, held events before a deadline are processed before it fires, even when the
    /// watermark is already past it: an event at exactly the deadline still counts inside.
    @Test func heldEventsAtOrBeforeDueGoFirst() {
        var s = EventTimeScheduler<String, String, String>(lateness: 50)
        s.timers.schedule("window [0,100)", due: 99)
        s.events.insert("e99", at: 99)
        s.events.insert("e100", at: 100)
        s.events.insert("e80", at: 80)
        #expect(drain(&s) == [])  // watermark 50
        s.events.insert("e200", at: 200)  // watermark 150
        #expect(drain(&s) == [.event(80, "e80"), .event(99, "e99"), .timer("window [0,100)"), .event(100, "e100")])
    }

    /// Timers scheduled while handling a step take part in the same drain.
    @Test func timersScheduledDuringTheDrainFireInOrder() {
        var s = EventTimeScheduler<String, String, String>(lateness: 100)
        s.events.insert("e10", at: 10)
        s.events.insert("e30", at: 30)
        s.events.insert("e200", at: 200)  // watermark 100
        var out: [Item] = []
        while let step = s.next() {
            switch step {
            case .event(let time, let e):
                out.append(.event(time, e))
                if e == "e10" { s.timers.schedule("t20", due: 20) }
            case .timer(let t): out.append(.timer(t.payload))
            }
        }
        #expect(out == [.event(10, "e10"), .timer("t20"), .event(30, "e30")])
    }

    /// End of input: flush fires every pending timer after the held events before it.
    @Test func flushDrainsEverything() {
        var s = EventTimeScheduler<String, String, String>(lateness: 1000)
        s.events.insert("e5", at: 5)
        s.timers.schedule("t1", due: 1)
        s.timers.schedule("t500", due: 500)
        #expect(drain(&s) == [])
        s.flush()
        #expect(drain(&s) == [.timer("t1"), .event(5, "e5"), .timer("t500")])
    }

    /// Without a flush (`--no-flush`), pending timers stay pending at the end.
    @Test func withoutFlushTimersStayPending() {
        var s = EventTimeScheduler<String, String, String>()
        s.events.insert("e5", at: 5)
        s.timers.schedule("t500", due: 500)
        #expect(drain(&s) == [.event(5, "e5")])
        #expect(s.timers.count == 1)
    }
}
