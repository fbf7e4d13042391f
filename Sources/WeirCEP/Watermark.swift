import WeirCore

/// Event time as the engine sees it: milliseconds since the Unix epoch, `Int64`.
///
/// The engine works in whole milliseconds (`Timestamp.milliseconds`, rounded toward negative
/// infinity): windows, durations and RFC 3339 output (`window.start`) are all in milliseconds,
/// and two events in the same millisecond keep their arrival order.
public typealias EventTime = Int64

/// The event-time clock of a stream: the largest event time seen and the watermark derived from
/// it (LANGUAGE.md section 5).
///
/// The watermark is the largest event time seen minus the allowed lateness; it never moves
/// backwards. Before any event there is no watermark (`watermark == .min`), so nothing is late
/// and no timer is due. An event is late only if its time is before the watermark
/// (`time < watermark`): an event exactly at the watermark is on time.
public struct EventTimeTracker: Sendable, Hashable, Codable {
    /// The allowed lateness in milliseconds (0 or more).
    public let lateness: Int64
    /// The largest event time seen, if any.
    public private(set) var maxEventTime: EventTime?
    /// The watermark: `EventTime.min` until the first event (or advance).
    public private(set) var watermark: EventTime = .min

    /// A tracker allowing `lateness` milliseconds (a negative lateness counts as 0).
    public init(lateness: Int64 = 0) {
        self.lateness = max(0, lateness)
    }

    /// Whether an event at `time` is late: strictly before the watermark.
    @inline(__always)
    public func isLate(_ time: EventTime) -> Bool { time < watermark }

    /// Records an event at `time` (late or not) and moves the watermark to
    /// `max(watermark, largest time - lateness)`. Returns the watermark.
    @discardableResult
    public mutating func observe(_ time: EventTime) -> EventTime {
        if let m = maxEventTime, m >= time { return watermark }
        maxEventTime = time
        let (w, overflow) = time.subtractingReportingOverflow(lateness)
        let candidate = overflow ? EventTime.min : w
        if candidate > watermark { watermark = candidate }
        return watermark
    }

    /// Moves the watermark forward to `time` (processing-time idle advance, or an embedder's
    /// explicit advance); an earlier time does nothing. Returns the watermark.
    @discardableResult
    public mutating func advance(to time: EventTime) -> EventTime {
        if time > watermark { watermark = time }
        return watermark
    }

    /// End of a finite input: the watermark moves past every deadline (`EventTime.max`).
    public mutating func flush() { watermark = .max }

    /// The time the engine gives an event without a `time` attribute: the current watermark, so
    /// that it is processed in its arrival position, is never late and moves nothing. Nil before
    /// the first timed event, when there is no watermark yet.
    public var untimedEventTime: EventTime? { watermark == .min ? nil : watermark }
}

extension Timestamp {
    /// The instant as engine event time (whole milliseconds, rounded down).
    public var eventTime: EventTime { milliseconds }
}
