import WeirCore

/// An event a subscriber never handled, with why: its handler kept failing, or the subscriber
/// fell behind with overflow policy `.fail`.
public struct DeadLetter: Sendable, CustomStringConvertible {
    /// Why an event is dead-lettered.
    public enum Reason: Sendable, Hashable {
        /// The handler threw on every attempt its retry policy allows.
        case handlerFailed
        /// The subscription was cancelled (or its task) while the handler was being retried.
        case cancelledWhileRetrying
        /// The subscriber's buffer was full and its overflow policy is `.fail`: this event
        /// did not fit, and the subscription ended.
        case subscriberOverflow
    }

    /// The event.
    public var event: Event
    /// The subscription that did not handle it.
    public var subscription: SubscriptionID
    /// Why.
    public var reason: Reason
    /// How many times the handler was called with the event (0 for an overflow).
    public var attempts: Int
    /// The error the last attempt threw (for an overflow, the `BusError` the subscription ended with).
    public var lastError: any Error
    /// When the event was dead-lettered, by the bus's clock.
    public var time: Timestamp

    /// The reason and the last error in words.
    public var message: String {
        switch reason {
        case .handlerFailed: return "\(BusMessages.handlerFailed(attempts: attempts)): \(lastError)"
        case .cancelledWhileRetrying: return "\(BusMessages.cancelledWhileRetrying(attempts: attempts)): \(lastError)"
        case .subscriberOverflow: return "\(lastError)"
        }
    }

    /// The subscription, the event's type, source and id, and the message.
    public var description: String {
        "\(subscription) '\(event.type)' \(event.source) \(event.id): \(message)"
    }
}
