import WeirCore

/// What a compiled expression evaluates over: the current event (if any) plus values by slot,
/// each name resolved to its slot at compile time (no lookup by name per evaluation).
///
/// Slots of an AGGREGATE's fire time (`FireActivation`): 0 is `key`, 1 `window.start`, 2
/// `window.end`, then one slot per aggregate call (`AggregatePlan.aggregates`, in order).
/// PATTERN and SAGA add their bound events and values the same way.
package protocol Activation: EventSource {
    /// The value in slot `i`; `.error(.missingAttribute)` when nothing is bound there.
    func slot(_ i: Int) -> Val
}

/// The slot layout at an AGGREGATE's fire time.
enum FireSlot {
    static let key = 0
    static let windowStart = 1
    static let windowEnd = 2
    /// The slot of the aggregate call at `index` in `AggregatePlan.aggregates`.
    static func aggregate(_ index: Int) -> Int { 3 + index }
}

extension EventView: Activation {
    @inline(__always)
    package func slot(_ i: Int) -> Val { .error(.missingAttribute) }
}

extension DocumentView: Activation {
    @inline(__always)
    package func slot(_ i: Int) -> Val { .error(.missingAttribute) }
}

/// An event plus slot values, for declarations that bind values while they read an event.
/// Valid while `slots` is.
package struct EventActivation<E: EventSource>: Activation {
    package let event: E
    package let slots: UnsafeBufferPointer<Val>

    package init(event: E, slots: UnsafeBufferPointer<Val>) {
        self.event = event
        self.slots = slots
    }

    @inline(__always) package func value(at path: FieldPath) -> Val { event.value(at: path) }
    @inline(__always) package func contains(_ path: FieldPath) -> Bool { event.contains(path) }
    @inline(__always) package func containerCount(at path: FieldPath) -> Int? { event.containerCount(at: path) }

    @inline(__always)
    package func slot(_ i: Int) -> Val { i < slots.count ? slots[i] : .error(.missingAttribute) }
}

/// What HAVING and an aggregate's EMIT read when a window fires: no current event.
package struct FireContext {
    /// The GROUP BY value (`.error(.missingAttribute)` with no GROUP BY).
    package var key: Val
    /// Milliseconds since the Unix epoch.
    package var windowStart: Int64
    /// Milliseconds since the Unix epoch, exclusive.
    package var windowEnd: Int64
    /// The results of `AggregatePlan.aggregates`, in the same order.
    package var aggregates: [Val]
    /// The last event of the window (for the engine's `causationid`); expressions cannot read it.
    package var lastEvent: Event?

    package init(key: Val, windowStart: Int64, windowEnd: Int64, aggregates: [Val], lastEvent: Event? = nil) {
        self.key = key
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.aggregates = aggregates
        self.lastEvent = lastEvent
    }
}

/// The evaluator's view of a `FireContext`: slots only; every event read is missing (the
/// checker refuses event reads outside aggregates at fire time).
struct FireActivation: Activation {
    let key: Val
    let windowStart: Int64
    let windowEnd: Int64
    let aggregates: UnsafeBufferPointer<Val>

    func value(at path: FieldPath) -> Val { .error(.missingAttribute) }
    func contains(_ path: FieldPath) -> Bool { false }
    func containerCount(at path: FieldPath) -> Int? { nil }

    func slot(_ i: Int) -> Val {
        switch i {
        case FireSlot.key: return key
        case FireSlot.windowStart: return .string(Timestamp(milliseconds: windowStart).rfc3339)
        case FireSlot.windowEnd: return .string(Timestamp(milliseconds: windowEnd).rfc3339)
        default:
            let a = i - FireSlot.aggregate(0)
            return a < aggregates.count ? aggregates[a] : .error(.missingAttribute)
        }
    }
}

extension FireContext {
    /// Runs `body` with the evaluator's view of this context.
    func withActivation<R>(_ body: (FireActivation) -> R) -> R {
        aggregates.withUnsafeBufferPointer {
            body(FireActivation(key: key, windowStart: windowStart, windowEnd: windowEnd, aggregates: $0))
        }
    }
}

extension NoEvent: Activation {
    func slot(_ i: Int) -> Val { .error(.missingAttribute) }
}
