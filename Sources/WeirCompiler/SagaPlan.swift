import WeirCore
import WeirSyntax

/// A compiled SAGA: immutable; each instance's state lives in the engine.
///
/// As a PATTERN run does, an instance keeps only what its clauses read of the events bound to
/// it (the start event under its alias, each `AWAIT ... AS` reply under its own): each read is
/// a slot, filled when the event is bound. Slots 0 to 3 are `error.message`, `error.kind`,
/// `error.step` and `error.attempt`, set when the saga fails.
package struct SagaPlan: Sendable {
    /// `START ON`: the type and WHERE (on the start event; its alias is that event).
    package var start: SagaReplyPlan
    package var startAlias: String
    /// `KEY`, on the start event.
    package var key: Program
    /// `TIMEOUT` (ms).
    package var timeout: Int64?
    package var steps: [SagaStepPlan]
    /// Read from the instance's slots (no current event).
    package var onComplete: [EmitPlan]
    package var onFailure: [EmitPlan]
    package var slotCount: Int
    package var slotNames: [String]

    /// The first slot after `error.*`.
    package static let errorSlots = 4
    /// The most steps a SAGA may have (timers are keyed by step).
    package static let maxSteps = 1000
}

/// One `STEP`.
package struct SagaStepPlan: Sendable {
    package var name: String
    /// `SEND`: the command's type and data, read from the slots.
    package var send: EmitPlan
    package var awaiting: SagaReplyPlan?
    package var failOn: [SagaReplyPlan]
    /// `RETRY n EVERY d [BACKOFF f] [MAX m]` (ms).
    package var retry: (count: Int, every: Int64, backoff: Double, max: Int64?)?
    package var compensate: EmitPlan?
    package var compensateAwait: SagaReplyPlan?
}

/// A reply a saga waits for or fails on (or its start): its type, its WHERE (on the reply plus
/// the instance's slots), its window, and what binding it records (`AWAIT ... AS`).
package struct SagaReplyPlan: Sendable {
    package var type: EventTypePattern
    package var filter: Program?
    package var within: Int64?
    package var captures: [PatternCapture]
}
