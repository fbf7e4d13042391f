/// One SESSION GAP window of one group: [first, last + gap) of its events (LANGUAGE.md
/// section 3). Two events are in one session when they are less than `gap` apart: an event at
/// exactly `last + gap` starts a new session.
///
/// Assumption: the engine offers a group's events in non-decreasing time (the `ReorderBuffer`
/// releases them in time order and drops late ones), and fires a session once the watermark
/// reaches its end, before any event at or after that end is offered (`EventTimeScheduler`).
/// So a session only grows at its end. An event before `first` (possible only when the
/// engine feeds events out of order) joins and moves the start back; sessions are never
/// merged or split after the fact.
package struct Session: Hashable, Sendable, Codable {
    /// The earliest event time in the session.
    package private(set) var first: EventTime
    /// The latest event time in the session.
    package private(set) var last: EventTime
    package let gap: Int64

    /// A session opened by an event at `time`.
    package init(at time: EventTime, gap: Int64) {
        first = time
        last = time
        self.gap = gap
    }

    /// The session's window, [first, last + gap), saturating at `EventTime.max`.
    package var window: Window {
        let (end, overflow) = last.addingReportingOverflow(gap)
        return Window(start: first, end: overflow ? .max : end)
    }

    /// Whether an event at `time` belongs to this session (`time < last + gap`).
    package func admits(_ time: EventTime) -> Bool { time < window.end }

    /// Adds an event the session admits; returns whether its end moved.
    @discardableResult
    package mutating func add(_ time: EventTime) -> Bool {
        if time < first { first = time }
        guard time > last else { return false }
        last = time
        return true
    }
}
