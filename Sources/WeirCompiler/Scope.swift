import WeirCore
import WeirSyntax

/// The names a clause can read, resolved at compile time.
///
/// - `.expression` (`weir eval`): CloudEvents attributes and `data`; unknown functions are warnings.
/// - `.event` (rule files: RULE clauses, AGGREGATE WHERE and GROUP BY, aggregate arguments):
///   the current event's attributes and `data`; a dotted path whose root is not `data` is an error.
/// - `.fire` (AGGREGATE HAVING and EMIT): `key`, `window.start`, `window.end` and aggregate
///   calls; the event is read only inside an aggregate's argument.
struct Scope: Sendable {
    enum Mode: Sendable { case expression, event, fire }
    var mode: Mode
    /// Lowering the argument of an aggregate call (the event is readable there).
    var insideAggregate: String?
    /// An AGGREGATE with no GROUP BY: `key` is always missing.
    var keyless = false
    /// In a PATTERN: its aliases and where the expression is (`PatternScope`).
    var pattern: PatternScope?

    static let expression = Scope(mode: .expression)
    static let event = Scope(mode: .event)
    static let fire = Scope(mode: .fire)

    init(mode: Mode, insideAggregate: String? = nil) {
        self.mode = mode
        self.insideAggregate = insideAggregate
    }

    var isRuleFile: Bool { mode != .expression }
    /// Whether `key`, `window` and aggregate calls are in scope here.
    var firesWindow: Bool { mode == .fire && insideAggregate == nil }
    /// Whether the current event can be read here.
    var readsEvent: Bool { mode != .fire || insideAggregate != nil }

    /// The CloudEvents attributes the specification defines: never objects.
    static let cloudEventsAttributes: Set<String> = [
        "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema",
    ]

    /// The roots a dotted path may start from here, for suggestions.
    var pathRoots: [String] { firesWindow ? ["data", "key", "window"] : ["data"] }
}

/// An aggregate call found while lowering HAVING and EMIT: one slot per distinct call.
struct CollectedAggregate: Sendable {
    var function: AggregateCall.Function
    var argument: Node?
    /// `sum(data.amount)`: the function and its argument's source text, the deduplication key.
    var text: String
    var range: SourceRange
}

extension AggregateCall.Function {
    /// By the name written in a call (case-insensitive) and its argument count.
    init?(name: String, arity: Int) {
        switch name.lowercased() {
        case "count": self = arity == 0 ? .count : .countValue
        case "sum": self = .sum
        case "avg": self = .avg
        case "min": self = .min
        case "max": self = .max
        case "first": self = .first
        case "last": self = .last
        case "collect": self = .collect
        default: return nil
        }
    }

    static func isAggregate(_ name: String) -> Bool { AggregateCall.Function(name: name, arity: 1) != nil }

    /// The type of the aggregate's result, as far as the compiler knows.
    var resultType: StaticType {
        switch self {
        case .count, .countValue: return .long
        case .sum: return .number
        case .avg: return .double
        case .min, .max, .first, .last: return .dynamic
        case .collect: return .array
        }
    }
}

extension Lowering {
    /// A bare name in a rule file.
    mutating func ruleIdentifier(_ name: String, _ r: SourceRange) -> Node {
        let lower = name.lowercased()
        if lower == "key" || lower == "window" {
            guard scope.firesWindow else { return outOfScope(lower, r) }
            if lower == "key" { return keyNode(r) }
            diagnostics.append(.error(.type, CompilerMessages.windowNeedsField, at: r))
            return Node(.constant(.error(.missingAttribute)), .dynamic, r)
        }
        guard scope.readsEvent else { return eventReadAtFireTime(name, r) }
        return Node(.path(attributePath(name), stringify: false), .dynamic, r)
    }

    /// A dotted path in a rule file: into `data`, `key`, `window`, or an error.
    mutating func rulePath(_ root: String, _ selectors: [Selector], _ r: SourceRange) -> Node {
        let lower = root.lowercased()
        let steps = Lowering.steps(selectors)
        switch lower {
        case "data":
            guard scope.readsEvent else { return eventReadAtFireTime(Expr.pathText(root: root, selectors: selectors), r) }
            return Node(.path(FieldPath(root: .data, steps: steps), stringify: false), .dynamic, r)
        case "key":
            guard scope.firesWindow else { return outOfScope(lower, r) }
            return Node(.select(keyNode(r), steps), .dynamic, r)
        case "window":
            guard scope.firesWindow else { return outOfScope(lower, r) }
            if steps.count == 1, case .key(let field) = steps[0] {
                if field == "start" { return Node(.slot(FireSlot.windowStart), .string, r) }
                if field == "end" { return Node(.slot(FireSlot.windowEnd), .string, r) }
            }
            diagnostics.append(.error(.type, CompilerMessages.windowNeedsField, at: r))
            return Node(.constant(.error(.missingAttribute)), .dynamic, r)
        default:
            if Scope.cloudEventsAttributes.contains(lower) {
                diagnostics.append(.error(.type, CompilerMessages.notAnObject(lower), at: r))
            } else {
                var message = CompilerMessages.unknownAlias(root)
                if let s = Suggestions.closest(to: root, in: scope.pathRoots.map { $0.uppercased() }) {
                    message += "; " + CompilerMessages.didYouMean(s.lowercased())
                }
                diagnostics.append(.error(.unknownName, message, at: r))
            }
            return Node(.constant(.error(.missingAttribute)), .dynamic, r)
        }
    }

    /// `key` at fire time (a warning when there is no GROUP BY).
    mutating func keyNode(_ r: SourceRange) -> Node {
        if scope.keyless { diagnostics.append(.warning(.lint, CompilerMessages.keyWithoutGroupBy, at: r)) }
        return Node(.slot(FireSlot.key), .dynamic, r)
    }

    /// `EXISTS x` in a rule file where `x` is not an event read it may make: refused, or nil
    /// to lower it as usual.
    mutating func ruleExists(_ target: Expr, _ r: SourceRange) -> Node? {
        if case .identifier(let name) = target.kind, ["key", "window"].contains(name.lowercased()) {
            if scope.firesWindow {
                diagnostics.append(.error(.syntax, CompilerMessages.existsNeedsName, at: target.range))
            } else {
                _ = outOfScope(name.lowercased(), target.range)
            }
            return Node(.constant(.bool(false)), .bool, r)
        }
        guard !scope.readsEvent else { return nil }
        switch target.kind {
        case .identifier(let name) where !["key", "window"].contains(name.lowercased()):
            _ = eventReadAtFireTime(name, target.range)
        case .path(let root, let selectors) where root.lowercased() == "data":
            _ = eventReadAtFireTime(Expr.pathText(root: root, selectors: selectors), target.range)
        default:
            return nil
        }
        return Node(.constant(.bool(false)), .bool, r)
    }

    static func steps(_ selectors: [Selector]) -> [FieldPath.Step] {
        selectors.map {
            switch $0 {
            case .key(let k, _): return .key(k)
            case .index(let n, _): return .index(n)
            }
        }
    }

    /// `key` or `window` where no window fires.
    mutating func outOfScope(_ name: String, _ r: SourceRange) -> Node {
        let message = scope.insideAggregate.map { CompilerMessages.windowNameInAggregate(name, $0) }
            ?? CompilerMessages.windowNameOutsideAggregate(name)
        diagnostics.append(.error(.unknownName, message, at: r))
        return Node(.constant(.error(.missingAttribute)), .dynamic, r)
    }

    /// The event read at fire time, outside any aggregate.
    mutating func eventReadAtFireTime(_ text: String, _ r: SourceRange) -> Node {
        diagnostics.append(.error(.unknownName, CompilerMessages.readOutsideAggregate(text), at: r))
        return Node(.constant(.error(.missingAttribute)), .dynamic, r)
    }

    /// An aggregate call (`count()`, `sum(data.x)`) in a rule file: a node reading its slot.
    mutating func aggregateCall(_ name: String, _ nameRange: SourceRange, _ arguments: [Expr], _ r: SourceRange) -> Node {
        let function = name.lowercased()
        let placeholder = Node(.constant(.error(.missingAttribute)), function == "count" ? .long : .dynamic, r)
        if let outer = scope.insideAggregate {
            diagnostics.append(.error(.type, CompilerMessages.nestedAggregate(function, outer), at: nameRange))
            return placeholder
        }
        guard scope.firesWindow else {
            diagnostics.append(.error(.type, CompilerMessages.aggregateOutsideFire(function), at: nameRange))
            return placeholder
        }
        let arityOK = function == "count" ? arguments.count <= 1 : arguments.count == 1
        guard arityOK, let kind = AggregateCall.Function(name: function, arity: arguments.count) else {
            if !arguments.contains(where: { $0.kind == .invalid }) {
                diagnostics.append(.error(.unknownFunction, CompilerMessages.aggregateArity(function, arguments.count), at: nameRange))
            }
            return placeholder
        }
        var argument: Node?
        var text = function + "()"
        if let a = arguments.first {
            let saved = scope
            scope.insideAggregate = function
            argument = lower(a)
            scope = saved
            text = function + "(" + (source.map { $0.slice(a.range) } ?? "\(a)") + ")"
        }
        let index: Int
        if let found = aggregates.firstIndex(where: { $0.text == text }) {
            index = found
        } else {
            index = aggregates.count
            aggregates.append(CollectedAggregate(function: kind, argument: argument, text: text, range: r))
        }
        return Node(.slot(FireSlot.aggregate(index)), kind.resultType, r)
    }
}
