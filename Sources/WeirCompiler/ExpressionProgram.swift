import WeirCore
import WeirSyntax

/// A compiled expression: immutable, `Sendable`, evaluated any number of times, on owned events
/// or on the parser's view of a document being ingested.
package struct ExpressionProgram: Sendable {
    package let source: SourceFile
    package let diagnostics: [Diagnostic]
    let root: Node
    let onEvent: Evaluator<EventView>
    let onDocument: Evaluator<DocumentView>
    /// What an erring evaluation gives (see `ErrorValue`), planned once here.
    let errorOnEvent: ErrorValue<EventView>
    let errorOnDocument: ErrorValue<DocumentView>

    /// Whether the expression's static type is Boolean (a filter).
    package var isBoolean: Bool { root.type == .bool }

    init(source: SourceFile, root: Node, diagnostics: [Diagnostic]) {
        self.source = source
        self.root = root
        self.diagnostics = diagnostics
        onEvent = EvaluatorBuilder<EventView>.build(root)
        onDocument = EvaluatorBuilder<DocumentView>.build(root)
        errorOnEvent = ErrorValue(root)
        errorOnDocument = ErrorValue(root)
    }

    /// CESQL's result: a value and at most one error (fail-fast). On an error the value is the zero
    /// value of the expression's type, or the value a failing built-in function defines.
    @inline(__always)
    package func evaluate(_ event: Event) -> (value: Val, error: EvaluationErrorKind?) {
        event.withView { finish(onEvent($0), $0, errorOnEvent) }
    }

    @inline(__always)
    package func evaluate(_ document: DocumentView) -> (value: Val, error: EvaluationErrorKind?) {
        finish(onDocument(document), document, errorOnDocument)
    }

    /// True only for a Boolean `true` with no error: the filter semantics of CESQL 1.2.
    @inline(__always)
    package func isTrue(_ document: DocumentView) -> Bool {
        if case .bool(true) = onDocument(document) { return true }
        return false
    }

    @inline(__always)
    package func isTrue(_ event: Event) -> Bool {
        event.withView {
            if case .bool(true) = onEvent($0) { return true }
            return false
        }
    }

    @inline(__always)
    func finish<S: Activation>(_ v: Val, _ s: S, _ plan: ErrorValue<S>) -> (value: Val, error: EvaluationErrorKind?) {
        guard case .error(let kind) = v else { return (v, nil) }
        return (plan.value(s), kind)
    }
}

/// The value an erring expression gives, planned once when it compiles (evaluators built then,
/// not on the evaluating thread, whose stack may be small): the value a failing built-in
/// function defines when its arguments did not fail; for `COALESCE`, the value of the argument
/// it returned (the first that is not missing), or when every argument is missing the zero of
/// their common type; otherwise the zero of the node's static type.
indirect enum ErrorValue<S: Activation>: Sendable {
    case zero(Val)
    case fallback(Function, [Evaluator<S>], zero: Val)
    case coalesce([(Evaluator<S>, ErrorValue<S>)], zero: Val)

    init(_ node: Node) {
        switch node.op {
        case .call(let function, let args) where function.fallback != nil:
            self = .fallback(function, args.map { EvaluatorBuilder<S>.build($0) }, zero: node.type.zero)
        case .coalesce(let args):
            self = .coalesce(args.map { (EvaluatorBuilder<S>.build($0), ErrorValue($0)) },
                             zero: ErrorValue.commonType(args.map(\.type)).zero)
        default:
            self = .zero(node.type.zero)
        }
    }

    func value(_ s: S) -> Val {
        var plan = self
        while true {
            switch plan {
            case .zero(let v):
                return v
            case .fallback(let function, let arguments, let zero):
                // The function itself failed (its arguments did not): CESQL gives its defined value.
                var values: [Val] = []
                for (i, argument) in arguments.enumerated() {
                    let a = function.cast(argument(s), i)
                    if a.isError { return zero }
                    values.append(a)
                }
                return function.fallback!(Arguments(values))
            case .coalesce(let arguments, let zero):
                let returned = arguments.first { argument in
                    if case .error(.missingAttribute) = argument.0(s) { return false }
                    return true
                }
                guard let returned else { return zero }
                plan = returned.1
            }
        }
    }

    /// The common static type of `COALESCE`'s arguments: their type when they share one, a
    /// number when all are numbers (a double when one is), else unknown (whose zero is `false`).
    static func commonType(_ types: [StaticType]) -> StaticType {
        guard let first = types.first else { return .dynamic }
        if types.allSatisfy({ $0 == first }) { return first }
        let numbers: [StaticType] = [.int, .long, .double, .number]
        if types.allSatisfy(numbers.contains) { return types.contains(.double) ? .double : .number }
        return .dynamic
    }
}

/// Compiles expressions: parse, lower, fold, build evaluators.
package enum ExpressionCompiler {
    /// Compiles `source`; returns nil (and the diagnostics, with at least one error) when it
    /// does not compile. Warnings come back in both cases. Safe on a thread with a small
    /// stack: the recursive passes run on a helper thread with a large one (`LargeStack`).
    package static func compile(_ source: SourceFile, options: CompileOptions = CompileOptions())
        -> (expression: ExpressionProgram?, diagnostics: [Diagnostic])
    {
        LargeStack.run { compileHere(source, options: options) }
    }

    private static func compileHere(_ source: SourceFile, options: CompileOptions)
        -> (expression: ExpressionProgram?, diagnostics: [Diagnostic])
    {
        let parsed = ExpressionParser.parseHere(
            source, options: ParseOptions(dialect: options.dialect, maxDepth: options.maxDepth))
        guard let expr = parsed.expression else { return (nil, parsed.diagnostics) }
        // Checked even after a syntax error, so that one run reports every problem; the
        // parser's `.invalid` placeholders are lowered to nodes nothing reports on.
        var lowering = Lowering(options: options)
        var folding = ConstantFolding()
        let root = folding.fold(lowering.lower(expr))
        let diagnostics = Lowering.inSourceOrder(parsed.diagnostics + lowering.diagnostics + folding.diagnostics)
        if diagnostics.contains(where: \.isError) { return (nil, diagnostics) }
        return (ExpressionProgram(source: source, root: root, diagnostics: diagnostics), diagnostics)
    }
}
