/// RULE and AGGREGATE declarations and their clauses.
extension Parser {
    /// A RULE; nil when it has an error (reported).
    ///
    ///     rule-declaration ::= "RULE" name on-clause where-clause? emit-branch+
    mutating func parseRule() -> RuleDeclaration? {
        let keyword = advance()
        let errorsBefore = errorCount
        var state = DeclarationState(kind: .rule, name: parseDeclarationName(after: keyword))
        var on: [EventTypePattern] = []
        var whereClause: Expr?
        var emits: [EmitClause] = []
        var emitAll = false
        while let clause = nextClause(&state) {
            switch clause {
            case .on: on = parseOnClause()
            case .where:
                whereClause = parseConditionClause()
                state.lastExpressionClause = .where
            default:
                let (emit, all, allToken) = parseEmitBranch(state, allowWhen: true)
                if emits.isEmpty {
                    emitAll = all
                } else if all, !emitAll, let allToken {
                    syntaxError(DiagnosticMessages.emitAllOnLaterBranch(state.description), at: allToken.range, token: index,
                                notes: [Diagnostic.Note(DiagnosticMessages.emitAllGoesFirst)])
                }
                if let emit {
                    emits.append(emit)
                    if emit.when != nil { state.lastExpressionClause = .when }
                }
            }
        }
        let range = keyword.range.union(SourceRange(at: previousEnd))
        reportMissingClauses(state, errorsBefore: errorsBefore, at: keyword.range.union(state.name?.range ?? keyword.range))
        guard let name = state.name, !on.isEmpty, !emits.isEmpty else { return nil }
        if !emitAll { warnUnreachableBranches(emits) }
        return RuleDeclaration(name: name, on: on, whereClause: whereClause, emits: emits, emitAll: emitAll, range: range)
    }

    /// An AGGREGATE; nil when it has an error (reported).
    ///
    ///     aggregate-declaration ::= "AGGREGATE" name on-clause where-clause?
    ///                               group-by-clause? window-clause having-clause?
    ///                               emit-clause
    mutating func parseAggregate() -> AggregateDeclaration? {
        let keyword = advance()
        let errorsBefore = errorCount
        var state = DeclarationState(kind: .aggregate, name: parseDeclarationName(after: keyword))
        var on: [EventTypePattern] = []
        var whereClause: Expr?
        var groupBy: Expr?
        var window: (WindowClause, SourceRange)?
        var having: Expr?
        var emit: EmitClause?
        while let clause = nextClause(&state) {
            switch clause {
            case .on: on = parseOnClause()
            case .where:
                whereClause = parseConditionClause()
                state.lastExpressionClause = .where
            case .groupBy:
                groupBy = parseGroupBy()
                state.lastExpressionClause = .groupBy
            case .window: window = parseWindowClause()
            case .having:
                having = parseConditionClause()
                state.lastExpressionClause = .having
            default:
                let (branch, all, allToken) = parseEmitBranch(state, allowWhen: false)
                if all, let allToken {
                    syntaxError(DiagnosticMessages.emitAllInAggregate(state.description), at: allToken.range, token: index)
                }
                emit = branch
            }
        }
        let range = keyword.range.union(SourceRange(at: previousEnd))
        reportMissingClauses(state, errorsBefore: errorsBefore, at: keyword.range.union(state.name?.range ?? keyword.range))
        guard let name = state.name, !on.isEmpty, let (window, windowRange) = window, let emit else { return nil }
        return AggregateDeclaration(name: name, on: on, whereClause: whereClause, groupBy: groupBy, window: window,
                                    windowRange: windowRange, having: having, emit: emit, range: range)
    }

    /// The next clause of the declaration, entered, or nil at the declaration's end; tokens that
    /// start none of its clauses are reported and skipped.
    private mutating func nextClause(_ state: inout DeclarationState) -> Clause? {
        while !aborted, current.kind != .end, !atDeclarationKeyword {
            guard lastErrorIndex != index, let clause = clauseAtCurrent, state.kind.clauses.contains(clause) else {
                reportStray(&state)
                continue
            }
            enterClause(clause, &state)
            state.lastExpressionClause = nil
            return clause
        }
        return nil
    }

    /// First match: a branch after one without WHEN is never reached (a warning at the
    /// first such branch).
    mutating func warnUnreachableBranches(_ emits: [EmitClause]) {
        guard let always = emits.firstIndex(where: { $0.when == nil }), always + 1 < emits.count else { return }
        warning(.lint, DiagnosticMessages.unreachableBranch(alwaysAt: source.position(of: emits[always].range.start)),
                at: emits[always + 1].range, notes: [Diagnostic.Note(DiagnosticMessages.unreachableBranchNote)])
    }

    /// A token that starts no clause of the declaration: a stray `WHEN` gets its own message.
    private mutating func reportStray(_ state: inout DeclarationState) {
        if clauseAtCurrent == .when {
            let message = state.kind.repeatableEmit ? DiagnosticMessages.whenOutsideEmit(state.description)
                : DiagnosticMessages.whenInAggregate(state.description)
            syntaxErrorAtCurrent(message)
            advance()
            skipToClause(of: state.kind)
        } else {
            reportUnexpectedInDeclaration(state)
        }
        state.lastExpressionClause = nil
    }

    /// `WHERE cond` or `HAVING cond`: the keyword, then an expression.
    ///
    ///     where-clause     ::= "WHERE" expression
    ///     having-clause    ::= "HAVING" expression
    private mutating func parseConditionClause() -> Expr {
        advance()
        return parseExpression()
    }

    /// `GROUP BY expr`.
    ///
    ///     group-by-clause  ::= "GROUP" "BY" expression
    private mutating func parseGroupBy() -> Expr? {
        advance()
        guard current.isKeyword(.by) else {
            syntaxErrorAtCurrent(DiagnosticMessages.expectedBy(found: found))
            return nil
        }
        advance()
        return parseExpression()
    }

    // MARK: - ON and event types

    /// `ON 'a', 'b.*'`: at least one event type; each is validated.
    ///
    ///     on-clause        ::= "ON" event-type ( "," event-type )*
    private mutating func parseOnClause() -> [EventTypePattern] {
        advance()
        var patterns: [EventTypePattern] = []
        repeat {
            guard current.kind == .string else {
                reportExpectedEventType(after: patterns.isEmpty ? "ON" : ",")
                return []
            }
            let token = advance()
            guard let pattern = eventTypePattern(token, tokenIndex: index - 1) else { return [] }
            patterns.append(pattern)
        } while take(.comma) != nil
        return patterns
    }

    private mutating func reportExpectedEventType(after keyword: String) {
        var notes: [Diagnostic.Note] = []
        if current.kind == .word, current.keyword?.isClauseKeyword != true { notes.append(Diagnostic.Note(DiagnosticMessages.eventTypesAreStrings("ON 'order.created'"))) }
        syntaxErrorAtCurrent(DiagnosticMessages.expectedEventType(after: keyword, found: found), notes: notes)
    }

    /// The pattern a string literal spells, or nil after reporting why it is none.
    ///
    ///     event-type       ::= string-literal
    mutating func eventTypePattern(_ token: Token, tokenIndex: Int) -> EventTypePattern? {
        let value = Lexer.stringValue(of: token, in: source)
        if value == "*" { return EventTypePattern(.any, token.range) }
        var body = Substring(value)
        var wildcard = false
        if body.hasSuffix(".*") {
            body = body.dropLast()
            wildcard = true
        }
        if let message = eventTypeProblem(value, body: body, wildcard: wildcard) {
            syntaxError(message, at: token.range, token: tokenIndex)
            return nil
        }
        return EventTypePattern(wildcard ? .prefix(String(body)) : .exact(value), token.range)
    }

    /// What is wrong with an event type (`body`: without its final `*` when `wildcard`).
    private func eventTypeProblem(_ value: String, body: Substring, wildcard: Bool) -> String? {
        if value.isEmpty { return DiagnosticMessages.emptyEventType }
        if body.contains("*") { return DiagnosticMessages.misplacedWildcard(value) }
        let segments = (wildcard ? body.dropLast() : body).split(separator: ".", omittingEmptySubsequences: false)
        if segments.contains(where: \.isEmpty) { return DiagnosticMessages.emptySegment(value) }
        return nil
    }

    // MARK: - EMIT

    /// `EMIT [ALL] 'type' { ... } [WHEN cond]`; the branch is nil when it has an error
    /// (reported). Also returns whether `ALL` was written, and its token.
    ///
    ///     emit-branch      ::= "EMIT" "ALL"? event-type object-literal ( "WHEN" expression )?
    ///     emit-clause      ::= "EMIT" event-type object-literal
    mutating func parseEmitBranch(_ state: DeclarationState, allowWhen: Bool) -> (EmitClause?, Bool, Token?) {
        let emit = advance()
        let all = current.isKeyword(.all) ? advance() : nil
        guard current.kind == .string else {
            reportExpectedEventType(after: all == nil ? "EMIT" : "ALL")
            skipToClause(of: state.kind)
            return (nil, all != nil, all)
        }
        let typeToken = advance()
        let type = Lexer.stringValue(of: typeToken, in: source)
        var valid = true
        if type.isEmpty || type.contains("*") {
            syntaxError(type.isEmpty ? DiagnosticMessages.emptyEventType : DiagnosticMessages.wildcardInEmittedType(type),
                        at: typeToken.range, token: index - 1)
            valid = false
        }
        guard current.kind == .leftBrace else {
            syntaxErrorAtCurrent(DiagnosticMessages.emitNeedsObject)
            if canStartOperand(current) { _ = parseExpression() }
            skipWhen(allowWhen)
            return (nil, all != nil, all)
        }
        let template = parseObjectLiteral().expr
        var when: Expr?
        if allowWhen, current.isKeyword(.when), !isFieldName(index) {
            advance()
            when = parseExpression()
        }
        let clause = EmitClause(type: type, typeRange: typeToken.range, template: template, when: when,
                                range: emit.range.union(SourceRange(at: previousEnd)))
        return (valid ? clause : nil, all != nil, all)
    }

    /// After a broken branch, its `WHEN cond` is skipped with it.
    private mutating func skipWhen(_ allowWhen: Bool) {
        guard allowWhen, current.isKeyword(.when) else { return }
        advance()
        _ = parseExpression()
    }

    // MARK: - WINDOW

    /// `WINDOW TUMBLING d | SLIDING d EVERY s | SESSION GAP g`, with the `WINDOW` keyword's
    /// range; nil after an error (reported).
    ///
    ///     window-clause    ::= "WINDOW" window
    ///     window           ::= "TUMBLING" duration
    ///                        | "SLIDING" duration "EVERY" duration
    ///                        | "SESSION" "GAP" duration
    private mutating func parseWindowClause() -> (WindowClause, SourceRange)? {
        let window = advance()
        let kind = current
        switch kind.kind == .word ? kind.keyword : nil {
        case .tumbling?:
            advance()
            guard let size = parseDuration(after: "TUMBLING") else { return nil }
            return (.tumbling(size: size), window.range)
        case .sliding?:
            advance()
            guard let size = parseDuration(after: "SLIDING") else { return nil }
            guard current.isKeyword(.every) else {
                syntaxErrorAtCurrent(DiagnosticMessages.expectedKeyword("EVERY", after: "SLIDING \(text(tokens[index - 1]))", found: found))
                return nil
            }
            advance()
            guard let step = parseDuration(after: "EVERY") else { return nil }
            if step.milliseconds > size.milliseconds {
                syntaxError(DiagnosticMessages.slidingStepTooLarge(step: source.slice(step.range), size: source.slice(size.range)),
                            at: step.range, token: index - 1)
                return nil
            }
            return (.sliding(size: size, every: step), window.range)
        case .session?:
            advance()
            guard current.isKeyword(.gap) else {
                syntaxErrorAtCurrent(DiagnosticMessages.expectedKeyword("GAP", after: "SESSION", found: found))
                return nil
            }
            advance()
            guard let gap = parseDuration(after: "GAP") else { return nil }
            return (.session(gap: gap), window.range)
        default:
            var message = DiagnosticMessages.expectedWindowKind(found: found)
            if current.kind == .word, current.keyword == nil,
               let keyword = Parser.closeKeyword(text(current), in: ["TUMBLING", "SLIDING", "SESSION"]) {
                message += "; " + DiagnosticMessages.didYouMeanClause(keyword)
            }
            syntaxErrorAtCurrent(message)
            return nil
        }
    }

    /// A duration where the grammar expects one; nil after an error (reported).
    ///
    ///     duration         ::= duration-literal
    mutating func parseDuration(after keyword: String) -> DurationLiteral? {
        let token = current
        guard token.kind == .word || token.kind == .integer else {
            let notes = token.kind == .minus ? [Diagnostic.Note(DiagnosticMessages.durationsArePositive)] : []
            syntaxErrorAtCurrent(DiagnosticMessages.expectedDurationAfter(keyword, found: found), notes: notes)
            return nil
        }
        advance()
        guard let milliseconds = readDuration(token, tokenIndex: index - 1) else { return nil }
        return DurationLiteral(milliseconds: milliseconds, range: token.range)
    }
}
