/// The operator levels of the expression grammar: binary operators (driven by
/// `OperatorTable`), postfix operators (LIKE, IN, MATCHES) and prefix operators (NOT, !, -).
///
/// The functions on the recursive path (`parseBinaryExpression`, `parsePostfixExpression`,
/// `parseUnaryExpression`, `parsePrimary`, `parseParenthesized`, `parseCall`, `parseList`)
/// keep their stack frames small: error reporting and bookkeeping live in helpers, so that
/// `maxDepth` nested levels stay far below a thread's stack size, even in debug builds.
extension Parser {
    /// Parses one expression and returns it (`.invalid` where it could not); stops at the
    /// first token that cannot continue it. The entry point for declarations.
    ///
    ///     expression ::= logical-expression
    mutating func parseExpression() -> Expr {
        parseBinaryExpression().expr
    }

    /// The four binary levels, by operator precedence with explicit operand and operator
    /// stacks (one stack frame for all four levels); precedence and grouping come from
    /// `OperatorTable.binary`. Warns (`.lint`) when one chain mixes AND with OR or XOR.
    ///
    ///     logical-expression ::= comparison ( logical-operator comparison )*
    ///     logical-operator ::= "AND" | "OR" | "XOR"
    ///                        | "&&"                                          (* weir *)
    ///                        | "||"                                          (* weir *)
    ///     comparison       ::= additive ( comparison-operator additive )*
    ///     comparison-operator ::= "=" | "!=" | "<>" | "<" | "<=" | ">" | ">="
    ///                        | "=="                                          (* weir *)
    ///     additive         ::= multiplicative ( ( "+" | "-" ) multiplicative )*
    ///     multiplicative   ::= postfix-expression ( ( "*" | "/" | "%" ) postfix-expression )*
    mutating func parseBinaryExpression() -> Parsed {
        let first = parsePostfixExpression()
        guard !aborted, OperatorTable.binaryOperator(current) != nil else { return first }
        var operands = [first]
        var operators: [PendingOperator] = []
        var chain = LogicalChain()
        while !aborted, let op = OperatorTable.binaryOperator(current) {
            let token = advance()
            checkBinaryOperator(op, token, &chain)
            while let top = operators.last, top.binds(before: op) {
                reduce(&operands, &operators)
            }
            operators.append(PendingOperator(op: op, token: token))
            operands.append(parsePostfixExpression())
        }
        while !operators.isEmpty { reduce(&operands, &operators) }
        return operands[0]
    }

    /// Builds the binary node of the last pending operator over the last two operands.
    private mutating func reduce(_ operands: inout [Parsed], _ operators: inout [PendingOperator]) {
        guard let pending = operators.popLast(), operands.count >= 2,
              let right = operands.popLast(), let left = operands.popLast() else { return }
        operands.append(node(.binary(pending.op.op, left.expr, right.expr), left.range.union(right.range),
                             over: max(left.height, right.height), limitAt: pending.token.range))
    }

    /// The dialect check of an operator's spelling, and the AND/OR mixing lint.
    private mutating func checkBinaryOperator(_ op: InfixOperator, _ token: Token, _ chain: inout LogicalChain) {
        if let cesqlSpelling = op.cesqlSpelling, dialect == .cesql {
            dialectError(DiagnosticMessages.extensionOperator(text(token), cesqlSpelling: cesqlSpelling), at: token.range)
        }
        guard op.precedence == .logical else { return }
        guard let first = chain.first else {
            chain.first = op.op
            return
        }
        guard !chain.reported, (first == .and) != (op.op == .and) else { return }
        chain.reported = true
        let other = first == .and ? op.op : first
        warning(.lint, DiagnosticMessages.mixedLogicalOperators(other.symbol), at: token.range,
                notes: [Diagnostic.Note(DiagnosticMessages.mixedLogicalOperatorsNote(first.symbol, op.op.symbol))])
    }

    /// A unary expression followed by postfix operators, applied left to right
    /// (`x LIKE 'a' = true` is `(x LIKE 'a') = true`).
    ///
    ///     postfix-expression ::= unary-expression postfix-operation*
    ///     postfix-operation ::= like-operation
    ///                        | in-operation
    ///                        | regex-operation                               (* weir *)
    mutating func parsePostfixExpression() -> Parsed {
        var operand = parseUnaryExpression()
        while !aborted, let operation = takePostfixOperator() {
            operand = parsePostfixOperation(operation, operand)
        }
        return operand
    }

    /// The postfix operator at `current`, with its `NOT` consumed; nil if there is none
    /// (after reporting a `NOT` that is followed by no LIKE, IN or MATCHES).
    private mutating func takePostfixOperator() -> PostfixOperator? {
        var not: Token?
        if current.isKeyword(.not) {
            let next = peek()
            guard next.isKeyword(.like) || next.isKeyword(.in) || next.isKeyword(.matches) else {
                advance()
                syntaxErrorAtCurrent(DiagnosticMessages.expectedAfterNot(found: found))
                return nil
            }
            not = advance()
        }
        let token = current
        if token.isKeyword(.like) { return PostfixOperator(kind: .like, not: not) }
        if token.isKeyword(.in) { return PostfixOperator(kind: .in, not: not) }
        if token.isKeyword(.matches) { return PostfixOperator(kind: .matches, not: not) }
        if token.kind == .equalTilde || token.kind == .bangTilde { return PostfixOperator(kind: .matches, not: nil) }
        return nil
    }

    private mutating func parsePostfixOperation(_ operation: PostfixOperator, _ operand: Parsed) -> Parsed {
        switch operation.kind {
        case .like: return parseLike(operand, not: operation.not)
        case .in: return parseIn(operand, not: operation.not)
        case .matches: return parseRegexMatch(operand, not: operation.not)
        }
    }

    /// `x [NOT] LIKE 'pattern'`: the pattern must be a string literal (CESQL §2.3).
    ///
    ///     like-operation   ::= "NOT"? "LIKE" string-literal       (* the pattern must be a literal *)
    private mutating func parseLike(_ operand: Parsed, not: Token?) -> Parsed {
        let like = advance()
        guard let (pattern, patternToken) = parsePatternLiteral(DiagnosticMessages.likePatternNotString) else {
            return invalid(operand.range.union(like.range).union(SourceRange(at: previousEnd)))
        }
        return node(.like(operand.expr, pattern: pattern, patternRange: patternToken.range, negated: not != nil),
                    operand.range.union(patternToken.range), over: operand.height, limitAt: like.range)
    }

    /// `x [NOT] MATCHES 're'`, `x =~ 're'`, `x !~ 're'`: an unanchored regular expression.
    ///
    ///     regex-operation  ::= "NOT"? "MATCHES" string-literal               (* weir *)
    ///                        | ( "=~" | "!~" ) string-literal                (* weir *)
    private mutating func parseRegexMatch(_ operand: Parsed, not: Token?) -> Parsed {
        let op = advance()
        let spelling = op.kind == .word ? "MATCHES" : text(op)
        if dialect == .cesql {
            dialectError(DiagnosticMessages.extensionRegex(spelling), at: op.range)
        }
        guard let (pattern, patternToken) = parsePatternLiteral(DiagnosticMessages.regexPatternNotString(spelling)) else {
            return invalid(operand.range.union(op.range).union(SourceRange(at: previousEnd)))
        }
        let negated = not != nil || op.kind == .bangTilde
        return node(.matches(operand.expr, pattern: pattern, patternRange: patternToken.range, negated: negated),
                    operand.range.union(patternToken.range), over: operand.height, limitAt: op.range)
    }

    /// The string literal after LIKE or MATCHES, and its value. When something else is
    /// there, reports `message`, skips that operand (so that parsing goes on after it) and
    /// returns nil.
    ///
    ///     string-literal
    private mutating func parsePatternLiteral(_ message: String) -> (String, Token)? {
        if current.kind == .string {
            let token = advance()
            return (Lexer.stringValue(of: token, in: source), token)
        }
        syntaxErrorAtCurrent(message)
        if canStartOperand(current) { _ = parseUnaryExpression() }
        return nil
    }

    /// `x [NOT] IN (a, b, c)`, or (Weir) `x [NOT] IN data.list`.
    ///
    ///     in-operation     ::= "NOT"? "IN" set-expression
    ///                        | "NOT"? "IN" reference                         (* weir: membership in an array *)
    private mutating func parseIn(_ operand: Parsed, not: Token?) -> Parsed {
        let inToken = advance()
        if current.kind == .leftParen { return parseSetExpression(operand, negated: not != nil, inToken) }
        if current.kind == .word, current.keyword?.isReservedInExpressions != true, !atClauseKeyword {
            return parseInReference(operand, negated: not != nil, inToken)
        }
        syntaxErrorAtCurrent(DiagnosticMessages.expectedInOperand(found: found, pathsAllowed: dialect == .weir))
        return invalid(operand.range.union(inToken.range))
    }

    /// The list of `x IN (a, b, c)`.
    ///
    ///     set-expression   ::= "(" expression ( "," expression )* ")"       (* at least one element *)
    private mutating func parseSetExpression(_ operand: Parsed, negated: Bool, _ inToken: Token) -> Parsed {
        let open = advance()
        guard enterNesting(at: open) else { return invalid(operand.range) }
        defer { leaveNesting() }
        if current.kind == .rightParen { return reportEmptyInList(operand) }
        let (elements, close) = parseList(openedBy: open)
        let end = close?.range ?? SourceRange(at: previousEnd)
        return node(.inList(operand.expr, elements.map(\.expr), negated: negated), operand.range.union(end),
                    over: elements.reduce(operand.height) { max($0, $1.height) }, limitAt: inToken.range)
    }

    private mutating func reportEmptyInList(_ operand: Parsed) -> Parsed {
        syntaxErrorAtCurrent(DiagnosticMessages.emptyInList)
        let close = advance()
        return invalid(operand.range.union(close.range))
    }

    /// The array of `x IN data.list` (Weir).
    private mutating func parseInReference(_ operand: Parsed, negated: Bool, _ inToken: Token) -> Parsed {
        let reference = parseReference(cesqlMessage: nil)
        if dialect == .cesql {
            dialectError(DiagnosticMessages.extensionInPath, at: inToken.range.union(reference.range))
        }
        return node(.inArray(operand.expr, reference.expr, negated: negated), operand.range.union(reference.range),
                    over: max(operand.height, reference.height), limitAt: inToken.range)
    }

    /// The elements of a parenthesised list after its `(` (which the caller consumed and
    /// counted as a nesting level), and its `)` (nil if missing: reported).
    ///
    ///     argument-list    ::= expression ( "," expression )*
    mutating func parseList(openedBy open: Token) -> ([Parsed], Token?) {
        var elements: [Parsed] = []
        while !aborted {
            if current.kind == .end {
                reportUnclosed(open)
                return (elements, nil)
            }
            elements.append(parseBinaryExpression())
            if aborted { break }
            if take(.comma) == nil { return (elements, expectClosing(.rightParen, of: open)) }
        }
        return (elements, nil)
    }

    /// Prefix operators, applied right to left (`NOT -x` is `NOT (-x)`), read in a loop so
    /// that long chains cannot exhaust the stack. A `-` (or `+`) written right before an
    /// integer literal is part of the literal (`-2147483648`).
    ///
    ///     unary-expression ::= ( "NOT" | "-" ) unary-expression
    ///                        | "!" unary-expression                          (* weir *)
    ///                        | signed-integer
    ///                        | postfix-selection                             (* weir: selectors after any primary *)
    mutating func parseUnaryExpression() -> Parsed {
        var prefixes: [Token] = []
        while !aborted, let prefix = takePrefixOperator(after: prefixes.count) {
            prefixes.append(prefix)
        }
        guard !aborted else { return invalid(SourceRange(at: previousEnd)) }
        if atSignedInteger {
            let literal = parseIntegerLiteral()
            return prefixes.isEmpty ? literal : apply(prefixes, to: literal)
        }
        var operand = parsePrimary()
        if current.kind == .dot || current.kind == .leftBracket { operand = parseSelection(after: operand) }
        return prefixes.isEmpty ? operand : apply(prefixes, to: operand)
    }

    /// The prefix operator at `current`, consumed; nil if there is none, or (reported) when
    /// `count` operators before it already reach the depth limit.
    private mutating func takePrefixOperator(after count: Int) -> Token? {
        let token = current
        guard token.isKeyword(.not) || token.kind == .bang || (token.kind == .minus && !atSignedInteger) else { return nil }
        guard count < remainingDepth else {
            reportTooDeep(at: token.range)
            return nil
        }
        if token.kind == .bang, dialect == .cesql {
            dialectError(DiagnosticMessages.extensionOperator("!", cesqlSpelling: "NOT"), at: token.range)
        }
        return advance()
    }

    private mutating func apply(_ prefixes: [Token], to operand: Parsed) -> Parsed {
        var result = operand
        for prefix in prefixes.reversed() {
            let op: UnaryOperator = prefix.kind == .minus ? .negate : .not
            result = node(.unary(op, result.expr), prefix.range.union(result.range), over: result.height, limitAt: prefix.range)
        }
        return result
    }

    /// Whether `current` is a `-` or `+` written right before an integer literal.
    ///
    ///     signed-integer   ::= ( "-" | "+" ) integer-literal
    var atSignedInteger: Bool {
        guard current.kind == .minus || current.kind == .plus else { return false }
        let next = peek()
        return next.kind == .integer && next.range.start == current.range.end
    }

    /// Whether `token` can begin an operand (used to skip a wrong one after an error).
    func canStartOperand(_ token: Token) -> Bool {
        switch token.kind {
        case .integer, .decimal, .string, .leftParen, .leftBracket, .leftBrace, .minus, .bang:
            return true
        case .word:
            switch token.keyword {
            case .and?, .or?, .xor?, .like?, .in?: return false
            case .window?: return true
            case let keyword?: return !(ruleFile && keyword.isClauseKeyword)
            case nil: return true
            }
        default:
            return false
        }
    }
}

/// A binary operator waiting for its right operand.
struct PendingOperator {
    var op: InfixOperator
    var token: Token

    /// Whether this operator (to the left) takes its operands before `next` does.
    func binds(before next: InfixOperator) -> Bool {
        op.precedence > next.precedence || (op.precedence == next.precedence && next.associativity == .left)
    }
}

/// What the parser knows of the AND/OR/XOR operators of one unparenthesised chain.
struct LogicalChain {
    var first: BinaryOperator?
    var reported = false
}

/// A postfix operator found after an operand, with its `NOT` (already consumed).
struct PostfixOperator {
    enum Kind { case like, `in`, matches }
    var kind: Kind
    var not: Token?
}
