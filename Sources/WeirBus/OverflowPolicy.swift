/// What the bus does when a subscriber falls behind: an event matches its subscription while
/// its buffer is full.
public enum OverflowPolicy: Sendable, Hashable {
    /// `publish` suspends until the subscriber takes an event and there is room (backpressure):
    /// nothing is lost, and the publisher goes at the slowest waiting subscriber's pace.
    /// Counted in `SubscriptionCounters.waits`.
    case wait
    /// The oldest buffered event is dropped to make room: the subscriber sees the newest
    /// events. Counted in `SubscriptionCounters.dropped`.
    case dropOldest
    /// The subscription ends: the subscriber receives the events already buffered, then
    /// `BusError.overflow`. The event that did not fit is dead-lettered.
    case fail
}
