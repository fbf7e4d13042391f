import WeirCEP
import WeirCompiler
import WeirCore
import WeirSyntax

/// A SAGA's plan behind a reference, with its state machine's definition.
final class SagaRuntime {
    let plan: SagaPlan
    let name: String
    let definition: SagaDefinition
    let startFilter: Clause?
    let key: Clause
    let startCaptures: [(slot: Int, argument: Clause?)]
    let steps: [SagaStepRuntime]
    let onComplete: [EmitRuntime]
    let onFailure: [EmitRuntime]
    /// A new instance's slots (all missing).
    let initialSlots: [Val]
    /// The attributes a reply echoes (`sagastep`, `sagaattempt`), as paths made once.
    let stepPath = FieldPath(root: .attribute("sagastep"))
    let attemptPath = FieldPath(root: .attribute("sagaattempt"))

    init(_ plan: SagaPlan, name: String, listened: (String) -> Bool) {
        self.plan = plan
        self.name = name
        definition = SagaDefinition(steps: plan.steps.map { step in
            SagaDefinition.Step(
                name: step.name, awaitsReply: step.awaiting != nil, within: step.awaiting?.within,
                retry: step.retry.map { SagaDefinition.Retry(count: $0.count, every: $0.every, backoff: $0.backoff, max: $0.max) },
                compensation: step.compensate.map { _ in
                    SagaDefinition.Compensation(awaitsConfirmation: step.compensateAwait != nil, within: step.compensateAwait?.within)
                })
        }, timeout: plan.timeout)
        startFilter = Clause(plan.start.filter)
        key = Clause(plan.key)
        startCaptures = plan.start.captures.map { ($0.slot, Clause($0.argument)) }
        steps = plan.steps.map { SagaStepRuntime($0, listened: listened) }
        onComplete = plan.onComplete.map { EmitRuntime($0, listened: listened) }
        onFailure = plan.onFailure.map { EmitRuntime($0, listened: listened) }
        initialSlots = Array(repeating: .error(.missingAttribute), count: plan.slotCount)
    }
}

/// A reply's type, WHERE and what binding it records.
final class SagaReplyRuntime {
    let type: EventTypePattern
    let filter: Clause?
    let captures: [(slot: Int, argument: Clause?)]

    init(_ plan: SagaReplyPlan) {
        type = plan.type
        filter = Clause(plan.filter)
        captures = plan.captures.map { ($0.slot, Clause($0.argument)) }
    }
}

final class SagaStepRuntime {
    let name: String
    let send: EmitRuntime
    let awaiting: SagaReplyRuntime?
    let failOn: [SagaReplyRuntime]
    let compensate: EmitRuntime?
    let compensateAwait: SagaReplyRuntime?

    init(_ plan: SagaStepPlan, listened: (String) -> Bool) {
        name = plan.name
        send = EmitRuntime(plan.send, listened: listened)
        awaiting = plan.awaiting.map(SagaReplyRuntime.init)
        failOn = plan.failOn.map(SagaReplyRuntime.init)
        compensate = plan.compensate.map { EmitRuntime($0, listened: listened) }
        compensateAwait = plan.compensateAwait.map(SagaReplyRuntime.init)
    }
}

/// One saga instance: its machine, the values its clauses read (slots), and what identifies it.
struct SagaInstance: Sendable {
    /// `<saga>-<n>`, n counting from 1 per saga: the `correlationid` of its commands.
    var id: String
    var number: Int
    var key: GroupKey
    var machine: SagaMachine
    var slots: [Val]
    /// The last event bound to it (the start or a reply): its commands' `causationid`.
    var lastEventId: String
    /// The depth of what it emits: one more than the deepest derivation among the events bound
    /// to it (so that a saga feeding itself through timers is bounded by --max-derivation).
    var depth: Int
}

/// A SAGA's instances: the live ones by key and by id, the ended ones (kept for inspection when
/// asked), and its counters.
struct SagaState: Sendable {
    var live: [Int: SagaInstance] = [:]
    var byKey: [GroupKey: Int] = [:]
    var byId: [String: Int] = [:]
    var ended: [SagaInstance] = []
    var nextNumber = 0
    /// Timers scheduled and not yet fired or cancelled.
    var timersPending = 0
    /// The live instances' numbers in start order (ended ones are skipped, and compacted away
    /// once they are half), for routing a reply by WHERE without sorting.
    var order: [Int] = []

    /// The live instances' numbers, in start order.
    mutating func liveInStartOrder() -> [Int] {
        if order.count > 2 * live.count + 64 { order.removeAll { live[$0] == nil } }
        return order.filter { live[$0] != nil }
    }
}
