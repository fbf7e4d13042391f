/// A window [start, end) in event time (milliseconds since the epoch), half-open.
package struct Window: Hashable, Sendable, Codable, CustomStringConvertible {
    package var start: EventTime
    package var end: EventTime

    package init(start: EventTime, end: EventTime) {
        self.start = start
        self.end = end
    }

    /// Whether `time` is inside: `start <= time < end`.
    package func contains(_ time: EventTime) -> Bool { start <= time && time < end }

    /// The timer instant for `TimerQueue`: the window fires once the watermark is past its last
    /// instant, `end - 1`, that is once `watermark >= end`.
    package var due: EventTime { end &- 1 }

    package var description: String { "[\(start), \(end))" }
}

/// The WINDOW clause of an AGGREGATE, durations in milliseconds (LANGUAGE.md section 3).
///
/// - `tumbling(size:)`: [k·size, (k+1)·size), aligned to the Unix epoch (a 1h window starts on
///   the hour; times before 1970 floor correctly).
/// - `sliding(size:every:)`: a window starts at every multiple of `every` and lasts `size`; an
///   event belongs to every window that contains it (`ceil(size / every)` of them at most).
/// - `session(gap:)`: per group, [first, last + gap); `SessionTracker` assigns those.
package enum WindowSpec: Hashable, Sendable, Codable {
    case tumbling(size: Int64)
    case sliding(size: Int64, every: Int64)
    case session(gap: Int64)

    /// Why a specification is invalid (the checker words the diagnostic).
    package enum Problem: Hashable, Sendable {
        /// A size, step or gap that is zero or negative.
        case nonPositiveDuration
        /// A SLIDING step larger than its size (events between windows would fall in none).
        case stepLargerThanSize
        /// A SLIDING window whose size is more than `maxWindowsPerEvent` steps: every event
        /// would update that many windows.
        case tooManyWindowsPerEvent
    }

    /// The most windows one event may fall into (SLIDING 1h EVERY 1s is 3,600).
    package static let maxWindowsPerEvent: Int64 = 10_000

    /// The specification's first problem, or nil when it is valid.
    package var problem: Problem? {
        switch self {
        case .tumbling(let size): return size > 0 ? nil : .nonPositiveDuration
        case .session(let gap): return gap > 0 ? nil : .nonPositiveDuration
        case .sliding(let size, let every):
            guard size > 0, every > 0 else { return .nonPositiveDuration }
            if every > size { return .stepLargerThanSize }
            return (size - 1) / every + 1 > Self.maxWindowsPerEvent ? .tooManyWindowsPerEvent : nil
        }
    }

    /// Whether this is a session window (assigned per group by `SessionTracker`).
    package var isSession: Bool {
        if case .session = self { return true }
        return false
    }

    /// The windows containing `time`, in start order, without allocating. Empty for a session
    /// specification or an invalid one.
    package func windows(containing time: EventTime) -> WindowsContaining {
        switch self {
        case .tumbling(let size) where size > 0:
            return WindowsContaining(time: time, size: size, every: size)
        case .sliding(let size, let every) where problem == nil:
            return WindowsContaining(time: time, size: size, every: every)
        default:
            return WindowsContaining(empty: ())
        }
    }
}

/// The fixed windows containing one instant: starts at multiples of `every` in
/// (time - size, time], each lasting `size`, in start order. An instant whose windows do not
/// all fit `Int64` belongs to none (unreachable from RFC 3339 times, years 0000-9999).
package struct WindowsContaining: Sequence, IteratorProtocol, Sendable {
    private var start: EventTime = 0
    private var remaining: Int64 = 0
    private var size: Int64 = 1
    private var every: Int64 = 1

    init(time: EventTime, size: Int64, every: Int64) {
        // Starts are last - k·every for k in 0...kmax, where last is the latest multiple of
        // `every` at or before `time`; last - time is in (-every, 0], so no step overflows.
        guard let last = Self.floor(time, every) else { return }
        let kmax = (last - time + (size - 1)) / every
        let (span, o1) = kmax.multipliedReportingOverflow(by: every)
        let (first, o2) = last.subtractingReportingOverflow(span)
        let (_, o3) = last.addingReportingOverflow(size)
        guard !o1, !o2, !o3 else { return }
        self.start = first
        self.size = size
        self.every = every
        remaining = kmax + 1
    }

    init(empty: Void) {}

    /// The largest multiple of `every` (> 0) at or before `t`, or nil when it does not fit.
    static func floor(_ t: EventTime, _ every: Int64) -> EventTime? {
        var (q, r) = t.quotientAndRemainder(dividingBy: every)
        if r < 0 { q -= 1 }
        let (v, overflow) = q.multipliedReportingOverflow(by: every)
        return overflow ? nil : v
    }

    /// How many windows are left.
    package var underestimatedCount: Int { Int(clamping: remaining) }

    package mutating func next() -> Window? {
        guard remaining > 0 else { return nil }
        let window = Window(start: start, end: start + size)
        remaining -= 1
        if remaining > 0 { start += every }
        return window
    }
}
