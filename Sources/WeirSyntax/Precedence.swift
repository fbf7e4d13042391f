/// How tightly the expression operators bind, lowest first (CloudEvents SQL §3.6, read
/// bottom-up). Equal levels group left to right.
///
///     logical          AND OR XOR && ||          a OR b AND c      = (a OR b) AND c
///     comparison       = == != <> < <= > >=      a = b = c         = (a = b) = c
///     additive         + -                       5-3               = 5 - 3
///     multiplicative   * / %
///     postfix          [NOT] LIKE 'p'  [NOT] IN (...)  [NOT] IN path  [NOT] MATCHES 're'  =~ 're'  !~ 're'
///                                                a + b LIKE 'x'    = a + (b LIKE 'x')
///                                                x LIKE 'a' = true = (x LIKE 'a') = true
///     prefix           NOT ! -                   NOT x LIKE 'a%'   = (NOT x) LIKE 'a%'
///                                                NOT a = b         = (NOT a) = b
///     primary          literals, EXISTS, calls, ( ), names and paths
///
/// The binary levels are driven by `OperatorTable.binary`; postfix and prefix operators are
/// parsed by `Parser.parsePostfixExpression()` and `Parser.parseUnaryExpression()`.
enum Precedence: Int, Comparable, Sendable {
    case logical = 1
    case comparison
    case additive
    case multiplicative
    case postfix
    case prefix
    case primary

    static func < (a: Precedence, b: Precedence) -> Bool { a.rawValue < b.rawValue }
}

/// How operators of one level group.
enum Associativity: Sendable {
    /// `a - b - c` is `(a - b) - c`.
    case left
    /// `a ^ b ^ c` would be `a ^ (b ^ c)` (no Weir operator is right-associative yet).
    case right
}

/// A binary operator as the parser sees it: its level, grouping, meaning, and, for a
/// spelling that is a Weir extension, the CloudEvents SQL spelling to suggest instead.
struct InfixOperator: Sendable {
    var precedence: Precedence
    var associativity: Associativity
    var op: BinaryOperator
    var cesqlSpelling: String?

    init(_ precedence: Precedence, _ associativity: Associativity, _ op: BinaryOperator, weirExtensionOf cesqlSpelling: String? = nil) {
        self.precedence = precedence
        self.associativity = associativity
        self.op = op
        self.cesqlSpelling = cesqlSpelling
    }
}

/// What spells an operator: a punctuation token or a keyword.
enum OperatorSpelling: Hashable, Sendable {
    case token(TokenKind)
    case keyword(Keyword)
}

/// The one table of binary operators.
enum OperatorTable {
    static let binary: [OperatorSpelling: InfixOperator] = [
        .keyword(.and): InfixOperator(.logical, .left, .and),
        .keyword(.or): InfixOperator(.logical, .left, .or),
        .keyword(.xor): InfixOperator(.logical, .left, .xor),
        .token(.ampersandAmpersand): InfixOperator(.logical, .left, .and, weirExtensionOf: "AND"),
        .token(.pipePipe): InfixOperator(.logical, .left, .or, weirExtensionOf: "OR"),

        .token(.equal): InfixOperator(.comparison, .left, .equal),
        .token(.equalEqual): InfixOperator(.comparison, .left, .equal, weirExtensionOf: "="),
        .token(.bangEqual): InfixOperator(.comparison, .left, .notEqual),
        .token(.lessGreater): InfixOperator(.comparison, .left, .notEqual),
        .token(.less): InfixOperator(.comparison, .left, .less),
        .token(.lessEqual): InfixOperator(.comparison, .left, .lessOrEqual),
        .token(.greater): InfixOperator(.comparison, .left, .greater),
        .token(.greaterEqual): InfixOperator(.comparison, .left, .greaterOrEqual),

        .token(.plus): InfixOperator(.additive, .left, .add),
        .token(.minus): InfixOperator(.additive, .left, .subtract),

        .token(.star): InfixOperator(.multiplicative, .left, .multiply),
        .token(.slash): InfixOperator(.multiplicative, .left, .divide),
        .token(.percent): InfixOperator(.multiplicative, .left, .remainder),
    ]

    /// `binary` indexed by token kind, and its keyword entries: the same table, laid out
    /// for a lookup per token without hashing.
    private static let byTokenKind: [InfixOperator?] = TokenKind.allCases.map { binary[.token($0)] }
    private static let byKeyword: [(keyword: Keyword, op: InfixOperator)] = Keyword.allCases.compactMap { keyword in
        binary[.keyword(keyword)].map { (keyword, $0) }
    }

    /// The binary operator `token` spells in infix position, if any.
    static func binaryOperator(_ token: Token) -> InfixOperator? {
        if token.kind == .word {
            guard let keyword = token.keyword else { return nil }
            for entry in byKeyword where entry.keyword == keyword { return entry.op }
            return nil
        }
        let index = Int(token.kind.rawValue)
        return index < byTokenKind.count ? byTokenKind[index] : nil
    }
}
