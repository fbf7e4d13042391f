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

    /// Whether the expression's static type is Boolean (a filter).
    package var isBoolean: Bool { root.type == .bool }

    init(source: SourceFile, root: Node, diagnostics: [Diagnostic]) {
        self.source = source
        self.root = root
        self.diagnostics = diagnostics
        onEvent = EvaluatorBuilder<EventView>.build(root)
        onDocument = EvaluatorBuilder<DocumentView>.build(root)
    }

    /// CESQL's result: a value and at most one error (fail-fast). On an error the value is the zero
    /// value of the expression's type, or the value a failing built-in function defines.
    @inline(__always)
    package func evaluate(_ event: Event) -> (value: Val, error: EvaluationErrorKind?) {
        event.withView { finish(onEvent($0), $0) }
    }

    @inline(__always)
    package func evaluate(_ document: DocumentView) -> (value: Val, error: EvaluationErrorKind?) {
        finish(onDocument(document), document)
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
    func finish<S: EventSource>(_ v: Val, _ s: S) -> (value: Val, error: EvaluationErrorKind?) {
        guard case .error(let kind) = v else { return (v, nil) }
        return (ExpressionProgram.errorValue(of: root, s), kind)
    }

    /// The value an erring node gives (the slow path: it builds evaluators): the value a failing
    /// built-in function defines, when its arguments did not fail; for `COALESCE`, the value of
    /// the argument it returned (the first that is not missing), or when every argument is
    /// missing, the zero of their common type; otherwise the zero of the node's static type.
    static func errorValue<S: EventSource>(of node: Node, _ s: S) -> Val {
        var node = node
        while true {
            switch node.op {
            case .call(let function, let args):
                guard let fallback = function.fallback else { return node.type.zero }
                // The function itself failed (its arguments did not): CESQL gives its defined value.
                var values: [Val] = []
                for (i, arg) in args.enumerated() {
                    let a = function.cast(EvaluatorBuilder<S>.build(arg)(s), i)
                    if a.isError { return node.type.zero }
                    values.append(a)
                }
                return fallback(values)
            case .coalesce(let args):
                let returned = args.first { arg in
                    if case .error(.missingAttribute) = EvaluatorBuilder<S>.build(arg)(s) { return false }
                    return true
                }
                guard let returned else { return commonType(args.map(\.type)).zero }
                node = returned
            default:
                return node.type.zero
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
    /// does not compile. Warnings come back in both cases.
    package static func compile(_ source: SourceFile, options: CompileOptions = CompileOptions())
        -> (expression: ExpressionProgram?, diagnostics: [Diagnostic])
    {
        let parsed = ExpressionParser.parse(
            source, options: ParseOptions(dialect: options.dialect, maxDepth: options.maxDepth))
        var diagnostics = parsed.diagnostics
        guard let expr = parsed.expression, !parsed.hasErrors else { return (nil, diagnostics) }
        var lowering = Lowering(options: options)
        let lowered = lowering.lower(expr)
        diagnostics += lowering.diagnostics
        if diagnostics.contains(where: \.isError) { return (nil, diagnostics) }
        var folding = ConstantFolding()
        let root = folding.fold(lowered)
        diagnostics += folding.diagnostics
        return (ExpressionProgram(source: source, root: root, diagnostics: diagnostics), diagnostics)
    }
}
