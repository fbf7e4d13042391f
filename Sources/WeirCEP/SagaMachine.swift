/// One saga instance as a pure state machine: each input (the start, a reply, a confirmation,
/// a timer) changes its state, appends to its history, and returns the actions the caller
/// performs, in order (publish a command, schedule or cancel a timer, emit ON COMPLETE or ON
/// FAILURE). No bus, no clock: time comes with each input. The history is written before the
/// actions are returned, so no command goes out from a transition that was not recorded.
///
/// Semantics (LANGUAGE.md, SAGA): a step's first matching reply wins; a `FAIL ON` reply or the
/// step's `WITHIN` passing fails the attempt; `RETRY` sends the command again after its backoff
/// (no attempt waits meanwhile: a reply then is late); when a step's attempts are exhausted, or
/// the saga's `TIMEOUT` passes, the saga fails: its completed steps, and the step that failed by
/// timing out, are compensated one at a time in reverse order (a compensation with `AWAIT` waits
/// for its confirmation, one without goes out at once), then ON FAILURE runs once. A
/// compensation not confirmed in time ends the saga in `compensationFailed` (ON FAILURE still
/// runs once). Replies to another attempt, duplicates, late replies and stale timers are
/// recorded, or ignored, and change nothing.
package struct SagaMachine: Hashable, Sendable, Codable {
    package enum Phase: Hashable, Sendable, Codable {
        /// Attempt `attempt` of step `step` was sent and waits for its reply.
        case waiting(step: Int, attempt: Int)
        /// Attempt `attempt` failed; the next is sent when the backoff timer fires.
        case backingOff(step: Int, attempt: Int)
        /// Compensating `compensations[position]`, waiting for its confirmation.
        case compensating(position: Int)
        case completed
        case compensated
        case compensationFailed

        package var isTerminal: Bool {
            switch self {
            case .completed, .compensated, .compensationFailed: return true
            default: return false
            }
        }
    }

    /// Why a saga failed (`error.kind`, `error.message`, `error.step`, `error.attempt`).
    package struct Failure: Hashable, Sendable, Codable {
        package enum Kind: String, Hashable, Sendable, Codable {
            /// A `FAIL ON` reply.
            case failure
            /// The step's `WITHIN` passed.
            case timeout
            /// The saga's `TIMEOUT` passed.
            case deadline
        }

        package var kind: Kind
        package var message: String
        package var step: String
        package var attempt: Int
    }

    /// What a timer is for; keyed by (instance, this), so a timer for an older attempt is
    /// recognised as stale.
    package enum Timer: Hashable, Sendable, Codable {
        case reply(step: Int, attempt: Int)
        case backoff(step: Int, attempt: Int)
        case confirmation(step: Int)
        case deadline
    }

    /// What the caller does after an input, in order.
    package enum Action: Hashable, Sendable {
        /// Publish attempt `attempt` of step `step`'s command.
        case send(step: Int, attempt: Int)
        /// Publish step `step`'s compensating command.
        case compensate(step: Int)
        case schedule(Timer, due: EventTime)
        case cancel(Timer)
        /// The saga completed: ON COMPLETE.
        case complete
        /// The saga failed and is compensated (or failed to compensate): ON FAILURE.
        case fail(Failure)
    }

    /// One entry of the append-only history.
    package struct Entry: Hashable, Sendable, Codable {
        package var time: EventTime
        /// `started`, `sent`, `step-completed`, `attempt-failed`, `retry-scheduled`, `failed`,
        /// `compensation-sent`, `compensation-confirmed`, `compensated`, `compensation-failed`,
        /// `completed`, `reply-ignored`, `deadline-during-compensation`.
        package var what: String
        package var step: String?
        package var attempt: Int?
        /// The event that caused it (a reply, the start), if any.
        package var eventId: String?
        package var detail: String?
    }

    package let definition: SagaDefinition
    package private(set) var phase: Phase
    /// Steps done, in order.
    package private(set) var completedSteps: [Int] = []
    /// When failing: the steps to compensate, in the order they are compensated.
    package private(set) var compensations: [Int] = []
    package private(set) var failure: Failure?
    package private(set) var history: [Entry] = []
    /// Whether the last failed attempt failed by timing out (then its step is compensated).
    private var lastAttemptTimedOut = false
    package let startedAt: EventTime

    /// Whether every index the state holds is one of its definition's (a state decoded from
    /// bytes that were altered could name a step that does not exist).
    package var isConsistent: Bool {
        let steps = definition.steps.count
        guard completedSteps.allSatisfy({ (0..<steps).contains($0) }), compensations.allSatisfy({ (0..<steps).contains($0) })
        else { return false }
        switch phase {
        case .waiting(let step, let attempt), .backingOff(let step, let attempt):
            return (0..<steps).contains(step) && attempt >= 1
        case .compensating(let position):
            return (0..<compensations.count).contains(position)
        case .completed, .compensated, .compensationFailed:
            return true
        }
    }

    // MARK: - Inputs

    /// A new instance, started at `time` by event `eventId`: its first command goes out.
    package static func start(_ definition: SagaDefinition, at time: EventTime, eventId: String?) -> (SagaMachine, [Action]) {
        var machine = SagaMachine(definition: definition, phase: .waiting(step: 0, attempt: 1), startedAt: time)
        machine.record(time, "started", eventId: eventId)
        var actions: [Action] = []
        actions.reserveCapacity(4)
        if let timeout = definition.timeout { actions.append(.schedule(.deadline, due: time.saturatingAdd(timeout))) }
        if definition.steps.isEmpty {
            machine.complete(at: time, &actions)
        } else {
            machine.send(step: 0, attempt: 1, at: time, &actions)
        }
        return (machine, actions)
    }

    private init(definition: SagaDefinition, phase: Phase, startedAt: EventTime) {
        self.definition = definition
        self.phase = phase
        self.startedAt = startedAt
    }

    /// Which step and attempt a reply addresses, when it says (`sagastep`, `sagaattempt`):
    /// nil means "the step waiting now".
    package struct Address: Hashable, Sendable {
        package var step: Int
        package var attempt: Int?
        package init(step: Int, attempt: Int?) {
            self.step = step
            self.attempt = attempt
        }
    }

    /// A reply to step `address` (or to the step waiting now): `success` for its `AWAIT`,
    /// otherwise a `FAIL ON` reply described by `failure`.
    package mutating func reply(
        success: Bool, failure message: String = "", to address: Address? = nil, at time: EventTime, eventId: String?
    ) -> [Action] {
        guard case .waiting(let step, let attempt) = phase else {
            record(time, "reply-ignored", step: address.flatMap { definition.steps[safe: $0.step] }, attempt: address?.attempt, eventId: eventId,
                   detail: phase.isTerminal ? "the saga has ended" : "no step waits for a reply (late)")
            return []
        }
        if let address, address.step != step || (address.attempt.map { $0 != attempt } ?? false) {
            record(time, "reply-ignored", step: definition.steps[safe: address.step], attempt: address.attempt, eventId: eventId,
                   detail: "step '\(definition.steps[step].name)' attempt \(attempt) is waiting")
            return []
        }
        var actions: [Action] = []
        actions.reserveCapacity(4)
        if success {
            if definition.steps[step].within != nil { actions.append(.cancel(.reply(step: step, attempt: attempt))) }
            record(time, "step-completed", step: definition.steps[step].name, attempt: attempt, eventId: eventId)
            stepDone(step, at: time, &actions)
        } else {
            if definition.steps[step].within != nil { actions.append(.cancel(.reply(step: step, attempt: attempt))) }
            attemptFailed(step, attempt, kind: .failure, message: message, timedOut: false, at: time, eventId: eventId, &actions)
        }
        return actions
    }

    /// A compensation's confirmation for step `step`.
    package mutating func confirmation(step: Int, at time: EventTime, eventId: String?) -> [Action] {
        guard case .compensating(let position) = phase, compensations[position] == step else {
            record(time, "reply-ignored", step: definition.steps[safe: step], eventId: eventId, detail: "no compensation of this step waits")
            return []
        }
        var actions: [Action] = []
        actions.reserveCapacity(4)
        if definition.steps[step].compensation?.within != nil { actions.append(.cancel(.confirmation(step: step))) }
        record(time, "compensation-confirmed", step: definition.steps[step].name, eventId: eventId)
        compensate(from: position + 1, at: time, &actions)
        return actions
    }

    /// A timer came due (at its due time). A timer for another attempt or phase is stale and
    /// does nothing.
    package mutating func timer(_ timer: Timer, at time: EventTime) -> [Action] {
        var actions: [Action] = []
        actions.reserveCapacity(4)
        switch (timer, phase) {
        case (.reply(let s, let a), .waiting(let step, let attempt)) where s == step && a == attempt:
            let within = definition.steps[step].within ?? 0
            attemptFailed(step, attempt, kind: .timeout, message: "no reply to '\(definition.steps[step].name)' within \(within)ms",
                          timedOut: true, at: time, eventId: nil, &actions)
        case (.backoff(let s, let a), .backingOff(let step, let attempt)) where s == step && a == attempt:
            send(step: step, attempt: attempt + 1, at: time, &actions)
        case (.confirmation(let s), .compensating(let position)) where compensations[position] == s:
            record(time, "compensation-failed", step: definition.steps[s].name,
                   detail: "no confirmation within \(definition.steps[s].compensation?.within ?? 0)ms")
            phase = .compensationFailed
            if definition.timeout != nil { actions.append(.cancel(.deadline)) }
            if let failure { actions.append(.fail(failure)) }
        case (.deadline, .waiting(let step, let attempt)):
            if definition.steps[step].within != nil { actions.append(.cancel(.reply(step: step, attempt: attempt))) }
            lastAttemptTimedOut = true
            fail(step, attempt, kind: .deadline, message: "the saga's TIMEOUT passed while '\(definition.steps[step].name)' was waiting",
                 at: time, &actions)
        case (.deadline, .backingOff(let step, let attempt)):
            actions.append(.cancel(.backoff(step: step, attempt: attempt)))
            fail(step, attempt, kind: .deadline, message: "the saga's TIMEOUT passed while '\(definition.steps[step].name)' was backing off",
                 at: time, &actions)
        case (.deadline, .compensating):
            record(time, "deadline-during-compensation")
        default:
            break
        }
        return actions
    }

    // MARK: - Transitions

    private mutating func send(step: Int, attempt: Int, at time: EventTime, _ actions: inout [Action]) {
        phase = .waiting(step: step, attempt: attempt)
        record(time, "sent", step: definition.steps[step].name, attempt: attempt)
        actions.append(.send(step: step, attempt: attempt))
        let s = definition.steps[step]
        guard s.awaitsReply else {
            record(time, "step-completed", step: s.name, attempt: attempt, detail: "no AWAIT: done once sent")
            stepDone(step, at: time, &actions)
            return
        }
        if let within = s.within { actions.append(.schedule(.reply(step: step, attempt: attempt), due: time.saturatingAdd(within))) }
    }

    private mutating func stepDone(_ step: Int, at time: EventTime, _ actions: inout [Action]) {
        completedSteps.append(step)
        if step + 1 < definition.steps.count {
            send(step: step + 1, attempt: 1, at: time, &actions)
        } else {
            complete(at: time, &actions)
        }
    }

    private mutating func complete(at time: EventTime, _ actions: inout [Action]) {
        phase = .completed
        record(time, "completed")
        if definition.timeout != nil { actions.append(.cancel(.deadline)) }
        actions.append(.complete)
    }

    private mutating func attemptFailed(
        _ step: Int, _ attempt: Int, kind: Failure.Kind, message: String, timedOut: Bool, at time: EventTime, eventId: String?,
        _ actions: inout [Action]
    ) {
        lastAttemptTimedOut = timedOut
        record(time, "attempt-failed", step: definition.steps[step].name, attempt: attempt, eventId: eventId, detail: "\(kind.rawValue): \(message)")
        if let retry = definition.steps[step].retry, attempt <= retry.count {
            let delay = retry.delay(after: attempt)
            phase = .backingOff(step: step, attempt: attempt)
            record(time, "retry-scheduled", step: definition.steps[step].name, attempt: attempt + 1, detail: "in \(delay)ms")
            actions.append(.schedule(.backoff(step: step, attempt: attempt), due: time.saturatingAdd(delay)))
        } else {
            fail(step, attempt, kind: kind, message: message, at: time, &actions)
        }
    }

    /// The saga fails: compensation in reverse order, the step that timed out included.
    private mutating func fail(_ step: Int, _ attempt: Int, kind: Failure.Kind, message: String, at time: EventTime, _ actions: inout [Action]) {
        failure = Failure(kind: kind, message: message, step: definition.steps[step].name, attempt: attempt)
        record(time, "failed", step: definition.steps[step].name, attempt: attempt, detail: "\(kind.rawValue): \(message)")
        var steps = completedSteps
        if lastAttemptTimedOut { steps.append(step) }
        compensations = steps.reversed()
        compensate(from: 0, at: time, &actions)
    }

    /// Sends the compensations from `position` on, stopping at one that waits for its
    /// confirmation; after the last, ON FAILURE.
    private mutating func compensate(from position: Int, at time: EventTime, _ actions: inout [Action]) {
        var position = position
        while position < compensations.count {
            let step = compensations[position]
            guard let compensation = definition.steps[step].compensation else {
                position += 1
                continue
            }
            record(time, "compensation-sent", step: definition.steps[step].name)
            actions.append(.compensate(step: step))
            if compensation.awaitsConfirmation {
                phase = .compensating(position: position)
                if let within = compensation.within {
                    actions.append(.schedule(.confirmation(step: step), due: time.saturatingAdd(within)))
                }
                return
            }
            position += 1
        }
        phase = .compensated
        record(time, "compensated")
        if definition.timeout != nil { actions.append(.cancel(.deadline)) }
        if let failure { actions.append(.fail(failure)) }
    }

    /// Appends an entry that changes nothing (a duplicate start, for one).
    package mutating func note(_ time: EventTime, _ what: String, eventId: String?, detail: String? = nil) {
        record(time, what, eventId: eventId, detail: detail)
    }

    private mutating func record(
        _ time: EventTime, _ what: String, step: String? = nil, attempt: Int? = nil, eventId: String? = nil, detail: String? = nil
    ) {
        history.append(Entry(time: time, what: what, step: step, attempt: attempt, eventId: eventId, detail: detail))
    }
}

extension Array where Element == SagaDefinition.Step {
    subscript(safe i: Int) -> String? { indices.contains(i) ? self[i].name : nil }
}

extension EventTime {
    /// `self + ms`, saturating at the largest instant.
    func saturatingAdd(_ ms: Int64) -> EventTime {
        let (sum, overflow) = addingReportingOverflow(ms)
        return overflow ? .max : sum
    }
}
