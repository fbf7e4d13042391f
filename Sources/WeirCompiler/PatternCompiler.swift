import WeirCore
import WeirSyntax

extension DeclarationCompiler {
    /// A PATTERN: its structure checked (`PatternChecker`), every alias read resolved to a
    /// slot of the run, each slot attached to the step whose events fill it.
    mutating func pattern(_ d: PatternDeclaration) -> PatternPlan {
        diagnostics += PatternStructure.check(d) + PatternChecker.check(d)
        var lowering = Lowering(options: options, scope: .event, source: source)
        lowering.scope.pattern = PatternScope(d.steps)

        lowering.scope.pattern?.place = .partition
        let partitionBy = d.partitionBy.map { program($0, "PARTITION BY", &lowering) }
        var filters: [Program?] = []
        for (i, step) in d.steps.enumerated() {
            lowering.scope.pattern?.place = .step(i)
            filters.append(step.whereClause.map { condition($0, "WHERE", &lowering, slots: true) })
        }
        lowering.scope.pattern?.place = .emit
        let emits = d.emits.map { emit($0, &lowering, slots: true) }
        lowering.scope.pattern?.place = .timeout
        let onTimeout = d.onTimeout.map { emit($0, &lowering, slots: true) }
        diagnostics += lowering.diagnostics

        var steps = d.steps.enumerated().map { i, step in
            PatternStepPlan(
                alias: step.alias.text, kind: step.contiguity.planKind, type: step.type,
                min: step.quantifier?.min ?? 1, max: step.quantifier == nil ? 1 : step.quantifier?.max,
                within: step.within?.milliseconds, filter: filters[i], captures: [], range: step.range)
        }
        for (slot, collected) in lowering.captures.enumerated() where collected.step < steps.count {
            let argument = collected.argument.map { finish($0, collected.text) }
            steps[collected.step].captures.append(PatternCapture(slot: slot, function: collected.function, argument: argument))
        }
        return PatternPlan(
            partitionBy: partitionBy, within: d.within?.milliseconds, maxRuns: d.maxRuns?.value, steps: steps,
            skipPastLastEvent: d.afterMatch == .skipPastLastEvent, emits: emits, emitAll: d.emitAll, onTimeout: onTimeout,
            slotCount: lowering.captures.count, slotNames: lowering.captures.map(\.text))
    }
}

extension PatternStep.Contiguity {
    var planKind: PatternStepPlan.Kind {
        switch self {
        case .first: return .first
        case .then: return .then
        case .next: return .next
        case .thenAny: return .thenAny
        case .thenNot: return .not
        }
    }
}

/// The structural checks the matcher relies on (the full checker, with suggestions, is
/// `PatternChecker`).
enum PatternStructure {
    /// The most steps a PATTERN may have (the matcher keeps the steps an event's type can bind
    /// as bits of one word).
    static let maxSteps = 64

    static func check(_ d: PatternDeclaration) -> [Diagnostic] {
        var found: [Diagnostic] = []
        if d.steps.count > maxSteps {
            found.append(.error(.limit, CompilerMessages.tooManySteps(d.steps.count, maxSteps), at: d.steps[maxSteps].range))
        }
        // A run whose remaining steps are optional (a last step that may take more events, or
        // optional steps after the last required one) completes when its window passes: without
        // a whole-match window, each of them needs its own.
        if d.within == nil, let last = d.steps.lastIndex(where: { $0.contiguity != .thenNot && ($0.quantifier?.min ?? 1) > 0 }) {
            let required = d.steps[last]
            var open: [PatternStep] = []
            if let q = required.quantifier, let max = q.max, max > q.min, required.within == nil {
                open.append(required)
            }
            open += d.steps[(last + 1)...].filter { $0.contiguity != .thenNot && $0.within == nil && $0.quantifier?.max != nil }
            if let step = open.first {
                found.append(.error(.declaration, CompilerMessages.completesOnlyAtDeadline(step.alias.text), at: step.alias.range))
            }
        }
        return found
    }
}
