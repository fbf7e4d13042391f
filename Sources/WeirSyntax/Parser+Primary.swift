/// Operands: literals, EXISTS, function calls, parenthesised expressions, names and paths.
extension Parser {
    /// An operand; reports `expected expression, found ...` (and consumes nothing) when
    /// there is none.
    ///
    ///     primary          ::= literal
    ///                        | exists-operation
    ///                        | function-invocation
    ///                        | "(" expression ")"
    ///                        | reference
    ///                        | array-literal                                 (* weir *)
    ///                        | object-literal                                (* weir *)
    ///                        | duration-literal                              (* weir *)
    mutating func parsePrimary() -> Parsed {
        guard !aborted else { return invalid(SourceRange(at: previousEnd)) }
        switch current.kind {
        case .integer: return parseIntegerLiteral()
        case .decimal: return parseDecimalLiteral()
        case .string: return parseStringLiteral()
        case .leftParen: return parseParenthesized()
        case .leftBracket: return parseArrayLiteral()
        case .leftBrace: return parseObjectLiteral()
        case .word where atClauseKeyword: return reportMissingOperand()
        case .word where current.keyword?.isReservedInExpressions == true: return parseReservedWordOperand()
        case .word where dialect == .weir && startsWithDigit(current): return parseDurationOperand()
        case .word: return peek().kind == .leftParen ? parseCall() : parseReference()
        case .error: return skipLexicalError()
        default: return reportMissingOperand()
        }
    }

    /// TRUE, FALSE, EXISTS ..., or a reserved word that cannot start an operand (reported).
    ///
    ///     boolean-literal  ::= "TRUE" | "FALSE"
    private mutating func parseReservedWordOperand() -> Parsed {
        let token = current
        switch token.keyword {
        case .true?, .false?:
            advance()
            return node(.boolean(token.keyword == .true), token.range)
        case .exists?:
            return parseExists()
        case .not?:
            return parseUnaryExpression()
        default:
            return reportMissingOperand()
        }
    }

    mutating func reportMissingOperand() -> Parsed {
        let range = currentRange
        syntaxErrorAtCurrent(DiagnosticMessages.expectedExpression(found: found))
        return invalid(range)
    }

    /// An error token where an operand should be: the lexer reported it. An operand right
    /// after it is taken as part of the same mistake (`a = @b`), not reported again.
    private mutating func skipLexicalError() -> Parsed {
        let token = advance()
        if canStartOperand(current) { _ = parseUnaryExpression() }
        return invalid(token.range.union(SourceRange(at: previousEnd)))
    }

    /// `'text'`, `"text"`: the value with its escapes resolved.
    ///
    ///     literal          ::= integer-literal
    ///                        | decimal-literal                               (* weir *)
    ///                        | boolean-literal
    ///                        | string-literal
    private mutating func parseStringLiteral() -> Parsed {
        let token = advance()
        return node(.string(Lexer.stringValue(of: token, in: source)), token.range)
    }

    /// An integer literal, with the sign written right before it (`-2147483648`): the value
    /// must fit in 64 bits, and in the CloudEvents SQL dialect in 32 bits.
    ///
    ///     signed-integer   ::= ( "-" | "+" ) integer-literal
    mutating func parseIntegerLiteral() -> Parsed {
        let sign = current.kind == .integer ? nil : advance()
        let digits = advance()
        let range = sign.map { $0.range.union(digits.range) } ?? digits.range
        let negative = sign?.kind == .minus
        guard let value = Parser.integerValue(source.bytes[digits.range.start..<digits.range.end], negative: negative) else {
            syntaxError(DiagnosticMessages.integerOutOfRange(source.slice(range)), at: range, token: index - 1)
            return invalid(range)
        }
        if dialect == .cesql, value < Int64(Int32.min) || value > Int64(Int32.max) {
            dialectError(DiagnosticMessages.extensionInteger(source.slice(range)), at: range)
        }
        return node(.integer(value), range)
    }

    /// The value of decimal digits with an optional minus sign, or nil beyond 64 bits.
    static func integerValue(_ digits: ArraySlice<UInt8>, negative: Bool) -> Int64? {
        var magnitude: UInt64 = 0
        for b in digits {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(b &- UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            magnitude = sum
        }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// `59.98`, `2.5E-3`, `1e3` (a Weir extension): a finite 64-bit floating-point value.
    ///
    ///     decimal-literal  ::= digit+ "." digit+ exponent?                  (* weir *)
    ///                        | digit+ exponent                              (* weir *)
    mutating func parseDecimalLiteral() -> Parsed {
        let token = advance()
        let spelling = text(token)
        if dialect == .cesql {
            dialectError(DiagnosticMessages.extensionDecimal, at: token.range)
        }
        guard let value = Double(spelling), value.isFinite else {
            syntaxError(DiagnosticMessages.decimalOutOfRange(spelling), at: token.range, token: index - 1)
            return invalid(token.range)
        }
        return node(.decimal(value), token.range)
    }

    /// A parenthesised expression; its node's range takes in the parentheses.
    ///
    ///     "(" expression ")"
    mutating func parseParenthesized() -> Parsed {
        let open = advance()
        guard enterNesting(at: open) else { return invalid(open.range) }
        defer { leaveNesting() }
        if current.kind == .end { return reportUnclosedAtEnd(open) }
        var inner = parseBinaryExpression()
        if !aborted { close(&inner, openedBy: open) }
        return inner
    }

    private mutating func reportUnclosedAtEnd(_ open: Token) -> Parsed {
        reportUnclosed(open)
        return invalid(open.range.union(SourceRange(at: previousEnd)))
    }

    private mutating func close(_ inner: inout Parsed, openedBy open: Token) {
        let close = expectClosing(.rightParen, of: open)
        inner.expr.range = open.range.union(close?.range ?? inner.range)
    }

    /// A function call; the name is kept as written.
    ///
    ///     function-invocation ::= function-identifier "(" argument-list? ")"
    ///     function-identifier ::= letter ( letter | "_" )*                     (* CESQL *)
    ///                        | word - reserved-word                          (* weir: digits, leading "_" *)
    mutating func parseCall() -> Parsed {
        let nameToken = advance()
        let open = advance()
        checkFunctionName(nameToken)
        guard enterNesting(at: open) else { return invalid(nameToken.range) }
        defer { leaveNesting() }
        var arguments: [Parsed] = []
        var close = take(.rightParen)
        // `count(*)`, as SQL writes it, is `count()` (a Weir extension: CESQL has no `count`).
        if close == nil, dialect == .weir, current.kind == .star, peek().kind == .rightParen,
            text(nameToken).lowercased() == "count"
        {
            advance()
            close = advance()
        }
        if close == nil { (arguments, close) = parseList(openedBy: open) }
        return makeCall(nameToken, arguments, close)
    }

    private mutating func checkFunctionName(_ nameToken: Token) {
        guard dialect == .cesql, !Parser.isCESQLFunctionName(source.bytes[nameToken.range.start..<nameToken.range.end]) else { return }
        dialectError(DiagnosticMessages.extensionFunctionName(text(nameToken)), at: nameToken.range)
    }

    private mutating func makeCall(_ nameToken: Token, _ arguments: [Parsed], _ close: Token?) -> Parsed {
        let range = nameToken.range.union(close?.range ?? SourceRange(at: previousEnd))
        return node(.call(name: text(nameToken), nameRange: nameToken.range, arguments: arguments.map(\.expr)), range,
                    over: arguments.reduce(0) { max($0, $1.height) }, limitAt: nameToken.range)
    }

    /// Whether a function name is valid in CloudEvents SQL: `letter ( letter | "_" )*`.
    static func isCESQLFunctionName(_ name: ArraySlice<UInt8>) -> Bool {
        guard let first = name.first, ByteClass.isLetter(first) else { return false }
        return name.allSatisfy { ByteClass.isLetter($0) || $0 == UInt8(ascii: "_") }
    }

    /// `EXISTS subject`, and (Weir) `EXISTS data.a.b`.
    ///
    ///     exists-operation ::= "EXISTS" value-identifier
    ///                        | "EXISTS" reference                            (* weir: a path *)
    mutating func parseExists() -> Parsed {
        let exists = advance()
        guard current.kind == .word, current.keyword?.isReservedInExpressions != true, !atClauseKeyword else {
            syntaxErrorAtCurrent(DiagnosticMessages.expectedExistsOperand(found: found, pathsAllowed: dialect == .weir))
            return invalid(exists.range)
        }
        if peek().kind == .leftParen {
            let range = current.range.union(peek().range)
            syntaxError(DiagnosticMessages.existsFunctionCall, at: range, token: index)
            let call = parseCall()
            return invalid(exists.range.union(call.range))
        }
        let reference = parseReference(cesqlMessage: DiagnosticMessages.extensionExistsPath)
        return node(.exists(reference.expr), exists.range.union(reference.range), over: reference.height)
    }

    /// A name, or (Weir) a path into it: `subject`, `data.items[0].price`, `data['odd-key']`,
    /// `login.data.userId`. Field names after `.` may be any word, keywords included, and are
    /// kept as written (JSON keys are case-sensitive). `cesqlMessage`: the error for a path
    /// (or a name with `_`) in the CloudEvents SQL dialect; nil when the caller reports the
    /// construct as a whole.
    ///
    ///     reference        ::= value-identifier
    ///                        | value-identifier selector+                    (* weir: a path *)
    ///     value-identifier ::= ( letter | digit )+ - reserved-word            (* CESQL *)
    ///                        | word - reserved-word                          (* weir: "_" too *)
    mutating func parseReference(cesqlMessage: String? = DiagnosticMessages.extensionPath) -> Parsed {
        let root = advance()
        guard current.kind == .dot || current.kind == .leftBracket else {
            checkCESQLName(root, cesqlMessage)
            return node(.identifier(text(root)), root.range)
        }
        var selectors: [Selector] = []
        var end = root.range
        while current.kind == .dot || current.kind == .leftBracket {
            guard let selectorEnd = parseSelector(into: &selectors) else {
                return invalid(root.range.union(SourceRange(at: previousEnd)))
            }
            end = selectorEnd
        }
        let range = root.range.union(end)
        if dialect == .cesql, let cesqlMessage {
            dialectError(cesqlMessage, at: range)
        }
        return node(.path(root: text(root), selectors: selectors), range)
    }

    private mutating func checkCESQLName(_ root: Token, _ cesqlMessage: String?) {
        guard dialect == .cesql, cesqlMessage != nil,
              source.bytes[root.range.start..<root.range.end].contains(UInt8(ascii: "_")) else { return }
        dialectError(DiagnosticMessages.extensionUnderscoreName(text(root)), at: root.range)
    }

    /// One selector, appended to `selectors`; returns where it ends, or nil after an error.
    ///
    ///     selector         ::= "." word                  (* any word, reserved words included: `data.in` *)
    ///                        | "[" string-literal "]"     (* `data['odd-key']` *)
    ///                        | "[" integer-literal "]"    (* `data.items[0]` *)
    mutating func parseSelector(into selectors: inout [Selector]) -> SourceRange? {
        if take(.dot) != nil {
            guard current.kind == .word else {
                syntaxErrorAtCurrent(DiagnosticMessages.expectedFieldName(found: found))
                return nil
            }
            let field = advance()
            selectors.append(.key(text(field), field.range))
            return field.range
        }
        let open = advance()
        let key = current
        switch key.kind {
        case .string:
            advance()
            selectors.append(.key(Lexer.stringValue(of: key, in: source), key.range))
        case .integer:
            advance()
            guard let value = Parser.integerValue(source.bytes[key.range.start..<key.range.end], negative: false),
                  let index = Int(exactly: value) else {
                syntaxError(DiagnosticMessages.indexOutOfRange(text(key)), at: key.range, token: self.index - 1)
                _ = expectClosing(.rightBracket, of: open)
                return nil
            }
            selectors.append(.index(index, key.range))
        default:
            syntaxErrorAtCurrent(DiagnosticMessages.expectedSubscript(found: found))
            _ = skip(to: .rightBracket)
            return nil
        }
        return expectClosing(.rightBracket, of: open)?.range
    }
}
