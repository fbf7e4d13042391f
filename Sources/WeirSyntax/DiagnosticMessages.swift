/// Every message text of the lexer and the parser, in one place: lower case, code in single
/// quotes, saying what was expected and what was found.
enum DiagnosticMessages {
    // MARK: Lexer

    static let unterminatedString = "unterminated string literal"
    static let unterminatedBlockComment = "unterminated block comment; '/*' needs a closing '*/'"

    static func invalidNumber(_ text: String) -> String {
        "invalid number '\(abbreviated(text))'"
    }

    static func invalidUTF8(_ byte: UInt8) -> String {
        "invalid UTF-8 byte \(hex(byte))"
    }

    static func invalidUTF8InString(_ byte: UInt8) -> String {
        "invalid UTF-8 byte \(hex(byte)) in string literal"
    }

    /// `alone`: the character is not followed by other unexpected ones (hints apply then).
    static func unexpectedCharacter(_ scalar: Unicode.Scalar, alone: Bool) -> String {
        let v = scalar.value
        if v < 0x20 || v == 0x7F { return "unexpected character \(codePoint(scalar))" }
        if v < 0x80 {
            if alone && scalar == "&" { return "unexpected character '&'; did you mean '&&' or 'AND'?" }
            if alone && scalar == "|" { return "unexpected character '|'; did you mean '||' or 'OR'?" }
            return "unexpected character '\(Character(scalar))'"
        }
        switch v {
        case 0x2018, 0x2019, 0x201C, 0x201D:
            return "unexpected character '\(Character(scalar))' (\(codePoint(scalar))); quote strings with ' or \""
        default:
            return "unexpected character '\(Character(scalar))' (\(codePoint(scalar)))"
        }
    }

    /// `data.名前`: the key written in quotes.
    static func quoteTheKey(path: String, key: String) -> String {
        "a field name after '.' has only ASCII letters, digits and '_'; write any other key in quotes: \(path)['\(key.replacingQuotes)']"
    }

    static func tooManyLexicalErrors(_ count: Int) -> String {
        "too many errors; \(count) more unreadable \(count == 1 ? "stretch" : "stretches") of input not reported"
    }

    // MARK: Parser: syntax

    static func expectedExpression(found: String) -> String {
        "expected expression, found \(found)"
    }

    static func unexpectedAfterExpression(_ found: String) -> String {
        "unexpected \(found) after the expression"
    }

    /// `expected ')' to close '(' at 1:5`
    static func unclosed(_ opener: String, _ closer: String, openedAt position: String) -> String {
        "expected '\(closer)' to close '\(opener)' at \(position)"
    }

    static let likePatternNotString = "LIKE pattern must be a string literal"

    /// `spelling`: `MATCHES`, `=~` or `!~`.
    static func regexPatternNotString(_ spelling: String) -> String {
        spelling.first?.isLetter == true
            ? "\(spelling) pattern must be a string literal"
            : "'\(spelling)' pattern must be a string literal"
    }

    static let emptyInList = "'IN' list must not be empty"

    static func expectedInOperand(found: String, pathsAllowed: Bool) -> String {
        pathsAllowed
            ? "expected '(' or a path after 'IN', found \(found)"
            : "expected '(' after 'IN', found \(found)"
    }

    static func expectedAfterNot(found: String) -> String {
        "expected 'LIKE', 'IN' or 'MATCHES' after 'NOT', found \(found)"
    }

    static func expectedExistsOperand(found: String, pathsAllowed: Bool) -> String {
        pathsAllowed
            ? "expected an attribute name or a path after 'EXISTS', found \(found)"
            : "expected an attribute name after 'EXISTS', found \(found)"
    }

    static let existsFunctionCall = "'EXISTS' takes an attribute name or a path, not a function call"

    static func expectedFieldName(found: String) -> String {
        "expected a field name after '.', found \(found)"
    }

    static func expectedSubscript(found: String) -> String {
        "expected a quoted key or an index after '[', found \(found)"
    }

    static func integerOutOfRange(_ text: String) -> String {
        "integer literal out of range: '\(abbreviated(text))' does not fit in 64 bits"
    }

    static func decimalOutOfRange(_ text: String) -> String {
        "decimal literal out of range: '\(abbreviated(text))'"
    }

    static func indexOutOfRange(_ text: String) -> String {
        "index out of range: '\(abbreviated(text))'"
    }

    // MARK: Parser: durations

    static func notADuration(_ text: String) -> String {
        "'\(abbreviated(text))' is neither a number nor a duration, and a name cannot start with a digit"
    }

    static func expectedDuration(found: String) -> String {
        "expected a duration (250ms, 30s, 10m, 1h, 7d, 1h30m), found \(found)"
    }

    static let durationForms = "durations are written 250ms, 30s, 10m, 1h, 7d or 1h30m (units d, h, m, s, ms, in lower case)"
    static func quoteDigitKey(_ text: String) -> String {
        "to read a field whose name starts with a digit, quote it: data['\(abbreviated(text).replacingQuotes)']"
    }

    static func durationMisordered(_ text: String) -> String {
        "invalid duration '\(abbreviated(text))': write its units in decreasing order (d, h, m, s, ms), each at most once"
    }

    static func durationUpperCase(_ text: String, _ lowerCase: String) -> String {
        "duration units are lower case: did you mean '\(abbreviated(lowerCase))' instead of '\(abbreviated(text))'?"
    }

    static func durationZero(_ text: String) -> String {
        "duration '\(abbreviated(text))' must be greater than zero"
    }

    static func durationOverflow(_ text: String) -> String {
        "duration '\(abbreviated(text))' is too long: it must fit in 64-bit milliseconds (about 292 million years)"
    }

    // MARK: Parser: arrays, objects, selections

    static func expectedObjectKey(found: String) -> String {
        "expected a field name or a quoted key in the object, found \(found)"
    }

    static func expectedColonAfterKey(_ key: String, found: String) -> String {
        "expected ':' after the key '\(abbreviated(key))', found \(found)"
    }

    static func repeatedObjectKey(_ key: String, firstAt position: String) -> String {
        "repeated key '\(abbreviated(key))' in the object (first at \(position))"
    }

    static let adjacentStringsNote = "to put a quote inside a string literal, escape it with a backslash: 'it\\'s'"

    // MARK: Parser: limits

    static func nestedTooDeeply(_ maxDepth: Int) -> String {
        "expression nested too deeply (more than \(maxDepth) levels)"
    }

    static func unsupportedDepthLimit(_ limit: Int, maximum: Int) -> String {
        "nesting limit \(limit) is not supported: it must be between 1 and \(maximum)"
    }

    static func inputTooLong(_ length: Int, limit: Int) -> String {
        "input too long: \(length) bytes, more than the limit of \(limit)"
    }

    // MARK: Parser: lints

    /// `other`: `OR` or `XOR`, mixed with `AND`.
    static func mixedLogicalOperators(_ other: String) -> String {
        "mixing 'AND' and '\(other)' without parentheses; CESQL evaluates them left to right"
    }

    /// `first`, `second`: the canonical spellings (`AND`, `OR`, `XOR`) in order of appearance.
    static func mixedLogicalOperatorsNote(_ first: String, _ second: String) -> String {
        "'a \(first) b \(second) c' means '(a \(first) b) \(second) c'; add parentheses to make the grouping explicit"
    }

    // MARK: Parser: Weir extensions in the CloudEvents SQL dialect

    static func extensionOperator(_ spelling: String, cesqlSpelling: String) -> String {
        "'\(spelling)' is a Weir extension; CloudEvents SQL uses '\(cesqlSpelling)'"
    }

    static func extensionRegex(_ spelling: String) -> String {
        "'\(spelling)' is a Weir extension; CloudEvents SQL has no regular expressions (use 'LIKE')"
    }

    static let extensionPath =
        "field paths ('.' and '[...]') are a Weir extension; CloudEvents SQL only reads context attributes"
    static let extensionInPath =
        "'IN' with a path is a Weir extension; CloudEvents SQL needs a list in parentheses: 'x IN (a, b)'"
    static let extensionExistsPath =
        "'EXISTS' with a path is a Weir extension; CloudEvents SQL takes an attribute name"
    static let extensionArray = "array literals ('[a, b]') are a Weir extension; CloudEvents SQL has none"
    static let extensionObject = "object literals ('{ key: value }') are a Weir extension; CloudEvents SQL has none"
    static let extensionSelection =
        "selecting fields of a value ('f(x).y', '(x)[0]') is a Weir extension; CloudEvents SQL only reads context attributes"
    static let extensionDecimal = "decimal literals are a Weir extension; CloudEvents SQL has only integers"

    static func extensionInteger(_ text: String) -> String {
        "integer literal '\(abbreviated(text))' is outside the 32-bit range of CloudEvents SQL; 64-bit integers are a Weir extension"
    }

    static func extensionUnderscoreName(_ name: String) -> String {
        "'_' in the name '\(abbreviated(name))' is a Weir extension; CloudEvents SQL names have only letters and digits"
    }

    static func extensionFunctionName(_ name: String) -> String {
        "function name '\(abbreviated(name))' is a Weir extension; CloudEvents SQL function names are a letter, then letters and '_'"
    }

    // MARK: Describing tokens

    /// How a message names a token: `end of input`, `string literal 'abc'`, `'+'`.
    static func describe(_ token: Token, in source: SourceFile) -> String {
        switch token.kind {
        case .end: return "end of input"
        case .string: return "string literal \(abbreviated(source.slice(token.range)))"
        default: return "'\(abbreviated(source.slice(token.range)))'"
        }
    }

    /// At most 24 characters of `text`, with `…` when cut, and control characters shown as `U+XXXX`.
    static func abbreviated(_ text: String) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == 24 {
                out += "…"
                break
            }
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += codePoint(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }

    private static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count < 2 ? "0" : "") + digits
    }

    // MARK: Suggestions

    /// `EXIST data.x`: a word written where a keyword was likely meant.
    static func didYouMeanKeyword(_ keyword: String, insteadOf word: String) -> String {
        "did you mean '\(keyword)' instead of '\(abbreviated(word))'?"
    }
}

extension String {
    /// `'` and `\\` escaped with a backslash, for a string literal in a message.
    fileprivate var replacingQuotes: String {
        var out = ""
        for c in self {
            if c == "'" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

// MARK: - Rule files

extension DiagnosticMessages {
    /// `'WHERE'`, `'WHERE' or 'EMIT'`, `'ON', 'WHERE' or 'EMIT'`.
    static func orList(_ items: [String]) -> String {
        let quoted = items.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " or " + quoted[quoted.count - 1]
    }

    /// `RULE 'high_value'`, or `RULE` when the name is missing.
    static func declaration(_ keyword: String, _ name: String?) -> String {
        name.map { "\(keyword) '\(abbreviated($0))'" } ?? keyword
    }

    static func expectedDeclaration(found: String) -> String {
        "expected a declaration (RULE, AGGREGATE, PATTERN or SAGA), found \(found)"
    }

    static func expectedName(after keyword: String, found: String) -> String {
        "expected a name after '\(keyword)', found \(found)"
    }

    static let namesAreWords = "a declaration name is a word: letters, digits and '_', not starting with a digit (RULE high_value_orders)"

    /// `expected` already quoted and joined (see `orList`).
    static func expectedClause(_ expected: String, in declaration: String, found: String) -> String {
        "expected \(expected) in \(declaration), found \(found)"
    }

    static func unexpectedAfterCondition(_ found: String, clause: String, in declaration: String) -> String {
        "unexpected \(found) after the \(clause) expression of \(declaration)"
    }

    static func clauseOfOtherDeclaration(_ clause: String, in declaration: String, belongsTo owner: String) -> String {
        "\(declaration) has no '\(clause)' clause; '\(clause)' belongs to \(owner)"
    }

    static func missingClauses(_ clauses: [String], in declaration: String) -> String {
        clauses.count == 1
            ? "the '\(clauses[0])' clause is missing from \(declaration)"
            : "the " + clauses.dropLast().map { "'\($0)'" }.joined(separator: ", ")
                + " and '\(clauses[clauses.count - 1])' clauses are missing from \(declaration)"
    }

    static func repeatedClause(_ clause: String, in declaration: String, firstAt position: String) -> String {
        "repeated '\(clause)' clause in \(declaration) (first at \(position))"
    }

    static let combineWithAnd = "to require several conditions, combine them with AND in one clause"

    static func clauseOutOfOrder(_ clause: String, after previous: String, in declaration: String) -> String {
        "'\(clause)' must come before '\(previous)' in \(declaration)"
    }

    static func clauseOrder(_ keyword: String, _ clauses: [String]) -> String {
        "the clauses of \(keyword) come in this order: " + clauses.joined(separator: ", ")
    }

    static func didYouMeanClause(_ keyword: String) -> String {
        "did you mean '\(keyword)'?"
    }

    // MARK: Event types

    static func expectedEventType(after keyword: String, found: String) -> String {
        "expected an event type in quotes after '\(keyword)', found \(found)"
    }

    static func eventTypesAreStrings(_ example: String) -> String {
        "event types are string literals: \(example)"
    }

    static let emptyEventType = "empty event type"

    static func emptySegment(_ type: String) -> String {
        "empty segment in event type '\(abbreviated(type))'; segments are separated by single dots"
    }

    static func misplacedWildcard(_ type: String) -> String {
        "'*' in event type '\(abbreviated(type))' is allowed only as the whole type ('*') or as its last segment ('order.*')"
    }

    static func wildcardInEmittedType(_ type: String) -> String {
        "an emitted event has one exact type; '\(abbreviated(type))' has a '*'"
    }

    // MARK: EMIT

    static let emitNeedsObject = "EMIT needs an object: { field: value, ... }"

    static func emitAllOnLaterBranch(_ declaration: String) -> String {
        "'ALL' on a later EMIT branch of \(declaration), but not on the first"
    }

    static let emitAllGoesFirst =
        "write 'EMIT ALL' on the first branch: it makes every branch whose WHEN holds emit (the default is the first that holds)"

    static func unreachableBranch(alwaysAt position: String) -> String {
        "this EMIT branch is never reached: the branch at \(position) has no WHEN, and only the first branch that holds emits"
    }

    static let unreachableBranchNote =
        "add a WHEN to the earlier branch, or write 'EMIT ALL' on the first branch to emit every branch that holds"

    static func emitAllInAggregate(_ declaration: String) -> String {
        "\(declaration) emits once per window: 'EMIT ALL' belongs to RULE"
    }

    static func whenOutsideEmit(_ declaration: String) -> String {
        "'WHEN' in \(declaration) must follow an EMIT branch: EMIT 'type' { ... } WHEN condition"
    }

    static func whenInAggregate(_ declaration: String) -> String {
        "\(declaration) has no 'WHEN'; use HAVING to choose the windows that emit"
    }

    // MARK: GROUP BY, WINDOW

    static func expectedBy(found: String) -> String {
        "expected 'BY' after 'GROUP', found \(found)"
    }

    static func expectedWindowKind(found: String) -> String {
        "expected 'TUMBLING', 'SLIDING' or 'SESSION' after 'WINDOW', found \(found)"
    }

    static func expectedKeyword(_ keyword: String, after previous: String, found: String) -> String {
        "expected '\(keyword)' after '\(previous)', found \(found)"
    }

    static func expectedDurationAfter(_ keyword: String, found: String) -> String {
        "expected a duration after '\(keyword)' (250ms, 30s, 10m, 1h, 7d, 1h30m), found \(found)"
    }

    static let durationsArePositive = "durations are positive: a window lasts at least 1ms"

    static func slidingStepTooLarge(step: String, size: String) -> String {
        "the step of a SLIDING window (EVERY \(step)) is larger than its size (\(size)): events between windows would belong to none"
    }

    // MARK: PATTERN

    static let laterStepsFollowThen = "a pattern has one MATCH, its first step; later steps follow THEN, NEXT, THEN ANY or THEN NOT"

    static func expectedStep(after keyword: String, found: String) -> String {
        "expected a step after '\(keyword)', found \(found); a step is alias: 'type' (\(keyword) login: 'user.login')"
    }

    static func missingAlias(after keyword: String, type: String) -> String {
        "the step after '\(keyword)' has no alias; write \(keyword) name: \(abbreviated(type))"
    }

    static func expectedColonAfterAlias(_ alias: String, found: String) -> String {
        "expected ':' after the step alias '\(abbreviated(alias))', found \(found)"
    }

    static func unexpectedInStepKeyword(_ found: String, after keyword: String) -> String {
        "unexpected \(found) after '\(keyword)'"
    }

    static func expectedStepType(_ alias: String, found: String) -> String {
        "expected the event type of step '\(abbreviated(alias))' in quotes, found \(found)"
    }

    /// `MATCH NOT`, `MATCH ANY`.
    static func firstStepModifier(_ word: String) -> String {
        word == "NOT"
            ? "the first step cannot be negated: there is no 'MATCH NOT' (a run starts with an event, not an absence)"
            : "there is no 'MATCH ANY': the first step is written MATCH alias: 'type', and every event that matches it starts a run"
    }

    /// `NEXT NOT`, `NEXT ANY`.
    static func nextModifier(_ word: String) -> String {
        word == "NOT"
            ? "there is no 'NEXT NOT'; write 'THEN NOT' (no such event between the steps around it)"
            : "there is no 'NEXT ANY'; write 'THEN ANY' (skip till any match) or 'NEXT' (strict contiguity)"
    }

    static func unexpectedInStep(_ found: String, step: String, in declaration: String) -> String {
        "unexpected \(found) in step '\(abbreviated(step))' of \(declaration)"
    }

    static func unexpectedAfterStepCondition(_ found: String, step: String, in declaration: String) -> String {
        "unexpected \(found) after the WHERE expression of step '\(abbreviated(step))' in \(declaration)"
    }

    static let quantifierFollowsType = "a quantifier follows the event type directly: login: 'user.login'{3}, 'x'+, 'x'?"

    static func repeatedStepClause(_ clause: String, step: String, firstAt position: String) -> String {
        "repeated '\(clause)' in step '\(abbreviated(step))' (first at \(position))"
    }

    static func stepWhereAfterWithin(_ step: String) -> String {
        "'WHERE' must come before 'WITHIN' in step '\(abbreviated(step))'"
    }

    static let quantifierForms = "a quantifier is {n}, {n,m}, {n,} (whole numbers up to \(quantifierLimit)), '+' (one or more) or '?' (optional)"

    /// The largest count a quantifier may hold.
    static let quantifierLimit = 10_000

    static let emptyQuantifier = "empty quantifier '{}'"

    static func expectedQuantifierCount(found: String) -> String {
        "expected a whole number in the quantifier, found \(found)"
    }

    static func quantifierTooLarge(_ text: String) -> String {
        "quantifier count \(abbreviated(text)) is larger than the limit of \(quantifierLimit)"
    }

    static func quantifierBounds(_ text: String, min: Int, max: Int) -> String {
        "quantifier \(text) allows at most \(max), fewer than its least \(min)"
    }

    static func quantifierZero(_ text: String) -> String {
        "quantifier \(text) matches no event; a step occurs at least once ('?' or {0,1} makes it optional)"
    }

    static func maxRunsInvalid(found: String) -> String {
        "'MAX RUNS' takes a whole number from 1 to \(maxRunsLimit), found \(found)"
    }

    /// The largest `MAX RUNS`.
    static let maxRunsLimit = 10_000_000

    static func expectedPartitionBy(found: String) -> String {
        "expected 'BY' after 'PARTITION', found \(found)"
    }

    /// `expected` already quoted and joined (see `orList`).
    static func expectedInAfterMatch(_ expected: String, after written: String, found: String) -> String {
        "expected \(expected) after '\(written)', found \(found)"
    }

    static let afterMatchForms = "AFTER MATCH is followed by SKIP TO NEXT (the default: other runs go on) or SKIP PAST LAST EVENT (other runs of the partition are dropped)"

    static func expectedTimeoutEmit(in declaration: String, found: String) -> String {
        "expected 'TIMEOUT EMIT' after 'ON' in \(declaration), found \(found)"
    }

    static func expectedEmitAfterTimeout(found: String) -> String {
        "expected 'EMIT' after 'ON TIMEOUT', found \(found)"
    }

    static let patternHasNoOn = "a PATTERN has no ON clause: each step names its event type (MATCH login: 'user.login')"

    static func whereOutsideStep(_ declaration: String) -> String {
        "\(declaration) has no 'WHERE' clause; a condition belongs to a step: MATCH login: 'user.login' WHERE condition"
    }

    static func timeoutEmitAll(_ declaration: String) -> String {
        "'ALL' after ON TIMEOUT EMIT in \(declaration): timeout branches are first-match (the first whose WHEN holds emits)"
    }

    static func withinAfterSteps(_ declaration: String) -> String {
        "'WITHIN' after the steps of \(declaration): a step's window follows the step (THEN tx: 'x' WITHIN 10m); the whole-match window goes before MATCH"
    }

    static func patternEmitsNothing(_ declaration: String) -> String {
        "\(declaration) emits nothing: it has no EMIT and no ON TIMEOUT EMIT"
    }

    // MARK: Limits

    static func ruleFileTooLong(_ length: Int, limit: Int) -> String {
        "rule file too long: \(length) bytes, more than the limit of \(limit)"
    }
}
