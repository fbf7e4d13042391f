import WeirCore
import WeirSyntax

/// The aliases of a PATTERN, and where in it an expression is lowered. Reads of an alias
/// become slots of the run (`CollectedCapture`), filled when an event binds to the alias.
struct PatternScope: Sendable {
    struct Alias: Sendable {
        var name: String
        var step: Int
        var min: Int
        var max: Int?
        var negated: Bool
        var quantifierText: String
        /// A single event may be read by path (`login.data.userId`).
        var isSingle: Bool { min == 1 && max == 1 }
        /// Possibly unbound on a match (`x?`).
        var isOptionalSingle: Bool { min == 0 && max == 1 }
    }

    /// Where the expression being lowered is.
    enum Place: Sendable, Equatable {
        /// `PARTITION BY`: each event, before any run.
        case partition
        /// The WHERE of step `i`: the current event plus what earlier steps bound.
        case step(Int)
        /// `EMIT`: the complete match, no current event.
        case emit
        /// `ON TIMEOUT EMIT`: what the run bound before it expired.
        case timeout
        /// A SAGA's command sent at position `i`: no current event; aliases bound before `i`.
        case send(Int)
    }

    /// In a SAGA's ON FAILURE: `error.message`, `error.kind`, `error.step`, `error.attempt` are
    /// slots 0 to 3.
    var errorFields = false
    /// In a SAGA (where `error` is a name of ON FAILURE).
    var isSaga = false
    static let errorFieldNames = ["message", "kind", "step", "attempt"]

    var aliases: [String: Alias]
    /// In step order, for suggestions.
    var names: [String]
    var place: Place = .partition
    /// Inside an aggregate's argument: the alias aggregated (its paths read each bound event).
    var aggregated: String?

    init(_ steps: [PatternStep]) {
        var aliases: [String: Alias] = [:]
        for (i, step) in steps.enumerated() where aliases[step.alias.text] == nil {
            let q = step.quantifier
            aliases[step.alias.text] = Alias(
                name: step.alias.text, step: i, min: q?.min ?? 1, max: q == nil ? 1 : q?.max,
                negated: step.contiguity == .thenNot, quantifierText: q?.writtenText ?? "")
        }
        self.aliases = aliases
        names = steps.map(\.alias.text)
    }

    /// A SAGA's aliases, each bound at a position (`names[i]` says what position `i` is, for
    /// messages).
    init(saga aliases: [(name: String, position: Int)], names: [String]) {
        var byName: [String: Alias] = [:]
        for (name, position) in aliases where byName[name] == nil {
            byName[name] = Alias(name: name, step: position, min: 1, max: 1, negated: false, quantifierText: "")
        }
        self.aliases = byName
        self.names = names
        isSaga = true
    }


    /// Whether the current event can be read here.
    var readsEvent: Bool {
        if aggregated != nil { return true }
        switch place {
        case .partition, .step: return true
        case .emit, .timeout, .send: return false
        }
    }
}

/// One slot of a run: an alias's value at a path, or an aggregate over its iterations.
struct CollectedCapture: Sendable {
    var alias: String
    var step: Int
    var function: AggregateCall.Function?
    /// On the bound event (nil: `count(alias)`).
    var argument: Node?
    /// `login.data.userId`, `count(fails)`: the deduplication key and the slot's name.
    var text: String
}

extension Lowering {
    /// A bare name in a PATTERN: an attribute of the current event, or an alias read whole.
    mutating func patternIdentifier(_ name: String, _ r: SourceRange) -> Node {
        guard let pattern = scope.pattern else { return ruleIdentifier(name, r) }
        if let alias = pattern.aliases[name] {
            if case .step(let i) = pattern.place, alias.step == i, alias.isSingle {
                diagnostics.append(.error(.type, CompilerMessages.aliasReadWhole(name, current: true), at: r))
            } else if !alias.isSingle && !alias.isOptionalSingle {
                diagnostics.append(.error(.type, CompilerMessages.quantifiedReadAsSingle(name, alias.quantifierText), at: r))
            } else {
                diagnostics.append(.error(.type, CompilerMessages.aliasReadWhole(name, current: false), at: r))
            }
            return Lowering.missing(r)
        }
        guard pattern.readsEvent else { return noCurrentEvent(name, r) }
        return withoutPattern { $0.ruleIdentifier(name, r) }
    }

    /// A dotted path in a PATTERN: into the current event (`data.x`), or an alias's field.
    mutating func patternPath(_ root: String, _ selectors: [Selector], _ r: SourceRange) -> Node {
        guard let pattern = scope.pattern else { return rulePath(root, selectors, r) }
        if pattern.isSaga, root == "error", pattern.aliases[root] == nil { return sagaError(selectors, r) }
        guard let alias = pattern.aliases[root] else {
            if root.lowercased() == "data" || Scope.cloudEventsAttributes.contains(root.lowercased()) {
                guard pattern.readsEvent else { return noCurrentEvent(Expr.pathText(root: root, selectors: selectors), r) }
                return withoutPattern { $0.rulePath(root, selectors, r) }
            }
            var message = CompilerMessages.unknownAlias(root)
            let candidates = pattern.names + (pattern.readsEvent ? ["data"] : [])
            if let s = Suggestions.closest(to: root, in: candidates.map { $0.uppercased() }),
               let original = candidates.first(where: { $0.uppercased() == s }) {
                message += "; " + CompilerMessages.didYouMean(original)
            }
            diagnostics.append(.error(.unknownName, message, at: r))
            return Lowering.missing(r)
        }
        // The alias being aggregated, inside the aggregate's argument: each bound event.
        if let aggregated = pattern.aggregated {
            guard aggregated == root else {
                diagnostics.append(.error(.type, CompilerMessages.aggregateReadsOneAlias(aggregated, root), at: r))
                return Lowering.missing(r)
            }
            return boundEventPath(selectors, r)
        }
        // A step's own alias in its WHERE: the event being tested.
        if case .step(let i) = pattern.place, alias.step == i { return boundEventPath(selectors, r) }
        guard checkReadable(alias, r) else { return Lowering.missing(r) }
        if !alias.isSingle, !(alias.isOptionalSingle && pattern.place == .timeout) {
            let message = alias.isOptionalSingle
                ? CompilerMessages.optionalAliasRead(root)
                : CompilerMessages.quantifiedReadAsSingle(root, alias.quantifierText)
            diagnostics.append(.error(.type, message, at: r))
            return Lowering.missing(r)
        }
        let path = boundEventPath(selectors, r)
        guard case .path = path.op else { return path }
        let text = Expr.pathText(root: root, selectors: selectors)
        return Node(.slot(capture(alias, function: nil, argument: path, text: text)), .dynamic, r)
    }

    /// `EXISTS alias.path`: whether the alias's event had a value there (a slot holding the
    /// count of values, 0 or 1, for a single alias).
    mutating func patternExists(_ target: Expr, _ r: SourceRange) -> Node? {
        guard let pattern = scope.pattern else { return nil }
        if !pattern.readsEvent {
            switch target.kind {
            case .identifier(let name) where pattern.aliases[name] == nil:
                _ = noCurrentEvent(name, target.range)
                return Node(.constant(.bool(false)), .bool, r)
            case .path(let root, let selectors) where pattern.aliases[root] == nil:
                _ = noCurrentEvent(Expr.pathText(root: root, selectors: selectors), target.range)
                return Node(.constant(.bool(false)), .bool, r)
            default: break
            }
        }
        guard case .path(let root, let selectors) = target.kind, let alias = pattern.aliases[root],
              pattern.aggregated == nil else { return nil }
        if case .step(let i) = pattern.place, alias.step == i {
            let node = boundEventPath(selectors, target.range)
            if case .path(let path, _) = node.op { return Node(.exists(path), .bool, r) }
            return Node(.constant(.bool(false)), .bool, r)
        }
        guard checkReadable(alias, target.range) else { return Node(.constant(.bool(false)), .bool, r) }
        guard alias.isSingle || (alias.isOptionalSingle && pattern.place == .timeout) else {
            diagnostics.append(.error(.type, CompilerMessages.quantifiedReadAsSingle(root, alias.quantifierText), at: target.range))
            return Node(.constant(.bool(false)), .bool, r)
        }
        let path = boundEventPath(selectors, target.range)
        guard case .path = path.op else { return Node(.constant(.bool(false)), .bool, r) }
        let text = "EXISTS " + Expr.pathText(root: root, selectors: selectors)
        let slot = capture(alias, function: .countValue, argument: path, text: text)
        return Node(.compare(.greater, Node(.slot(slot), .long, r), Node(.constant(.long(0)), .long, r)), .bool, r)
    }

    /// An aggregate over a quantified alias: `count(fails)`, `sum(fails.data.amount)`,
    /// `last(fails).data.ip` (`selectors` after the call).
    mutating func patternAggregate(
        _ name: String, _ nameRange: SourceRange, _ arguments: [Expr], _ r: SourceRange, then selectors: [Selector] = []
    ) -> Node {
        let function = name.lowercased()
        let placeholder = Lowering.missing(r)
        guard let pattern = scope.pattern else { return placeholder }
        if let outer = pattern.aggregated {
            diagnostics.append(.error(.type, CompilerMessages.nestedAggregate(function, outer), at: nameRange))
            return placeholder
        }
        guard arguments.count == 1, let kind = AggregateCall.Function(name: function, arity: 1) else {
            if arguments.isEmpty, function == "count" {
                diagnostics.append(.error(.type, CompilerMessages.patternCountNeedsAlias(pattern.quantifiedNames.first), at: r))
            } else if !arguments.contains(where: { $0.kind == .invalid }) {
                diagnostics.append(.error(.unknownFunction, CompilerMessages.aggregateArity(function, arguments.count), at: nameRange))
            }
            return placeholder
        }
        // The alias: the argument itself (`count(fails)`), or the root of its paths.
        let argument = arguments[0]
        let aliasName: String
        var wholeAlias = false
        switch argument.kind {
        case .identifier(let n) where pattern.aliases[n] != nil:
            aliasName = n
            wholeAlias = true
        default:
            guard let root = argument.aliasRoots(pattern.aliases).first else {
                diagnostics.append(.error(.type, CompilerMessages.aggregateNeedsAlias(function, pattern.quantifiedNames.first), at: argument.range))
                return placeholder
            }
            aliasName = root
        }
        let alias = pattern.aliases[aliasName]!
        if case .step(let i) = pattern.place, alias.step == i {
            // Its own iterations so far, before the event being tested: fine.
        } else {
            guard checkReadable(alias, argument.range) else { return placeholder }
        }
        if alias.isSingle {
            diagnostics.append(.error(.type, CompilerMessages.aggregateOverSingle(function, aliasName), at: argument.range))
            return placeholder
        }
        var resolved = kind
        var lowered: Node?
        var text: String
        if wholeAlias {
            switch kind {
            case .countValue:
                resolved = .count
                text = "count(\(aliasName))"
            case .first, .last:
                guard !selectors.isEmpty else {
                    diagnostics.append(.error(.type, CompilerMessages.aggregateNeedsField(function, aliasName), at: r))
                    return placeholder
                }
                let path = boundEventPath(selectors, r)
                guard case .path = path.op else { return placeholder }
                lowered = path
                text = "\(function)(\(aliasName))" + Expr.pathText(root: "", selectors: selectors)
                return Node(.slot(capture(alias, function: resolved, argument: lowered, text: text)), .dynamic, r)
            default:
                diagnostics.append(.error(.type, CompilerMessages.aggregateNeedsField(function, aliasName), at: argument.range))
                return placeholder
            }
        } else {
            var inner = scope
            inner.pattern?.aggregated = aliasName
            let saved = scope
            scope = inner
            lowered = lower(argument)
            scope = saved
            text = function + "(" + (source.map { $0.slice(argument.range) } ?? "\(argument)") + ")"
        }
        let slot = Node(.slot(capture(alias, function: resolved, argument: lowered, text: text)), resolved.resultType, r)
        return selectors.isEmpty ? slot : Node(.select(slot, Lowering.steps(selectors)), .dynamic, r)
    }

    /// Whether `alias` may be read at the current place (not negated, not later, not from
    /// PARTITION BY); reports why not.
    private mutating func checkReadable(_ alias: PatternScope.Alias, _ r: SourceRange) -> Bool {
        guard let pattern = scope.pattern else { return false }
        if pattern.place == .partition {
            diagnostics.append(.error(.unknownName, CompilerMessages.aliasInPartition(alias.name), at: r))
            return false
        }
        if alias.negated {
            diagnostics.append(.error(.type, CompilerMessages.negatedAliasRead(alias.name), at: r))
            return false
        }
        if case .step(let i) = pattern.place, alias.step > i {
            diagnostics.append(.error(.unknownName, CompilerMessages.laterAliasRead(alias.name, pattern.names[i]), at: r))
            return false
        }
        if case .send(let i) = pattern.place, alias.step >= i {
            diagnostics.append(.error(.unknownName, CompilerMessages.aliasNotYetBound(alias.name, pattern.names[i]), at: r))
            return false
        }
        return true
    }

    /// A path of the bound event (`data.userId`, `id`) from an alias's selectors.
    private mutating func boundEventPath(_ selectors: [Selector], _ r: SourceRange) -> Node {
        guard case .key(let first, _)? = selectors.first else {
            diagnostics.append(.error(.type, CompilerMessages.aliasNeedsField, at: r))
            return Lowering.missing(r)
        }
        let rest = Array(selectors.dropFirst())
        return withoutPattern { rest.isEmpty ? $0.ruleIdentifier(first, r) : $0.rulePath(first, rest, r) }
    }

    /// The slot of a capture, deduplicated by its text.
    private mutating func capture(_ alias: PatternScope.Alias, function: AggregateCall.Function?, argument: Node?, text: String) -> Int {
        if let known = captures.firstIndex(where: { $0.text == text }) { return known }
        captures.append(CollectedCapture(alias: alias.name, step: alias.step, function: function, argument: argument, text: text))
        return captures.count - 1
    }

    /// Lowers with the plain event scope (the pattern's names set aside).
    private mutating func withoutPattern(_ body: (inout Lowering) -> Node) -> Node {
        let saved = scope
        scope = Scope.event
        defer { scope = saved }
        return body(&self)
    }

    /// An event read in EMIT or ON TIMEOUT, where there is no current event.
    private mutating func noCurrentEvent(_ text: String, _ r: SourceRange) -> Node {
        let example = scope.pattern?.names.first.map { "\($0).\(text)" } ?? text
        diagnostics.append(.error(.unknownName, CompilerMessages.noCurrentEventInPatternEmit(text, example), at: r))
        return Lowering.missing(r)
    }

    static func missing(_ r: SourceRange) -> Node { Node(.constant(.error(.missingAttribute)), .dynamic, r) }

    /// `error.message`, `error.kind`, `error.step`, `error.attempt` in a SAGA's ON FAILURE.
    private mutating func sagaError(_ selectors: [Selector], _ r: SourceRange) -> Node {
        guard scope.pattern?.errorFields == true else {
            diagnostics.append(.error(.unknownName, CompilerMessages.errorOutsideOnFailure, at: r))
            return Lowering.missing(r)
        }
        guard selectors.count == 1, case .key(let field, _) = selectors[0], let slot = PatternScope.errorFieldNames.firstIndex(of: field) else {
            diagnostics.append(.error(.unknownName, CompilerMessages.errorFields, at: r))
            return Lowering.missing(r)
        }
        return Node(.slot(slot), field == "attempt" ? .long : .string, r)
    }
}

extension PatternScope {
    /// The quantified aliases, for suggestions.
    var quantifiedNames: [String] { names.filter { aliases[$0].map { !$0.isSingle && !$0.negated } ?? false } }
}

extension Expr {
    /// The roots of the paths in this expression that name an alias, in source order.
    func aliasRoots(_ aliases: [String: PatternScope.Alias]) -> [String] {
        var found: [(Int, String)] = []
        var stack = [self]
        while let e = stack.popLast() {
            switch e.kind {
            case .path(let root, _) where aliases[root] != nil: found.append((e.range.start, root))
            case .identifier(let name) where aliases[name] != nil: found.append((e.range.start, name))
            default: break
            }
            stack.append(contentsOf: e.children)
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
