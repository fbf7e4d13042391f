import WeirCompiler
import WeirSyntax

/// A compiled Weir expression (a strict superset of CloudEvents SQL v1), ready to evaluate
/// against events any number of times, from any thread.
///
/// ```swift
/// import Weir
///
/// let filter = try CompiledExpression("data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'")
/// let event = try Event(jsonText: """
///     {"specversion":"1.0","id":"o1","source":"/shop","type":"order.created",
///      "data":{"totalAmount":1250.5,"shippingAddress":{"country":"USA"}}}
///     """)
/// filter.matches(event)            // true
/// filter.evaluate(event).value     // .bool(true)
///
/// let bad = try? CompiledExpression("size(data.items) >")  // nil: the error says where and why
/// ```
///
/// Evaluation never throws: like CloudEvents SQL it returns a value plus at most one error
/// (`missingAttribute`, `cast`, `math`, ...), in which case the value is the zero value of the
/// expression's type (`false`, `0`, `''`).
public struct CompiledExpression: Sendable {
    let compiled: ExpressionProgram

    /// Compiles `text`. Throws a `CompileError` carrying every diagnostic when it does not
    /// compile; warnings of an expression that compiles are in `warnings`.
    ///
    /// - Parameters:
    ///   - dialect: `.weir` (the default) or `.cesql` for pure CloudEvents SQL v1.
    ///   - name: the source name diagnostics print (`<expr>` by default).
    public init(_ text: String, dialect: Dialect = .weir, name: String = "<expr>") throws(CompileError) {
        try self.init(text, options: CompileOptions(dialect: dialect), name: name)
    }

    /// Compiles `text` with full options (regex limits, nesting limit).
    public init(_ text: String, options: CompileOptions, name: String = "<expr>") throws(CompileError) {
        let source = SourceFile(name: name, text: text)
        let (compiled, diagnostics) = ExpressionCompiler.compile(source, options: options)
        guard let compiled else { throw CompileError(source: source, diagnostics: diagnostics) }
        self.compiled = compiled
    }

    /// Warnings found while compiling (certain cast errors, mixed AND/OR, ...).
    public var warnings: [Diagnostic] { compiled.diagnostics.filter { !$0.isError } }

    /// The warnings rendered as a compiler prints them (`<expr>:1:5: warning: ...`, source line, caret).
    public var renderedWarnings: String { DiagnosticRenderer.render(warnings, in: compiled.source) }

    /// Evaluates against an event: the value and, if evaluation failed, the CESQL error kind.
    public func evaluate(_ event: Event) -> EvaluationResult {
        let (value, error) = compiled.evaluate(event)
        return EvaluationResult(value: value.json ?? .bool(false), error: error)
    }

    /// Whether the expression is `true` for the event, with no error (CESQL's filter rule).
    public func matches(_ event: Event) -> Bool { compiled.isTrue(event) }

    /// Evaluates against the parser's view of a document being ingested (no copy of the event).
    package func evaluate(_ document: DocumentView) -> EvaluationResult {
        let (value, error) = compiled.evaluate(document)
        return EvaluationResult(value: value.json ?? .bool(false), error: error)
    }

    package func matches(_ document: DocumentView) -> Bool { compiled.isTrue(document) }

    /// When evaluating `event` fails, where and why: a diagnostic pointing at the innermost
    /// sub-expression that failed (nil when evaluation succeeds).
    ///
    /// ```swift
    /// let e = try CompiledExpression("data.total > 5 AND data.country = 'USA'")
    /// if let why = e.explain(event) { print(e.render(why)) }
    /// // <expr>:1:1: error: 'data.total' is missing from this event (missingAttribute)
    /// // 1 | data.total > 5 AND data.country = 'USA'
    /// //   | ^~~~~~~~~~
    /// ```
    ///
    /// Evaluation itself stays as fast as ever: this re-walks the expression for the one event.
    public func explain(_ event: Event) -> Diagnostic? { event.withView { compiled.explain($0) } }

    package func explain(_ document: DocumentView) -> Diagnostic? { compiled.explain(document) }

    /// A diagnostic of this expression rendered as a compiler prints it (location, source line, caret).
    public func render(_ diagnostic: Diagnostic) -> String { DiagnosticRenderer.render(diagnostic, in: compiled.source) }
}

/// The outcome of evaluating an expression: a value and at most one error.
public struct EvaluationResult: Sendable, Hashable, CustomStringConvertible {
    /// The value; when `error` is set, the zero value of the expression's type (or the value a
    /// failing built-in function defines, such as `LEFT('abc', -1)` giving `'abc'`).
    public var value: JSONValue
    public var error: EvaluationErrorKind?

    public init(value: JSONValue, error: EvaluationErrorKind? = nil) {
        self.value = value
        self.error = error
    }

    /// True only for a Boolean `true` with no error.
    public var isTrue: Bool { value == .bool(true) && error == nil }

    public var description: String {
        error.map { "\(value) (error: \($0))" } ?? value.description
    }
}

/// An expression that did not compile: every diagnostic, and their rendering.
public struct CompileError: Error, Sendable, CustomStringConvertible {
    public let source: SourceFile
    public let diagnostics: [Diagnostic]

    /// `file:line:column: error: message`, the source line and a caret, for every diagnostic.
    public var description: String { DiagnosticRenderer.render(diagnostics, in: source) }
}

extension Event {
    /// Parses one CloudEvent from JSON text (structured mode), checking the required attributes.
    public init(jsonText: String) throws(IngestFailure) {
        self = try EventReader.parseEvent(jsonText)
    }

    /// Parses one CloudEvent from UTF-8 JSON bytes (structured mode), checking the required attributes.
    public init(jsonBytes: [UInt8]) throws(IngestFailure) {
        self = try EventReader.parseEvent(jsonBytes)
    }
}
