/// One token of Weir source text: what it is and where it is.
///
/// Tokens hold no text: the spelling is `source.slice(token.range)`, and the value of a
/// string literal is `Lexer.stringValue(of:in:)`. Keywords are soft: the lexer only tags a
/// word with the keyword it spells (case-insensitively); the parser decides by context
/// whether the word acts as that keyword (`data.in`, `matches = 'x'` are names).
public struct Token: Hashable, Sendable {
    /// What the token is.
    public var kind: TokenKind
    /// Where it is: its bytes in the source (for `.end`, an empty range at the end of input).
    public var range: SourceRange
    /// For a `.word`: the keyword it spells, ignoring case (`like`, `LIKE`, `Like`); else nil.
    public var keyword: Keyword?

    public init(_ kind: TokenKind, _ range: SourceRange, keyword: Keyword? = nil) {
        self.kind = kind
        self.range = range
        self.keyword = keyword
    }

    /// Whether this token is a word spelling `keyword` (in any case); whether it acts as the
    /// keyword depends on where it is.
    public func isKeyword(_ keyword: Keyword) -> Bool {
        kind == .word && self.keyword == keyword
    }
}

/// The kinds of token. Punctuation and operators are listed with their spelling.
public enum TokenKind: UInt8, Hashable, Sendable, CaseIterable {
    /// A name or keyword: letters, digits and `_`, not starting with a digit unless a letter
    /// or `_` follows the digits (`subject`, `data`, `1abc`, `250ms`, `LIKE`).
    case word
    /// Digits only: `0`, `42`, `2147483648` (the value is checked by the parser).
    case integer
    /// `59.98`, `1e3`, `2.5E-3` (a Weir extension).
    case decimal
    /// `'text'` or `"text"`.
    case string
    /// Text that is no token (an unexpected character, an unterminated string or comment);
    /// the lexer has reported it.
    case error
    /// The end of the input.
    case end

    /// `(`
    case leftParen
    /// `)`
    case rightParen
    /// `[`
    case leftBracket
    /// `]`
    case rightBracket
    /// `{`
    case leftBrace
    /// `}`
    case rightBrace
    /// `,`
    case comma
    /// `.`
    case dot
    /// `:`
    case colon
    /// `;`
    case semicolon
    /// `+`
    case plus
    /// `-`
    case minus
    /// `*`
    case star
    /// `/`
    case slash
    /// `%`
    case percent
    /// `=`
    case equal
    /// `==` (a Weir extension)
    case equalEqual
    /// `!=`
    case bangEqual
    /// `<>`
    case lessGreater
    /// `<`
    case less
    /// `<=`
    case lessEqual
    /// `>`
    case greater
    /// `>=`
    case greaterEqual
    /// `&&` (a Weir extension)
    case ampersandAmpersand
    /// `||` (a Weir extension)
    case pipePipe
    /// `!` (a Weir extension)
    case bang
    /// `=~` (a Weir extension)
    case equalTilde
    /// `!~` (a Weir extension)
    case bangTilde
    /// `?`: only in a rule file, right after a string literal (a PATTERN step's `'x'?`
    /// quantifier); anywhere else `?` is an unexpected character.
    case question

    /// The fixed spelling of a punctuation or operator token; nil for words, literals,
    /// errors and the end of input.
    public var spelling: String? {
        switch self {
        case .word, .integer, .decimal, .string, .error, .end: return nil
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .leftBrace: return "{"
        case .rightBrace: return "}"
        case .comma: return ","
        case .dot: return "."
        case .colon: return ":"
        case .semicolon: return ";"
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .percent: return "%"
        case .equal: return "="
        case .equalEqual: return "=="
        case .bangEqual: return "!="
        case .lessGreater: return "<>"
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .ampersandAmpersand: return "&&"
        case .pipePipe: return "||"
        case .bang: return "!"
        case .equalTilde: return "=~"
        case .bangTilde: return "!~"
        case .question: return "?"
        }
    }
}

/// Words with a meaning in some context, matched case-insensitively; the raw value is the
/// lower-case spelling. One table for the whole language, with no limit on a keyword's length.
///
/// All keywords are soft at the lexical level: the lexer tags every word with the keyword it
/// spells, and the parser decides by context. In expressions, `AND OR XOR NOT LIKE IN EXISTS
/// TRUE FALSE` are reserved where CloudEvents SQL reserves them (they are never attribute or
/// function names, but are field names after `.`); `MATCHES` is an operator only in infix
/// position, after a complete operand. The clause keywords of rule files (`RULE`, `WHERE`,
/// `EMIT`, `THEN`, ...) are keywords only in rule files, where they end an operand (`WHERE
/// data.c > THEN` is an error at `THEN`); in `weir eval` expressions they are ordinary names
/// (`window`, `session` may be attribute names there, as CloudEvents SQL allows).
public enum Keyword: String, Hashable, Sendable, CaseIterable {
    /// Reserved in expressions, as in CloudEvents SQL.
    case and, or, xor, not, like, `in`, exists, `true`, `false`
    /// Soft: an operator only after a complete operand (a Weir extension).
    case matches
    /// Declaration keywords of rule files.
    case rule, aggregate, pattern, saga
    /// Clause keywords of RULE and AGGREGATE.
    case on, `where`, emit, when, all, group, by, window, tumbling, sliding, every, session, gap, having
    /// Clause keywords of PATTERN and SAGA. SAGA's `START KEY FAIL AS BACKOFF COMPLETE FAILURE` are contextual words.
    /// PATTERN's `SKIP TO PAST LAST EVENT ANY MAX RUNS` are contextual words, not keywords.
    case match, then, next, within, partition, after, timeout, step, send, await, compensate, retry

    /// Whether the word is reserved in expression operand position (CloudEvents SQL keywords).
    public var isReservedInExpressions: Bool {
        switch self {
        case .and, .or, .xor, .not, .like, .in, .exists, .true, .false: return true
        default: return false
        }
    }

    /// Whether the keyword belongs to expressions (reserved or soft), as opposed to rule-file
    /// clauses.
    public var isExpressionKeyword: Bool {
        isReservedInExpressions || self == .matches
    }

    /// Whether the keyword starts a declaration (`RULE`, `AGGREGATE`, `PATTERN`, `SAGA`).
    public var startsDeclaration: Bool {
        switch self {
        case .rule, .aggregate, .pattern, .saga: return true
        default: return false
        }
    }

    /// Whether the keyword is a rule-file keyword (declaration or clause), which ends an
    /// operand in a rule file.
    public var isClauseKeyword: Bool { !isExpressionKeyword }

    /// The keywords by length: `byLength[n]` holds each keyword of `n` letters with its
    /// lower-case spelling, for a lookup without building strings.
    private static let byLength: [[(keyword: Keyword, letters: [UInt8])]] = {
        let longest = Keyword.allCases.map(\.rawValue.utf8.count).max() ?? 0
        var table = Array(repeating: [(keyword: Keyword, letters: [UInt8])](), count: longest + 1)
        for keyword in Keyword.allCases {
            let letters = Array(keyword.rawValue.utf8)
            table[letters.count].append((keyword, letters))
        }
        return table
    }()

    /// The keyword spelled by `bytes` (ASCII letters, any case), if any.
    static func lookUp(_ bytes: ArraySlice<UInt8>) -> Keyword? {
        guard bytes.count < byLength.count else { return nil }
        candidates: for entry in byLength[bytes.count] {
            var i = bytes.startIndex
            for letter in entry.letters {
                let b = bytes[i]
                guard ByteClass.isLetter(b), b | 0x20 == letter else { continue candidates }
                i += 1
            }
            return entry.keyword
        }
        return nil
    }
}
