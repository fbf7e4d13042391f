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
    /// exceeds it, so code walking the tree recursively is safe. At most `maximumDepth`: a
    /// larger value (or one below 1) is refused with a `.limit` error, never adjusted.
    public var maxDepth: Int = 256
    /// The longest input accepted, in bytes: longer input gets one `.limit` error and is not read.
    public var maxLength: Int = 1 << 20

    /// The largest `maxDepth` supported (and the default): expressions this deep are parsed
    /// and compiled on a helper thread with a large stack, and evaluated in well under 512 KiB
    /// of stack, the size of a secondary thread, even in a debug build.
    public static let maximumDepth = 256

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
