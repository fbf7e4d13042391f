/// The texts of the bus's errors and dead letters: lower-case, code in single quotes.
enum BusMessages {
    static let emptyTypePattern = "empty event type pattern"

    static func emptySegment(_ pattern: String) -> String {
        "empty segment in event type pattern '\(pattern)'; segments are separated by single dots"
    }

    static func misplacedWildcard(_ pattern: String) -> String {
        "'*' in event type pattern '\(pattern)' is allowed only as the whole pattern ('*') or as its last segment ('order.*')"
    }

    static func invalidBuffer(_ size: Int) -> String {
        "a subscription's buffer must hold at least one event, not \(size)"
    }

    static func invalidFilter(_ rendered: String) -> String {
        "the subscription's filter does not compile:\n\(rendered)"
    }

    static func overflow(_ id: SubscriptionID, capacity: Int) -> String {
        "subscription \(id) fell behind: its buffer of \(capacity) events was full and its overflow policy is 'fail'"
    }

    static let closed = "the bus is closed"

    static func handlerFailed(attempts: Int) -> String {
        "the handler failed \(attempts == 1 ? "once" : "\(attempts) times"), the attempts its retry policy allows"
    }

    static func cancelledWhileRetrying(attempts: Int) -> String {
        "the subscription was cancelled while its handler was being retried, after \(attempts) failed \(attempts == 1 ? "attempt" : "attempts")"
    }
}
