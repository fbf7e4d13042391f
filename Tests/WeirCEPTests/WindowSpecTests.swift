import Testing
import WeirCore
@testable import WeirCEP

/// Window membership (LANGUAGE.md section 3): half-open, aligned to the epoch.
@Suite struct WindowSpecTests {
    static let hour: Int64 = 3_600_000
    static let minute: Int64 = 60_000
    static let tenAM = Timestamp(rfc3339: "2026-03-01T10:00:00.000Z")!.eventTime

    func windows(_ spec: WindowSpec, _ t: Int64) -> [Window] { Array(spec.windows(containing: t)) }

    /// A 1h tumbling window starts on the hour.
    @Test func tumblingAlignsToTheEpoch() {
        let t = Timestamp(rfc3339: "2026-03-01T10:17:42.123Z")!.eventTime
        #expect(windows(.tumbling(size: Self.hour), t) == [Window(start: Self.tenAM, end: Self.tenAM + Self.hour)])
    }

    /// Half-open: an event at exactly the end opens the next window; one at the start is inside.
    @Test func tumblingEdgesAreHalfOpen() {
        let spec = WindowSpec.tumbling(size: Self.hour)
        #expect(windows(spec, Self.tenAM).first?.start == Self.tenAM)
        #expect(windows(spec, Self.tenAM + Self.hour - 1).first?.start == Self.tenAM)
        #expect(windows(spec, Self.tenAM + Self.hour).first?.start == Self.tenAM + Self.hour)
    }

    /// Times before 1970 floor (toward negative infinity), not truncate toward zero.
    @Test func tumblingFloorsNegativeTimes() {
        let spec = WindowSpec.tumbling(size: 1000)
        #expect(windows(spec, -1) == [Window(start: -1000, end: 0)])
        #expect(windows(spec, -1000) == [Window(start: -1000, end: 0)])
        #expect(windows(spec, -1001) == [Window(start: -2000, end: -1000)])
        #expect(windows(spec, 0) == [Window(start: 0, end: 1000)])
    }

    /// SLIDING d EVERY s: every window starting at a multiple of s with start <= t < start + d.
    @Test func slidingGivesEveryContainingWindow() {
        let spec = WindowSpec.sliding(size: 10 * Self.minute, every: 5 * Self.minute)
        let t = Self.tenAM + 7 * Self.minute
        #expect(windows(spec, t) == [
            Window(start: Self.tenAM, end: Self.tenAM + 10 * Self.minute),
            Window(start: Self.tenAM + 5 * Self.minute, end: Self.tenAM + 15 * Self.minute),
        ])
    }

    @Test func slidingEdges() {
        let spec = WindowSpec.sliding(size: 10, every: 5)
        // At a step boundary: the window ending there is excluded, the one starting there included.
        #expect(windows(spec, 10) == [Window(start: 5, end: 15), Window(start: 10, end: 20)])
        #expect(windows(spec, 9) == [Window(start: 0, end: 10), Window(start: 5, end: 15)])
        #expect(windows(spec, -1) == [Window(start: -10, end: 0), Window(start: -5, end: 5)])
    }

    /// A size that is not a multiple of the step: ceil(size / every) or floor(...) windows.
    @Test func slidingWithUnevenStep() {
        let spec = WindowSpec.sliding(size: 10, every: 4)
        #expect(windows(spec, 8) == [Window(start: 0, end: 10), Window(start: 4, end: 14), Window(start: 8, end: 18)])
        #expect(windows(spec, 11) == [Window(start: 4, end: 14), Window(start: 8, end: 18)])
    }

    /// Matches a brute-force definition over a range of times and specifications.
    @Test func slidingMatchesTheDefinition() {
        for (size, every) in [(Int64(10), Int64(10)), (10, 3), (7, 7), (12, 5), (5, 1)] {
            let spec = WindowSpec.sliding(size: size, every: every)
            for t in Int64(-40)...40 {
                let expected = (Int64(-100)...100)
                    .filter { $0 % every == 0 && $0 <= t && t < $0 + size }.map { Window(start: $0, end: $0 + size) }
                #expect(windows(spec, t) == expected, "size \(size) every \(every) at \(t)")
            }
        }
    }

    @Test func validation() {
        #expect(WindowSpec.tumbling(size: 1).problem == nil)
        #expect(WindowSpec.tumbling(size: 0).problem == .nonPositiveDuration)
        #expect(WindowSpec.tumbling(size: -5).problem == .nonPositiveDuration)
        #expect(WindowSpec.session(gap: 0).problem == .nonPositiveDuration)
        #expect(WindowSpec.sliding(size: 10, every: 0).problem == .nonPositiveDuration)
        #expect(WindowSpec.sliding(size: 0, every: 1).problem == .nonPositiveDuration)
        #expect(WindowSpec.sliding(size: 10, every: 10).problem == nil)
        #expect(WindowSpec.sliding(size: 10, every: 11).problem == .stepLargerThanSize)
    }

    /// A sliding window of more than 10,000 steps would make every event update that many.
    @Test func tooManyWindowsPerEvent() {
        #expect(WindowSpec.sliding(size: Self.hour, every: 1000).problem == nil)
        #expect(WindowSpec.sliding(size: 10_000, every: 1).problem == nil)
        #expect(WindowSpec.sliding(size: 10_001, every: 1).problem == .tooManyWindowsPerEvent)
        #expect(WindowSpec.sliding(size: .max, every: 1).problem == .tooManyWindowsPerEvent)
    }

    /// Sessions and invalid specifications assign no fixed window.
    @Test func sessionAndInvalidAssignNothing() {
        #expect(windows(.session(gap: 10), 5).isEmpty)
        #expect(windows(.tumbling(size: 0), 5).isEmpty)
        #expect(windows(.sliding(size: 5, every: 10), 5).isEmpty)
    }

    /// Extreme sizes and times never trap: windows that do not fit Int64 are not assigned.
    @Test func extremesDoNotTrap() {
        #expect(windows(.tumbling(size: .max), 5) == [Window(start: 0, end: .max)])
        #expect(windows(.tumbling(size: .max), -5) == [Window(start: -.max, end: 0)])
        #expect(windows(.tumbling(size: 1000), .max).isEmpty)
        #expect(windows(.tumbling(size: 1000), .min).isEmpty)  // its window would start before Int64.min
        #expect(windows(.tumbling(size: 1000), .min + 1000) == [Window(start: .min + 808, end: .min + 1808)])
        #expect(windows(.tumbling(size: 3), .min).isEmpty)
    }

    @Test func windowDueIsItsLastInstant() {
        let w = Window(start: 0, end: 100)
        #expect(w.due == 99)
        #expect(w.contains(0) && w.contains(99) && !w.contains(100))
    }
}

/// SESSION GAP g: [first, last + g) per group; an event at exactly last + g starts a new one.
@Suite struct SessionTests {
    @Test func sessionSpansFirstToLastPlusGap() {
        var s = Session(at: 100, gap: 30)
        #expect(s.window == Window(start: 100, end: 130))
        #expect(s.admits(129))
        s.add(129)
        #expect(s.window == Window(start: 100, end: 159))
    }

    @Test func eventAtExactlyLastPlusGapStartsANewSession() {
        let s = Session(at: 100, gap: 30)
        #expect(!s.admits(130))
    }

    /// An event at the session's last time does not move its end.
    @Test func sameTimeDoesNotExtend() {
        var s = Session(at: 100, gap: 30)
        let moved = s.add(100)
        #expect(!moved)
        #expect(s.window.end == 130)
    }

    /// Out of order within the gap (only if the engine does not reorder): the start moves back.
    @Test func earlierEventMovesTheStartBack() {
        var s = Session(at: 100, gap: 30)
        let moved = s.add(90)
        #expect(!moved)
        #expect(s.window == Window(start: 90, end: 130))
    }

    @Test func endSaturates() {
        let s = Session(at: .max - 1, gap: 30)
        #expect(s.window.end == .max)
    }
}
