/// Which language the parser accepts.
public enum Dialect: String, Sendable, CaseIterable {
    /// Weir expressions: CloudEvents SQL v1 plus paths, `==`, `&&`, `||`, `!`, `MATCHES`,
    /// `=~`, `!~`, `IN path`, `EXISTS path`, decimal and 64-bit integer literals, and
    /// `-- line comments`.
    case weir
    /// CloudEvents SQL v1 exactly: every Weir extension is an error (code `.dialect`), and
    /// where the two conflict CloudEvents SQL wins (`5 -- 3` is `5 - (-3)`, `1e3` is a name).
    case cesql
}

/// Parser settings.
public struct ParseOptions: Sendable {
    /// The language accepted; `.weir` by default.
    public var dialect: Dialect = .weir
    /// The deepest nesting accepted (parentheses, calls, prefix operators, operator chains):
    /// deeper input gets one `.limit` error, and no syntax tree. The tree's height never
    /// exceeds it, so code walking the tree recursively is safe. Each level costs the parser
    /// under 1 KB of stack in release builds (about 5 KB in debug builds): keep it in the
    /// hundreds.
    public var maxDepth: Int = 256
    /// The longest input accepted, in bytes: longer input gets one `.limit` error and is not read.
    public var maxLength: Int = 1 << 20

    public init(dialect: Dialect = .weir, maxDepth: Int = 256, maxLength: Int = 1 << 20) {
        self.dialect = dialect
        self.maxDepth = maxDepth
        self.maxLength = maxLength
    }
}

/// What the parser made of a source text: a syntax tree (possibly with `.invalid` nodes where
/// it recovered from errors) and every problem it found, in source order.
public struct ParseResult: Sendable {
    /// The expression; nil only when nothing useful could be parsed (empty input, input over
    /// a limit, or no operand at all).
    public var expression: Expr?
    /// Errors, warnings (lints) and their notes, sorted by position.
    public var diagnostics: [Diagnostic]

    /// Whether any diagnostic is an error (then the expression must not be compiled).
    public var hasErrors: Bool { diagnostics.contains { $0.isError } }

    public init(expression: Expr?, diagnostics: [Diagnostic]) {
        self.expression = expression
        self.diagnostics = diagnostics
    }
}
