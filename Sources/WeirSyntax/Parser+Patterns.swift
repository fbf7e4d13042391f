/// PATTERN declarations: the header (`PARTITION BY`, `WITHIN`, `MAX RUNS`), the steps with
/// their quantifiers, `AFTER MATCH`, and the `EMIT` and `ON TIMEOUT EMIT` branches.
///
/// The header and tail clauses go through the clause loop shared with RULE and AGGREGATE
/// (`DeclarationState`, `enterClause`, `skipToClause`); each step is read by
/// `parsePatternStep`, which reports and skips what it cannot read up to the step's next
/// `WHERE` or `WITHIN`, or the next clause, so that a broken step hides nothing after it.
/// `SKIP`, `TO`, `PAST`, `LAST`, `EVENT`, `ANY`, `MAX` and `RUNS` are contextual words, not
/// keywords: they stay field, function and alias names.
extension Parser {
    /// A PATTERN; nil when it has an error (reported).
    ///
    ///     pattern-declaration ::= "PATTERN" name partition-clause? within-clause? max-runs-clause?
    ///                             "MATCH" step ( step-keyword step )*
    ///                             after-match-clause? emit-branch* timeout-branch*
    mutating func parsePattern() -> PatternDeclaration? {
        let keyword = advance()
        let errorsBefore = errorCount
        var state = DeclarationState(kind: .pattern, name: parseDeclarationName(after: keyword))
        var partitionBy: Expr?
        var within: DurationLiteral?
        var maxRuns: PatternDeclaration.Count?
        var steps: [PatternStep] = []
        var afterMatch = PatternDeclaration.AfterMatch.skipToNext
        var afterMatchRange: SourceRange?
        var emits: [EmitClause] = []
        var emitAll = false
        var onTimeout: [EmitClause] = []
        while let clause = nextPatternClause(&state) {
            switch clause {
            case .partitionBy:
                partitionBy = parsePartitionBy()
                state.lastExpressionClause = .partitionBy
            case .within:
                advance()
                within = parseDuration(after: "WITHIN")
            case .maxRuns: maxRuns = parseMaxRuns()
            case .match, .step:
                if let step = parsePatternStep(state) { steps.append(step) }
            case .afterMatch:
                let start = current.range
                if let kind = parseAfterMatch() {
                    afterMatch = kind
                    afterMatchRange = start.union(SourceRange(at: previousEnd))
                }
            case .onTimeout:
                if let branch = parseTimeoutBranch(state) {
                    onTimeout.append(branch)
                    if branch.when != nil { state.lastExpressionClause = .when }
                }
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
        guard let name = state.name, !steps.isEmpty, errorCount == errorsBefore else { return nil }
        if !emitAll { warnUnreachableBranches(emits) }
        if emits.isEmpty, onTimeout.isEmpty {
            warning(.lint, DiagnosticMessages.patternEmitsNothing(state.description), at: name.range)
        }
        return PatternDeclaration(name: name, partitionBy: partitionBy, within: within, maxRuns: maxRuns, steps: steps,
                                  afterMatch: afterMatch, afterMatchRange: afterMatchRange, emits: emits, emitAll: emitAll,
                                  onTimeout: onTimeout, range: range)
    }

    /// The next clause of the PATTERN, entered, or nil at its end; what starts none of its
    /// clauses is reported and skipped. A clause keyword is read as one even right after an
    /// error at it (`THEN EMIT ...`: the step is missing, the EMIT branch is still read).
    private mutating func nextPatternClause(_ state: inout DeclarationState) -> Clause? {
        while !aborted, current.kind != .end, !atDeclarationKeyword {
            defer { state.lastExpressionClause = nil }
            guard let clause = clauseAtCurrent else {
                reportUnexpectedInDeclaration(state)
                continue
            }
            switch clause {
            case .where, .when:
                if lastErrorIndex != index {
                    syntaxErrorAtCurrent(clause == .where ? DiagnosticMessages.whereOutsideStep(state.description)
                                                          : DiagnosticMessages.whenOutsideEmit(state.description))
                }
                advance()
                skipToClause(of: state.kind)
                continue
            case .on:
                // `ON TIMOUT EMIT`: a misspelt timeout branch; any other `ON` is no clause of a PATTERN.
                let next = peek()
                if next.kind == .word, next.keyword == nil, Parser.closeKeyword(text(next), in: ["TIMEOUT"]) != nil {
                    enterClause(.onTimeout, &state)
                    return .onTimeout
                }
                advance()
                let notes = current.kind == .string ? [Diagnostic.Note(DiagnosticMessages.patternHasNoOn)] : []
                syntaxErrorAtCurrent(DiagnosticMessages.expectedTimeoutEmit(in: state.description, found: found), notes: notes)
                skipToClause(of: state.kind)
                continue
            case .within where (state.last ?? .partitionBy) > .maxRuns:
                syntaxErrorAtCurrent(DiagnosticMessages.withinAfterSteps(state.description))
                advance()
                _ = parseDuration(after: "WITHIN")
                continue
            default:
                guard state.kind.clauses.contains(clause) else {
                    reportUnexpectedInDeclaration(state)
                    continue
                }
                enterClause(clause, &state)
                return clause
            }
        }
        return nil
    }

    // MARK: - Header

    /// `PARTITION BY expr`; nil after an error (reported).
    ///
    ///     partition-clause ::= "PARTITION" "BY" expression
    private mutating func parsePartitionBy() -> Expr? {
        advance()
        guard current.isKeyword(.by) else {
            syntaxErrorAtCurrent(DiagnosticMessages.expectedPartitionBy(found: found))
            return nil
        }
        advance()
        return parseExpression()
    }

    /// `MAX RUNS n`, n from 1 to `DiagnosticMessages.maxRunsLimit`; nil after an error (reported).
    ///
    ///     within-clause    ::= "WITHIN" duration
    ///     max-runs-clause  ::= "MAX" "RUNS" integer-literal
    private mutating func parseMaxRuns() -> PatternDeclaration.Count? {
        advance()
        advance()
        let token = current
        if token.kind == .integer, let value = Int(text(token)), (1...DiagnosticMessages.maxRunsLimit).contains(value) {
            advance()
            return PatternDeclaration.Count(value: value, range: token.range)
        }
        if token.kind == .minus, peek().kind == .integer || peek().kind == .decimal {
            let number = token.range.union(peek().range)
            syntaxError(DiagnosticMessages.maxRunsInvalid(found: "'\(source.slice(number))'"), at: number, token: index)
            advance()
        } else {
            syntaxErrorAtCurrent(DiagnosticMessages.maxRunsInvalid(found: found))
        }
        if current.kind == .integer || current.kind == .decimal || (current.kind == .word && startsWithDigit(current)) { advance() }
        return nil
    }

    // MARK: - Steps

    /// One step with the keyword(s) before it (`current` is `MATCH`, `THEN` or `NEXT`); nil
    /// when it has an error (reported). What cannot be read is skipped to the step's next
    /// `WHERE` or `WITHIN`, or the next clause.
    ///
    ///     step-keyword     ::= "THEN" | "NEXT" | "THEN" "ANY" | "THEN" "NOT"
    ///     step             ::= alias ":" event-type quantifier? ( "WHERE" expression )? ( "WITHIN" duration )?
    ///     alias            ::= word
    private mutating func parsePatternStep(_ state: DeclarationState) -> PatternStep? {
        let keyword = advance()
        let errors = errorCount
        var contiguity: PatternStep.Contiguity
        var spelling: String
        switch keyword.keyword {
        case .match?: (contiguity, spelling) = (.first, "MATCH")
        case .next?: (contiguity, spelling) = (.next, "NEXT")
        default: (contiguity, spelling) = (.then, "THEN")
        }
        var keywordRange = keyword.range
        if peek().kind != .colon, let modifier = stepModifier() {
            switch contiguity {
            case .then: contiguity = modifier == "ANY" ? .thenAny : .thenNot
            case .first: syntaxErrorAtCurrent(DiagnosticMessages.firstStepModifier(modifier))
            default: syntaxErrorAtCurrent(DiagnosticMessages.nextModifier(modifier))
            }
            spelling += " " + modifier
            keywordRange = keywordRange.union(advance().range)
        }
        let alias = parseStepAlias(after: spelling)
        var type: EventTypePattern?
        var quantifier: PatternStep.Quantifier?
        if current.kind == .string {
            let token = advance()
            type = eventTypePattern(token, tokenIndex: index - 1)
            quantifier = parseQuantifier()
        } else if let alias {
            var notes: [Diagnostic.Note] = []
            if current.kind == .word, current.keyword == nil {
                notes.append(Diagnostic.Note(DiagnosticMessages.eventTypesAreStrings("\(spelling) \(alias.text): 'user.login'")))
            }
            syntaxErrorAtCurrent(DiagnosticMessages.expectedStepType(alias.text, found: found), notes: notes)
        }
        let (whereClause, within) = parseStepClauses(step: alias?.text ?? "?", state)
        guard errorCount == errors, let alias, let type else { return nil }
        return PatternStep(contiguity: contiguity, keywordRange: keywordRange, alias: alias, type: type, quantifier: quantifier,
                           whereClause: whereClause, within: within, range: keyword.range.union(SourceRange(at: previousEnd)))
    }

    /// `ANY` or `NOT` at `current` (either case), else nil.
    private func stepModifier() -> String? {
        if current.isKeyword(.not) { return "NOT" }
        return isWord(current, "any") ? "ANY" : nil
    }

    /// `alias :`; nil after an error (reported). A missing `:` is reported and the alias kept
    /// (the rest of the step is still read); so is a misspelt `NOT` or `ANY` (`THEN NTO paid:`).
    private mutating func parseStepAlias(after spelling: String) -> Name? {
        let token = current
        let isName = token.kind == .word && !startsWithDigit(token)
        if isName, peek().kind == .colon {
            advance()
            advance()
            return Name(text(token), token.range)
        }
        if token.kind == .string {
            syntaxErrorAtCurrent(DiagnosticMessages.missingAlias(after: spelling, type: text(token)))
            return nil
        }
        if isName, token.keyword == nil, peek().kind == .string {
            advance()
            syntaxErrorAtCurrent(DiagnosticMessages.expectedColonAfterAlias(text(token), found: found))
            return Name(text(token), token.range)
        }
        if isName, token.keyword == nil, spelling == "THEN", peek().kind == .word, peek(2).kind == .colon,
           let modifier = Parser.closeKeyword(text(token), in: ["NOT", "ANY"]) {
            syntaxErrorAtCurrent(DiagnosticMessages.unexpectedInStepKeyword(found, after: spelling) + "; "
                                 + DiagnosticMessages.didYouMeanClause("THEN " + modifier))
            advance()
            let alias = advance()
            advance()
            return Name(text(alias), alias.range)
        }
        syntaxErrorAtCurrent(DiagnosticMessages.expectedStep(after: spelling, found: found))
        return nil
    }

    /// A step's `WHERE cond` and `WITHIN d` (each at most once, in this order), up to the next
    /// clause; what is neither is reported and skipped.
    private mutating func parseStepClauses(step: String, _ state: DeclarationState) -> (Expr?, DurationLiteral?) {
        var whereClause: Expr?
        var whereRange: SourceRange?
        var within: DurationLiteral?
        var withinRange: SourceRange?
        var afterCondition = false
        while !aborted, current.kind != .end, !atDeclarationKeyword {
            let isClause = current.kind == .word && !isFieldName(index)
            if isClause, current.isKeyword(.where) {
                if let first = whereRange {
                    syntaxErrorAtCurrent(DiagnosticMessages.repeatedStepClause("WHERE", step: step, firstAt: source.position(of: first.start)),
                                         notes: [Diagnostic.Note(DiagnosticMessages.combineWithAnd)])
                } else if withinRange != nil {
                    syntaxErrorAtCurrent(DiagnosticMessages.stepWhereAfterWithin(step))
                }
                whereRange = whereRange ?? current.range
                advance()
                whereClause = parseExpression()
                afterCondition = true
            } else if isClause, current.isKeyword(.within) {
                if let first = withinRange {
                    syntaxErrorAtCurrent(DiagnosticMessages.repeatedStepClause("WITHIN", step: step, firstAt: source.position(of: first.start)))
                }
                withinRange = withinRange ?? current.range
                advance()
                within = parseDuration(after: "WITHIN") ?? within
                afterCondition = false
            } else if clauseAtCurrent != nil {
                break
            } else {
                reportUnexpectedInStep(step: step, state, afterCondition: afterCondition)
                afterCondition = false
            }
        }
        return (whereClause, within)
    }

    /// Reports `current`, which continues no step, and skips to the next clause (a step's
    /// `WHERE` and `WITHIN` included).
    private mutating func reportUnexpectedInStep(step: String, _ state: DeclarationState, afterCondition: Bool) {
        if current.kind != .error, lastErrorIndex != index {
            var message = afterCondition
                ? DiagnosticMessages.unexpectedAfterStepCondition(found, step: step, in: state.description)
                : DiagnosticMessages.unexpectedInStep(found, step: step, in: state.description)
            if afterCondition, let suggestion = keywordTypoSuggestion() {
                message += "; " + suggestion
            } else if current.kind == .word, current.keyword == nil,
                      let keyword = Parser.closeKeyword(text(current), in: ["WHERE", "WITHIN", "THEN", "NEXT", "AFTER", "EMIT"]) {
                message += "; " + DiagnosticMessages.didYouMeanClause(keyword == "AFTER" ? "AFTER MATCH" : keyword)
            }
            let quantifierLike = [TokenKind.leftBrace, .plus, .question].contains(current.kind)
            syntaxErrorAtCurrent(message, notes: quantifierLike ? [Diagnostic.Note(DiagnosticMessages.quantifierFollowsType)] : [])
        }
        advance()
        var nesting = 0
        while current.kind != .end, !atDeclarationStart {
            switch current.kind {
            case .leftParen, .leftBracket, .leftBrace: nesting += 1
            case .rightParen, .rightBracket, .rightBrace: nesting = max(0, nesting - 1)
            case .word where nesting == 0:
                if atDeclarationKeyword || clauseAtCurrent != nil { return }
            default: break
            }
            advance()
        }
    }

    // MARK: - Quantifiers

    /// `+`, `?`, `{n}`, `{n,m}` or `{n,}` right after a step's type, or nil when none is
    /// written or after an error (reported). Counts are whole numbers up to
    /// `DiagnosticMessages.quantifierLimit`; `{0}`, `{0,0}` and a most below the least are errors.
    ///
    ///     quantifier       ::= "{" integer-literal "}"
    ///                        | "{" integer-literal "," integer-literal? "}"
    ///                        | "+"
    ///                        | "?"
    private mutating func parseQuantifier() -> PatternStep.Quantifier? {
        if current.kind == .plus { return PatternStep.Quantifier(min: 1, max: nil, range: advance().range) }
        if current.kind == .question { return PatternStep.Quantifier(min: 0, max: 1, range: advance().range) }
        guard current.kind == .leftBrace else { return nil }
        let open = advance()
        let forms = [Diagnostic.Note(DiagnosticMessages.quantifierForms)]
        if current.kind == .rightBrace {
            syntaxError(DiagnosticMessages.emptyQuantifier, at: open.range.union(current.range), token: index, notes: forms)
            advance()
            return nil
        }
        guard let min = quantifierCount() else {
            skipQuantifier()
            return nil
        }
        var max: Int? = min
        if take(.comma) != nil {
            if current.kind == .rightBrace {
                max = nil
            } else {
                guard let most = quantifierCount() else {
                    skipQuantifier()
                    return nil
                }
                max = most
            }
        }
        guard let close = take(.rightBrace) else {
            reportUnclosed(open)
            skipQuantifier()
            return nil
        }
        let range = open.range.union(close.range)
        let written = source.slice(range)
        if max == 0 {
            syntaxError(DiagnosticMessages.quantifierZero(written), at: range, token: index - 1)
            return nil
        }
        if let max, max < min {
            syntaxError(DiagnosticMessages.quantifierBounds(written, min: min, max: max), at: range, token: index - 1)
            return nil
        }
        return PatternStep.Quantifier(min: min, max: max, range: range)
    }

    /// A count in a quantifier; nil after an error (reported).
    private mutating func quantifierCount() -> Int? {
        let token = current
        guard token.kind == .integer else {
            syntaxErrorAtCurrent(DiagnosticMessages.expectedQuantifierCount(found: found),
                                 notes: [Diagnostic.Note(DiagnosticMessages.quantifierForms)])
            return nil
        }
        guard let value = Int(text(token)), value <= DiagnosticMessages.quantifierLimit else {
            syntaxErrorAtCurrent(DiagnosticMessages.quantifierTooLarge(text(token)))
            return nil
        }
        advance()
        return value
    }

    /// Skips the rest of a broken quantifier: numbers, commas and signs, then its `}`.
    private mutating func skipQuantifier() {
        while [TokenKind.integer, .decimal, .comma, .minus, .plus].contains(current.kind)
                || (current.kind == .word && current.keyword == nil && !isFieldName(index) && peek().kind != .colon) {
            advance()
        }
        _ = take(.rightBrace)
    }

    // MARK: - AFTER MATCH

    /// `AFTER MATCH SKIP TO NEXT` or `AFTER MATCH SKIP PAST LAST EVENT`; nil after an error
    /// (reported at the first word that does not fit, the rest of the clause skipped).
    ///
    ///     after-match-clause ::= "AFTER" "MATCH" "SKIP" "TO" "NEXT"
    ///                          | "AFTER" "MATCH" "SKIP" "PAST" "LAST" "EVENT"
    private mutating func parseAfterMatch() -> PatternDeclaration.AfterMatch? {
        advance()
        var written = "AFTER"
        guard expectWord(["MATCH"], &written) != nil, expectWord(["SKIP"], &written) != nil,
              let way = expectWord(["TO", "PAST"], &written) else { return nil }
        if way == "TO" {
            return expectWord(["NEXT"], &written) == nil ? nil : .skipToNext
        }
        guard expectWord(["LAST"], &written) != nil, expectWord(["EVENT"], &written) != nil else { return nil }
        return .skipPastLastEvent
    }

    /// Consumes `current` if it is one of `words` (upper case; any case in the source) and
    /// appends it to `written`; else reports it (with "did you mean" for a close word), skips
    /// the rest of the clause's words, and returns nil.
    private mutating func expectWord(_ words: [String], _ written: inout String) -> String? {
        if let word = words.first(where: { isWord(current, $0.lowercased()) }) {
            advance()
            written += " " + word
            return word
        }
        var message = DiagnosticMessages.expectedInAfterMatch(DiagnosticMessages.orList(words), after: written, found: found)
        if current.kind == .word, let keyword = Parser.closeKeyword(text(current), in: words) {
            message += "; " + DiagnosticMessages.didYouMeanClause(keyword)
        }
        syntaxErrorAtCurrent(message, notes: [Diagnostic.Note(DiagnosticMessages.afterMatchForms)])
        let clauseWords = ["match", "skip", "to", "past", "last", "event", "next"]
        while current.kind == .word, !atDeclarationStart, !isFieldName(index),
              current.keyword == nil || clauseWords.contains(where: { isWord(current, $0) }) {
            advance()
        }
        return nil
    }

    // MARK: - ON TIMEOUT EMIT

    /// `ON TIMEOUT EMIT 'type' { ... } [WHEN cond]` (a misspelt `TIMEOUT` is reported and
    /// read as one); nil after an error (reported).
    ///
    ///     timeout-branch   ::= "ON" "TIMEOUT" "EMIT" event-type object-literal ( "WHEN" expression )?
    private mutating func parseTimeoutBranch(_ state: DeclarationState) -> EmitClause? {
        let on = advance()
        if current.isKeyword(.timeout) {
            advance()
        } else {
            let suggestion = Parser.closeKeyword(text(current), in: ["TIMEOUT"]).map { "; " + DiagnosticMessages.didYouMeanClause($0) } ?? ""
            syntaxErrorAtCurrent(DiagnosticMessages.expectedTimeoutEmit(in: state.description, found: found) + suggestion)
            advance()
        }
        guard current.isKeyword(.emit), !isFieldName(index) else {
            syntaxErrorAtCurrent(DiagnosticMessages.expectedEmitAfterTimeout(found: found))
            skipToClause(of: state.kind)
            return nil
        }
        let (branch, all, allToken) = parseEmitBranch(state, allowWhen: true)
        if all, let allToken {
            syntaxError(DiagnosticMessages.timeoutEmitAll(state.description), at: allToken.range, token: index)
            return nil
        }
        guard var branch else { return nil }
        branch.range = on.range.union(branch.range)
        return branch
    }
}
