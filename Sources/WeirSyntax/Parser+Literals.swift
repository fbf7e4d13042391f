/// Weir operands beyond CloudEvents SQL: array and object literals, duration literals, and
/// selectors applied to any primary (`last(fails).data.ip`).
extension Parser {
    /// Selectors after a primary that is not a name (`f(x).y`, `(x)[0]`, `[1, 2][0]`); a
    /// name-rooted path is read by `parseReference`. Nothing is added to an `.invalid` operand
    /// (its error was reported) beyond consuming the selectors.
    ///
    ///     postfix-selection ::= primary selector*                          (* weir *)
    mutating func parseSelection(after operand: Parsed) -> Parsed {
        var selectors: [Selector] = []
        var end = operand.range
        while !aborted, current.kind == .dot || current.kind == .leftBracket {
            guard let selectorEnd = parseSelector(into: &selectors) else {
                return invalid(operand.range.union(SourceRange(at: previousEnd)))
            }
            end = selectorEnd
        }
        let range = operand.range.union(end)
        if case .invalid = operand.expr.kind { return invalid(range) }
        if dialect == .cesql { dialectError(DiagnosticMessages.extensionSelection, at: range) }
        return node(.select(operand.expr, selectors), range, over: operand.height)
    }

    /// `[a, b]`, `[]`, `[a, b,]`.
    ///
    ///     array-literal    ::= "[" ( expression ( "," expression )* ","? )? "]"
    mutating func parseArrayLiteral() -> Parsed {
        let open = advance()
        guard enterNesting(at: open) else { return invalid(open.range) }
        defer { leaveNesting() }
        var elements: [Parsed] = []
        var close: Token?
        while !aborted {
            if let token = take(.rightBracket) {
                close = token
                break
            }
            if current.kind == .end || atDeclarationStart {
                reportUnclosed(open)
                break
            }
            elements.append(parseBinaryExpression())
            if aborted { break }
            if take(.comma) == nil {
                close = expectClosing(.rightBracket, of: open)
                break
            }
        }
        let range = open.range.union(close?.range ?? SourceRange(at: previousEnd))
        if dialect == .cesql { dialectError(DiagnosticMessages.extensionArray, at: range) }
        return node(.array(elements.map(\.expr)), range, over: elements.reduce(0) { max($0, $1.height) }, limitAt: open.range)
    }

    /// `{ key: value, 'odd key': v }`, `{}`: keys are words (any word, keywords included) or
    /// string literals, distinct; a trailing comma is allowed.
    ///
    ///     object-literal   ::= "{" ( object-field ( "," object-field )* ","? )? "}"
    mutating func parseObjectLiteral() -> Parsed {
        let open = advance()
        guard enterNesting(at: open) else { return invalid(open.range) }
        defer { leaveNesting() }
        var fields: [ObjectField] = []
        /// Each key's first position, so that a repeated key is found in constant time.
        var seen: [String: Int] = [:]
        var height = 0
        var close: Token?
        while !aborted {
            if let token = take(.rightBrace) {
                close = token
                break
            }
            if current.kind == .end || atDeclarationStart {
                reportUnclosed(open)
                break
            }
            guard let field = parseObjectField(&seen) else {
                close = skip(to: .rightBrace)
                break
            }
            fields.append(field.field)
            height = max(height, field.height)
            if aborted { break }
            if take(.comma) == nil {
                close = expectClosing(.rightBrace, of: open)
                break
            }
        }
        let range = open.range.union(close?.range ?? SourceRange(at: previousEnd))
        if dialect == .cesql { dialectError(DiagnosticMessages.extensionObject, at: range) }
        return node(.object(fields), range, over: height, limitAt: open.range)
    }

    /// One `key: value`; nil (reported) when there is no key or no `:`. A key already in
    /// `seen` (the keys read so far, with where they start) is reported, and the field is still
    /// read.
    ///
    ///     object-field     ::= ( word | string-literal ) ":" expression
    private mutating func parseObjectField(_ seen: inout [String: Int]) -> (field: ObjectField, height: Int)? {
        guard current.kind == .word || current.kind == .string else {
            syntaxErrorAtCurrent(DiagnosticMessages.expectedObjectKey(found: found))
            return nil
        }
        let keyIndex = index
        let keyToken = advance()
        let key = keyToken.kind == .string ? Lexer.stringValue(of: keyToken, in: source) : text(keyToken)
        guard take(.colon) != nil else {
            syntaxErrorAtCurrent(DiagnosticMessages.expectedColonAfterKey(key, found: found))
            return nil
        }
        if let first = seen[key] {
            syntaxError(DiagnosticMessages.repeatedObjectKey(key, firstAt: source.position(of: first)),
                        at: keyToken.range, token: keyIndex)
        } else {
            seen[key] = keyToken.range.start
        }
        let value = parseBinaryExpression()
        return (ObjectField(key: key, keyRange: keyToken.range, value: value.expr), value.height)
    }

    /// Whether a word token starts with a digit (`250ms`, `1abc`).
    func startsWithDigit(_ token: Token) -> Bool {
        token.range.start < source.bytes.count && ByteClass.isDigit(source.bytes[token.range.start])
    }

    /// A word starting with a digit in operand position (Weir dialect): a duration literal
    /// (`10m` is 600000 ms), or an error saying how durations and names are written.
    ///
    ///     duration-literal ::= ( digit+ duration-unit )+
    mutating func parseDurationOperand() -> Parsed {
        let token = advance()
        guard let milliseconds = readDuration(token, tokenIndex: index - 1) else { return invalid(token.range) }
        return node(.duration(milliseconds), token.range)
    }

    /// The milliseconds of a duration word, or nil after reporting why it is not one.
    mutating func readDuration(_ token: Token, tokenIndex: Int) -> Int64? {
        let spelling = text(token)
        let message: String
        var notes: [Diagnostic.Note] = []
        switch DurationSyntax.read(source.bytes[token.range.start..<token.range.end]) {
        case .milliseconds(let value): return value
        case .malformed:
            message = startsWithDigit(token) ? DiagnosticMessages.notADuration(spelling)
                : DiagnosticMessages.expectedDuration(found: DiagnosticMessages.describe(token, in: source))
            notes = [Diagnostic.Note(DiagnosticMessages.durationForms)]
            if startsWithDigit(token) { notes.append(Diagnostic.Note(DiagnosticMessages.quoteDigitKey(spelling))) }
        case .misordered: message = DiagnosticMessages.durationMisordered(spelling)
        case .upperCase(let lower): message = DiagnosticMessages.durationUpperCase(spelling, lower)
        case .zero: message = DiagnosticMessages.durationZero(spelling)
        case .overflow: message = DiagnosticMessages.durationOverflow(spelling)
        }
        syntaxError(message, at: token.range, token: tokenIndex, notes: notes)
        return nil
    }
}
