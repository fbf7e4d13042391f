/// Why the bus refused a subscription, or why a subscription ended with an error.
public enum BusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The type pattern is not `'type'`, `'prefix.*'` or `'*'` (the pattern, and why).
    case invalidTypePattern(String, reason: String)
    /// A buffer must hold at least one event.
    case invalidBuffer(Int)
    /// The filter expression does not compile (its diagnostics, rendered).
    case invalidFilter(String)
    /// The subscriber fell behind with overflow policy `.fail`: its buffer of `capacity`
    /// events was full when another event matched. The subscription has ended.
    case overflow(SubscriptionID, capacity: Int)
    /// The bus was closed: it takes no new subscription.
    case closed

    /// The error in words.
    public var description: String {
        switch self {
        case .invalidTypePattern(_, let reason): return reason
        case .invalidBuffer(let size): return BusMessages.invalidBuffer(size)
        case .invalidFilter(let rendered): return BusMessages.invalidFilter(rendered)
        case .overflow(let id, let capacity): return BusMessages.overflow(id, capacity: capacity)
        case .closed: return BusMessages.closed
        }
    }
}
