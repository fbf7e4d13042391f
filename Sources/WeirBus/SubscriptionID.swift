/// A subscription's identity on its bus: numbered from 1 in the order subscriptions are made.
public struct SubscriptionID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number (1 for a bus's first subscription).
    public let rawValue: Int

    /// The identity numbered `rawValue`.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Orders by number, that is by when the subscriptions were made.
    public static func < (a: SubscriptionID, b: SubscriptionID) -> Bool { a.rawValue < b.rawValue }

    /// `#` and the number.
    public var description: String { "#\(rawValue)" }
}
