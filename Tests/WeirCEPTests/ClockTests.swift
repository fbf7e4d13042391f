import Testing
import WeirCore

/// The `Clock` protocol and its two clocks.
@Suite struct ClockTests {
    static let start = Timestamp(rfc3339: "2026-01-01T10:00:00.000Z")!

    @Test func manualClockStandsStillUntilAdvanced() {
        let clock = ManualClock(now: Self.start)
        #expect(clock.now == Self.start)
        #expect(clock.now == Self.start)
    }

    @Test func manualClockAdvancesToAnInstant() {
        let clock = ManualClock(now: Self.start)
        let later = Timestamp(rfc3339: "2026-01-01T10:00:05.250Z")!
        #expect(clock.advance(to: later) == later)
        #expect(clock.now.rfc3339 == "2026-01-01T10:00:05.250Z")
    }

    /// A manual clock never moves backwards.
    @Test func manualClockIgnoresAnEarlierInstant() {
        let clock = ManualClock(now: Self.start)
        clock.advance(to: Timestamp(rfc3339: "2026-01-01T09:00:00Z")!)
        #expect(clock.now == Self.start)
        clock.advance(by: TimeSpan(milliseconds: -5))
        #expect(clock.now == Self.start)
    }

    @Test func manualClockAdvancesBySpansAcrossSeconds() {
        let clock = ManualClock(now: Timestamp(milliseconds: 999))
        clock.advance(by: TimeSpan(milliseconds: 2))
        #expect(clock.now == Timestamp(milliseconds: 1001))
        clock.advance(by: TimeSpan(parsing: "1h30m")!)
        #expect(clock.now.milliseconds == 1001 + 5_400_000)
    }

    /// Every holder of a manual clock sees the same instant (it is a reference), from any task.
    @Test func manualClockIsSharedAcrossTasks() async {
        let clock = ManualClock(now: Timestamp(milliseconds: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { for _ in 0..<100 { clock.advance(by: TimeSpan(milliseconds: 1)) } } }
        }
        #expect(clock.now.milliseconds == 800)
    }

    @Test func systemClockReadsTheWallClock() {
        let clock: any Clock = SystemClock()
        // After 2020-01-01 and before 2200-01-01: a wall clock, not a counter from zero.
        #expect(clock.now > Timestamp(rfc3339: "2020-01-01T00:00:00Z")!)
        #expect(clock.now < Timestamp(rfc3339: "2200-01-01T00:00:00Z")!)
        #expect((0..<1_000_000_000).contains(clock.now.nanoseconds))
    }

    @Test func addingMillisecondsBorrowsAndSaturates() {
        #expect(Timestamp(milliseconds: 1000).adding(milliseconds: -1) == Timestamp(milliseconds: 999))
        #expect(Timestamp(milliseconds: -1).adding(milliseconds: 1) == Timestamp(milliseconds: 0))
        #expect(Timestamp(seconds: .max).adding(milliseconds: 1000).seconds == .max)
    }
}
