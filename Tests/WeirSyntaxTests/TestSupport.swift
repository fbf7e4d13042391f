import WeirSyntax

/// Parses `text` as a command-line expression (`<expr>`).
func parse(_ text: String, dialect: Dialect = .weir, maxDepth: Int = 256) -> (ParseResult, SourceFile) {
    let source = SourceFile(name: "<expr>", text: text)
    return (ExpressionParser.parse(source, options: ParseOptions(dialect: dialect, maxDepth: maxDepth)), source)
}

/// The AST dump of `text`, or the rendered diagnostics if it has any.
func dump(_ text: String, dialect: Dialect = .weir) -> String {
    let (result, source) = parse(text, dialect: dialect)
    if !result.diagnostics.isEmpty {
        return DiagnosticRenderer.render(result.diagnostics, in: source)
    }
    return result.expression?.dump(in: source) ?? "<nil>"
}

/// The rendered diagnostics of `text` (empty if none).
func diagnostics(_ text: String, dialect: Dialect = .weir) -> String {
    let (result, source) = parse(text, dialect: dialect)
    return DiagnosticRenderer.render(result.diagnostics, in: source)
}

/// The messages of `text`'s diagnostics.
func messages(_ text: String, dialect: Dialect = .weir) -> [String] {
    parse(text, dialect: dialect).0.diagnostics.map(\.message)
}

/// Tokens of `text` as `kind 'spelling'` strings (the `.end` token left out).
func tokens(_ text: String, dialect: Dialect = .weir) -> [String] {
    let source = SourceFile(name: "<expr>", text: text)
    return Lexer.tokenize(source, dialect: dialect).tokens.dropLast().map { "\($0.kind) \(source.slice($0.range))" }
}
