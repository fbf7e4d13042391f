import WeirCore
import WeirSyntax

/// One subscription's side of the bus: what it listens to, its buffer, and who waits on it
/// (its consumer for an event, a publisher for room). Mutated only inside the bus actor.
struct SubscriberState {
    let patterns: [EventTypePattern]
    let filter: EventFilter?
    let capacity: Int
    let overflow: OverflowPolicy
    var buffer = Ring<Event>()
    /// Consumers suspended in `next()`: resumed with an event handed over directly, or with
    /// nil to look at the state again (room for a waiting publisher, the subscription ended).
    var consumers: [CheckedContinuation<Event?, Never>] = []
    /// Publishers suspended until there is room (`.wait`).
    var roomWaiters: [CheckedContinuation<Void, Never>] = []
    /// Callers of `EventBus.publisherWaiting(on:)`, resumed when a publisher starts waiting here.
    var waitWatchers: [CheckedContinuation<Void, Never>] = []
    /// The error the subscription ends with once its buffer is drained (`.fail`), until thrown.
    var pendingError: BusError?
    var counters: SubscriptionCounters

    init(patterns: [EventTypePattern], text: String, filter: EventFilter?, capacity: Int, overflow: OverflowPolicy) {
        self.patterns = patterns
        self.filter = filter
        self.capacity = capacity
        self.overflow = overflow
        counters = SubscriptionCounters(typePattern: text)
    }

    var isActive: Bool { counters.state == .active }

    /// Whether the subscription listens to `event`: one of its types, and its filter.
    func accepts(_ event: Event) -> Bool {
        let type = event.type
        guard patterns.contains(where: { $0.matches(type) }) else { return false }
        return filter?.matches(event) ?? true
    }

    /// Wakes every consumer and waiting publisher, to look at the state again.
    mutating func wakeAll() {
        for consumer in consumers { consumer.resume(returning: nil) }
        consumers.removeAll()
        for waiter in roomWaiters { waiter.resume() }
        roomWaiters.removeAll()
        for watcher in waitWatchers { watcher.resume() }
        waitWatchers.removeAll()
    }
}
