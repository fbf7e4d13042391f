/// The shape of a saga, apart from its expressions: its steps, what each waits for, how each
/// is retried and compensated, and the saga's deadline. Immutable; one `SagaMachine` per
/// instance runs it.
package struct SagaDefinition: Hashable, Sendable, Codable {
    package struct Step: Hashable, Sendable, Codable {
        package var name: String
        /// The step waits for a reply (`AWAIT`); without one it is done once its command is sent.
        package var awaitsReply: Bool
        /// `AWAIT ... WITHIN d` (ms): the reply's deadline, counted from the command.
        package var within: Int64?
        package var retry: Retry?
        package var compensation: Compensation?

        package init(name: String, awaitsReply: Bool, within: Int64?, retry: Retry? = nil, compensation: Compensation? = nil) {
            self.name = name
            self.awaitsReply = awaitsReply
            self.within = within
            self.retry = retry
            self.compensation = compensation
        }
    }

    /// `RETRY n EVERY d [BACKOFF f] [MAX m]`.
    package struct Retry: Hashable, Sendable, Codable {
        /// Attempts after the first.
        package var count: Int
        package var every: Int64
        package var backoff: Double
        package var max: Int64?

        package init(count: Int, every: Int64, backoff: Double = 1, max: Int64? = nil) {
            self.count = count
            self.every = every
            self.backoff = backoff
            self.max = max
        }

        /// The wait after failed attempt `attempt` (1-based): every * backoff^(attempt-1),
        /// capped at `max`, in whole milliseconds (saturating).
        package func delay(after attempt: Int) -> Int64 {
            let raw = Double(every) * pow(backoff, Double(Swift.max(0, attempt - 1)))
            let capped = Swift.min(raw, Double(max ?? Int64.max))
            return capped >= 9.2e18 ? Int64.max : Int64(capped.rounded(.down))
        }
    }

    /// `COMPENSATE ... [AWAIT ... WITHIN d]`.
    package struct Compensation: Hashable, Sendable, Codable {
        /// Whether it waits for a confirmation.
        package var awaitsConfirmation: Bool
        package var within: Int64?

        package init(awaitsConfirmation: Bool, within: Int64?) {
            self.awaitsConfirmation = awaitsConfirmation
            self.within = within
        }
    }

    package var steps: [Step]
    /// `TIMEOUT d` (ms), counted from the start.
    package var timeout: Int64?

    package init(steps: [Step], timeout: Int64?) {
        self.steps = steps
        self.timeout = timeout
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
