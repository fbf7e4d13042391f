import WeirSyntax

/// The structural checks of a PATTERN, beyond its syntax: aliases, the first step,
/// negation, quantifiers and the finite horizon every run must have (LANGUAGE.md section 3:
/// "a pattern with no window anywhere is rejected, or given an explicit MAX RUNS"). Each
/// diagnostic is located on the offending part, with a note saying how to fix it where one
/// helps. References to aliases inside expressions are the compiler's (`PatternCompiler`).
enum PatternChecker {
    /// Names an alias may not take (lower case; names resolve ignoring case): the event's
    /// `data`, the compiler's `key` and `window`, and the CloudEvents attributes.
    static let attributeNames: Set<String> = ["id", "type", "source", "time", "subject", "specversion", "datacontenttype", "dataschema"]

    /// Errors (and warnings) of `d`, in source order.
    static func check(_ d: PatternDeclaration) -> [Diagnostic] {
        var found: [Diagnostic] = []
        checkAliases(d, &found)
        checkStepKinds(d, &found)
        checkWindows(d, &found)
        return found.enumerated()
            .sorted { ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset) }
            .map(\.element)
    }

    // MARK: - Aliases

    private static func checkAliases(_ d: PatternDeclaration, _ found: inout [Diagnostic]) {
        var seen: [String: SourceRange] = [:]
        let used = Set(d.steps.map(\.alias.text))
        for step in d.steps {
            let alias = step.alias
            if let first = seen[alias.text] {
                found.append(.error(.declaration, PatternCheckerMessages.duplicateAlias(alias.text), at: alias.range,
                                    notes: [Diagnostic.Note(PatternCheckerMessages.firstUsedHere, range: first)]))
                continue
            }
            seen[alias.text] = alias.range
            guard let reason = shadowed(alias.text) else { continue }
            var notes: [Diagnostic.Note] = []
            if let suggestion = suggestedAlias(for: step), !used.contains(suggestion) {
                notes.append(Diagnostic.Note(PatternCheckerMessages.suggestedAlias(suggestion)))
            }
            found.append(.error(.declaration, PatternCheckerMessages.aliasShadows(alias.text, reason), at: alias.range, notes: notes))
        }
    }

    /// What an alias named `name` would hide, or nil when the name is free.
    private static func shadowed(_ name: String) -> String? {
        let lower = name.lowercased()
        if lower == "data" { return PatternCheckerMessages.hidesData }
        if lower == "key" || lower == "window" { return PatternCheckerMessages.hidesCompilerName(lower) }
        if attributeNames.contains(lower) { return PatternCheckerMessages.hidesAttribute(lower) }
        if Keyword(rawValue: lower) != nil { return PatternCheckerMessages.isKeyword }
        return nil
    }

    /// The last segment of the step's exact type (`'user.login'`: `login`), when it is a
    /// free name.
    private static func suggestedAlias(for step: PatternStep) -> String? {
        guard case .exact(let type) = step.type.kind, let last = type.split(separator: ".").last else { return nil }
        var name = String(last.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        if name.first?.isNumber == true { name = "_" + name }
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(\.isASCII), shadowed(name) == nil else { return nil }
        return name
    }

    // MARK: - Step kinds

    /// The first step (MATCH, never negated or optional), negated steps (no quantifier),
    /// `THEN ANY` (only with a run cap).
    private static func checkStepKinds(_ d: PatternDeclaration, _ found: inout [Diagnostic]) {
        var reportedThenAny = false
        for (i, step) in d.steps.enumerated() {
            if i == 0 {
                switch step.contiguity {
                case .first: break
                case .thenNot: found.append(.error(.declaration, PatternCheckerMessages.firstStepNegated, at: step.keywordRange))
                default: found.append(.error(.declaration, PatternCheckerMessages.firstStepIsMatch, at: step.keywordRange))
                }
                if let q = step.quantifier, q.min == 0, step.contiguity != .thenNot {
                    found.append(.error(.declaration, PatternCheckerMessages.firstStepOptional, at: q.range,
                                        notes: [Diagnostic.Note(PatternCheckerMessages.firstStepOptionalFix)]))
                }
            } else if step.contiguity == .first {
                found.append(.error(.declaration, PatternCheckerMessages.onlyFirstStepIsMatch, at: step.keywordRange))
            }
            if step.contiguity == .thenNot, let q = step.quantifier {
                found.append(.error(.declaration, PatternCheckerMessages.negatedQuantified(step.alias.text), at: q.range))
            }
            if step.contiguity == .thenAny, d.maxRuns == nil, !reportedThenAny {
                reportedThenAny = true
                found.append(.error(.declaration, PatternCheckerMessages.thenAnyWithoutCap, at: step.keywordRange,
                                    notes: [Diagnostic.Note(PatternCheckerMessages.thenAnyFix)]))
            }
        }
    }

    // MARK: - Windows

    /// Loops without an upper bound need a window; a trailing negation needs a deadline;
    /// every run needs a finite horizon (a window somewhere, or MAX RUNS); a WITHIN on a
    /// first step that is not quantified has no effect (a warning).
    private static func checkWindows(_ d: PatternDeclaration, _ found: inout [Diagnostic]) {
        var needsWindow = false
        for (i, step) in d.steps.enumerated() {
            if i == 0, step.quantifier == nil, let within = step.within {
                found.append(.warning(.lint, PatternCheckerMessages.firstStepWithinHasNoEffect, at: within.range,
                                      notes: [Diagnostic.Note(PatternCheckerMessages.firstStepWithinFix)]))
            }
            guard d.within == nil, step.within == nil else { continue }
            if step.contiguity != .thenNot, let q = step.quantifier, q.max == nil {
                needsWindow = true
                found.append(.error(.declaration, PatternCheckerMessages.unboundedLoopWithoutWindow(step.alias.text, q.writtenText),
                                    at: q.range, notes: [Diagnostic.Note(PatternCheckerMessages.unboundedLoopFix)]))
            }
            if step.contiguity == .thenNot, i == d.steps.count - 1, i > 0 {
                needsWindow = true
                found.append(.error(.declaration, PatternCheckerMessages.trailingNegationWithoutDeadline(step.alias.text),
                                    at: step.keywordRange,
                                    notes: [Diagnostic.Note(PatternCheckerMessages.trailingNegationFix(step.alias.text, step.type.dumpText))]))
            }
        }
        // A window that bounds something: the header's, or a step's (the first step's only
        // when it is quantified).
        let hasWindow = d.within != nil || d.steps.enumerated().contains { i, step in
            step.within != nil && (i > 0 || step.quantifier != nil)
        }
        // A single step without a quantifier completes on its event: no run ever waits.
        let runsWait = d.steps.count > 1 || d.steps.first?.quantifier != nil
        if runsWait, !hasWindow, d.maxRuns == nil, !needsWindow {
            found.append(.error(.declaration, PatternCheckerMessages.noFiniteHorizon(d.name.text), at: d.name.range,
                                notes: [Diagnostic.Note(PatternCheckerMessages.noFiniteHorizonFix)]))
        } else if runsWait, d.within == nil, d.maxRuns == nil, !needsWindow,
            // Every run has a finite horizon: with neither a whole-match window nor MAX RUNS,
            // each step a run can wait for needs a window of its own.
            let open = d.steps.enumerated().first(where: { i, step in
                step.within == nil && step.contiguity != .thenNot && (i > 0 || (step.quantifier?.max ?? 1) > 1)
            })?.element
        {
            found.append(.error(.declaration, PatternCheckerMessages.stepWithoutWindow(open.alias.text), at: open.alias.range,
                                notes: [Diagnostic.Note(PatternCheckerMessages.noFiniteHorizonFix)]))
        }
    }

}
