import Testing
import WeirSyntax

/// Exact rendering of diagnostics: header, source line, caret line, notes.
@Suite struct DiagnosticRendererTests {
    @Test func ruleFileStyle() {
        let text = String(repeating: "-- a rule file\n", count: 11) + "  distance(data.location, login.data.location > 1000\n"
        let source = SourceFile(name: "rules/fraud.rules", text: text)
        let result = ExpressionParser.parse(source)
        #expect(DiagnosticRenderer.render(result.diagnostics, in: source) == """
            rules/fraud.rules:12:53: error: expected ')' to close '(' at 12:11
            12 |   distance(data.location, login.data.location > 1000
               |                                                     ^
            """)
    }

    @Test func severities() {
        let source = SourceFile(name: "x.rules", text: "a OR b")
        let range = SourceRange(start: 2, end: 4)
        #expect(DiagnosticRenderer.render(.warning(.lint, "careful", at: range), in: source) == """
            x.rules:1:3: warning: careful
            1 | a OR b
              |   ^~
            """)
        #expect(DiagnosticRenderer.render(Diagnostic(.note, .lint, "by the way", at: range), in: source) == """
            x.rules:1:3: note: by the way
            1 | a OR b
              |   ^~
            """)
    }

    @Test func notesWithAndWithoutRanges() {
        let source = SourceFile(name: "f.rules", text: "first line\nsecond line")
        let diagnostic = Diagnostic.error(.syntax, "main problem", at: SourceRange(start: 11, end: 17), notes: [
            Diagnostic.Note("related place", range: SourceRange(start: 0, end: 5)),
            Diagnostic.Note("a hint"),
        ])
        #expect(DiagnosticRenderer.render(diagnostic, in: source) == """
            f.rules:2:1: error: main problem
            2 | second line
              | ^~~~~~
            f.rules:1:1: note: related place
            1 | first line
              | ^~~~~
            f.rules:2:1: note: a hint
            """)
    }

    @Test func underlineStopsAtTheEndOfTheLine() {
        #expect(diagnostics("x = 'abc\ndef") == """
            <expr>:1:5: error: unterminated string literal
            1 | x = 'abc
              |     ^~~~
            """)
    }

    @Test func tabsKeepTheCaretAligned() {
        #expect(diagnostics("\tx =\t= 1") == """
            <expr>:1:6: error: expected expression, found '='
            1 |  x = = 1
              |      ^
            """)
    }

    @Test func columnsCountUnicodeScalars() {
        #expect(diagnostics("'héllo wörld ✓' = = 1") == """
            <expr>:1:19: error: expected expression, found '='
            1 | 'héllo wörld ✓' = = 1
              |                   ^
            """)
    }

    @Test func controlCharactersAreShownAsPictures() {
        #expect(diagnostics("a\u{1}b") == """
            <expr>:1:2: error: unexpected character U+0001
            1 | a␁b
              |  ^
            """)
        #expect(diagnostics("a \u{0} = 1") == """
            <expr>:1:3: error: unexpected character U+0000
            1 | a ␀ = 1
              |   ^
            """)
    }

    @Test func invalidUTF8IsShownAsReplacementCharacters() {
        let source = SourceFile(name: "<bytes>", bytes: Array("a = ".utf8) + [0xFF, 0xFE] + Array(" + 1".utf8))
        let result = ExpressionParser.parse(source)
        #expect(DiagnosticRenderer.render(result.diagnostics, in: source) == """
            <bytes>:1:5: error: invalid UTF-8 byte 0xFF
            1 | a = \u{FFFD}\u{FFFD} + 1
              |     ^~
            """)
    }

    @Test func crlfLines() {
        #expect(diagnostics("a = 1 AND\r\n  b = = 2\r\n") == """
            <expr>:2:7: error: expected expression, found '='
            2 |   b = = 2
              |       ^
            """)
    }

    @Test func missingThingsArePointedAtRightAfterThePreviousToken() {
        #expect(diagnostics("a =\n\n\n") == """
            <expr>:1:4: error: expected expression, found end of input
            1 | a =
              |    ^
            """)
    }

    @Test func longLinesAreCutAroundTheCaret() {
        let text = String(repeating: "a + ", count: 50) + "= 1 + " + String(repeating: "b + ", count: 50) + "c"
        let expected = """
            <expr>:1:201: error: expected expression, found '='
            1 | …a + a + a + a + a + a + a + a + a + a + = 1 + b + b + b + b + b + b + b + b + b + b + b + b + b + b + b + b + b + b + b …
              |                                          ^
            """
        #expect(diagnostics(text) == expected)
    }

    @Test func severalDiagnostics() {
        #expect(diagnostics("f(a b) AND x LIKE 5 AND y LIKE z") == """
            <expr>:1:4: error: expected ')' to close '(' at 1:2
            1 | f(a b) AND x LIKE 5 AND y LIKE z
              |    ^
            <expr>:1:19: error: LIKE pattern must be a string literal
            1 | f(a b) AND x LIKE 5 AND y LIKE z
              |                   ^
            <expr>:1:32: error: LIKE pattern must be a string literal
            1 | f(a b) AND x LIKE 5 AND y LIKE z
              |                                ^
            """)
        #expect(DiagnosticRenderer.render([], in: SourceFile(name: "<expr>", text: "")) == "")
    }

    @Test func rangesOutsideTheTextAreClamped() {
        let source = SourceFile(name: "<expr>", text: "abc")
        #expect(DiagnosticRenderer.render(.error(.syntax, "past the end", at: SourceRange(start: 10, end: 20)), in: source) == """
            <expr>:1:4: error: past the end
            1 | abc
              |    ^
            """)
    }
}
