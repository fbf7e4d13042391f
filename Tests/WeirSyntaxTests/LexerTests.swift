import Testing
@testable import WeirSyntax

@Suite struct LexerTests {
    @Test func punctuationAndOperators() {
        let text = "( ) [ ] { } , . : ; + - * / % = == != <> < <= > >= && || ! =~ !~"
        let expected: [TokenKind] = [
            .leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace, .comma, .dot, .colon,
            .semicolon, .plus, .minus, .star, .slash, .percent, .equal, .equalEqual, .bangEqual, .lessGreater,
            .less, .lessEqual, .greater, .greaterEqual, .ampersandAmpersand, .pipePipe, .bang, .equalTilde, .bangTilde,
        ]
        let source = SourceFile(name: "<expr>", text: text)
        let (tokens, diagnostics) = Lexer.tokenize(source)
        #expect(diagnostics.isEmpty)
        #expect(tokens.map(\.kind) == expected + [.end])
        for token in tokens.dropLast() {
            #expect(token.kind.spelling == source.slice(token.range))
        }
    }

    @Test func operatorsNeedNoSpaces() {
        #expect(tokens("a<=b<>c!=d==e=~'x'!~'y'") == [
            "word a", "lessEqual <=", "word b", "lessGreater <>", "word c", "bangEqual !=", "word d",
            "equalEqual ==", "word e", "equalTilde =~", "string 'x'", "bangTilde !~", "string 'y'",
        ])
        #expect(tokens("!x&&y||z") == ["bang !", "word x", "ampersandAmpersand &&", "word y", "pipePipe ||", "word z"])
    }

    @Test func wordsAndKeywords() {
        let source = SourceFile(name: "<expr>", text: "subject AND and aNd NOT like In exists True FALSE xor Or matches _x x_1 notx")
        let (tokens, diagnostics) = Lexer.tokenize(source)
        #expect(diagnostics.isEmpty)
        #expect(tokens.dropLast().allSatisfy { $0.kind == .word })
        #expect(tokens.dropLast().map(\.keyword) == [
            nil, .and, .and, .and, .not, .like, .in, .exists, .true, .false, .xor, .or, .matches, nil, nil, nil,
        ])
    }

    @Test func numbers() {
        #expect(tokens("0 42 2147483648 99999999999999999999") == [
            "integer 0", "integer 42", "integer 2147483648", "integer 99999999999999999999",
        ])
        #expect(tokens("59.98 2.5E-3 1e3 1E+2 0.5e10") == [
            "decimal 59.98", "decimal 2.5E-3", "decimal 1e3", "decimal 1E+2", "decimal 0.5e10",
        ])
        // A digit run followed by a letter or `_` is a word.
        #expect(tokens("1abc 250ms 7d 1_000 1e 1e3x") == [
            "word 1abc", "word 250ms", "word 7d", "word 1_000", "word 1e", "word 1e3x",
        ])
        // `5.` and `.5` are not decimals (after a `.` digits are a word: a field name); `5-3` is a subtraction.
        #expect(tokens("5. .5 5-3") == ["integer 5", "dot .", "dot .", "word 5", "integer 5", "minus -", "integer 3"])
    }

    @Test func exponentsAreWeirOnly() {
        #expect(tokens("1e3", dialect: .cesql) == ["word 1e3"])
        #expect(tokens("1e-3", dialect: .cesql) == ["word 1e", "minus -", "integer 3"])
        #expect(tokens("1.5e3", dialect: .cesql) == ["decimal 1.5e3"])
    }

    @Test func afterADotEveryWordRunIsAWord() {
        #expect(tokens("data.0.1e3.in.1.5") == [
            "word data", "dot .", "word 0", "dot .", "word 1e3", "dot .", "word in", "dot .", "word 1", "dot .", "word 5",
        ])
        #expect(tokens("items[0].price") == [
            "word items", "leftBracket [", "integer 0", "rightBracket ]", "dot .", "word price",
        ])
    }

    @Test func invalidNumber() {
        let (result, _) = parse("1.5abc")
        #expect(result.diagnostics.map(\.message) == ["invalid number '1.5abc'"])
        #expect(result.expression == nil)
    }

    @Test func stringValues() {
        func value(_ literal: String) -> String {
            let source = SourceFile(name: "<expr>", text: literal)
            let (tokens, diagnostics) = Lexer.tokenize(source)
            #expect(diagnostics.isEmpty)
            #expect(tokens.count == 2 && tokens[0].kind == .string)
            return Lexer.stringValue(of: tokens[0], in: source)
        }
        #expect(value("'abc'") == "abc")
        #expect(value("\"abc\"") == "abc")
        #expect(value("''") == "")
        #expect(value(#"'a"b\'c'"#) == #"a"b'c"#)          // TCK "Escaped string literal (1)"
        #expect(value(#""a'b\"c""#) == #"a'b"c"#)          // TCK "Escaped string literal (2)"
        #expect(value(#"'ab\c'"#) == #"ab\c"#)             // four characters: a b \ c
        #expect(value(#"'ab\c'"#).count == 4)
        #expect(value(#"'a\\b'"#) == #"a\b"#)
        #expect(value(#"'\\'"#) == #"\"#)
        #expect(value(#"'a\%b\_c'"#) == #"a\%b\_c"#)       // LIKE escapes are kept for the matcher
        #expect(value(#""a\'b""#) == #"a\'b"#)             // \' is no escape inside "..."
        #expect(value(#"'a\"b'"#) == #"a\"b"#)             // \" is no escape inside '...'
        #expect(value("'line 1\nline 2'") == "line 1\nline 2")
        #expect(value("'héllo ✓'") == "héllo ✓")
        #expect(value(#"'\é'"#) == #"\é"#)
    }

    @Test func comments() {
        #expect(tokens("a /* block\n comment */ = /**/ 1") == ["word a", "equal =", "integer 1"])
        #expect(tokens("a /* * / ** */ b") == ["word a", "word b"])
        #expect(tokens("a -- line comment\n= 1 --\n-- at the end") == ["word a", "equal =", "integer 1"])
        #expect(tokens("a --") == ["word a"])
        #expect(tokens("a --\tcomment") == ["word a"])
    }

    @Test func doubleMinusIsACommentOnlyBeforeWhitespace() {
        // CESQL's TCK: `--10` is -(-10) and `--'10'` is -(-'10').
        #expect(tokens("--10") == ["minus -", "minus -", "integer 10"])
        #expect(tokens("--'10'") == ["minus -", "minus -", "string '10'"])
        #expect(tokens("a --b") == ["word a", "minus -", "minus -", "word b"])
        // In the CloudEvents SQL dialect there are no line comments.
        #expect(tokens("5 -- 3", dialect: .cesql) == ["integer 5", "minus -", "minus -", "integer 3"])
        #expect(tokens("a /* c */ b", dialect: .cesql) == ["word a", "word b"])
    }

    @Test func whitespaceAndCRLF() {
        let source = SourceFile(name: "<expr>", text: "a\r\n=\t\u{0B}\u{0C}\r\n  'x'\r\n")
        let (tokens, diagnostics) = Lexer.tokenize(source)
        #expect(diagnostics.isEmpty)
        #expect(tokens.map(\.kind) == [.word, .equal, .string, .end])
        #expect(tokens.map { source.position(of: $0.range.start) } == ["1:1", "2:1", "3:3", "4:1"])
        #expect(tokens[3].range == SourceRange(at: source.bytes.count))
    }

    @Test func tokenRanges() {
        let source = SourceFile(name: "<expr>", text: "ab <= 'c'")
        let (tokens, _) = Lexer.tokenize(source)
        #expect(tokens.map(\.range) == [
            SourceRange(start: 0, end: 2), SourceRange(start: 3, end: 5), SourceRange(start: 6, end: 9), SourceRange(at: 9),
        ])
    }

    @Test func errorTokens() {
        func lex(_ source: SourceFile) -> ([String], [String]) {
            let (tokens, diagnostics) = Lexer.tokenize(source)
            return (tokens.dropLast().map { "\($0.kind) \(source.slice($0.range))" }, diagnostics.map(\.message))
        }
        func lex(_ text: String) -> ([String], [String]) { lex(SourceFile(name: "<expr>", text: text)) }

        #expect(lex("'abc") == (["error 'abc"], ["unterminated string literal"]))
        #expect(lex(#"'abc\'"#) == ([#"error 'abc\'"#], ["unterminated string literal"]))
        #expect(lex("a /* b") == (["word a", "error /* b"], ["unterminated block comment; '/*' needs a closing '*/'"]))
        #expect(lex("a # b") == (["word a", "error #", "word b"], ["unexpected character '#'"]))
        #expect(lex("a @#$ b") == (["word a", "error @#$", "word b"], ["unexpected character '@'"]))
        #expect(lex("a & b") == (["word a", "error &", "word b"], ["unexpected character '&'; did you mean '&&' or 'AND'?"]))
        #expect(lex("a | b") == (["word a", "error |", "word b"], ["unexpected character '|'; did you mean '||' or 'OR'?"]))
        #expect(lex("a\u{0}b") == (["word a", "error \u{0}", "word b"], ["unexpected character U+0000"]))
        #expect(lex("é") == (["error é"], ["unexpected character 'é' (U+00E9)"]))
        #expect(lex("‘x’") == (["error ‘", "word x", "error ’"], [
            "unexpected character '‘' (U+2018); quote strings with ' or \"",
            "unexpected character '’' (U+2019); quote strings with ' or \"",
        ]))
        // Invalid UTF-8, read as raw bytes.
        #expect(lex(SourceFile(name: "<bytes>", bytes: [0x61, 0x20, 0xFF, 0xFE, 0x20, 0x62])).1 == ["invalid UTF-8 byte 0xFF"])
        #expect(lex(SourceFile(name: "<bytes>", bytes: [0x27, 0x61, 0xC3, 0x27])).1 == ["invalid UTF-8 byte 0xC3 in string literal"])
        #expect(lex(SourceFile(name: "<bytes>", bytes: [0x80])).1 == ["invalid UTF-8 byte 0x80"])
    }

    @Test func lexingGoesOnAfterErrors() {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "<expr>", text: "# a ~ 'b' ` 1"))
        #expect(tokens.map(\.kind) == [.error, .word, .error, .string, .error, .integer, .end])
        #expect(diagnostics.count == 3)
    }

    @Test func tooManyLexicalErrors() {
        let text = String(repeating: "# ", count: 150)
        let (_, diagnostics) = Lexer.tokenize(SourceFile(name: "<expr>", text: text))
        #expect(diagnostics.count == Lexer.maximumDiagnostics + 1)
        #expect(diagnostics.last?.message == "too many errors; 50 more unreadable stretches of input not reported")
    }

    @Test func emptyInput() {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "<expr>", text: ""))
        #expect(tokens == [Token(.end, SourceRange(at: 0))])
        #expect(diagnostics.isEmpty)
    }
}
