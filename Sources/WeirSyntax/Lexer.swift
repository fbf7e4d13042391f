/// Turns the UTF-8 bytes of a `SourceFile` into tokens, reporting what it cannot read.
///
/// Hand-written, byte-oriented, and total: every input (binary junk, NUL, invalid UTF-8,
/// unterminated strings and comments) gives a token stream that ends in `.end`, with an
/// `.error` token and a diagnostic for each unreadable stretch. It never traps.
///
/// Lexical rules (see `Grammar/weir.ebnf`, section "lexical grammar"):
/// - whitespace is space, tab, CR, LF, VT and FF; comments are `/* block */` (not nested) and,
///   in the Weir dialect, `--` followed by whitespace or the end of input, to the end of the line
///   (`--10` is two minus signs and a number, as in CloudEvents SQL); in a rule file (`ruleFile`)
///   `--` always starts a line comment;
/// - a word is letters, digits and `_`; a digit run followed by a letter or `_` is a word
///   (`1abc`, `250ms`); after a `.` any run of letters, digits and `_` is a word (`data.0`);
/// - `59.98`, `2.5E-3` and (Weir dialect) `1e3` are decimal literals;
/// - strings are `'...'` or `"..."`; inside them `\` escapes the delimiter and itself, and
///   every other backslash is kept (`'ab\c'` is `ab\c`);
/// - in a rule file, `?` right after a string literal (whitespace between allowed) is a token
///   (a PATTERN step's quantifier, `'x'?`); anywhere else it is an unexpected character.
public struct Lexer: Sendable {
    /// The most diagnostics one input gets from the lexer; the rest are counted in a last one.
    static let maximumDiagnostics = 100

    /// The text being read.
    public let source: SourceFile
    /// `.cesql` has no `--` line comments and no `1e3` decimals (there they are CESQL syntax).
    public let dialect: Dialect
    /// The problems found so far.
    public private(set) var diagnostics: [Diagnostic] = []

    private let bytes: [UInt8]
    private var offset = 0
    private var previousKind: TokenKind?
    private var suppressedDiagnostics = 0

    /// In a rule file `--` always starts a line comment (`--comment`); in an expression only
    /// when whitespace or the end follows (`--10` is CESQL's `-(-10)`).
    public let ruleFile: Bool

    public init(_ source: SourceFile, dialect: Dialect = .weir, ruleFile: Bool = false) {
        self.source = source
        self.dialect = dialect
        self.ruleFile = ruleFile
        bytes = source.bytes
    }

    /// All tokens of `source`, ending with one `.end` token, and the lexer's diagnostics.
    public static func tokenize(_ source: SourceFile, dialect: Dialect = .weir, ruleFile: Bool = false) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(source, dialect: dialect, ruleFile: ruleFile)
        var tokens: [Token] = []
        tokens.reserveCapacity(source.bytes.count / 4 + 1)
        while true {
            let token = lexer.next()
            tokens.append(token)
            if token.kind == .end { break }
        }
        return (tokens, lexer.diagnostics)
    }

    /// The value of a string literal token: the text between the quotes with `\'` (in '...'),
    /// `\"` (in "...") and `\\` resolved; every other backslash is kept as written.
    public static func stringValue(of token: Token, in source: SourceFile) -> String {
        let bytes = source.bytes
        let start = token.range.start + 1
        let end = token.range.end - 1
        guard token.kind == .string, start <= end, start >= 1, end < bytes.count else { return "" }
        let quote = bytes[start - 1]
        let content = bytes[start..<end]
        guard content.contains(UInt8(ascii: "\\")) else { return String(decoding: content, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(content.count)
        var i = start
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\\"), i + 1 < end, bytes[i + 1] == quote || bytes[i + 1] == UInt8(ascii: "\\") {
                out.append(bytes[i + 1])
                i += 2
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The next token; `.end` (at the end of the input) once the input is exhausted.
    public mutating func next() -> Token {
        let token = scan()
        previousKind = token.kind
        if token.kind == .end { finish() }
        return token
    }

    /// Adds the count of diagnostics that were not reported because there were too many.
    private mutating func finish() {
        guard suppressedDiagnostics > 0 else { return }
        diagnostics.append(.error(.syntax, DiagnosticMessages.tooManyLexicalErrors(suppressedDiagnostics),
                                  at: SourceRange(at: bytes.count)))
        suppressedDiagnostics = 0
    }

    // MARK: - Scanning

    private mutating func scan() -> Token {
        if let commentError = skipTrivia() { return commentError }
        guard offset < bytes.count else { return Token(.end, SourceRange(at: bytes.count)) }
        let b = bytes[offset]
        if ByteClass.isLetter(b) || b == UInt8(ascii: "_") { return scanWord() }
        if ByteClass.isDigit(b) { return previousKind == .dot ? scanWord() : scanNumber() }
        if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") { return scanString() }
        if let punctuation = scanPunctuation() { return punctuation }
        return scanJunk()
    }

    /// Skips whitespace and comments. Returns an error token for an unterminated block comment.
    private mutating func skipTrivia() -> Token? {
        while offset < bytes.count {
            let b = bytes[offset]
            if ByteClass.isWhitespace(b) {
                offset += 1
            } else if b == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                let start = offset
                var i = offset + 2
                var closed = false
                while i < bytes.count {
                    if bytes[i] == UInt8(ascii: "*"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "/") {
                        closed = true
                        i += 2
                        break
                    }
                    i += 1
                }
                offset = i
                if !closed {
                    let range = SourceRange(start: start, end: bytes.count)
                    report(DiagnosticMessages.unterminatedBlockComment, at: SourceRange(start: start, end: start + 2))
                    return Token(.error, range)
                }
            } else if b == UInt8(ascii: "-"), dialect == .weir, peek(1) == UInt8(ascii: "-"),
                      ruleFile || offset + 2 == bytes.count || ByteClass.isWhitespace(bytes[offset + 2]) {
                while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") { offset += 1 }
            } else {
                break
            }
        }
        return nil
    }

    private mutating func scanWord() -> Token {
        let start = offset
        while offset < bytes.count, ByteClass.isWordByte(bytes[offset]) { offset += 1 }
        let keyword = ByteClass.isDigit(bytes[start]) ? nil : Keyword.lookUp(bytes[start..<offset])
        return Token(.word, SourceRange(start: start, end: offset), keyword: keyword)
    }

    /// `digits`, `digits.digits[exponent]`, `digits exponent` (Weir dialect), or a word
    /// starting with digits (`1abc`).
    private mutating func scanNumber() -> Token {
        let start = offset
        var i = offset
        while i < bytes.count, ByteClass.isDigit(bytes[i]) { i += 1 }
        if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "."), ByteClass.isDigit(bytes[i + 1]) {
            i += 2
            while i < bytes.count, ByteClass.isDigit(bytes[i]) { i += 1 }
            if let afterExponent = exponentEnd(at: i) { i = afterExponent }
            if i < bytes.count, ByteClass.isWordByte(bytes[i]) {
                while i < bytes.count, ByteClass.isWordByte(bytes[i]) { i += 1 }
                offset = i
                let range = SourceRange(start: start, end: i)
                report(DiagnosticMessages.invalidNumber(source.slice(range)), at: range)
                return Token(.error, range)
            }
            offset = i
            return Token(.decimal, SourceRange(start: start, end: i))
        }
        if i < bytes.count, ByteClass.isWordByte(bytes[i]) {
            if dialect == .weir, let afterExponent = exponentEnd(at: i),
               afterExponent >= bytes.count || !ByteClass.isWordByte(bytes[afterExponent]) {
                offset = afterExponent
                return Token(.decimal, SourceRange(start: start, end: afterExponent))
            }
            return scanWord()
        }
        offset = i
        return Token(.integer, SourceRange(start: start, end: i))
    }

    /// The end of an exponent `[eE] [+-]? digit+` starting at `i`, or nil if there is none.
    private func exponentEnd(at i: Int) -> Int? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") else { return nil }
        var j = i + 1
        if j < bytes.count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
        guard j < bytes.count, ByteClass.isDigit(bytes[j]) else { return nil }
        while j < bytes.count, ByteClass.isDigit(bytes[j]) { j += 1 }
        return j
    }

    private mutating func scanString() -> Token {
        let start = offset
        let quote = bytes[start]
        var i = start + 1
        while i < bytes.count {
            let b = bytes[i]
            if b == quote {
                offset = i + 1
                return Token(.string, SourceRange(start: start, end: offset))
            }
            if b == UInt8(ascii: "\\") {
                // Only the delimiter and the backslash itself can be escaped; any other byte
                // after a backslash is read normally.
                i += 1
                if i < bytes.count, bytes[i] == quote || bytes[i] == UInt8(ascii: "\\") { i += 1 }
            } else if b < 0x80 {
                i += 1
            } else if let (_, length) = ByteClass.decodeScalar(bytes, at: i) {
                i += length
            } else {
                report(DiagnosticMessages.invalidUTF8InString(bytes[i]), at: SourceRange(start: i, end: i + 1))
                i += 1
            }
        }
        offset = bytes.count
        report(DiagnosticMessages.unterminatedString, at: SourceRange(start: start, end: bytes.count))
        return Token(.error, SourceRange(start: start, end: bytes.count))
    }

    private mutating func scanPunctuation() -> Token? {
        let start = offset
        let kind: TokenKind
        var length = 1
        switch bytes[offset] {
        case UInt8(ascii: "("): kind = .leftParen
        case UInt8(ascii: ")"): kind = .rightParen
        case UInt8(ascii: "["): kind = .leftBracket
        case UInt8(ascii: "]"): kind = .rightBracket
        case UInt8(ascii: "{"): kind = .leftBrace
        case UInt8(ascii: "}"): kind = .rightBrace
        case UInt8(ascii: ","): kind = .comma
        case UInt8(ascii: "."): kind = .dot
        case UInt8(ascii: ":"): kind = .colon
        case UInt8(ascii: ";"): kind = .semicolon
        case UInt8(ascii: "+"): kind = .plus
        case UInt8(ascii: "-"): kind = .minus
        case UInt8(ascii: "*"): kind = .star
        case UInt8(ascii: "/"): kind = .slash
        case UInt8(ascii: "%"): kind = .percent
        case UInt8(ascii: "="):
            switch peek(1) {
            case UInt8(ascii: "="): kind = .equalEqual; length = 2
            case UInt8(ascii: "~"): kind = .equalTilde; length = 2
            default: kind = .equal
            }
        case UInt8(ascii: "!"):
            switch peek(1) {
            case UInt8(ascii: "="): kind = .bangEqual; length = 2
            case UInt8(ascii: "~"): kind = .bangTilde; length = 2
            default: kind = .bang
            }
        case UInt8(ascii: "<"):
            switch peek(1) {
            case UInt8(ascii: "="): kind = .lessEqual; length = 2
            case UInt8(ascii: ">"): kind = .lessGreater; length = 2
            default: kind = .less
            }
        case UInt8(ascii: ">"):
            if peek(1) == UInt8(ascii: "=") { kind = .greaterEqual; length = 2 } else { kind = .greater }
        case UInt8(ascii: "&"):
            guard peek(1) == UInt8(ascii: "&") else { return nil }
            kind = .ampersandAmpersand; length = 2
        case UInt8(ascii: "|"):
            guard peek(1) == UInt8(ascii: "|") else { return nil }
            kind = .pipePipe; length = 2
        case UInt8(ascii: "?"):
            // A PATTERN step's optional quantifier (`'x'?`); expressions have no `?`.
            guard ruleFile, previousKind == .string else { return nil }
            kind = .question
        default:
            return nil
        }
        offset += length
        return Token(kind, SourceRange(start: start, end: offset))
    }

    /// A run of characters that start no token, reported once (described by its first one).
    private mutating func scanJunk() -> Token {
        let start = offset
        let first = ByteClass.decodeScalar(bytes, at: offset)
        repeat {
            offset += ByteClass.decodeScalar(bytes, at: offset)?.length ?? 1
        } while offset < bytes.count && !startsTokenOrTrivia(at: offset)
        let range = SourceRange(start: start, end: offset)
        let message: String
        if let (scalar, _) = first {
            message = DiagnosticMessages.unexpectedCharacter(scalar, alone: range.end - range.start == 1)
        } else {
            message = DiagnosticMessages.invalidUTF8(bytes[start])
        }
        report(message, at: range, notes: quotedKeyNote(forJunkAt: start).map { [$0] } ?? [])
        return Token(.error, range)
    }

    /// Whether a token, whitespace or a comment starts at `i` (junk runs stop there).
    private func startsTokenOrTrivia(at i: Int) -> Bool {
        let b = bytes[i]
        if ByteClass.isWordByte(b) || ByteClass.isWhitespace(b) { return true }
        switch b {
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: "."),
             UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"),
             UInt8(ascii: "/"), UInt8(ascii: "%"), UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"),
             UInt8(ascii: ">"):
            return true
        case UInt8(ascii: "&"), UInt8(ascii: "|"):
            return i + 1 < bytes.count && bytes[i + 1] == b
        default:
            return false
        }
    }

    private func peek(_ distance: Int) -> UInt8? {
        let i = offset + distance
        return i < bytes.count ? bytes[i] : nil
    }

    private mutating func report(_ message: String, at range: SourceRange, notes: [Diagnostic.Note] = []) {
        guard diagnostics.count < Lexer.maximumDiagnostics else {
            suppressedDiagnostics += 1
            return
        }
        diagnostics.append(.error(.syntax, message, at: range, notes: notes))
    }

    /// `data.名前`: a field name with characters beyond ASCII right after `.`; the note shows
    /// the path with the key quoted (`data['名前']`).
    private func quotedKeyNote(forJunkAt start: Int) -> Diagnostic.Note? {
        guard start > 0, bytes[start - 1] == UInt8(ascii: "."), bytes[start] >= 0x80 else { return nil }
        var pathStart = start - 1
        while pathStart > 0, ByteClass.isWordByte(bytes[pathStart - 1]) || bytes[pathStart - 1] == UInt8(ascii: ".") {
            pathStart -= 1
        }
        var keyEnd = start
        while keyEnd < bytes.count, bytes[keyEnd] >= 0x80 || ByteClass.isWordByte(bytes[keyEnd]) { keyEnd += 1 }
        guard pathStart < start - 1, ByteClass.isWordByte(bytes[start - 2]) else { return nil }
        let path = String(decoding: bytes[pathStart..<(start - 1)], as: UTF8.self)
        let key = String(decoding: bytes[start..<keyEnd], as: UTF8.self)
        return Diagnostic.Note(DiagnosticMessages.quoteTheKey(path: path, key: key))
    }
}
