import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A source of the current instant, for the engine's processing-time mode (idle advance, the
/// wall clock of live streams). Event-time processing never reads a clock: rules depend on the
/// `time` of the events only.
///
/// Named like the standard library's `_Concurrency.Clock`, which it shadows in modules that
/// import WeirCore; spell `_Concurrency.Clock` for the other one.
///
/// ```swift
/// let clock = ManualClock(now: Timestamp(rfc3339: "2026-01-01T10:00:00Z")!)
/// clock.advance(by: TimeSpan(milliseconds: 1500))
/// clock.now.rfc3339      // "2026-01-01T10:00:01.500Z"
/// ```
public protocol Clock: Sendable {
    /// The current instant.
    var now: Timestamp { get }
}

/// The wall clock (`CLOCK_REALTIME`): the only place Weir reads the time of day.
public struct SystemClock: Clock {
    /// A wall clock.
    public init() {}

    /// The current UTC instant, with the system clock's precision (nanoseconds on Linux).
    public var now: Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(seconds: Int64(spec.tv_sec), nanoseconds: Int32(spec.tv_nsec))
    }
}

/// A clock that moves only when told to, for tests and embedders that drive time themselves.
///
/// It is a class so that every holder sees the same instant (the engine and the test that
/// advances it); a lock makes it safe to read and advance from any thread. It never moves
/// backwards: `advance(to:)` an earlier instant does nothing.
public final class ManualClock: Clock {
    private let instant: Mutex<Timestamp>

    /// A clock standing at `now` (the Unix epoch by default).
    public init(now: Timestamp = Timestamp(seconds: 0)) {
        instant = Mutex(now)
    }

    /// The instant the clock stands at.
    public var now: Timestamp { instant.withLock { $0 } }

    /// Moves the clock forward to `time`; an instant at or before the current one leaves it
    /// where it is. Returns the instant the clock then stands at.
    @discardableResult
    public func advance(to time: Timestamp) -> Timestamp {
        instant.withLock { current in
            if time > current { current = time }
            return current
        }
    }

    /// Moves the clock forward by `span` (a negative span does nothing). Returns the new instant.
    @discardableResult
    public func advance(by span: TimeSpan) -> Timestamp {
        instant.withLock { current in
            if span.milliseconds > 0 { current = current.adding(milliseconds: span.milliseconds) }
            return current
        }
    }
}

extension Timestamp {
    /// This instant moved by `milliseconds` (saturating at the ends of the representable range).
    public func adding(milliseconds: Int64) -> Timestamp {
        let (q, r) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        var nanos = Int64(nanoseconds) + r * 1_000_000
        var secs = q
        if nanos < 0 {
            nanos += 1_000_000_000
            secs -= 1
        } else if nanos >= 1_000_000_000 {
            nanos -= 1_000_000_000
            secs += 1
        }
        let (sum, overflow) = seconds.addingReportingOverflow(secs)
        if overflow { return secs > 0 ? Timestamp(seconds: .max, nanoseconds: 999_999_999) : Timestamp(seconds: .min) }
        return Timestamp(seconds: sum, nanoseconds: Int32(nanos))
    }
}
