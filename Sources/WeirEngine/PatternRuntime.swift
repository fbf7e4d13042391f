import WeirCompiler

/// A PATTERN's plan behind a reference.
final class PatternRuntime {
    let plan: PatternPlan
    init(_ plan: PatternPlan, listened: (String) -> Bool) {
        self.plan = plan
    }
}
