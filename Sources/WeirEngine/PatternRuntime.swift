import WeirCEP
import WeirCompiler
import WeirCore
import WeirSyntax

/// A PATTERN's plan behind a reference, with what the matcher asks of it per event worked out
/// once: for each step, the steps a run there may move to and the negations that end it.
final class PatternRuntime {
    let plan: PatternPlan
    let partitionBy: Clause?
    let steps: [StepRuntime]
    let emits: [EmitRuntime]
    let onTimeout: [EmitRuntime]
    /// Per slot: its index among a run's accumulators, or -1 for a plain value.
    let accumulatorOfSlot: [Int]
    /// The slots of `collect` aggregates (copied from their accumulators only when read).
    let collectSlots: [Int]
    /// A new run's slots and accumulators (counts at 0, everything else missing).
    let initialSlots: [Val]
    let initialAccumulators: [Accumulator]

    init(_ plan: PatternPlan, listened: (String) -> Bool) {
        self.plan = plan
        partitionBy = Clause(plan.partitionBy)
        emits = plan.emits.map { EmitRuntime($0, listened: listened) }
        onTimeout = plan.onTimeout.map { EmitRuntime($0, listened: listened) }
        var accumulatorOfSlot = Array(repeating: -1, count: plan.slotCount)
        var accumulators: [Accumulator] = []
        for step in plan.steps {
            for capture in step.captures {
                guard let function = capture.function else { continue }
                accumulatorOfSlot[capture.slot] = accumulators.count
                accumulators.append(Accumulator(function.runtime))
            }
        }
        self.accumulatorOfSlot = accumulatorOfSlot
        collectSlots = plan.steps.flatMap { $0.captures.filter { $0.function == .collect }.map(\.slot) }.sorted()
        initialAccumulators = accumulators
        var slots = Array(repeating: Val.error(.missingAttribute), count: plan.slotCount)
        for (slot, a) in accumulatorOfSlot.enumerated() where a >= 0 { slots[slot] = accumulators[a].value }
        initialSlots = slots
        let steps = plan.steps
        let collects = Set(plan.steps.flatMap { $0.captures.filter { $0.function == .collect }.map(\.slot) })
        self.steps = steps.indices.map { i in StepRuntime(steps, i, collects: collects) }
    }
}

/// One step, and what a run whose latest bound event is this step's may do next.
final class StepRuntime {
    let plan: PatternStepPlan
    let filter: Clause?
    /// Whether WHERE reads the run's slots (otherwise it is evaluated once per event).
    let filterReadsSlots: Bool
    /// Whether WHERE reads a `collect` slot.
    let filterReadsCollect: Bool
    let captures: [(slot: Int, function: AggregateCall.Function?, argument: Clause?)]
    let max: Int
    /// The positive steps a run here may bind next (once this step has its minimum): the
    /// following ones up to and including the first that is not optional.
    let chain: [Int]
    /// The negated steps between this step and the first required step after it: an event
    /// matching one ends the run.
    let negations: [Int]
    /// No required positive step follows: the run can complete once this step has its minimum.
    let completesHere: Bool
    /// No step at all follows (positive or negated): the run completes when this step reaches
    /// its maximum.
    let isLast: Bool
    /// The steps whose events a run here can use (itself, `chain`, `negations`), as bits: an
    /// event of none of them only tells the run that an event went by.
    let relevant: UInt64
    /// `relevant` once this step has its maximum (it takes no more events itself).
    let relevantWhenFull: UInt64
    /// Whether a step of `chain` is a `NEXT` (then an event going by may end the run).
    let chainHasNext: Bool

    init(_ steps: [PatternStepPlan], _ i: Int, collects: Set<Int>) {
        plan = steps[i]
        filter = Clause(plan.filter)
        filterReadsSlots = plan.filter?.readsSlots ?? false
        filterReadsCollect = !(plan.filter?.slotsRead ?? []).isDisjoint(with: collects)
        captures = plan.captures.map { ($0.slot, $0.function, Clause($0.argument)) }
        max = plan.max ?? Int.max
        var chain: [Int] = []
        var negations: [Int] = []
        var required = false
        for j in (i + 1)..<Swift.max(i + 1, steps.count) {
            if steps[j].kind == .not {
                negations.append(j)
                continue
            }
            chain.append(j)
            if steps[j].min > 0 {
                required = true
                break
            }
        }
        self.chain = chain
        self.negations = negations
        completesHere = !required
        isLast = i == steps.count - 1
        relevantWhenFull = (chain + negations).reduce(UInt64(0)) { $0 | (1 << UInt64($1 & 63)) }
        relevant = relevantWhenFull | (1 << UInt64(i & 63))
        chainHasNext = chain.contains { steps[$0].kind == .next }
    }
}
