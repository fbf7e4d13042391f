/// Rule files: the list of declarations, and the clause loop shared by RULE, AGGREGATE and PATTERN.
///
/// Each declaration is read clause by clause: the clause keyword at `current` says which
/// clause comes next, so a missing, repeated or misplaced clause is one located error, and
/// after an unreadable stretch the parser goes on at the next clause keyword of the same
/// declaration or the next declaration. A declaration with an error is left out of the result.
extension Parser {
    /// All declarations of the file that parsed without error, in written order; the loop
    /// goes on after a broken one, and after a limit hit inside one.
    ///
    ///     rule-file        ::= declaration* EOF
    ///     declaration      ::= rule-declaration
    ///                        | aggregate-declaration
    ///                        | pattern-declaration
    ///                        | saga-declaration
    mutating func parseRuleFile() -> [Declaration] {
        var declarations: [Declaration] = []
        while current.kind != .end {
            let start = index
            let errors = errorCount
            let declaration: Declaration?
            switch current.kind == .word ? current.keyword : nil {
            case .rule?: declaration = parseRule().map(Declaration.rule)
            case .aggregate?: declaration = parseAggregate().map(Declaration.aggregate)
            case .pattern?: declaration = parsePattern().map(Declaration.pattern)
            case .saga?: declaration = parseSaga().map(Declaration.saga)
            default:
                reportExpectedDeclaration()
                skipToDeclarationStart()
                declaration = nil
            }
            if aborted {
                aborted = false
                skipToDeclarationStart()
            } else if let declaration, errorCount == errors, !hasLexicalError(from: start) {
                declarations.append(declaration)
            }
            if index == start { advance() }
        }
        return declarations
    }

    /// Whether a token the lexer reported lies between `start` and `current`.
    private func hasLexicalError(from start: Int) -> Bool {
        tokens[start..<index].contains { $0.kind == .error }
    }

    private mutating func reportExpectedDeclaration() {
        guard current.kind != .error else { return }
        var message = DiagnosticMessages.expectedDeclaration(found: found)
        if current.kind == .word, current.keyword == nil,
           let keyword = Parser.closeKeyword(text(current), in: ["RULE", "AGGREGATE", "PATTERN", "SAGA"]) {
            message += "; " + DiagnosticMessages.didYouMeanClause(keyword)
        }
        syntaxErrorAtCurrent(message)
    }

    /// Skips to the next declaration keyword at the start of a line, or the end.
    mutating func skipToDeclarationStart() {
        while current.kind != .end, !atDeclarationStart { advance() }
    }

    // MARK: - Declaration names

    /// The name after `RULE` or `AGGREGATE`; nil (reported, nothing consumed) if there is none.
    ///
    ///     name             ::= word - reserved-word
    ///                        | word                  (* a keyword, when "ON" follows *)
    mutating func parseDeclarationName(after keyword: Token) -> Name? {
        let token = current
        let spelling = text(keyword).uppercased()
        if token.kind == .word, !startsWithDigit(token), token.keyword == nil || !(token.keyword!.isReservedInExpressions || token.keyword!.isClauseKeyword) {
            advance()
            return Name(text(token), token.range)
        }
        // A keyword names a declaration when `ON` follows it (`RULE all ON 'x'`, `AGGREGATE
        // session ON ...`): no clause can stand there. Otherwise it is a missing name (`RULE ON`).
        if token.kind == .word, !startsWithDigit(token), token.keyword != .on, peek().kind == .word, peek().keyword == .on {
            advance()
            return Name(text(token), token.range)
        }
        let message = DiagnosticMessages.expectedName(after: spelling, found: found)
        guard token.kind == .string || (token.kind == .word && startsWithDigit(token)) else {
            syntaxErrorAtCurrent(message)
            return nil
        }
        advance()
        syntaxError(message, at: token.range, token: index - 1, notes: [Diagnostic.Note(DiagnosticMessages.namesAreWords)])
        return nil
    }

    // MARK: - Clauses

    /// The clause keyword at `current` acting as one (not a field name after `.` or an
    /// object key before `:`), for the clause loop. `MAX RUNS` is two contextual words (`max`
    /// stays a function name); `ON TIMEOUT` is PATTERN's timeout branch, not RULE's `ON`.
    var clauseAtCurrent: Clause? {
        guard current.kind == .word, !isFieldName(index) else { return nil }
        guard let keyword = current.keyword else {
            return isWord(current, "max") && isWord(peek(), "runs") ? .maxRuns : nil
        }
        if keyword == .on, peek().isKeyword(.timeout) { return .onTimeout }
        return Clause(keyword)
    }

    /// Whether `token` is the word `lowerCase` in any case (for contextual words: `SKIP`,
    /// `ANY`, `MAX`, which are not keywords).
    func isWord(_ token: Token, _ lowerCase: String) -> Bool {
        guard token.kind == .word, token.range.end - token.range.start == lowerCase.utf8.count else { return false }
        return zip(source.bytes[token.range.start..<token.range.end], lowerCase.utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    /// Whether the word at `tokenIndex` is a field name: after `.`, or before `:`.
    func isFieldName(_ tokenIndex: Int) -> Bool {
        (tokenIndex > 0 && tokens[tokenIndex - 1].kind == .dot) || peek(tokenIndex - index + 1).kind == .colon
    }

    /// Whether `current` is a declaration keyword acting as one (ends the declaration before it).
    var atDeclarationKeyword: Bool {
        current.kind == .word && current.keyword?.startsDeclaration == true && !isFieldName(index)
    }

    /// Skips an unreadable stretch of a declaration: up to the next clause keyword of
    /// `kind`, the next declaration, or the end. Stops at a clause keyword only outside
    /// brackets (so that `{ where: 1 }` is skipped whole).
    mutating func skipToClause(of kind: DeclarationKind) {
        var nesting = 0
        while current.kind != .end, !atDeclarationStart {
            switch current.kind {
            case .leftParen, .leftBracket, .leftBrace: nesting += 1
            case .rightParen, .rightBracket, .rightBrace: nesting = max(0, nesting - 1)
            case .word where nesting == 0:
                if atDeclarationKeyword { return }
                if let clause = clauseAtCurrent, kind.clauses.contains(clause) || clause == .when { return }
                if kind.clauses.contains(.sagaStep), sagaClauseAtCurrent != nil { return }
            default: break
            }
            advance()
        }
    }

    /// Reports `current`, which starts no clause of the declaration: a clause of another
    /// kind of declaration, a stray `WHEN`, a misspelt keyword, or junk after an
    /// expression; then skips to the next clause. Marks nothing: the error does.
    mutating func reportUnexpectedInDeclaration(_ state: DeclarationState) {
        let declaration = state.description
        if current.kind == .error || lastErrorIndex == index {
            // The lexer, or an error just reported here, said what is wrong with this token.
            advance()
            skipToClause(of: state.kind)
            return
        }
        if let clause = clauseAtCurrent, let owner = clause.owner, !state.kind.clauses.contains(clause) {
            syntaxErrorAtCurrent(DiagnosticMessages.clauseOfOtherDeclaration(clause.spelling, in: declaration, belongsTo: owner))
            advance()
            skipToClause(of: state.kind)
            return
        }
        var message: String
        if let clause = state.lastExpressionClause {
            message = DiagnosticMessages.unexpectedAfterCondition(found, clause: clause.spelling, in: declaration)
            if let suggestion = keywordTypoSuggestion() { message += "; " + suggestion }
        } else {
            message = DiagnosticMessages.expectedClause(DiagnosticMessages.orList(state.expected.flatMap(\.expectedSpellings)),
                                                        in: declaration, found: found)
        }
        if state.lastExpressionClause == nil || keywordTypoSuggestion() == nil, current.kind == .word, current.keyword == nil,
           let keyword = Parser.closeKeyword(text(current), in: state.kind.clauses.flatMap(\.firstWords)) {
            let clause = state.kind.clauses.first { $0.firstWords.contains(keyword) }
            message += "; " + DiagnosticMessages.didYouMeanClause(clause.map { $0.firstWords.count > 1 ? keyword : $0.spelling } ?? keyword)
        }
        syntaxErrorAtCurrent(message)
        advance()
        skipToClause(of: state.kind)
    }

    /// Checks the order of a clause about to be read and records it: a repeated or
    /// misplaced clause is reported (and the clause still read, so that parsing goes on).
    mutating func enterClause(_ clause: Clause, _ state: inout DeclarationState) {
        let range = current.range
        if let first = state.seen[clause], !state.kind.repeatable.contains(clause) {
            let notes = clause == .where || clause == .having ? [Diagnostic.Note(DiagnosticMessages.combineWithAnd)]
                : clause == .match ? [Diagnostic.Note(DiagnosticMessages.laterStepsFollowThen)] : []
            syntaxErrorAtCurrent(DiagnosticMessages.repeatedClause(clause.spelling, in: state.description,
                                                                   firstAt: source.position(of: first.start)), notes: notes)
        } else if let last = state.last, clause.rawValue < last.rawValue {
            syntaxErrorAtCurrent(DiagnosticMessages.clauseOutOfOrder(clause.spelling, after: last.spelling, in: state.description),
                                 notes: [Diagnostic.Note(DiagnosticMessages.clauseOrder(state.kind.keyword, state.kind.clauses.map(\.spelling)))])
        }
        if state.seen[clause] == nil { state.seen[clause] = range }
        state.last = max(state.last ?? clause, clause)
    }

    /// Reports the required clauses the declaration lacks, unless it has reported an
    /// error already (a misspelt clause keyword is one message, not two).
    mutating func reportMissingClauses(_ state: DeclarationState, errorsBefore: Int, at range: SourceRange) {
        let missing = state.kind.required.filter { state.seen[$0] == nil }
        guard !missing.isEmpty, errorCount == errorsBefore else { return }
        error(.syntax, DiagnosticMessages.missingClauses(missing.map(\.spelling), in: state.description), at: range)
    }
}

/// The clauses of RULE, AGGREGATE, PATTERN and SAGA (and of a SAGA's steps), in the order
/// they are written.
enum Clause: Int, Comparable {
    case on, `where`, groupBy, window, having
    /// PATTERN's header (`PARTITION BY`, `WITHIN`, `MAX RUNS`), its steps (`MATCH`, then
    /// `THEN`/`NEXT` ones) and `AFTER MATCH`.
    case partitionBy, within, maxRuns, match, step, afterMatch
    case emit
    /// PATTERN's `ON TIMEOUT EMIT` branches.
    case onTimeout
    /// Not a clause: part of an EMIT branch; listed so that a stray one is recognised.
    case when
    /// SAGA's clauses (`START ON`, `KEY`, `TIMEOUT`, `STEP`, `ON COMPLETE EMIT`, `ON FAILURE
    /// EMIT`), recognised by `sagaClauseAtCurrent` (START, KEY and FAIL are contextual words).
    case sagaStart, sagaKey, sagaTimeout, sagaStep, onComplete, onFailure
    /// The clauses of a SAGA's step.
    case send, await, failOn, retry, compensate

    init?(_ keyword: Keyword) {
        switch keyword {
        case .on: self = .on
        case .where: self = .where
        case .group: self = .groupBy
        case .window: self = .window
        case .having: self = .having
        case .partition: self = .partitionBy
        case .within: self = .within
        case .match: self = .match
        case .then, .next: self = .step
        case .after: self = .afterMatch
        case .emit: self = .emit
        case .when: self = .when
        default: return nil
        }
    }

    var spelling: String {
        switch self {
        case .on: return "ON"
        case .where: return "WHERE"
        case .groupBy: return "GROUP BY"
        case .window: return "WINDOW"
        case .having: return "HAVING"
        case .partitionBy: return "PARTITION BY"
        case .within: return "WITHIN"
        case .maxRuns: return "MAX RUNS"
        case .match: return "MATCH"
        case .step: return "THEN"
        case .afterMatch: return "AFTER MATCH"
        case .emit: return "EMIT"
        case .onTimeout: return "ON TIMEOUT EMIT"
        case .when: return "WHEN"
        case .sagaStart: return "START"
        case .sagaKey: return "KEY"
        case .sagaTimeout: return "TIMEOUT"
        case .sagaStep: return "STEP"
        case .onComplete: return "ON COMPLETE"
        case .onFailure: return "ON FAILURE"
        case .send: return "SEND"
        case .await: return "AWAIT"
        case .failOn: return "FAIL ON"
        case .retry: return "RETRY"
        case .compensate: return "COMPENSATE"
        }
    }

    /// How "expected ..." lists the clause (a step follows `THEN` or `NEXT`).
    var expectedSpellings: [String] { self == .step ? ["THEN", "NEXT"] : [spelling] }

    /// The first keywords of the clause (for misspellings).
    var firstWords: [String] {
        switch self {
        case .groupBy: return ["GROUP"]
        case .partitionBy: return ["PARTITION"]
        case .maxRuns: return ["MAX"]
        case .step: return ["THEN", "NEXT"]
        case .afterMatch: return ["AFTER"]
        case .onTimeout, .onComplete, .onFailure: return ["ON"]
        case .failOn: return ["FAIL"]
        default: return [spelling]
        }
    }

    /// The declaration a clause belongs to when it is not a clause of every one.
    var owner: String? {
        switch self {
        case .groupBy, .window, .having: return "AGGREGATE"
        case .partitionBy, .within, .maxRuns, .match, .step, .afterMatch, .onTimeout: return "PATTERN"
        case .sagaStart, .sagaKey, .sagaTimeout, .sagaStep, .onComplete, .onFailure, .send, .await, .failOn, .retry, .compensate:
            return "SAGA"
        default: return nil
        }
    }

    static func < (a: Clause, b: Clause) -> Bool { a.rawValue < b.rawValue }
}

/// What distinguishes RULE, AGGREGATE, PATTERN and SAGA (and a SAGA's step) for the clause loop.
struct DeclarationKind {
    var keyword: String
    /// Its clauses in written order.
    var clauses: [Clause]
    var required: [Clause]
    /// The clauses that may be written several times (EMIT branches, PATTERN steps).
    var repeatable: [Clause]

    /// Whether EMIT may be written several times (RULE's and PATTERN's branches).
    var repeatableEmit: Bool { repeatable.contains(.emit) }

    static let rule = DeclarationKind(keyword: "RULE", clauses: [.on, .where, .emit], required: [.on, .emit], repeatable: [.emit])
    static let aggregate = DeclarationKind(keyword: "AGGREGATE", clauses: [.on, .where, .groupBy, .window, .having, .emit],
                                           required: [.on, .window, .emit], repeatable: [])
    static let pattern = DeclarationKind(keyword: "PATTERN",
                                         clauses: [.partitionBy, .within, .maxRuns, .match, .step, .afterMatch, .emit, .onTimeout],
                                         required: [.match], repeatable: [.step, .emit, .onTimeout])
    static let saga = DeclarationKind(keyword: "SAGA", clauses: [.sagaStart, .sagaKey, .sagaTimeout, .sagaStep, .onComplete, .onFailure],
                                      required: [.sagaStart, .sagaKey, .sagaStep], repeatable: [.sagaStep, .onComplete, .onFailure])
    /// A SAGA's step, read with the same machinery (`STEP 'name'` in messages).
    static let sagaStep = DeclarationKind(keyword: "STEP", clauses: [.send, .await, .failOn, .retry, .compensate],
                                          required: [.send], repeatable: [.failOn])
}

/// The clauses of one declaration read so far.
struct DeclarationState {
    var kind: DeclarationKind
    var name: Name?
    /// Where each clause was first written.
    var seen: [Clause: SourceRange] = [:]
    /// The furthest clause (in written order) read so far.
    var last: Clause?
    /// The clause whose expression was read last, while nothing else came after it.
    var lastExpressionClause: Clause?

    init(kind: DeclarationKind, name: Name?) {
        self.kind = kind
        self.name = name
    }

    /// `RULE 'name'`.
    var description: String { DiagnosticMessages.declaration(kind.keyword, name?.text) }

    /// The clauses that may come next.
    var expected: [Clause] {
        guard let last else {
            // Every clause up to the first required one may come first (PATTERN's header is optional).
            let firstRequired = kind.clauses.firstIndex { kind.required.contains($0) } ?? 0
            return Array(kind.clauses[...firstRequired])
        }
        return kind.clauses.filter { $0 > last || ($0 == last && kind.repeatable.contains($0)) }
    }
}
