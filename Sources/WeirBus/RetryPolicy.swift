import WeirCore

/// How often a failing handler is tried, and how long the bus waits between tries, before the
/// event is dead-lettered. Shaped like Step Functions' `Retry`: attempts, an interval, a
/// backoff rate and a cap on the interval; no jitter, so a schedule is exact.
///
/// ```swift
/// RetryPolicy.none                                                   // one attempt
/// RetryPolicy.fixed(attempts: 3, every: TimeSpan(milliseconds: 500))  // waits 500ms, 500ms
/// RetryPolicy.exponential(attempts: 5, initial: TimeSpan(milliseconds: 100), factor: 2,
///                         max: TimeSpan(milliseconds: 250))          // 100, 200, 250, 250
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// Tries in all, the first included (at least 1).
    public var maxAttempts: Int
    /// The wait before the second try.
    public var interval: TimeSpan
    /// Each further wait is the previous one times this (1 for a fixed interval).
    public var backoffRate: Double
    /// No wait is longer than this, when set.
    public var maxInterval: TimeSpan?

    /// A policy; `maxAttempts` below 1 counts as 1, a negative interval as zero and a rate
    /// below 1 as 1.
    public init(maxAttempts: Int, interval: TimeSpan, backoffRate: Double = 1, maxInterval: TimeSpan? = nil) {
        self.maxAttempts = max(1, maxAttempts)
        self.interval = TimeSpan(milliseconds: max(0, interval.milliseconds))
        self.backoffRate = backoffRate >= 1 ? backoffRate : 1
        self.maxInterval = maxInterval
    }

    /// One attempt, no retry (the default: retrying is safe only for idempotent handlers).
    public static let none = RetryPolicy(maxAttempts: 1, interval: TimeSpan(milliseconds: 0))

    /// `attempts` tries in all, `delay` apart.
    public static func fixed(attempts: Int, every delay: TimeSpan) -> RetryPolicy {
        RetryPolicy(maxAttempts: attempts, interval: delay)
    }

    /// `attempts` tries in all; the first wait `initial`, each next one `factor` times longer,
    /// none longer than `max`.
    public static func exponential(attempts: Int, initial: TimeSpan, factor: Double = 2, max: TimeSpan? = nil) -> RetryPolicy {
        RetryPolicy(maxAttempts: attempts, interval: initial, backoffRate: factor, maxInterval: max)
    }

    /// The wait after failed attempt `attempt` (1 for the first) before the next one:
    /// `interval × backoffRate^(attempt-1)`, rounded to the millisecond and capped.
    public func delay(afterAttempt attempt: Int) -> TimeSpan {
        var milliseconds = Double(interval.milliseconds)
        for _ in 1..<Swift.max(1, attempt) {
            milliseconds *= backoffRate
            if let cap = maxInterval, milliseconds >= Double(cap.milliseconds) { break }
            if milliseconds >= Double(Int64.max / 2) { break }
        }
        var wait = milliseconds >= Double(Int64.max / 2) ? Int64.max / 2 : Int64(milliseconds.rounded())
        if let cap = maxInterval { wait = Swift.min(wait, Swift.max(0, cap.milliseconds)) }
        return TimeSpan(milliseconds: wait)
    }
}
