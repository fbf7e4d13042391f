/// Parses a whole source text as one expression (a CloudEvents SQL filter, or an expression
/// given on the command line).
///
///     let source = SourceFile(name: "<expr>", text: "data.total > 1000 AND type = 'order.created'")
///     let result = ExpressionParser.parse(source)
///     if result.hasErrors { print(DiagnosticRenderer.render(result.diagnostics, in: source)) }
public enum ExpressionParser {
    /// Parses `source` as exactly one expression (anything after it is an error), recovering
    /// from errors so that each problem is reported once. Never traps, whatever the input;
    /// input longer than `options.maxLength` or nested deeper than `options.maxDepth` gets
    /// one `.limit` error and no expression, as does a `maxDepth` outside
    /// `1...ParseOptions.maximumDepth`. Safe on a thread with a small stack: the recursive
    /// descent runs on a helper thread with a large one.
    public static func parse(_ source: SourceFile, options: ParseOptions = ParseOptions()) -> ParseResult {
        LargeStack.run { parseHere(source, options: options) }
    }

    /// `parse(_:options:)` on the calling thread, for callers already on a `LargeStack`.
    package static func parseHere(_ source: SourceFile, options: ParseOptions) -> ParseResult {
        if let refusal = refusal(of: options) { return ParseResult(expression: nil, diagnostics: [refusal]) }
        guard source.bytes.count <= options.maxLength else {
            let message = DiagnosticMessages.inputTooLong(source.bytes.count, limit: options.maxLength)
            return ParseResult(expression: nil, diagnostics: [.error(.limit, message, at: SourceRange(at: 0))])
        }
        var parser = Parser(source: source, options: options)
        let expression = parser.parseWholeExpression()
        return ParseResult(expression: expression, diagnostics: parser.sortedDiagnostics)
    }

    /// The `.limit` error for a depth limit that cannot be honoured (above the supported
    /// maximum, or below 1): a limit is refused, never silently changed.
    static func refusal(of options: ParseOptions) -> Diagnostic? {
        guard options.maxDepth < 1 || options.maxDepth > ParseOptions.maximumDepth else { return nil }
        return .error(.limit, DiagnosticMessages.unsupportedDepthLimit(options.maxDepth, maximum: ParseOptions.maximumDepth),
                      at: SourceRange(at: 0))
    }
}

extension Parser {
    /// The whole input as one expression; nil when there is none (empty input, a limit hit,
    /// or nothing but an error).
    ///
    ///     cesql-expression ::= expression EOF        (* the whole input is one expression *)
    mutating func parseWholeExpression() -> Expr? {
        if current.kind == .end {
            syntaxErrorAtCurrent(DiagnosticMessages.expectedExpression(found: found))
            return nil
        }
        let parsed = parseBinaryExpression()
        if aborted { return nil }
        if current.kind != .end {
            var notes: [Diagnostic.Note] = []
            if current.kind == .string, index > 0, tokens[index - 1].kind == .string,
               tokens[index - 1].range.end == current.range.start {
                notes.append(Diagnostic.Note(DiagnosticMessages.adjacentStringsNote))
            }
            var message = DiagnosticMessages.unexpectedAfterExpression(found)
            if let suggestion = keywordTypoSuggestion() { message += "; " + suggestion }
            syntaxErrorAtCurrent(message, notes: notes)
        }
        if case .invalid = parsed.expr.kind { return nil }
        return parsed.expr
    }
}
