import WeirCore
import WeirSyntax

extension DeclarationCompiler {
    /// A PATTERN (not compiled yet: refused).
    mutating func pattern(_ d: PatternDeclaration) -> PatternPlan {
        diagnostics.append(.error(.declaration, "PATTERN declarations are not supported yet", at: d.name.range))
        return PatternPlan(partitionBy: nil, within: nil, maxRuns: nil, steps: [], skipPastLastEvent: false, emits: [],
                           emitAll: false, onTimeout: [], slotCount: 0, slotNames: [])
    }
}
