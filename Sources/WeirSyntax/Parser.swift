/// A recursive-descent parser over the token stream of one source file: the cursor, the
/// diagnostics, error recovery and the limits. The grammar lives in extensions, one file per
/// part of `Grammar/weir.ebnf` (`Parser+Expressions.swift`, `Parser+Primary.swift`; the
/// declarations in `Parser+Rules.swift`, `Parser+Patterns.swift`, `Parser+Sagas.swift`).
///
/// Recovery: a missing operand becomes an `.invalid` node; a missing closer is reported once
/// (`expected ')' to close '(' at 1:1`) and the parser skips to it. A problem is reported
/// once: never two syntax errors at one token, never one at a token the lexer already
/// reported. A limit (`maxDepth`) stops the parse.
struct Parser {
    let source: SourceFile
    let options: ParseOptions
    /// All tokens, ending with `.end`.
    private(set) var tokens: [Token]
    /// The position of `current` in `tokens`.
    private(set) var index = 0
    private(set) var diagnostics: [Diagnostic]
    /// How many of `diagnostics` are errors.
    private(set) var errorCount = 0
    /// How many nested constructs (parentheses, calls, lists) enclose the current token.
    private var depth = 0
    /// Set once a limit is hit: every parse function then returns at once. A rule file
    /// clears it to go on at the next declaration.
    var aborted = false
    /// The token at which the last syntax error was reported.
    private(set) var lastErrorIndex = -1
    /// Whether the tokens are a rule file: clause keywords (`WHERE`, `EMIT`, `THEN`, ...) then
    /// end an operand, and recovery stops at a declaration keyword at the start of a line.
    /// False for `weir eval` expressions, where those words are ordinary names.
    let ruleFile: Bool

    /// `ruleFile`: parse a rule file (see `ruleFile`); its `--` always starts a comment.
    init(source: SourceFile, options: ParseOptions, ruleFile: Bool = false) {
        self.source = source
        self.options = options
        self.ruleFile = ruleFile
        let (tokens, lexicalDiagnostics) = Lexer.tokenize(source, dialect: options.dialect, ruleFile: ruleFile)
        self.tokens = tokens
        diagnostics = lexicalDiagnostics
        errorCount = lexicalDiagnostics.count { $0.isError }
    }

    var dialect: Dialect { options.dialect }

    // MARK: - Cursor

    var current: Token { tokens[index] }

    /// The token `distance` places after `current` (the `.end` token past the end).
    func peek(_ distance: Int = 1) -> Token {
        tokens[min(index + distance, tokens.count - 1)]
    }

    /// Where the previous token ended: the place to point at when something is missing.
    var previousEnd: Int { index > 0 ? tokens[index - 1].range.end : 0 }

    /// Moves past `current` (never past `.end`) and returns it.
    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    /// Consumes `current` if it is a `kind`.
    mutating func take(_ kind: TokenKind) -> Token? {
        current.kind == kind ? advance() : nil
    }

    /// The source text of a token.
    func text(_ token: Token) -> String { source.slice(token.range) }

    /// The range to point at for `current`: the token, or just after the previous token at
    /// the end of input or (in a rule file) before the next declaration, where what is
    /// missing belongs to the declaration before.
    var currentRange: SourceRange {
        current.kind == .end || atDeclarationStart ? SourceRange(at: previousEnd) : current.range
    }

    /// How a message names `current`.
    var found: String { DiagnosticMessages.describe(current, in: source) }

    // MARK: - Diagnostics

    /// A syntax error at token `tokenIndex`, unless one was reported there already or the
    /// lexer reported the token.
    mutating func syntaxError(_ message: String, at range: SourceRange, token tokenIndex: Int, notes: [Diagnostic.Note] = []) {
        guard tokenIndex != lastErrorIndex, tokens[tokenIndex].kind != .error, !swallowedByLexicalError(tokenIndex) else { return }
        lastErrorIndex = tokenIndex
        error(.syntax, message, at: range, notes: notes)
    }

    /// Whether the token is the end of input right after an unterminated string or comment,
    /// which took in the rest of the input: what is missing there is a consequence.
    private func swallowedByLexicalError(_ tokenIndex: Int) -> Bool {
        guard tokens[tokenIndex].kind == .end, tokenIndex > 0 else { return false }
        let previous = tokens[tokenIndex - 1]
        guard previous.kind == .error, previous.range.end == source.bytes.count,
              previous.range.start < source.bytes.count else { return false }
        switch source.bytes[previous.range.start] {
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "/"): return true
        default: return false
        }
    }

    /// A syntax error at `current`.
    mutating func syntaxErrorAtCurrent(_ message: String, notes: [Diagnostic.Note] = []) {
        syntaxError(message, at: currentRange, token: index, notes: notes)
    }

    /// A Weir extension used in the CloudEvents SQL dialect (the tree stays as parsed).
    mutating func dialectError(_ message: String, at range: SourceRange) {
        error(.dialect, message, at: range)
    }

    /// Reports an error (not tied to a token: see `syntaxError` for those).
    mutating func error(_ code: Diagnostic.Code, _ message: String, at range: SourceRange, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.error(code, message, at: range, notes: notes))
        errorCount += 1
    }

    mutating func warning(_ code: Diagnostic.Code, _ message: String, at range: SourceRange, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.warning(code, message, at: range, notes: notes))
    }

    /// Reports `expected '<closer>' to close '<opener>' at L:C` at `current`.
    mutating func reportUnclosed(_ opener: Token) {
        let spelling = opener.kind.spelling ?? ""
        let closer: String
        switch opener.kind {
        case .leftBracket: closer = "]"
        case .leftBrace: closer = "}"
        default: closer = ")"
        }
        var message = DiagnosticMessages.unclosed(spelling, closer, openedAt: source.position(of: opener.range.start))
        if let suggestion = keywordTypoSuggestion() { message += "; " + suggestion }
        syntaxError(message, at: SourceRange(at: previousEnd), token: index)
    }

    /// Consumes the closer of `opener`; if it is not next, reports it missing and skips to it.
    /// Returns the closer, or nil if it was missing.
    mutating func expectClosing(_ closer: TokenKind, of opener: Token) -> Token? {
        if let token = take(closer) { return token }
        reportUnclosed(opener)
        return skip(to: closer)
    }

    /// Skips tokens up to `closer` at the current nesting level and consumes it; stops before
    /// another unmatched closer, at the end of input, or in a rule file before a declaration
    /// keyword at the start of a line (then returns nil).
    mutating func skip(to closer: TokenKind) -> Token? {
        var nesting = 0
        while current.kind != .end, !atDeclarationStart {
            switch current.kind {
            case .leftParen, .leftBracket, .leftBrace:
                nesting += 1
            case .rightParen, .rightBracket, .rightBrace:
                if nesting == 0 { return current.kind == closer ? advance() : nil }
                nesting -= 1
            default:
                break
            }
            advance()
        }
        return nil
    }

    // MARK: - Rule-file keywords

    /// Whether `current` is a rule-file keyword acting as one: in a rule file, a clause or
    /// declaration keyword ends an operand. `window` is a name (`window.start`) unless
    /// `TUMBLING`, `SLIDING` or `SESSION` follows it.
    var atClauseKeyword: Bool {
        guard ruleFile, current.kind == .word, let keyword = current.keyword, keyword.isClauseKeyword else { return false }
        guard keyword == .window else { return true }
        let next = peek()
        return next.isKeyword(.tumbling) || next.isKeyword(.sliding) || next.isKeyword(.session)
    }

    /// Whether `current` is a declaration keyword (`RULE`, `AGGREGATE`, `PATTERN`, `SAGA`)
    /// first on its line, in a rule file: where recovery stops.
    var atDeclarationStart: Bool {
        guard ruleFile, current.kind == .word, current.keyword?.startsDeclaration == true else { return false }
        return isFirstOnLine(current)
    }

    /// Whether only whitespace precedes `token` on its line.
    func isFirstOnLine(_ token: Token) -> Bool {
        var i = token.range.start
        let bytes = source.bytes
        while i > 0 {
            let b = bytes[i - 1]
            if b == UInt8(ascii: "\n") { return true }
            guard b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") else { return false }
            i -= 1
        }
        return true
    }

    // MARK: - Limits

    /// Enters a nested construct opened by `token`; false (after reporting the limit) when
    /// that is more than `maxDepth` levels deep. Pair with `leaveNesting()` when true.
    mutating func enterNesting(at token: Token) -> Bool {
        guard !aborted else { return false }
        guard depth < options.maxDepth else {
            reportTooDeep(at: token.range)
            return false
        }
        depth += 1
        return true
    }

    mutating func leaveNesting() { depth -= 1 }

    /// The remaining nesting allowance (for iteratively parsed prefix operator chains).
    var remainingDepth: Int { options.maxDepth - depth }

    /// Reports the depth limit (once) and stops the parse.
    mutating func reportTooDeep(at range: SourceRange) {
        guard !aborted else { return }
        aborted = true
        error(.limit, DiagnosticMessages.nestedTooDeeply(options.maxDepth), at: range)
    }

    // MARK: - Nodes

    /// A new node above children whose tallest is `childHeight` high (0 for a leaf); reports
    /// the depth limit (and returns an `.invalid` node) when the tree would get deeper than
    /// `maxDepth`.
    mutating func node(_ kind: Expr.Kind, _ range: SourceRange, over childHeight: Int = 0, limitAt limitRange: SourceRange? = nil) -> Parsed {
        let height = childHeight + 1
        guard height <= options.maxDepth else {
            reportTooDeep(at: limitRange ?? range)
            return Parsed(Expr(.invalid, range), height: 1)
        }
        return Parsed(Expr(kind, range), height: height)
    }

    /// An `.invalid` node (a diagnostic has been, or is being, reported).
    func invalid(_ range: SourceRange) -> Parsed {
        Parsed(Expr(.invalid, range), height: 1)
    }

    /// The diagnostics in source order (stable for equal positions).
    var sortedDiagnostics: [Diagnostic] {
        diagnostics.enumerated()
            .sorted { ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset) }
            .map(\.element)
    }
}

/// An expression being built, with the height of its tree (a leaf is 1), which is what the
/// depth limit bounds: code that walks the tree recursively can then never overflow the stack.
struct Parsed {
    var expr: Expr
    var height: Int

    init(_ expr: Expr, height: Int) {
        self.expr = expr
        self.height = height
    }

    var range: SourceRange { expr.range }
}
