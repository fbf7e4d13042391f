/// Interleaves the events a `ReorderBuffer` releases with the timers a `TimerQueue` fires, in
/// event-time order: the engine's main loop.
///
/// Once the watermark is W, the ready events (time <= W) and the due timers (due < W) are
/// merged by time; an event at or before a timer's `due` goes first (an event exactly at a
/// deadline still counts inside it), otherwise the timer fires first (every timer past due
/// fires before the event that passed it). Timers scheduled while a step is handled take part
/// in the next call, so the engine loops:
///
/// ```swift
/// scheduler.events.insert(event, at: t)            // or .late: to the late output
/// while let step = scheduler.next() {
///     switch step {
///     case .event(let time, let event): offer(event, at: time)   // may schedule timers
///     case .timer(let timer): fire(timer)
///     }
/// }
/// ```
/// At the end of a finite input, `flush()` then the same loop drains everything. Public with
/// `@inlinable` members for the reason `ReorderBuffer` gives.
public struct EventTimeScheduler<Element, Key: Hashable, Payload> {
    /// One step of the loop.
    public enum Step {
        case event(time: EventTime, element: Element)
        case timer(TimerQueue<Key, Payload>.Timer)
    }

    /// The held events and the event-time clock.
    public var events: ReorderBuffer<Element>
    /// The pending timers.
    public var timers: TimerQueue<Key, Payload>

    /// An empty scheduler allowing `lateness` milliseconds.
    @inlinable
    public init(lateness: Int64 = 0) {
        events = ReorderBuffer(lateness: lateness)
        timers = TimerQueue()
    }

    /// The watermark.
    @inlinable
    public var watermark: EventTime { events.watermark }

    /// The next event to process or timer to fire at the current watermark, or nil.
    @inlinable
    public mutating func next() -> Step? {
        let w = events.watermark
        let eventTime = events.nextReadyTime
        let timerDue = timers.nextDue().flatMap { $0 < w ? $0 : nil }
        switch (eventTime, timerDue) {
        case (nil, nil): return nil
        case (let t?, let d?) where t > d: break
        case (.some, _):
            guard let (time, element) = events.popReady() else { return nil }
            return .event(time: time, element: element)
        case (nil, .some): break
        }
        return timers.popDue(watermark: w).map { .timer($0) }
    }

    /// End of input: the watermark moves past every deadline; `next()` then drains all.
    @inlinable
    public mutating func flush() { events.flush() }
}

extension EventTimeScheduler: Sendable where Element: Sendable, Key: Sendable, Payload: Sendable {}
extension EventTimeScheduler.Step: Sendable where Element: Sendable, Key: Sendable, Payload: Sendable {}
extension EventTimeScheduler: Codable where Element: Codable, Key: Codable, Payload: Codable {}
