import WeirCore

/// Which events of the types a subscription listens to it receives: a predicate on the event.
///
/// The `Weir` module builds one from an expression (`try EventFilter("data.total > 100")`);
/// any `Sendable` closure does as well. It runs on the bus for every event of a matching type,
/// so it must be quick and must not block.
public struct EventFilter: Sendable {
    /// The predicate: true for an event the subscriber receives.
    public let matches: @Sendable (Event) -> Bool

    /// A filter from a predicate.
    public init(_ matches: @escaping @Sendable (Event) -> Bool) { self.matches = matches }
}
