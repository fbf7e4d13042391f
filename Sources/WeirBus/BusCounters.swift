/// A snapshot of what the bus has done since it was made: read `EventBus.counters`.
public struct BusCounters: Sendable, Hashable {
    /// Events given to `publish`, duplicates included.
    public var published = 0
    /// Published events suppressed as duplicates (offered to no subscriber).
    public var duplicatesSuppressed = 0
    /// Pairs a time-window deduplication forgot early because its limit was reached.
    public var deduplicationEvictions = 0
    /// Events given to `publish` after `close()` (offered to no subscriber).
    public var publishedAfterClose = 0
    /// Every subscription ever made, by identity (ended ones stay, with their final counts).
    public var subscriptions: [SubscriptionID: SubscriptionCounters] = [:]

    /// Events handed to subscribers, over every subscription.
    public var delivered: Int { subscriptions.values.reduce(0) { $0 + $1.delivered } }
    /// Events dropped by `.dropOldest` subscribers falling behind.
    public var dropped: Int { subscriptions.values.reduce(0) { $0 + $1.dropped } }
    /// Times a publish waited for a `.wait` subscriber to make room.
    public var waits: Int { subscriptions.values.reduce(0) { $0 + $1.waits } }
    /// Subscriptions ended by `.fail` because their subscriber fell behind.
    public var overflowFailures: Int { subscriptions.values.reduce(0) { $0 + ($1.state == .failed ? 1 : 0) } }
    /// Handler retries (attempts after the first), over every subscription.
    public var retries: Int { subscriptions.values.reduce(0) { $0 + $1.retries } }
    /// Events dead-lettered, over every subscription.
    public var deadLettered: Int { subscriptions.values.reduce(0) { $0 + $1.deadLettered } }
}

/// What one subscription has received and lost.
public struct SubscriptionCounters: Sendable, Hashable {
    /// Where a subscription stands.
    public enum State: Sendable, Hashable {
        /// It receives events.
        case active
        /// The bus was closed: it delivers what it buffered, then ends.
        case finished
        /// Cancelled: it ended, and what it had buffered was discarded.
        case cancelled
        /// Its subscriber fell behind with `.fail`: it delivers what it buffered, then ends with an error.
        case failed
    }

    /// The type pattern subscribed to, as written.
    public var typePattern: String
    /// Where the subscription stands.
    public var state: State = .active
    /// Events handed to the subscriber (taken from the sequence, or passed to the handler).
    public var delivered = 0
    /// Events buffered now, waiting for the subscriber.
    public var buffered = 0
    /// Events dropped by `.dropOldest` to make room.
    public var dropped = 0
    /// Times a publish waited for room (`.wait`).
    public var waits = 0
    /// Buffered events discarded when the subscription was cancelled.
    public var discarded = 0
    /// Handler attempts after the first.
    public var retries = 0
    /// Events dead-lettered.
    public var deadLettered = 0

    /// Counters at zero for a new subscription to `typePattern`.
    public init(typePattern: String) { self.typePattern = typePattern }
}
