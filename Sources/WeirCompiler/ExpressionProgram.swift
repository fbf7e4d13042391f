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
    /// When the root is a call to a function with a fallback value, its arguments' evaluators,
    /// built once here: `finish` needs them, and building them there would recurse on the
    /// evaluating thread's stack as deep as the tree.
    let rootArgumentsOnEvent: [Evaluator<EventView>]
    let rootArgumentsOnDocument: [Evaluator<DocumentView>]

    /// Whether the expression's static type is Boolean (a filter).
    package var isBoolean: Bool { root.type == .bool }

    init(source: SourceFile, root: Node, diagnostics: [Diagnostic]) {
        self.source = source
        self.root = root
        self.diagnostics = diagnostics
        onEvent = EvaluatorBuilder<EventView>.build(root)
        onDocument = EvaluatorBuilder<DocumentView>.build(root)
        if case .call(let function, let args) = root.op, function.fallback != nil {
            rootArgumentsOnEvent = args.map { EvaluatorBuilder<EventView>.build($0) }
            rootArgumentsOnDocument = args.map { EvaluatorBuilder<DocumentView>.build($0) }
        } else {
            rootArgumentsOnEvent = []
            rootArgumentsOnDocument = []
        }
    }

    /// CESQL's result: a value and at most one error (fail-fast). On an error the value is the zero
    /// value of the expression's type, or the value a failing built-in function defines.
    @inline(__always)
    package func evaluate(_ event: Event) -> (value: Val, error: EvaluationErrorKind?) {
        event.withView { finish(onEvent($0), $0, rootArgumentsOnEvent) }
    }

    @inline(__always)
    package func evaluate(_ document: DocumentView) -> (value: Val, error: EvaluationErrorKind?) {
        finish(onDocument(document), document, rootArgumentsOnDocument)
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
    func finish<S: EventSource>(_ v: Val, _ s: S, _ arguments: [Evaluator<S>]) -> (value: Val, error: EvaluationErrorKind?) {
        guard case .error(let kind) = v else { return (v, nil) }
        if case .call(let function, _) = root.op, let fallback = function.fallback {
            // The function itself failed (its arguments did not): CESQL gives its defined value.
            var values: [Val] = []
            for (i, argument) in arguments.enumerated() {
                let a = function.cast(argument(s), i)
                if a.isError { return (root.type.zero, kind) }
                values.append(a)
            }
            return (fallback(values), kind)
        }
        return (root.type.zero, kind)
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
