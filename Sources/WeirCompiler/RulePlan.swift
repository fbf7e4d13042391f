import WeirCore
import WeirSyntax

/// Options for compiling rule files.
package struct RuleCompileOptions: Sendable {
    package var regexLimits: RegexLimits = RegexLimits()
    /// Deepest expression nesting (`ParseOptions.maxDepth`).
    package var maxDepth: Int = 256
    package init() {}
}

/// A compiled rule set: immutable and `Sendable`; per-key state lives in the engine.
package struct RuleSetPlan: Sendable {
    package var sources: [SourceFile]
    /// In file order, then written order: the order declarations react to an event.
    package var declarations: [DeclarationPlan]
}

/// One compiled declaration.
package struct DeclarationPlan: Sendable {
    /// As written.
    package var name: String
    package var on: [EventTypePattern]
    package var kind: Kind
    /// The whole declaration, for messages.
    package var range: SourceRange
    /// Which of `RuleSetPlan.sources` it was written in.
    package var sourceIndex: Int

    package enum Kind: Sendable {
        case rule(RulePlan)
        case aggregate(AggregatePlan)
        case pattern(PatternPlan)
        case saga(SagaPlan)
    }
}

/// A RULE: filter, then emit branches.
package struct RulePlan: Sendable {
    /// WHERE (nil: always).
    package var filter: Program?
    /// In written order.
    package var emits: [EmitPlan]
    /// `EMIT ALL`: every branch whose WHEN holds emits, not only the first.
    package var emitAll: Bool
}

/// `EMIT 'type' { ... } [WHEN cond]`.
package struct EmitPlan: Sendable {
    package var type: String
    /// nil: always holds.
    package var when: Program?
    /// The object literal; evaluates to `.object(JSONObject)` (fields whose value errs left out).
    package var data: Program
}

/// An AGGREGATE.
package struct AggregatePlan: Sendable {
    /// WHERE, per event.
    package var filter: Program?
    /// GROUP BY, per event (nil: one group).
    package var groupBy: Program?
    /// Durations in milliseconds, checked: > 0, every <= size, size / every <= 10,000.
    package var window: Window
    /// Every distinct aggregate call of HAVING and EMIT (deduplicated by function and argument
    /// source text), in first-appearance order. At fire time their results fill the activation.
    package var aggregates: [AggregateCall]
    /// At fire time.
    package var having: Program?
    /// At fire time.
    package var emit: EmitPlan

    package enum Window: Sendable, Hashable {
        case tumbling(size: Int64)
        case sliding(size: Int64, every: Int64)
        case session(gap: Int64)
    }

    /// The most windows one event may fall into (SLIDING size / every); the runtime refuses more too.
    package static let maxWindowsPerEvent = 10_000
}

/// One aggregate call of HAVING or EMIT.
package struct AggregateCall: Sendable {
    package enum Function: String, Sendable, Hashable {
        case count, countValue, sum, avg, min, max, first, last, collect
    }

    /// `count()` is `.count`, `count(x)` is `.countValue`.
    package var function: Function
    /// Per event; nil for `count()`.
    package var argument: Program?
}
