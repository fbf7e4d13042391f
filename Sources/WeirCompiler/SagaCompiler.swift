import WeirCore
import WeirSyntax

extension DeclarationCompiler {
    /// A SAGA: every alias read resolved to a slot of the instance, each slot attached to the
    /// event that fills it (the start, or an `AWAIT ... AS` reply).
    ///
    /// Positions say what is bound when: the start event is position 0; step `s`'s `FAIL ON`
    /// replies are position `2s+1` and its `AWAIT` reply `2s+2`. A WHERE at position `p` reads
    /// the aliases bound before `p` (and its own reply as the current event); step `s`'s
    /// command, sent before its reply, reads those bound before `2s+2`; ON COMPLETE reads all;
    /// COMPENSATE and ON FAILURE read all, an alias not bound yet being missing (and ON FAILURE
    /// reads `error.*`).
    mutating func saga(_ d: SagaDeclaration) -> SagaPlan {
        diagnostics += SagaChecker.check(d)
        if d.steps.count > SagaPlan.maxSteps {
            diagnostics.append(.error(.limit, CompilerMessages.tooManySagaSteps(d.steps.count, SagaPlan.maxSteps),
                                      at: d.steps[SagaPlan.maxSteps].name.range))
        }
        var aliases: [(name: String, position: Int)] = [(d.start.alias.text, 0)]
        var names = ["the START event"]
        for (s, step) in d.steps.enumerated() {
            names.append("the FAIL ON of step '\(step.name.text)'")
            names.append("step '\(step.name.text)'")
            if let alias = step.awaiting?.alias { aliases.append((alias.text, 2 * s + 2)) }
        }
        var lowering = Lowering(options: options, scope: .event, source: source)
        lowering.scope.pattern = PatternScope(saga: aliases, names: names)
        // Slots 0-3: error.message, error.kind, error.step, error.attempt.
        for field in PatternScope.errorFieldNames {
            lowering.captures.append(CollectedCapture(alias: "error", step: -1, function: nil, argument: nil, text: "error.\(field)"))
        }

        lowering.scope.pattern?.place = .step(0)
        let startFilter = d.start.whereClause.map { condition($0, "WHERE", &lowering, slots: true) }
        let key = program(d.key, "KEY", &lowering, slots: true)
        var steps: [SagaStepPlan] = []
        for (s, step) in d.steps.enumerated() {
            lowering.scope.pattern?.place = .send(2 * s + 2)
            let send = emit(step.send, &lowering, slots: true)
            lowering.scope.pattern?.place = .step(2 * s + 1)
            let failOn = step.failOn.map { reply($0, &lowering) }
            lowering.scope.pattern?.place = .step(2 * s + 2)
            let awaiting = step.awaiting.map { reply($0, &lowering) }
            lowering.scope.pattern?.place = .timeout
            let compensate = step.compensate.map { emit($0.send, &lowering, slots: true) }
            // A confirmation is the current event; every alias is readable (missing if unbound).
            lowering.scope.pattern?.place = .step(Int.max)
            let compensateAwait = step.compensate?.awaiting.map { reply($0, &lowering) }
            let retry = step.retry.map { r in
                (count: r.count, every: r.every.milliseconds, backoff: r.backoff ?? 1, max: r.max?.milliseconds)
            }
            steps.append(SagaStepPlan(name: step.name.text, send: send, awaiting: awaiting, failOn: failOn, retry: retry,
                                      compensate: compensate, compensateAwait: compensateAwait))
        }
        lowering.scope.pattern?.place = .emit
        let onComplete = d.onComplete.map { emit($0, &lowering, slots: true) }
        lowering.scope.pattern?.place = .timeout
        lowering.scope.pattern?.errorFields = true
        let onFailure = d.onFailure.map { emit($0, &lowering, slots: true) }
        diagnostics += lowering.diagnostics

        // Each capture fills its slot when its position's event is bound: the start (0) or step
        // s's AWAIT reply (2s+2).
        var startCaptures: [PatternCapture] = []
        var awaitCaptures = Array(repeating: [PatternCapture](), count: d.steps.count)
        for (slot, collected) in lowering.captures.enumerated() where collected.step >= 0 {
            let capture = PatternCapture(slot: slot, function: collected.function,
                                         argument: collected.argument.map { finish($0, collected.text) })
            if collected.step == 0 {
                startCaptures.append(capture)
            } else if collected.step % 2 == 0, collected.step / 2 - 1 < d.steps.count {
                awaitCaptures[collected.step / 2 - 1].append(capture)
            }
        }
        for s in steps.indices { steps[s].awaiting?.captures = awaitCaptures[s] }
        let start = SagaReplyPlan(type: d.start.type, filter: startFilter, within: nil, captures: startCaptures)
        return SagaPlan(start: start, startAlias: d.start.alias.text, key: key, timeout: d.timeout?.milliseconds, steps: steps,
                        onComplete: onComplete, onFailure: onFailure, slotCount: lowering.captures.count,
                        slotNames: lowering.captures.map(\.text))
    }

    private mutating func reply(_ r: SagaReply, _ lowering: inout Lowering) -> SagaReplyPlan {
        SagaReplyPlan(type: r.type, filter: r.whereClause.map { condition($0, "WHERE", &lowering, slots: true) },
                      within: r.within?.milliseconds, captures: [])
    }
}
