import WeirCore
import WeirSyntax

/// Options that change how an expression compiles.
public struct CompileOptions: Sendable {
    public var dialect: Dialect
    public var regexLimits: RegexLimits
    /// Deepest nesting the parser accepts (`ParseOptions.maxDepth`): from 1 to
    /// `ParseOptions.maximumDepth` (256, the default); any other value is refused with a
    /// `.limit` error, never adjusted.
    public var maxDepth: Int

    public init(dialect: Dialect = .weir, regexLimits: RegexLimits = RegexLimits(), maxDepth: Int = 256) {
        self.dialect = dialect
        self.regexLimits = regexLimits
        self.maxDepth = maxDepth
    }
}

/// Turns a parsed `Expr` into a checked `Node` tree: resolves names to field paths and calls to
/// functions, compiles LIKE and regex patterns, types every node, and reports what is certainly
/// wrong. Diagnostics accumulate; lowering always returns a tree.
struct Lowering {
    let options: CompileOptions
    var diagnostics: [Diagnostic] = []
    /// The names in scope (see `Scope`); `.expression` for `weir eval`.
    var scope: Scope
    /// The text lowered, for aggregate calls' source text (rule files).
    let source: SourceFile?
    /// The aggregate calls met at fire time, one per distinct call, in first-appearance order.
    var aggregates: [CollectedAggregate] = []
    /// In a PATTERN: the slots of a run, one per distinct alias read, in first-appearance order.
    var captures: [CollectedCapture] = []

    init(options: CompileOptions, scope: Scope = .expression, source: SourceFile? = nil) {
        self.options = options
        self.scope = scope
        self.source = source
    }

    var weir: Bool { options.dialect == .weir }

    mutating func lower(_ e: Expr) -> Node {
        let r = e.range
        switch e.kind {
        case .integer(let v):
            if let small = Int32(exactly: v) { return Node(.constant(.int(small)), .int, r) }
            return Node(.constant(.long(v)), .long, r)
        case .decimal(let d): return Node(.constant(.double(d)), .double, r)
        case .string(let s): return Node(.constant(.string(s)), .string, r)
        case .boolean(let b): return Node(.constant(.bool(b)), .bool, r)
        case .identifier(let name):
            if scope.pattern != nil { return patternIdentifier(name, r) }
            if scope.isRuleFile { return ruleIdentifier(name, r) }
            if isCESQLData(name) { return Node(.constant(.error(.missingAttribute)), .dynamic, r) }
            return Node(.path(attributePath(name), stringify: !weir), .dynamic, r)
        case .path(let root, let selectors):
            if scope.pattern != nil { return patternPath(root, selectors, r) }
            if scope.isRuleFile { return rulePath(root, selectors, r) }
            guard let path = fieldPath(root: root, selectors: selectors, range: r) else {
                return Node(.constant(.error(.missingAttribute)), .dynamic, r)
            }
            return Node(.path(path, stringify: false), .dynamic, r)
        case .unary(.not, let a):
            let x = lower(a)
            checkBoolean(x, op: "NOT")
            return Node(.not(x), .bool, r)
        case .unary(.negate, let a):
            let x = lower(a)
            checkNumber(x, op: "-")
            return Node(.negate(x), StaticType.arithmetic(x.type, .int), r)
        case .binary(let op, let a, let b):
            checkNullName(op, a, b)
            let timeCompared = checkTimeComparison(op, a, b, r)
            return binary(op, lower(a), lower(b), r, checkOperands: !timeCompared)
        case .like(let a, let pattern, let patternRange, let negated):
            let x = lower(a)
            do {
                return Node(.like(x, try LikePattern(pattern), negated: negated), .bool, r)
            } catch {
                diagnostics.append(.error(.limit, CompilerMessages.likeTooComplex(error.limit), at: patternRange))
                return Node(.constant(.bool(false)), .bool, r)
            }
        case .matches(let a, let pattern, let patternRange, let negated):
            let x = lower(a)
            do {
                let regex = try Regex(pattern, limits: options.regexLimits)
                return Node(.matches(x, regex, negated: negated), .bool, r)
            } catch {
                report(regexFailure: error, pattern: pattern, at: patternRange)
                return Node(.constant(.bool(false)), .bool, r)
            }
        case .inList(let a, let list, let negated):
            return Node(.inList(lower(a), list.map { lower($0) }, negated: negated), .bool, r)
        case .inArray(let a, let b, let negated):
            return Node(.inArray(lower(a), lower(b), negated: negated), .bool, r)
        case .exists(let target):
            if scope.pattern != nil, let node = patternExists(target, r) { return node }
            if scope.isRuleFile, let refused = ruleExists(target, r) { return refused }
            switch target.kind {
            case .identifier(let name):
                if isCESQLData(name) { return Node(.constant(.bool(false)), .bool, r) }
                return Node(.exists(attributePath(name)), .bool, r)
            case .path(let root, let selectors):
                if scope.isRuleFile {
                    let node = rulePath(root, selectors, target.range)
                    if case .path(let path, _) = node.op { return Node(.exists(path), .bool, r) }
                    return Node(.constant(.bool(false)), .bool, r)
                }
                guard let path = fieldPath(root: root, selectors: selectors, range: target.range) else {
                    return Node(.constant(.bool(false)), .bool, r)
                }
                return Node(.exists(path), .bool, r)
            case .invalid:
                return Lowering.placeholder(r)
            default:
                diagnostics.append(.error(.syntax, CompilerMessages.existsNeedsName, at: target.range))
                return Node(.constant(.bool(false)), .bool, r)
            }
        case .call(let name, let nameRange, let arguments):
            if scope.pattern != nil && AggregateCall.Function.isAggregate(name) {
                return patternAggregate(name, nameRange, arguments, r)
            }
            if scope.isRuleFile && AggregateCall.Function.isAggregate(name) {
                return aggregateCall(name, nameRange, arguments, r)
            }
            let lowered = arguments.map { lower($0) }
            // After a syntax error in the arguments their count may be wrong: say nothing of it.
            if arguments.contains(where: { $0.kind == .invalid }),
               let known = FunctionLibrary.byName[name.uppercased()], !known.contains(where: { $0.accepts(arity: lowered.count) }) {
                return Lowering.placeholder(r)
            }
            return call(name, nameRange, lowered, r)
        case .select(let base, let selectors):
            if scope.pattern != nil, case .call(let name, let nameRange, let arguments) = base.kind,
               AggregateCall.Function.isAggregate(name) {
                return patternAggregate(name, nameRange, arguments, r, then: selectors)
            }
            return Node(.select(lower(base), Lowering.steps(selectors)), .dynamic, r)
        case .array(let elements):
            return Node(.array(elements.map { lower($0) }), .array, r)
        case .object(let fields):
            return Node(.object(fields.map { LoweredField(key: $0.key, value: lower($0.value)) }), .object, r)
        case .duration(let milliseconds):
            // A duration is Integer milliseconds: `DURATION_MS(10m)` is 600000, `TIME_ADD(time, 10m)` works.
            return Node(.constant(.long(milliseconds)), .long, r)
        case .invalid:
            return Lowering.placeholder(r)
        }
    }

    /// Where the parser recovered from a syntax error (reported): a node of unknown type and
    /// value, so that no check reports on it or on what contains it (no cascade), while the
    /// rest of the tree is still checked. The expression does not compile.
    static func placeholder(_ r: SourceRange) -> Node {
        Node(.missingFunction, .dynamic, r)
    }

    /// Diagnostics of every pass, by where they point (stable for equal positions).
    static func inSourceOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated()
            .sorted { ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset) }
            .map(\.element)
    }

    // MARK: Names

    /// A bare identifier: a CloudEvents attribute (case-insensitive, as CESQL identifiers are).
    /// In the default dialect, `data` is the payload.
    func attributePath(_ name: String) -> FieldPath {
        FieldPath(root: FieldPath.Root(name: name.lowercased()))
    }

    /// In CESQL, `data` is just an attribute name, which no event carries (the payload is not an
    /// attribute): it is always missing.
    func isCESQLData(_ name: String) -> Bool { !weir && name.lowercased() == "data" }

    mutating func fieldPath(root: String, selectors: [Selector], range: SourceRange) -> FieldPath? {
        let rootPath = attributePath(root)
        switch rootPath.root {
        case .specversion, .id, .source, .type:
            diagnostics.append(.error(.type, CompilerMessages.notAnObject(root.lowercased()), at: range))
            return nil
        default: break
        }
        let steps: [FieldPath.Step] = selectors.map {
            switch $0 {
            case .key(let k, _): return .key(k)
            case .index(let n, _): return .index(n)
            }
        }
        return FieldPath(root: rootPath.root, steps: steps)
    }

    // MARK: Operators

    mutating func binary(_ op: BinaryOperator, _ a: Node, _ b: Node, _ r: SourceRange, checkOperands: Bool = true) -> Node {
        switch op {
        case .add, .subtract, .multiply, .divide, .remainder:
            checkNumber(a, op: op.symbol)
            checkNumber(b, op: op.symbol)
            let arith: ArithmeticOp =
                switch op {
                case .add: .add
                case .subtract: .subtract
                case .multiply: .multiply
                case .divide: .divide
                default: .remainder
                }
            return Node(.arithmetic(arith, a, b), StaticType.arithmetic(a.type, b.type), r)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            if checkOperands {
                checkNumber(a, op: op.symbol)
                checkNumber(b, op: op.symbol)
            }
            let cmp: ComparisonOp =
                switch op {
                case .less: .less
                case .lessOrEqual: .lessOrEqual
                case .greater: .greater
                default: .greaterOrEqual
                }
            return Node(.compare(cmp, a, b), .bool, r)
        case .equal: return Node(.equal(a, b, negated: false), .bool, r)
        case .notEqual: return Node(.equal(a, b, negated: true), .bool, r)
        case .and, .or, .xor:
            checkBoolean(a, op: op.symbol)
            checkBoolean(b, op: op.symbol)
            let node: Node.Op = op == .and ? .and(a, b) : (op == .or ? .or(a, b) : .xor(a, b))
            return Node(node, .bool, r)
        }
    }

    /// Warns when a constant operand can never be cast to a number (a certain cast error).
    mutating func checkNumber(_ n: Node, op: String) {
        guard let v = n.constant, case .error(.cast) = Cast.toNumber(v) else { return }
        diagnostics.append(.warning(.type, CompilerMessages.notANumber(describe(v), op), at: n.range))
    }

    mutating func checkBoolean(_ n: Node, op: String) {
        guard let v = n.constant, case .error(.cast) = Cast.toBool(v) else { return }
        diagnostics.append(.warning(.type, CompilerMessages.notABoolean(describe(v), op), at: n.range))
    }

    func describe(_ v: Val) -> String { Lowering.describe(v) }

    /// A value as messages show it: strings quoted, everything cut to 40 characters.
    static func describe(_ v: Val) -> String {
        var text = v.stringValue.map { Expr.quoted($0) } ?? Cast.text(v)
        if text.count > 40 { text = String(text.prefix(39)) + "…" }
        return text
    }

    // MARK: Hints

    /// `data.x = null`: in CloudEvents SQL `null` is an attribute name, not a null value.
    mutating func checkNullName(_ op: BinaryOperator, _ a: Expr, _ b: Expr) {
        guard op == .equal || op == .notEqual else { return }
        for (name, other) in [(a, b), (b, a)] {
            guard case .identifier(let n) = name.kind, n.lowercased() == "null" else { continue }
            let test = Lowering.referenceText(other).map { (op == .equal ? "NOT EXISTS " : "EXISTS ") + $0 }
            diagnostics.append(.warning(.lint, CompilerMessages.nullIsAName, at: name.range,
                                        notes: [.init(CompilerMessages.nullHint(test))]))
            return
        }
    }

    /// A name or path as written, if `e` is one (and not `null` itself).
    static func referenceText(_ e: Expr) -> String? {
        switch e.kind {
        case .identifier(let name): return name.lowercased() == "null" ? nil : name
        case .path(let root, let selectors): return Expr.pathText(root: root, selectors: selectors)
        default: return nil
        }
    }

    /// `time > '2026-01-01'`: the attribute `time` compared as a number with a string; reported
    /// (with the functions to use instead) in place of the cast warning. Returns whether it was.
    mutating func checkTimeComparison(_ op: BinaryOperator, _ a: Expr, _ b: Expr, _ r: SourceRange) -> Bool {
        guard [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(op) else { return false }
        func isTime(_ e: Expr) -> Bool {
            if case .identifier(let n) = e.kind { return n.lowercased() == "time" }
            return false
        }
        let constant: String
        let timeOnLeft: Bool
        if isTime(a), case .string(let s) = b.kind {
            (constant, timeOnLeft) = (s, true)
        } else if isTime(b), case .string(let s) = a.kind {
            (constant, timeOnLeft) = (s, false)
        } else {
            return false
        }
        var notes: [Diagnostic.Note] = []
        if weir {
            // As `time <op> constant`.
            let flipped: BinaryOperator =
                timeOnLeft ? op : [.less: .greater, .greater: .less, .lessOrEqual: .greaterOrEqual, .greaterOrEqual: .lessOrEqual][op]!
            let c = Expr.quoted(constant)
            let function: String
            switch flipped {
            case .greater: function = "TIME_AFTER(time, \(c))"
            case .less: function = "TIME_BEFORE(time, \(c))"
            case .greaterOrEqual: function = "NOT TIME_BEFORE(time, \(c))"
            default: function = "NOT TIME_AFTER(time, \(c))"
            }
            let millis = timeOnLeft
                ? "UNIX_MILLIS(time) \(op.symbol) UNIX_MILLIS(\(c))" : "UNIX_MILLIS(\(c)) \(op.symbol) UNIX_MILLIS(time)"
            notes.append(.init(CompilerMessages.timeComparisonHint(function, millis)))
        }
        diagnostics.append(.warning(.type, CompilerMessages.timeComparedAsNumber(op.symbol), at: r, notes: notes))
        return true
    }

    /// The arguments of the time functions that must be RFC 3339 timestamps.
    static let timestampArguments: [String: [Int]] = [
        "UNIX_MILLIS": [0], "UNIX_SECONDS": [0], "TIME_DIFF": [0, 1], "TIME_ADD": [0], "TIME_BEFORE": [0, 1],
        "TIME_AFTER": [0, 1], "YEAR": [0], "MONTH": [0], "DAY": [0], "HOUR": [0], "MINUTE": [0], "SECOND": [0],
        "DAY_OF_WEEK": [0],
    ]

    /// `TIME_BEFORE(time, '2026-01-01')`: a constant that can never be read as a timestamp.
    /// (When every argument is constant, folding reports the call that always fails.)
    mutating func checkTimestampArguments(_ function: Function, _ args: [Node]) {
        guard let indexes = Lowering.timestampArguments[function.name], !args.allSatisfy({ $0.constant != nil }) else { return }
        for i in indexes where i < args.count {
            guard let v = args[i].constant, !v.isError, case .string(let text) = Cast.toString(v),
                  Timestamp(rfc3339: text) == nil else { continue }
            let bytes = Array(text.utf8)
            let isDate = bytes.count == 10 && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
            let example = isDate ? text + "T00:00:00Z" : "2026-01-01T00:00:00Z"
            diagnostics.append(.warning(.constantError, CompilerMessages.notATimestamp(describe(v), function.name), at: args[i].range,
                                        notes: [.init(CompilerMessages.timestampHint(example))]))
        }
    }

    // MARK: Calls

    mutating func call(_ name: String, _ nameRange: SourceRange, _ args: [Node], _ r: SourceRange) -> Node {
        let upper = name.uppercased()
        if weir && upper == "COALESCE" && !args.isEmpty {
            return Node(.coalesce(args), .dynamic, r)
        }
        let candidates = (FunctionLibrary.byName[upper] ?? []).filter { weir || !$0.weirOnly }
        if let function = candidates.first(where: { $0.accepts(arity: args.count) }) {
            checkTimestampArguments(function, args)
            for (i, arg) in args.enumerated() {
                switch function.parameter(i) {
                case .integer, .number: checkNumber(arg, op: upper)
                case .boolean: checkBoolean(arg, op: upper)
                default: break
                }
            }
            return Node(.call(function, args), function.returns, r)
        }
        // No function of that name and arity: CESQL dispatch fails (false + missingFunction).
        var message = CompilerMessages.unknownFunction(name)
        var notes: [Diagnostic.Note] = []
        if let f = candidates.first {
            let expected = f.maxArity == nil ? "at least \(f.minArity) arguments"
                : (f.minArity == f.maxArity! ? "\(f.minArity) argument\(f.minArity == 1 ? "" : "s")"
                    : "\(f.minArity) to \(f.maxArity!) arguments")
            message = CompilerMessages.wrongArity(upper, expected, args.count)
            notes.append(.init(f.signature))
        } else if upper == "COALESCE" && weir {
            message = CompilerMessages.wrongArity(upper, "at least 1 argument", 0)
        } else if upper == "NOW" {
            message = CompilerMessages.noNow
        } else if let suggestion = Suggestions.closest(to: upper, in: FunctionLibrary.names(weir: weir)) {
            message += "; " + CompilerMessages.didYouMean(suggestion.lowercased())
        }
        // In `weir eval` a warning, not an error: CESQL defines the call's result (false plus a
        // missingFunction error, section 3.5), and a CESQL expression must give exactly that.
        // In a rule file an error: a rule that silently never fires is the worst outcome.
        if scope.isRuleFile {
            diagnostics.append(.error(.unknownFunction, message, at: nameRange, notes: notes))
        } else {
            notes.append(.init(CompilerMessages.missingFunctionAtRuntime))
            diagnostics.append(.warning(.unknownFunction, message, at: nameRange, notes: notes))
        }
        return Node(.missingFunction, .bool, r)
    }

    mutating func report(regexFailure: Regex.Failure, pattern: String, at range: SourceRange) {
        switch regexFailure {
        case .invalid(let message, let offset):
            // Point inside the literal, past the opening quote, at PCRE2's offset, when the
            // literal has no escapes (its text is then as long as the pattern); otherwise at
            // the whole literal, since offsets in the pattern no longer match the source.
            let written = range.end - range.start - 2
            let inside = range.start + 1 + offset
            let at = written == pattern.utf8.count && inside < range.end ? SourceRange(at: inside) : range
            diagnostics.append(.error(.invalidPattern, CompilerMessages.invalidRegex(message), at: at))
        case .backreference:
            diagnostics.append(.error(.invalidPattern, CompilerMessages.regexBackreference, at: range))
        case .tooLong(let limit):
            diagnostics.append(.error(.limit, CompilerMessages.regexTooLong(limit), at: range))
        }
    }
}

/// "Did you mean" suggestions by edit distance.
enum Suggestions {
    static func closest(to word: String, in candidates: [String]) -> String? {
        let w = Array(word.uppercased().unicodeScalars)
        var best: (String, Int)?
        for c in Set(candidates) {
            let d = distance(w, Array(c.unicodeScalars))
            if d <= max(1, w.count / 3), best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        return best?.0
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
