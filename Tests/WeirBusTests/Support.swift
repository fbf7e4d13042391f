import Weir

/// An event of `type` with `data`, identified by `id` and `source`.
func event(_ type: String, id: String, source: String = "/test", data: JSONValue? = nil) -> Event {
    try! Event(id: id, source: source, type: type, data: data)
}

/// Every event a subscription yields until it ends (read after publishing and closing).
func collect(_ subscription: Subscription) async throws(BusError) -> [Event] {
    var events: [Event] = []
    for try await event in subscription { events.append(event) }
    return events
}

/// The ids of events, in order.
func ids(_ events: [Event]) -> [String] { events.map(\.id) }

/// Collects values from concurrent tasks, in the order they arrive.
actor Recorder<Value: Sendable> {
    private(set) var values: [Value] = []
    func append(_ value: Value) { values.append(value) }
}

/// A `sleep` for the bus that never sleeps: it records each wait and advances the clock by it.
func recordingSleep(_ clock: ManualClock, into waits: Recorder<Int64>) -> EventBus.Sleep {
    { span in
        await waits.append(span.milliseconds)
        clock.advance(by: span)
    }
}

/// An error a test handler throws, saying on which attempt.
struct HandlerFailure: Error, Equatable, CustomStringConvertible {
    var attempt: Int
    var description: String { "attempt \(attempt) failed" }
}

/// Counts the calls of a handler per event id.
actor AttemptCounter {
    private var counts: [String: Int] = [:]
    func next(_ id: String) -> Int {
        counts[id, default: 0] += 1
        return counts[id]!
    }
}
