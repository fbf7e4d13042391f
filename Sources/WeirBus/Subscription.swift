import WeirCore

/// A subscription to a bus: the events it matches, in publish order, as an `AsyncSequence`.
///
/// The sequence ends (returns nil) when the subscription is cancelled or the bus closed, after
/// the buffered events (not after a cancel: those are discarded). With `.fail`, a subscriber
/// that fell behind receives its buffered events and then `BusError.overflow`. One subscription
/// is meant for one consumer; several iterators share its events, each event going to one.
public struct Subscription: AsyncSequence, Sendable {
    /// The events.
    public typealias Element = Event
    /// `BusError.overflow`, for a `.fail` subscription that fell behind.
    public typealias Failure = BusError

    /// The subscription's identity on its bus (for `cancel`, `counters`).
    public let id: SubscriptionID
    let bus: EventBus

    /// Ends the subscription (see `EventBus.cancel(_:)`).
    public func cancel() async { await bus.cancel(id) }

    /// An iterator over the subscription's events.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(id: id, bus: bus) }

    /// Takes the subscription's events one at a time from the bus.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let id: SubscriptionID
        let bus: EventBus

        /// The next event, waiting for it; nil once the subscription has ended.
        public mutating func next() async throws(BusError) -> Event? { try await bus.next(id) }

        /// The next event, waiting for it; nil once the subscription has ended.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(BusError) -> Event? {
            try await bus.next(id)
        }
    }
}
