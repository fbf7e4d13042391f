/// Every message text of `PatternChecker` (lower case, code in single quotes).
enum PatternCheckerMessages {
    static func duplicateAlias(_ alias: String) -> String {
        "step alias '\(alias)' is already used by an earlier step; each step needs its own alias"
    }

    static let firstUsedHere = "first used here"

    /// `reason`: what the alias would hide (`the current event's 'data'`).
    static func aliasShadows(_ alias: String, _ reason: String) -> String {
        "step alias '\(alias)' \(reason); choose another name"
    }

    static let hidesData = "would hide the current event's 'data'"

    static func hidesCompilerName(_ name: String) -> String {
        "would hide '\(name)', a name the compiler resolves"
    }

    static func hidesAttribute(_ name: String) -> String {
        "would hide the CloudEvents attribute '\(name)'"
    }

    static let isKeyword = "is a keyword"

    static func suggestedAlias(_ alias: String) -> String {
        "did you mean '\(alias)'?"
    }

    static let firstStepNegated =
        "the first step cannot be negated (there is no 'MATCH NOT'): a run starts with an event, not an absence"

    static let firstStepIsMatch = "the first step of a pattern is its MATCH step"

    static let onlyFirstStepIsMatch = "only the first step of a pattern is a MATCH step; later steps follow THEN, NEXT, THEN ANY or THEN NOT"

    static let firstStepOptional =
        "the first step starts every run; it cannot be optional ('?', {0,...})"

    static let firstStepOptionalFix = "start its quantifier at 1 ({1,3}), or drop the '?'"

    static func negatedQuantified(_ alias: String) -> String {
        "the negated step '\(alias)' takes no quantifier: 'THEN NOT' means no such event at all"
    }

    static func unboundedLoopWithoutWindow(_ alias: String, _ quantifier: String) -> String {
        "step '\(alias)' repeats without end ('\(quantifier)') and has no window, so a run could wait for it forever"
    }

    static let unboundedLoopFix =
        "give it an upper bound ({3,10}), a window of its own (WITHIN 10m after the step), or the pattern a window (WITHIN 10m before MATCH)"

    static func noFiniteHorizon(_ name: String) -> String {
        "PATTERN '\(name)' has no finite horizon: no WITHIN anywhere and no MAX RUNS, so its runs could live forever"
    }

    static let noFiniteHorizonFix =
        "add a whole-match window before MATCH (PARTITION BY data.userId WITHIN 10m MATCH ...), a WITHIN on its later steps, or a cap on live runs (MAX RUNS 1000)"

    static let thenAnyWithoutCap =
        "'THEN ANY' needs a run cap: every combination of events is a run of its own"

    static let thenAnyFix = "write MAX RUNS n in the header, before MATCH (PARTITION BY data.userId MAX RUNS 1000 MATCH ...)"

    static func trailingNegationWithoutDeadline(_ alias: String) -> String {
        "the trailing 'THEN NOT' step '\(alias)' means absence, which needs a deadline: it has no WITHIN, and neither has the pattern"
    }

    static func trailingNegationFix(_ alias: String, _ type: String) -> String {
        "give the step a window (THEN NOT \(alias): \(type) WITHIN 30m), or the pattern one (WITHIN 30m before MATCH)"
    }

    static let firstStepWithinHasNoEffect =
        "WITHIN on the first step has no effect: a step's window is measured from the previous matched step, and the first step has none"

    static let firstStepWithinFix = "for a window on the whole match, write WITHIN in the header, before MATCH"
    static func stepWithoutWindow(_ alias: String) -> String {
        "step '\(alias)' has no window, and the pattern has neither a whole-match window nor MAX RUNS, so a run waiting for it could live forever"
    }
}
