/// A parsed rule file: its declarations in written order (the order in which they react to
/// an event). Declarations that did not parse are left out; their diagnostics say why.
public struct RuleFile: Sendable {
    /// The file parsed.
    public var source: SourceFile
    /// Its declarations that parsed, in written order.
    public var declarations: [Declaration]

    /// A parsed file.
    public init(source: SourceFile, declarations: [Declaration]) {
        self.source = source
        self.declarations = declarations
    }
}

/// One declaration of a rule file: RULE, AGGREGATE, PATTERN or SAGA.
public enum Declaration: Hashable, Sendable {
    case rule(RuleDeclaration)
    case aggregate(AggregateDeclaration)
    case pattern(PatternDeclaration)
    case saga(SagaDeclaration)

    /// The declaration's name as written.
    public var name: Name {
        switch self {
        case .rule(let d): return d.name
        case .aggregate(let d): return d.name
        case .pattern(let d): return d.name
        case .saga(let d): return d.name
        }
    }

    /// The whole declaration, from its keyword to its last clause.
    public var range: SourceRange {
        switch self {
        case .rule(let d): return d.range
        case .aggregate(let d): return d.range
        case .pattern(let d): return d.range
        case .saga(let d): return d.range
        }
    }

    /// The event types it listens to (its `ON` clause; a PATTERN's step types).
    public var on: [EventTypePattern] {
        switch self {
        case .rule(let d): return d.on
        case .aggregate(let d): return d.on
        case .pattern(let d): return d.on
        case .saga(let d): return d.on
        }
    }
}

/// A name as written, with where it was written.
public struct Name: Hashable, Sendable {
    /// The name as written.
    public var text: String
    /// Where it was written.
    public var range: SourceRange

    /// A name and its range.
    public init(_ text: String, _ range: SourceRange) {
        self.text = text
        self.range = range
    }
}

/// An event type an `ON` clause matches: `'order.created'` (exactly), `'order.*'` (`order.`
/// followed by one or more further segments: `order.created`, `order.a.b`, never `order`),
/// `'*'` (every type).
public struct EventTypePattern: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Exactly this type.
        case exact(String)
        /// The prefix before `*`, with its final dot (`order.`): one or more further segments.
        case prefix(String)
        /// `'*'`: every type.
        case any
    }

    public var kind: Kind
    /// The string literal's range.
    public var range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// Whether an event of type `type` matches.
    public func matches(_ type: String) -> Bool {
        switch kind {
        case .exact(let t): return type == t
        case .prefix(let p): return type.utf8.count > p.utf8.count && type.hasPrefix(p)
        case .any: return true
        }
    }
}

/// A duration as written (`250ms`, `30s`, `10m`, `1h`, `7d`, `1h30m`), in milliseconds.
public struct DurationLiteral: Hashable, Sendable {
    public var milliseconds: Int64
    public var range: SourceRange

    public init(milliseconds: Int64, range: SourceRange) {
        self.milliseconds = milliseconds
        self.range = range
    }
}

/// `EMIT 'type' { ... } [WHEN cond]`: an event to emit, its data an object literal.
public struct EmitClause: Hashable, Sendable {
    /// The emitted event's type.
    public var type: String
    public var typeRange: SourceRange
    /// The `data` of the emitted event: an object literal expression (`.object`).
    public var template: Expr
    /// `WHEN cond`: emit only when it holds (absent: always).
    public var when: Expr?
    /// From `EMIT` to the end of the clause.
    public var range: SourceRange

    public init(type: String, typeRange: SourceRange, template: Expr, when: Expr?, range: SourceRange) {
        self.type = type
        self.typeRange = typeRange
        self.template = template
        self.when = when
        self.range = range
    }
}

/// ```
/// RULE high_value_us
///   ON 'order.created'
///   WHERE data.totalAmount > 1000
///   EMIT 'order.high-value' { orderId: data.orderId }
/// ```
/// Several `EMIT ... WHEN` branches: the first whose `WHEN` holds emits; with `EMIT ALL`
/// (written as the first branch's keywords) every branch whose `WHEN` holds emits.
public struct RuleDeclaration: Hashable, Sendable {
    public var name: Name
    public var on: [EventTypePattern]
    public var whereClause: Expr?
    public var emits: [EmitClause]
    /// `EMIT ALL ...`: every branch that holds emits, not only the first.
    public var emitAll: Bool
    public var range: SourceRange

    public init(name: Name, on: [EventTypePattern], whereClause: Expr?, emits: [EmitClause], emitAll: Bool, range: SourceRange) {
        self.name = name
        self.on = on
        self.whereClause = whereClause
        self.emits = emits
        self.emitAll = emitAll
        self.range = range
    }
}

/// `WINDOW TUMBLING d | SLIDING d EVERY s | SESSION GAP g`.
public enum WindowClause: Hashable, Sendable {
    case tumbling(size: DurationLiteral)
    case sliding(size: DurationLiteral, every: DurationLiteral)
    case session(gap: DurationLiteral)
}

/// ```
/// AGGREGATE order_metrics
///   ON 'order.created' WHERE data.totalAmount > 0
///   GROUP BY data.customerId
///   WINDOW TUMBLING 1h
///   HAVING count() >= 3
///   EMIT 'metrics.orders.hourly' { customerId: key, orders: count() }
/// ```
public struct AggregateDeclaration: Hashable, Sendable {
    public var name: Name
    public var on: [EventTypePattern]
    public var whereClause: Expr?
    public var groupBy: Expr?
    public var window: WindowClause
    /// The `WINDOW` keyword's range (for diagnostics about the window as a whole).
    public var windowRange: SourceRange
    public var having: Expr?
    public var emit: EmitClause
    public var range: SourceRange

    public init(
        name: Name, on: [EventTypePattern], whereClause: Expr?, groupBy: Expr?, window: WindowClause,
        windowRange: SourceRange, having: Expr?, emit: EmitClause, range: SourceRange
    ) {
        self.name = name
        self.on = on
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.window = window
        self.windowRange = windowRange
        self.having = having
        self.emit = emit
        self.range = range
    }
}

/// ```
/// PATTERN potential_fraud
///   PARTITION BY data.userId
///   MATCH login: 'user.login' WHERE data.loginAttempts >= 5
///   THEN  tx:    'transaction.initiated' WHERE data.amount > 5000 WITHIN 10m
///   THEN  moved: 'user.location-changed' WHERE distance(data.location, login.data.location) > 1000 WITHIN 15m
///   AFTER MATCH SKIP PAST LAST EVENT
///   EMIT 'fraud.potential-detected' { userId: login.data.userId, events: [login.id, tx.id, moved.id] }
///   ON TIMEOUT EMIT 'fraud.partial' { userId: login.data.userId }
/// ```
public struct PatternDeclaration: Hashable, Sendable {
    public var name: Name
    /// `PARTITION BY expr`: one automaton per value (absent: one for the whole stream).
    public var partitionBy: Expr?
    /// The whole-match window written in the header, before `MATCH`.
    public var within: DurationLiteral?
    /// `MAX RUNS n`: the most live runs of one partition.
    public var maxRuns: Count?
    /// `MATCH step`, then each `THEN | NEXT | THEN ANY | THEN NOT step`, in written order.
    public var steps: [PatternStep]
    /// `AFTER MATCH SKIP ...` (absent: `SKIP TO NEXT`).
    public var afterMatch: AfterMatch
    /// The `AFTER` keyword through the end of the clause, when written.
    public var afterMatchRange: SourceRange?
    /// `EMIT` branches, as RULE's (none: the pattern emits nothing on a match).
    public var emits: [EmitClause]
    /// `EMIT ALL`: every branch whose `WHEN` holds emits.
    public var emitAll: Bool
    /// `ON TIMEOUT EMIT` branches: what a run that expired before completing emits.
    public var onTimeout: [EmitClause]
    public var range: SourceRange

    /// What happens to a partition's other runs after a match.
    public enum AfterMatch: Hashable, Sendable {
        /// `AFTER MATCH SKIP TO NEXT` (the default): other runs go on.
        case skipToNext
        /// `AFTER MATCH SKIP PAST LAST EVENT`: every other run of the partition is dropped.
        case skipPastLastEvent
    }

    /// A positive integer as written (`MAX RUNS 100`).
    public struct Count: Hashable, Sendable {
        public var value: Int
        public var range: SourceRange
        public init(value: Int, range: SourceRange) {
            self.value = value
            self.range = range
        }
    }

    public init(
        name: Name, partitionBy: Expr?, within: DurationLiteral?, maxRuns: Count?, steps: [PatternStep],
        afterMatch: AfterMatch, afterMatchRange: SourceRange?, emits: [EmitClause], emitAll: Bool,
        onTimeout: [EmitClause], range: SourceRange
    ) {
        self.name = name
        self.partitionBy = partitionBy
        self.within = within
        self.maxRuns = maxRuns
        self.steps = steps
        self.afterMatch = afterMatch
        self.afterMatchRange = afterMatchRange
        self.emits = emits
        self.emitAll = emitAll
        self.onTimeout = onTimeout
        self.range = range
    }

    /// The event types of every step (negated ones included), in written order.
    public var on: [EventTypePattern] { steps.map(\.type) }
}

/// `alias: 'type' [quantifier] [WHERE cond] [WITHIN d]`, with the keyword(s) before it.
public struct PatternStep: Hashable, Sendable {
    /// How the step follows the one before it.
    public enum Contiguity: Hashable, Sendable {
        /// `MATCH`: the first step.
        case first
        /// `THEN`: skip-till-next-match (unrelated events in between are ignored).
        case then
        /// `NEXT`: strict contiguity within the partition.
        case next
        /// `THEN ANY`: skip-till-any-match (every combination).
        case thenAny
        /// `THEN NOT`: no such event between the steps around it; last, absence.
        case thenNot
    }

    /// `{n}`, `{n,m}`, `{n,}`, `+` (`{1,}`), `?` (`{0,1}`).
    public struct Quantifier: Hashable, Sendable {
        public var min: Int
        /// nil: no upper bound.
        public var max: Int?
        public var range: SourceRange
        public init(min: Int, max: Int?, range: SourceRange) {
            self.min = min
            self.max = max
            self.range = range
        }

        /// The shortest way to write it: `?`, `+`, `{3}`, `{3,5}`, `{3,}` (for messages).
        package var writtenText: String {
            switch (min, max) {
            case (0, 1?): return "?"
            case (1, nil): return "+"
            case (let n, nil): return "{\(n),}"
            case (let n, let m?) where n == m: return "{\(n)}"
            case (let n, let m?): return "{\(n),\(m)}"
            }
        }
    }

    public var contiguity: Contiguity
    /// The keyword(s) before the step (`MATCH`, `THEN`, `THEN NOT`, ...).
    public var keywordRange: SourceRange
    public var alias: Name
    public var type: EventTypePattern
    public var quantifier: Quantifier?
    public var whereClause: Expr?
    public var within: DurationLiteral?
    /// From the keyword(s) before it to its last clause.
    public var range: SourceRange

    public init(
        contiguity: Contiguity, keywordRange: SourceRange, alias: Name, type: EventTypePattern, quantifier: Quantifier?,
        whereClause: Expr?, within: DurationLiteral?, range: SourceRange
    ) {
        self.contiguity = contiguity
        self.keywordRange = keywordRange
        self.alias = alias
        self.type = type
        self.quantifier = quantifier
        self.whereClause = whereClause
        self.within = within
        self.range = range
    }
}
