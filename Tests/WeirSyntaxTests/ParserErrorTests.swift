import Testing
import WeirSyntax

/// Syntax errors: messages, carets, recovery, one report per problem.
@Suite struct ParserErrorTests {
    @Test func unclosedParenthesis() {
        #expect(diagnostics("(a = 1") == """
            <expr>:1:7: error: expected ')' to close '(' at 1:1
            1 | (a = 1
              |       ^
            """)
        #expect(diagnostics("(((a)") == """
            <expr>:1:6: error: expected ')' to close '(' at 1:2
            1 | (((a)
              |      ^
            """)
    }

    @Test func unclosedCall() {
        // CESQL TCK parse_errors.yaml: "No closed parenthesis".
        #expect(diagnostics("ABC(") == """
            <expr>:1:5: error: expected ')' to close '(' at 1:4
            1 | ABC(
              |     ^
            """)
        #expect(messages("f(a,") == ["expected ')' to close '(' at 1:2"])
        #expect(messages("f(a,)") == ["expected expression, found ')'"])
    }

    @Test func missingOperands() {
        #expect(diagnostics("a =") == """
            <expr>:1:4: error: expected expression, found end of input
            1 | a =
              |    ^
            """)
        #expect(diagnostics("a + * b") == """
            <expr>:1:5: error: expected expression, found '*'
            1 | a + * b
              |     ^
            """)
        #expect(messages("AND b") == ["expected expression, found 'AND'"])
        #expect(messages("NOT") == ["expected expression, found end of input"])
        #expect(messages("-") == ["expected expression, found end of input"])
        #expect(messages(")") == ["expected expression, found ')'"])
        #expect(messages("}") == ["expected expression, found '}'"])
        // `{` starts an object literal since rule files (ExpressionLiteralTests).
        #expect(messages("{a}") == ["expected ':' after the key 'a', found '}'"])
        #expect(messages("") == ["expected expression, found end of input"])
        #expect(messages("  -- nothing but a comment\n") == ["expected expression, found end of input"])
    }

    @Test func trailingTokens() {
        #expect(diagnostics("a b c") == """
            <expr>:1:3: error: unexpected 'b' after the expression
            1 | a b c
              |   ^
            """)
        #expect(messages("a ) b") == ["unexpected ')' after the expression"])
        #expect(messages("a;") == ["unexpected ';' after the expression"])
    }

    @Test func adjacentStringsGetAHint() {
        #expect(diagnostics("'it''s'") == """
            <expr>:1:5: error: unexpected string literal 's' after the expression
            1 | 'it''s'
              |     ^~~
            <expr>:1:5: note: to put a quote inside a string literal, escape it with a backslash: 'it\\'s'
            """)
    }

    @Test func likeNeedsAStringLiteral() {
        // CESQL TCK like_expression.yaml: "Invalid pattern" is a parse error.
        #expect(diagnostics("x LIKE 123") == """
            <expr>:1:8: error: LIKE pattern must be a string literal
            1 | x LIKE 123
              |        ^~~
            """)
        // The wrong operand is skipped, so the rest is still checked.
        #expect(messages("x LIKE y AND z LIKE 'a'") == ["LIKE pattern must be a string literal"])
        #expect(messages("x LIKE y AND z LIKE 5") == ["LIKE pattern must be a string literal", "LIKE pattern must be a string literal"])
        #expect(messages("x =~ 5") == ["'=~' pattern must be a string literal"])
        #expect(messages("x matches") == ["MATCHES pattern must be a string literal"])
    }

    @Test func inNeedsAList() {
        #expect(diagnostics("x IN ()") == """
            <expr>:1:7: error: 'IN' list must not be empty
            1 | x IN ()
              |       ^
            """)
        #expect(messages("x IN 5") == ["expected '(' or a path after 'IN', found '5'"])
        #expect(messages("x IN 5", dialect: .cesql) == ["expected '(' after 'IN', found '5'"])
        #expect(messages("x IN (1,") == ["expected ')' to close '(' at 1:6"])
        #expect(messages("x IN (1 2)") == ["expected ')' to close '(' at 1:6"])
        #expect(messages("x NOT 5") == ["expected 'LIKE', 'IN' or 'MATCHES' after 'NOT', found '5'"])
    }

    @Test func existsNeedsAName() {
        #expect(messages("EXISTS") == ["expected an attribute name or a path after 'EXISTS', found end of input"])
        #expect(messages("EXISTS TRUE") == ["expected an attribute name or a path after 'EXISTS', found 'TRUE'"])
        #expect(messages("EXISTS 5", dialect: .cesql) == ["expected an attribute name after 'EXISTS', found '5'"])
        #expect(diagnostics("EXISTS f(x)") == """
            <expr>:1:8: error: 'EXISTS' takes an attribute name or a path, not a function call
            1 | EXISTS f(x)
              |        ^~
            """)
    }

    @Test func badPaths() {
        #expect(messages("data.") == ["expected a field name after '.', found end of input"])
        #expect(messages("data.'x'") == ["expected a field name after '.', found string literal 'x'"])
        #expect(messages("data[x]") == ["expected a quoted key or an index after '[', found 'x'"])
        #expect(messages("data[1.5]") == ["expected a quoted key or an index after '[', found '1.5'"])
        #expect(diagnostics("data[1") == """
            <expr>:1:7: error: expected ']' to close '[' at 1:5
            1 | data[1
              |       ^
            """)
        #expect(messages("data[99999999999999999999]") == ["index out of range: '99999999999999999999'"])
    }

    @Test func literalsOutOfRange() {
        #expect(diagnostics("9223372036854775808") == """
            <expr>:1:1: error: integer literal out of range: '9223372036854775808' does not fit in 64 bits
            1 | 9223372036854775808
              | ^~~~~~~~~~~~~~~~~~~
            """)
        #expect(messages("-9223372036854775809") == ["integer literal out of range: '-9223372036854775809' does not fit in 64 bits"])
        #expect(messages("99999999999999999999999999999999") == [
            "integer literal out of range: '999999999999999999999999…' does not fit in 64 bits",
        ])
        #expect(messages("1e999") == ["decimal literal out of range: '1e999'"])
    }

    @Test func lexicalErrorsAreReportedOnce() {
        #expect(diagnostics("a = 'abc") == """
            <expr>:1:5: error: unterminated string literal
            1 | a = 'abc
              |     ^~~~
            """)
        #expect(messages("a = 1 /* x") == ["unterminated block comment; '/*' needs a closing '*/'"])
        #expect(messages("a # b") == ["unexpected character '#'"])
        #expect(messages("a = @b") == ["unexpected character '@'"])
        #expect(messages("a = @ b") == ["unexpected character '@'"])
        #expect(messages("(a = 'x)") == ["unterminated string literal"])
        #expect(messages("f(a /* )") == ["unterminated block comment; '/*' needs a closing '*/'"])
        #expect(messages("(a = 1 #") == ["unexpected character '#'"])
    }

    @Test func recoveryFindsLaterErrors() {
        #expect(diagnostics("f(a b) AND x LIKE 5") == """
            <expr>:1:4: error: expected ')' to close '(' at 1:2
            1 | f(a b) AND x LIKE 5
              |    ^
            <expr>:1:19: error: LIKE pattern must be a string literal
            1 | f(a b) AND x LIKE 5
              |                   ^
            """)
    }

    @Test func recoveredTreesHaveInvalidNodes() {
        let (result, source) = parse("a = = b")
        #expect(result.hasErrors)
        #expect(result.expression?.dump(in: source) == """
            binary equal @1:1
              binary equal @1:1
                identifier a @1:1
                invalid @1:5
              identifier b @1:7
            """)
        #expect(parse("").0.expression == nil)
        #expect(parse(")").0.expression == nil)
    }

    @Test func errorsAreSyntaxErrors() {
        for text in ["(a = 1", "x LIKE 123", "ABC(", "x IN ()", "a b", "'abc", "#", "9223372036854775808"] {
            let (result, _) = parse(text)
            #expect(result.hasErrors, "\(text)")
            #expect(result.diagnostics.allSatisfy { $0.code == .syntax && $0.severity == .error }, "\(text)")
        }
    }

    @Test func multiLineErrorsPointAtTheRightLine() {
        #expect(diagnostics("data.total > 1000\n  AND (type = 'x'\n  OR x") == """
            <expr>:3:7: error: expected ')' to close '(' at 2:7
            3 |   OR x
              |       ^
            """)
    }
}
