import WeirCore
import WeirSyntax

/// A compiled PATTERN: immutable; each partition's runs live in the engine.
///
/// A run keeps only what later clauses read of the events bound to it: each alias read
/// (`login.data.userId`, `count(fails)`, `last(fails).data.ip`) is one slot of the run, filled
/// when an event binds to the alias's step (`PatternStepPlan.captures`). Conditions and
/// templates read slots, never bound events.
package struct PatternPlan: Sendable {
    /// `PARTITION BY`, per event (nil: one partition).
    package var partitionBy: Program?
    /// The whole-match window (ms): the last bound event's time minus the first's is at most this.
    package var within: Int64?
    /// `MAX RUNS n`: the most live runs of one partition (nil: only the engine's global cap).
    package var maxRuns: Int?
    /// In written order, negated steps included.
    package var steps: [PatternStepPlan]
    /// `AFTER MATCH SKIP PAST LAST EVENT`.
    package var skipPastLastEvent: Bool
    /// On a match, read from the run's slots (no current event).
    package var emits: [EmitPlan]
    package var emitAll: Bool
    /// On expiry, read from the run's slots: slots of steps not reached are missing.
    package var onTimeout: [EmitPlan]
    /// How many slots a run has.
    package var slotCount: Int
    /// Per slot, what it holds (`login.data.userId`, `count(fails)`): for `--trace` and memory.
    package var slotNames: [String]
}

/// One step of a PATTERN.
package struct PatternStepPlan: Sendable {
    package enum Kind: Sendable, Hashable {
        /// `MATCH`: every event that satisfies it starts a run.
        case first
        /// `THEN`: the first qualifying successor.
        case then
        /// `NEXT`: the partition's very next event.
        case next
        /// `THEN ANY`: every qualifying successor (the run forks).
        case thenAny
        /// `THEN NOT`: such an event ends the run (between steps), or its absence completes it
        /// (last).
        case not
    }

    package var alias: String
    package var kind: Kind
    package var type: EventTypePattern
    /// Iterations: 1...1 without a quantifier; `max` nil is unbounded.
    package var min: Int
    package var max: Int?
    /// Per-step window (ms): an event bound to the step is at most this after the previous
    /// matched step's last event (for the first step: after the step's own first event).
    package var within: Int64?
    /// WHERE, on the current event with the run's slots.
    package var filter: Program?
    /// What binding an event to this step records in the run.
    package var captures: [PatternCapture]
    /// Where it was written, for `--trace`.
    package var range: SourceRange

    /// Whether the step binds events (it is not negated).
    package var binds: Bool { kind != .not }
    /// Whether the step may bind several events (or none).
    package var isQuantified: Bool { min != 1 || max != 1 }
}

/// One slot a bound event fills: the value of `argument` on it (a single alias's path), or an
/// aggregate over the step's iterations (`count(fails)`, `sum(fails.data.amount)`).
package struct PatternCapture: Sendable {
    package var slot: Int
    /// nil: the argument's value itself (a single alias); otherwise the aggregate it feeds.
    package var function: AggregateCall.Function?
    /// On the bound event; nil for `count()`.
    package var argument: Program?
}
