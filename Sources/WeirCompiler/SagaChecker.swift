import WeirSyntax

/// The structural checks of a SAGA, beyond its syntax (LANGUAGE.md section 3, SAGA): step
/// names and aliases, RETRY and FAIL ON only where a reply is awaited, the retry schedule,
/// and a deadline for every wait, so that no instance can wait forever. Each diagnostic is
/// located on the offending part, with a note saying how to fix it where one helps. Which
/// aliases are in scope inside expressions (and `error.*` only in ON FAILURE) is the
/// compiler's.
///
/// A step without AWAIT is allowed: it is done once its command is published.
enum SagaChecker {
    /// Errors (and warnings) of `d`, in source order.
    static func check(_ d: SagaDeclaration) -> [Diagnostic] {
        var found: [Diagnostic] = []
        if d.steps.isEmpty {
            found.append(.error(.declaration, SagaCheckerMessages.noSteps(d.name.text), at: d.name.range,
                                notes: [Diagnostic.Note(SagaCheckerMessages.noStepsFix)]))
        }
        checkStepNames(d, &found)
        checkAliases(d, &found)
        for step in d.steps {
            checkReplies(step, &found)
            if let retry = step.retry { checkRetry(retry, of: step, &found) }
            checkDeadlines(step, in: d, &found)
        }
        return found.enumerated()
            .sorted { ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset) }
            .map(\.element)
    }

    // MARK: - Names

    private static func checkStepNames(_ d: SagaDeclaration, _ found: inout [Diagnostic]) {
        var seen: [String: SourceRange] = [:]
        for step in d.steps {
            if let first = seen[step.name.text] {
                found.append(.error(.declaration, SagaCheckerMessages.duplicateStep(step.name.text), at: step.name.range,
                                    notes: [Diagnostic.Note(SagaCheckerMessages.firstUsedHere, range: first)]))
            } else {
                seen[step.name.text] = step.name.range
            }
        }
    }

    /// `START ON ... AS` and every step's `AWAIT ... AS`: distinct, and hiding no name.
    private static func checkAliases(_ d: SagaDeclaration, _ found: inout [Diagnostic]) {
        let aliases = [d.start.alias] + d.steps.compactMap { $0.awaiting?.alias }
        var seen: [String: SourceRange] = [:]
        for alias in aliases {
            if let first = seen[alias.text] {
                found.append(.error(.declaration, SagaCheckerMessages.duplicateAlias(alias.text), at: alias.range,
                                    notes: [Diagnostic.Note(SagaCheckerMessages.firstUsedHere, range: first)]))
                continue
            }
            seen[alias.text] = alias.range
            if let reason = shadowed(alias.text) {
                found.append(.error(.declaration, SagaCheckerMessages.aliasShadows(alias.text, reason), at: alias.range))
            }
        }
    }

    /// What an alias named `name` would hide, or nil when the name is free (names resolve
    /// ignoring case).
    private static func shadowed(_ name: String) -> String? {
        let lower = name.lowercased()
        if lower == "data" { return SagaCheckerMessages.hidesData }
        if lower == "key" || lower == "window" { return SagaCheckerMessages.hidesCompilerName(lower) }
        if lower == "error" { return SagaCheckerMessages.hidesError }
        if PatternChecker.attributeNames.contains(lower) { return SagaCheckerMessages.hidesAttribute(lower) }
        if Keyword(rawValue: lower) != nil { return SagaCheckerMessages.isKeyword }
        return nil
    }

    // MARK: - Replies and retries

    /// FAIL ON and RETRY need an AWAIT: without one the step is done once its command is
    /// published, so no reply can fail it and nothing is retried.
    private static func checkReplies(_ step: SagaStep, _ found: inout [Diagnostic]) {
        guard step.awaiting == nil else { return }
        if let failOn = step.failOn.first {
            found.append(.error(.declaration, SagaCheckerMessages.failOnWithoutAwait(step.name.text), at: failOn.range,
                                notes: [Diagnostic.Note(SagaCheckerMessages.addAwait)]))
        }
        if let retry = step.retry {
            found.append(.error(.declaration, SagaCheckerMessages.retryWithoutAwait(step.name.text), at: retry.range,
                                notes: [Diagnostic.Note(SagaCheckerMessages.addAwaitOrDropRetry)]))
        }
    }

    /// The count (1 to `DiagnosticMessages`' limit, as the parser reads it), a BACKOFF of at
    /// least 1, and a MAX no shorter than EVERY (a warning: every wait is then MAX).
    private static func checkRetry(_ retry: SagaRetry, of step: SagaStep, _ found: inout [Diagnostic]) {
        if !(1...SagaCheckerMessages.retryLimit).contains(retry.count) {
            found.append(.error(.declaration, SagaCheckerMessages.retryCount(retry.count), at: retry.range))
        }
        if let backoff = retry.backoff, !(backoff >= 1) {
            found.append(.error(.declaration, SagaCheckerMessages.backoffBelowOne(backoff), at: retry.range,
                                notes: [Diagnostic.Note(SagaCheckerMessages.backoffFix)]))
        }
        if let max = retry.max, max.milliseconds < retry.every.milliseconds {
            found.append(.warning(.lint, SagaCheckerMessages.maxBelowEvery(max: max.milliseconds, every: retry.every.milliseconds),
                                  at: max.range))
        }
    }

    // MARK: - Deadlines

    /// A step's AWAIT needs its own WITHIN or the saga's TIMEOUT; a compensation's AWAIT needs
    /// its own WITHIN (during compensation the saga's TIMEOUT is only recorded).
    private static func checkDeadlines(_ step: SagaStep, in d: SagaDeclaration, _ found: inout [Diagnostic]) {
        if let awaiting = step.awaiting, awaiting.within == nil, d.timeout == nil {
            found.append(.error(.declaration, SagaCheckerMessages.awaitWithoutDeadline(step.name.text, saga: d.name.text),
                                at: awaiting.range, notes: [Diagnostic.Note(SagaCheckerMessages.awaitDeadlineFix)]))
        }
        if let confirmation = step.compensate?.awaiting, confirmation.within == nil {
            found.append(.error(.declaration, SagaCheckerMessages.confirmationWithoutDeadline(step.name.text, saga: d.name.text),
                                at: confirmation.range, notes: [Diagnostic.Note(SagaCheckerMessages.confirmationDeadlineFix)]))
        }
    }
}
