/// SAGA declarations: `START ON`, `KEY`, `TIMEOUT`, the steps (`SEND`, `AWAIT`, `FAIL ON`,
/// `RETRY`, `COMPENSATE`) and the `ON COMPLETE EMIT` / `ON FAILURE EMIT` branches.
///
/// The saga's clauses and each step's clauses go through the clause loop shared with RULE,
/// AGGREGATE and PATTERN (`DeclarationState`, `enterClause`, `reportMissingClauses`): a step
/// is read as a small declaration of kind `STEP`, so that a missing `SEND`, a repeated or
/// misplaced clause is one located error. What cannot be read is skipped to the next saga or
/// step clause, or the next declaration, so that a broken step hides nothing after it.
/// `START`, `KEY`, `FAIL`, `AS`, `BACKOFF`, `MAX`, `COMPLETE` and `FAILURE` are contextual
/// words, not keywords: they stay field, function, alias and step names (`key` is the
/// compiler's name in AGGREGATE, `max` a function).
extension Parser {
    /// A SAGA; nil when it has an error (reported).
    ///
    ///     saga-declaration ::= "SAGA" name saga-start saga-key saga-timeout? saga-step+
    ///                          complete-branch* failure-branch*
    ///     saga-key         ::= "KEY" expression
    ///     saga-timeout     ::= "TIMEOUT" duration
    mutating func parseSaga() -> SagaDeclaration? {
        let keyword = advance()
        let errorsBefore = errorCount
        // `SAGA` then `START ON`: the name is missing (START is a contextual word, a name elsewhere).
        let nameMissing = isWord(current, "start") && peek().isKeyword(.on)
        if nameMissing { syntaxErrorAtCurrent(DiagnosticMessages.expectedName(after: "SAGA", found: found)) }
        var state = DeclarationState(kind: .saga, name: nameMissing ? nil : parseDeclarationName(after: keyword))
        var start: SagaStart?
        var key: Expr?
        var timeout: DurationLiteral?
        var steps: [SagaStep] = []
        var onComplete: [EmitClause] = []
        var onFailure: [EmitClause] = []
        while let clause = nextSagaClause(&state) {
            switch clause {
            case .sagaStart:
                start = parseSagaStart()
                if start?.whereClause != nil { state.lastExpressionClause = .where }
            case .sagaKey:
                advance()
                key = parseExpression()
                state.lastExpressionClause = .sagaKey
            case .sagaTimeout:
                advance()
                timeout = parseSagaDuration(after: "TIMEOUT")
            case .sagaStep:
                if let step = parseSagaStep(state) { steps.append(step) }
            default:
                if let branch = parseSagaBranch(clause, state) {
                    if clause == .onComplete { onComplete.append(branch) } else { onFailure.append(branch) }
                    if branch.when != nil { state.lastExpressionClause = .when }
                }
            }
        }
        let range = keyword.range.union(SourceRange(at: previousEnd))
        reportMissingClauses(state, errorsBefore: errorsBefore, at: keyword.range.union(state.name?.range ?? keyword.range))
        guard let name = state.name, let start, let key, !steps.isEmpty, errorCount == errorsBefore else { return nil }
        warnUnreachableSagaBranches(onComplete)
        warnUnreachableSagaBranches(onFailure)
        return SagaDeclaration(name: name, start: start, key: key, timeout: timeout, steps: steps, onComplete: onComplete,
                               onFailure: onFailure, range: range)
    }

    /// First match: a branch after one without WHEN is never reached (a warning at the
    /// first such branch; sagas have no EMIT ALL).
    private mutating func warnUnreachableSagaBranches(_ branches: [EmitClause]) {
        guard let always = branches.firstIndex(where: { $0.when == nil }), always + 1 < branches.count else { return }
        warning(.lint, DiagnosticMessages.unreachableBranch(alwaysAt: source.position(of: branches[always].range.start)),
                at: branches[always + 1].range, notes: [Diagnostic.Note(DiagnosticMessages.sagaUnreachableBranchNote)])
    }

    /// The SAGA clause (or step clause) at `current`, acting as one (not a field name after
    /// `.` or an object key before `:`): `STEP`, `TIMEOUT`, `SEND`, `AWAIT`, `RETRY`,
    /// `COMPENSATE` (keywords), `ON COMPLETE`, `ON FAILURE`, and the contextual `START`,
    /// `KEY` and `FAIL` (followed by `ON` or an event type).
    var sagaClauseAtCurrent: Clause? {
        guard current.kind == .word, !isFieldName(index) else { return nil }
        switch current.keyword {
        case .step?: return .sagaStep
        case .timeout?: return .sagaTimeout
        case .send?: return .send
        case .await?: return .await
        case .retry?: return .retry
        case .compensate?: return .compensate
        case .on?:
            if isWord(peek(), "complete") { return .onComplete }
            return isWord(peek(), "failure") ? .onFailure : nil
        case nil:
            if isWord(current, "start") { return .sagaStart }
            if isWord(current, "key") { return .sagaKey }
            if isWord(current, "fail"), peek().isKeyword(.on) || peek().kind == .string { return .failOn }
            return nil
        default: return nil
        }
    }

    /// The next clause of the SAGA, entered, or nil at its end; what starts none of its
    /// clauses is reported and skipped.
    private mutating func nextSagaClause(_ state: inout DeclarationState) -> Clause? {
        while !aborted, current.kind != .end, !atDeclarationKeyword {
            defer { state.lastExpressionClause = nil }
            if let clause = sagaClauseAtCurrent {
                if state.kind.clauses.contains(clause) {
                    enterClause(clause, &state)
                    return clause
                }
                // A step's clause outside a step: before the first STEP, or after the branches.
                if lastErrorIndex != index {
                    syntaxErrorAtCurrent(DiagnosticMessages.stepClauseOutsideStep(clause.spelling, in: state.description))
                }
                advance()
                skipToSagaClause(stepClauses: false)
                continue
            }
            reportUnexpectedInSaga(state, step: nil)
        }
        return nil
    }

    /// `ON` followed by neither `COMPLETE` nor `FAILURE`: a misspelling of one of them gets
    /// "did you mean", `ON 'type'` a note on `START ON`.
    private mutating func reportMisspeltOn(_ state: DeclarationState) {
        if lastErrorIndex != index {
            let next = peek()
            var message = DiagnosticMessages.expectedCompleteOrFailure(in: state.description,
                                                                       found: DiagnosticMessages.describe(next, in: source))
            if next.kind == .word, next.keyword == nil, let word = Parser.closeKeyword(text(next), in: ["COMPLETE", "FAILURE"]) {
                message += "; " + DiagnosticMessages.didYouMeanClause("ON " + word)
            }
            let notes = next.kind == .string ? [Diagnostic.Note(DiagnosticMessages.sagaHasNoOn)] : []
            syntaxError(message, at: next.kind == .end ? SourceRange(at: current.range.end) : next.range, token: index + 1, notes: notes)
        }
        advance()
        skipToSagaClause(stepClauses: false)
    }

    /// Reports `current`, which starts no clause where it stands (in the saga, or in `step`),
    /// and skips to the next clause: a clause of another kind of declaration says where it
    /// belongs, a stray `WHERE`, `WITHIN`, `WHEN` or `AS` says where it goes, a misspelt
    /// keyword gets "did you mean".
    private mutating func reportUnexpectedInSaga(_ state: DeclarationState, step: DeclarationState?) {
        let description = step?.description ?? state.description
        if current.kind == .error || lastErrorIndex == index {
            advance()
            skipToSagaClause(stepClauses: step != nil)
            return
        }
        let clause = clauseAtCurrent
        if clause == .on {
            reportMisspeltOn(state)
            return
        }
        let lastExpression = step?.lastExpressionClause ?? state.lastExpressionClause
        var message: String
        var notes: [Diagnostic.Note] = []
        switch clause {
        case .where?: message = DiagnosticMessages.sagaWhereMisplaced(description)
        case .within?: message = DiagnosticMessages.sagaWithinMisplaced(description)
        case .when?: message = DiagnosticMessages.sagaWhenMisplaced(description)
        case .emit?: message = DiagnosticMessages.sagaBareEmit(state.description)
        case .onTimeout?:
            message = DiagnosticMessages.clauseOfOtherDeclaration("ON TIMEOUT EMIT", in: state.description, belongsTo: "PATTERN")
            notes = [Diagnostic.Note(DiagnosticMessages.sagaTimeoutIsFailure)]
        case let clause? where clause.owner != nil:
            message = DiagnosticMessages.clauseOfOtherDeclaration(clause.spelling, in: state.description, belongsTo: clause.owner!)
        default:
            if isWord(current, "as") {
                message = DiagnosticMessages.sagaAsMisplaced(description)
            } else if let lastExpression {
                message = DiagnosticMessages.unexpectedAfterCondition(found, clause: lastExpression.spelling, in: description)
                if let suggestion = keywordTypoSuggestion() { message += "; " + suggestion }
            } else {
                let expected = (step ?? state).expected.map(\.spelling)
                message = DiagnosticMessages.expectedClause(DiagnosticMessages.orList(expected), in: description, found: found)
            }
            if lastExpression == nil || keywordTypoSuggestion() == nil, current.kind == .word, current.keyword == nil,
               let keyword = Parser.closeKeyword(text(current), in: Parser.sagaClauseWords) {
                message += "; " + DiagnosticMessages.didYouMeanClause(keyword == "FAIL" ? "FAIL ON" : keyword)
            }
        }
        syntaxErrorAtCurrent(message, notes: notes)
        // `ON TIMEOUT`: its TIMEOUT is skipped too, not read as the saga's TIMEOUT.
        if clause == .onTimeout { advance() }
        advance()
        skipToSagaClause(stepClauses: step != nil)
    }

    /// The first words of SAGA's and its steps' clauses, for "did you mean".
    static let sagaClauseWords = ["START", "KEY", "TIMEOUT", "STEP", "SEND", "AWAIT", "FAIL", "RETRY", "COMPENSATE"]

    /// Skips an unreadable stretch of a saga up to the next saga clause (and, with
    /// `stepClauses`, step clause), the next declaration, or the end; only outside brackets.
    private mutating func skipToSagaClause(stepClauses: Bool) {
        var nesting = 0
        while current.kind != .end, !atDeclarationStart {
            switch current.kind {
            case .leftParen, .leftBracket, .leftBrace: nesting += 1
            case .rightParen, .rightBracket, .rightBrace: nesting = max(0, nesting - 1)
            case .word where nesting == 0:
                if atDeclarationKeyword { return }
                if let clause = sagaClauseAtCurrent, stepClauses || DeclarationKind.saga.clauses.contains(clause) { return }
            default: break
            }
            advance()
        }
    }

    /// Reports what is missing before `current`: right after the previous token when
    /// `current` starts a clause (the clause is not taken for the missing part), else at it.
    private mutating func reportMissing(_ message: String, notes: [Diagnostic.Note] = []) {
        if sagaClauseAtCurrent != nil || (current.kind == .word && current.keyword != nil && !isFieldName(index)) {
            syntaxError(message, at: SourceRange(at: previousEnd), token: index, notes: notes)
        } else {
            syntaxErrorAtCurrent(message, notes: notes)
        }
    }

    /// A duration where the saga expects one; a clause keyword there is reported as missing
    /// the duration, and not consumed.
    private mutating func parseSagaDuration(after keyword: String) -> DurationLiteral? {
        if sagaClauseAtCurrent != nil || atDeclarationKeyword || (current.kind == .word && current.keyword != nil && !isFieldName(index)) {
            reportMissing(DiagnosticMessages.expectedDurationAfter(keyword, found: found))
            return nil
        }
        return parseDuration(after: keyword)
    }

    // MARK: - START

    /// `START ON 'type' AS alias [WHERE cond]`; nil after an error (reported).
    ///
    ///     saga-start       ::= "START" "ON" event-type "AS" alias ( "WHERE" expression )?
    private mutating func parseSagaStart() -> SagaStart? {
        let start = advance()
        guard current.isKeyword(.on) else {
            syntaxErrorAtCurrent(DiagnosticMessages.expectedKeyword("ON", after: "START", found: found),
                                 notes: [Diagnostic.Note(DiagnosticMessages.sagaStartForm)])
            skipToSagaClause(stepClauses: false)
            return nil
        }
        advance()
        guard let type = parseReplyType(after: "START ON") else { return nil }
        guard isWord(current, "as"), !isFieldName(index) else {
            reportMissing(DiagnosticMessages.startNeedsAlias(found: found), notes: [Diagnostic.Note(DiagnosticMessages.sagaStartForm)])
            skipToSagaClause(stepClauses: false)
            return nil
        }
        advance()
        guard let alias = parseSagaAlias() else { return nil }
        var whereClause: Expr?
        if current.isKeyword(.where), !isFieldName(index) {
            advance()
            whereClause = parseExpression()
        }
        return SagaStart(type: type, alias: alias, whereClause: whereClause, range: start.range.union(SourceRange(at: previousEnd)))
    }

    /// The event type of `START ON`, `AWAIT` or `FAIL ON` (wildcards allowed); nil after an
    /// error (reported; the rest skipped to the next clause).
    private mutating func parseReplyType(after keyword: String) -> EventTypePattern? {
        guard current.kind == .string else {
            var notes: [Diagnostic.Note] = []
            if current.kind == .word, current.keyword == nil, sagaClauseAtCurrent == nil {
                notes.append(Diagnostic.Note(DiagnosticMessages.eventTypesAreStrings("\(keyword) 'order.placed'")))
            }
            reportMissing(DiagnosticMessages.expectedEventType(after: keyword, found: found), notes: notes)
            skipToSagaClause(stepClauses: true)
            return nil
        }
        let token = advance()
        return eventTypePattern(token, tokenIndex: index - 1)
    }

    /// The alias after `AS`: a word not starting with a digit (the checker refuses keywords
    /// and reserved names); nil after an error (reported).
    ///
    ///     alias            ::= word
    private mutating func parseSagaAlias() -> Name? {
        let token = current
        // A contextual clause word first on its line (`AS` then `KEY order.id` below) is the
        // next clause: the alias is missing.
        guard token.kind == .word, !startsWithDigit(token), sagaClauseAtCurrent == nil || !isFirstOnLine(token), !atDeclarationKeyword,
              token.keyword == nil || !(token.keyword!.isReservedInExpressions || token.keyword!.isClauseKeyword) else {
            reportMissing(DiagnosticMessages.expectedAlias(found: found))
            return nil
        }
        advance()
        return Name(text(token), token.range)
    }

    // MARK: - Steps

    /// One step (`current` is `STEP`); nil when it has an error (reported). Its clauses are
    /// read up to the next saga clause, declaration or the end.
    ///
    ///     saga-step        ::= "STEP" name send-clause await-clause? fail-on-clause* retry-clause? compensate-clause?
    private mutating func parseSagaStep(_ saga: DeclarationState) -> SagaStep? {
        let keyword = advance()
        let errors = errorCount
        var state = DeclarationState(kind: .sagaStep, name: parseDeclarationName(after: keyword))
        var send: EmitClause?
        var awaiting: SagaReply?
        var failOn: [SagaReply] = []
        var retry: SagaRetry?
        var compensate: SagaCompensation?
        var compensationAwait: SourceRange?
        while !aborted, current.kind != .end, !atDeclarationKeyword {
            guard let clause = sagaClauseAtCurrent else {
                reportUnexpectedInSaga(saga, step: state)
                state.lastExpressionClause = nil
                continue
            }
            guard state.kind.clauses.contains(clause) else { break }
            state.lastExpressionClause = nil
            if clause == .await, let first = compensationAwait {
                // A second AWAIT after COMPENSATE ... AWAIT: the compensation's, repeated.
                syntaxErrorAtCurrent(DiagnosticMessages.repeatedCompensationAwait(state.description, firstAt: source.position(of: first.start)))
            } else {
                enterClause(clause, &state)
            }
            switch clause {
            case .send: send = parseSagaCommand(after: "SEND")
            case .await:
                awaiting = parseSagaReply(after: "AWAIT", in: state, alias: true, within: true)
                if awaiting?.whereClause != nil, awaiting?.within == nil { state.lastExpressionClause = .where }
            case .failOn:
                if let reply = parseFailOn(state) {
                    failOn.append(reply)
                    if reply.whereClause != nil { state.lastExpressionClause = .where }
                }
            case .retry: retry = parseRetry()
            default:
                compensate = parseCompensation(&state, awaitAt: &compensationAwait)
            }
        }
        reportMissingClauses(state, errorsBefore: errors, at: keyword.range.union(state.name?.range ?? keyword.range))
        guard errorCount == errors, let name = state.name, let send else { return nil }
        return SagaStep(name: name, send: send, awaiting: awaiting, failOn: failOn, retry: retry, compensate: compensate,
                        range: keyword.range.union(SourceRange(at: previousEnd)))
    }

    /// `COMPENSATE 'type' { ... } [AWAIT 'type' [WHERE cond] [WITHIN d]]` (`current` is
    /// `COMPENSATE`): the confirmation takes no `AS`; `awaitAt` is set to where its AWAIT is.
    /// Nil after an error (reported).
    ///
    ///     compensate-clause ::= "COMPENSATE" event-type object-literal await-clause?
    private mutating func parseCompensation(_ state: inout DeclarationState, awaitAt: inout SourceRange?) -> SagaCompensation? {
        let start = advance()
        let command = parseSagaCommand(after: "COMPENSATE", consumed: start)
        var confirmation: SagaReply?
        if current.isKeyword(.await), !isFieldName(index) {
            awaitAt = current.range
            confirmation = parseSagaReply(after: "AWAIT", in: state, alias: false, within: true)
            if confirmation?.whereClause != nil, confirmation?.within == nil { state.lastExpressionClause = .where }
        }
        guard let command else { return nil }
        return SagaCompensation(send: command, awaiting: confirmation, range: start.range.union(SourceRange(at: previousEnd)))
    }

    /// `SEND 'type' { ... }` or `COMPENSATE 'type' { ... }`: a command, an EMIT without WHEN
    /// (`consumed`: its keyword, when already read); nil after an error (reported).
    ///
    ///     send-clause      ::= "SEND" event-type object-literal
    private mutating func parseSagaCommand(after keyword: String, consumed: Token? = nil) -> EmitClause? {
        let start = consumed ?? advance()
        guard current.kind == .string else {
            var notes: [Diagnostic.Note] = []
            if current.kind == .word, current.keyword == nil, sagaClauseAtCurrent == nil {
                notes.append(Diagnostic.Note(DiagnosticMessages.eventTypesAreStrings("\(keyword) 'inventory.reserve' { ... }")))
            }
            reportMissing(DiagnosticMessages.expectedEventType(after: keyword, found: found), notes: notes)
            skipToSagaClause(stepClauses: true)
            return nil
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
            reportMissing(DiagnosticMessages.commandNeedsObject(keyword))
            if canStartOperand(current), sagaClauseAtCurrent == nil { _ = parseExpression() }
            return nil
        }
        let template = parseObjectLiteral().expr
        guard valid else { return nil }
        return EmitClause(type: type, typeRange: typeToken.range, template: template, when: nil,
                          range: start.range.union(SourceRange(at: previousEnd)))
    }

    /// `AWAIT 'type' [AS alias] [WHERE cond] [WITHIN d]` (`current` is `AWAIT`); `alias`:
    /// whether `AS` is allowed (a step's AWAIT, not a compensation's), `within` whether
    /// `WITHIN` is. Each at most once, in this order; nil after an error (reported).
    ///
    ///     await-clause     ::= "AWAIT" event-type ( "AS" alias )? ( "WHERE" expression )? ( "WITHIN" duration )?
    private mutating func parseSagaReply(after keyword: String, in step: DeclarationState, alias allowsAlias: Bool,
                                         within allowsWithin: Bool, consumed: Token? = nil) -> SagaReply? {
        let start = consumed ?? advance()
        let errors = errorCount
        guard let type = parseReplyType(after: keyword) else { return nil }
        var alias: Name?
        var whereClause: Expr?
        var within: DurationLiteral?
        // AS, WHERE, WITHIN: each part's first position, by its place in that order.
        let order = ["AS", "WHERE", "WITHIN"]
        var seen: [Int: SourceRange] = [:]
        let label = allowsAlias || !allowsWithin ? keyword : "compensation's AWAIT"
        while !aborted, current.kind == .word, !isFieldName(index), !atDeclarationKeyword {
            let part: Int
            if isWord(current, "as") { part = 0 } else if current.isKeyword(.where) { part = 1 } else if current.isKeyword(.within) { part = 2 } else { break }
            if let first = seen[part] {
                syntaxErrorAtCurrent(DiagnosticMessages.repeatedReplyPart(order[part], of: label, in: step.description,
                                                                          firstAt: source.position(of: first.start)))
            } else if let later = seen.keys.filter({ $0 > part }).min() {
                syntaxErrorAtCurrent(DiagnosticMessages.replyPartOutOfOrder(order[part], before: order[later], of: label, in: step.description))
            } else if part == 0, !allowsAlias {
                syntaxErrorAtCurrent(DiagnosticMessages.replyTakesNoAlias(label, in: step.description))
            } else if part == 2, !allowsWithin {
                syntaxErrorAtCurrent(DiagnosticMessages.failOnTakesNoWithin(step.description))
            }
            if seen[part] == nil { seen[part] = current.range }
            advance()
            switch part {
            case 0: alias = parseSagaAlias() ?? alias
            case 1: whereClause = parseExpression()
            default: within = parseSagaDuration(after: "WITHIN") ?? within
            }
        }
        guard errorCount == errors else { return nil }
        return SagaReply(type: type, alias: alias, whereClause: whereClause, within: within,
                         range: start.range.union(SourceRange(at: previousEnd)))
    }

    /// `FAIL ON 'type' [WHERE cond]` (`current` is `FAIL`); nil after an error (reported).
    ///
    ///     fail-on-clause   ::= "FAIL" "ON" event-type ( "WHERE" expression )?
    private mutating func parseFailOn(_ step: DeclarationState) -> SagaReply? {
        let fail = advance()
        guard current.isKeyword(.on) else {
            syntaxErrorAtCurrent(DiagnosticMessages.expectedKeyword("ON", after: "FAIL", found: found))
            skipToSagaClause(stepClauses: true)
            return nil
        }
        advance()
        return parseSagaReply(after: "FAIL ON", in: step, alias: false, within: false, consumed: fail)
    }

    /// `RETRY n EVERY d [BACKOFF f] [MAX m]`: n from 1 to `DiagnosticMessages.retryLimit`,
    /// f a number from 1 to `DiagnosticMessages.backoffLimit`; nil after an error (reported).
    ///
    ///     retry-clause     ::= "RETRY" integer-literal "EVERY" duration ( "BACKOFF" number )? ( "MAX" duration )?
    ///     number           ::= integer-literal | decimal-literal
    private mutating func parseRetry() -> SagaRetry? {
        let retry = advance()
        let forms = [Diagnostic.Note(DiagnosticMessages.retryForm)]
        guard let count = retryCount() else {
            skipToSagaClause(stepClauses: true)
            return nil
        }
        guard current.isKeyword(.every), !isFieldName(index) else {
            reportMissing(DiagnosticMessages.expectedKeyword("EVERY", after: "RETRY \(count)", found: found), notes: forms)
            skipToSagaClause(stepClauses: true)
            return nil
        }
        advance()
        guard let every = parseSagaDuration(after: "EVERY") else { return nil }
        var backoff: Double?
        if isWord(current, "backoff"), !isFieldName(index) {
            advance()
            guard let factor = backoffFactor() else {
                skipToSagaClause(stepClauses: true)
                return nil
            }
            backoff = factor
        }
        var max: DurationLiteral?
        if isWord(current, "max"), !isFieldName(index), peek().kind != .leftParen {
            advance()
            guard let cap = parseSagaDuration(after: "MAX") else { return nil }
            max = cap
            if isWord(current, "backoff"), !isFieldName(index) {
                syntaxErrorAtCurrent(DiagnosticMessages.backoffAfterMax, notes: forms)
                skipToSagaClause(stepClauses: true)
                return nil
            }
        }
        return SagaRetry(count: count, every: every, backoff: backoff, max: max, range: retry.range.union(SourceRange(at: previousEnd)))
    }

    /// The count after `RETRY`; nil after an error (reported: a sign is taken with its number).
    private mutating func retryCount() -> Int? {
        let token = current
        if token.kind == .integer, let value = Int(text(token)), (1...DiagnosticMessages.retryLimit).contains(value) {
            advance()
            return value
        }
        reportNumber(DiagnosticMessages.retryCountInvalid)
        return nil
    }

    /// The factor after `BACKOFF`: a number from 1 to `DiagnosticMessages.backoffLimit`; nil
    /// after an error (reported).
    private mutating func backoffFactor() -> Double? {
        let token = current
        if token.kind == .integer || token.kind == .decimal, let value = Double(text(token)), value.isFinite,
           value >= 1, value <= Double(DiagnosticMessages.backoffLimit) {
            advance()
            return value
        }
        reportNumber(DiagnosticMessages.backoffInvalid)
        return nil
    }

    /// Reports the number at `current` (with its sign, if any) as `message(found)`, and
    /// consumes it when it is one.
    private mutating func reportNumber(_ message: (String) -> String) {
        if current.kind == .minus || current.kind == .plus, peek().kind == .integer || peek().kind == .decimal {
            let number = current.range.union(peek().range)
            syntaxError(message("'\(source.slice(number))'"), at: number, token: index)
            advance()
            advance()
            return
        }
        syntaxErrorAtCurrent(message(found))
        if current.kind == .integer || current.kind == .decimal || (current.kind == .word && startsWithDigit(current)) { advance() }
    }

    // MARK: - ON COMPLETE, ON FAILURE

    /// `ON COMPLETE EMIT 'type' { ... } [WHEN cond]` or `ON FAILURE EMIT ...` (`current` is
    /// `ON`); first match, without ALL; nil after an error (reported).
    ///
    ///     complete-branch  ::= "ON" "COMPLETE" "EMIT" event-type object-literal ( "WHEN" expression )?
    ///     failure-branch   ::= "ON" "FAILURE" "EMIT" event-type object-literal ( "WHEN" expression )?
    private mutating func parseSagaBranch(_ clause: Clause, _ state: DeclarationState) -> EmitClause? {
        let on = advance()
        advance()
        guard current.isKeyword(.emit), !isFieldName(index) else {
            reportMissing(DiagnosticMessages.expectedKeyword("EMIT", after: clause.spelling, found: found))
            skipToSagaClause(stepClauses: false)
            return nil
        }
        let (branch, all, allToken) = parseEmitBranch(state, allowWhen: true)
        if all, let allToken {
            syntaxError(DiagnosticMessages.sagaBranchAll(clause.spelling, in: state.description), at: allToken.range, token: index)
            return nil
        }
        guard var branch else { return nil }
        branch.range = on.range.union(branch.range)
        return branch
    }
}
