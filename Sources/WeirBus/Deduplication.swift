import WeirCore

/// Whether and for how long the bus suppresses a duplicate: an event with the `source` and `id`
/// of an event published before (CloudEvents identifies an event by the pair).
///
/// A window is anchored at the first sighting of a pair: a suppressed duplicate does not
/// extend it. Memory is bounded either way.
public enum Deduplication: Sendable, Hashable {
    /// Every event is delivered.
    case off
    /// A pair among the last `count` distinct pairs published is a duplicate.
    case lastEvents(Int)
    /// A pair first published less than `span` ago (by the bus's clock) is a duplicate: at
    /// exactly `span` after its first sighting it is new again. At most `limit` pairs are
    /// remembered; beyond that the oldest is forgotten early (counted in
    /// `BusCounters.deduplicationEvictions`).
    case within(TimeSpan, limit: Int = 100_000)
}

/// The pairs `Deduplication` remembers, oldest first, with when each was first seen.
struct DuplicateWindow: Sendable {
    struct Key: Hashable, Sendable {
        var source: String
        var id: String
    }

    let policy: Deduplication
    private var seen: Set<Key> = []
    private var order = Ring<(key: Key, time: Timestamp)>()
    /// Pairs forgotten before their time window passed, because `limit` was reached.
    private(set) var evictions = 0

    init(_ policy: Deduplication) { self.policy = policy }

    /// Whether `event` repeats a remembered pair; if not, it is remembered (seen at `now`).
    mutating func isDuplicate(_ event: Event, now: Timestamp) -> Bool {
        let capacity: Int
        switch policy {
        case .off: return false
        case .lastEvents(let count): capacity = max(0, count)
        case .within(let span, let limit):
            capacity = max(0, limit)
            while let oldest = order.first, oldest.time.adding(milliseconds: span.milliseconds) <= now {
                forgetOldest()
            }
        }
        let key = Key(source: event.source, id: event.id)
        if seen.contains(key) { return true }
        guard capacity > 0 else { return false }
        while order.count >= capacity {
            forgetOldest()
            if case .within = policy { evictions += 1 }
        }
        seen.insert(key)
        order.append((key, now))
        return false
    }

    /// How many pairs are remembered.
    var count: Int { order.count }

    private mutating func forgetOldest() {
        if let oldest = order.popFirst() { seen.remove(oldest.key) }
    }
}
