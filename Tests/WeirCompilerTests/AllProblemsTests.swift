import Testing
import Weir

/// A syntax error does not hide the other problems of the expression: the compiler still checks
/// what parsed, and reports everything in one run, in source order, without cascades.
@Suite struct AllProblemsTests {
    /// Every diagnostic of `text` as `byte offset: severity: message` (nil if it compiles).
    static func problems(_ text: String) -> [String]? {
        do {
            _ = try CompiledExpression(text)
            return nil
        } catch {
            return error.diagnostics.map { "\($0.range.start): \($0.severity): \($0.message)" }
        }
    }

    @Test func aSyntaxErrorAndARegexErrorAreBothReported() throws {
        let error = try #require(throws: CompileError.self) { try CompiledExpression("data.a MATCHES '(' AND 1e400 > 2") }
        #expect(error.description == """
            <expr>:1:18: error: invalid regular expression: missing closing parenthesis
            1 | data.a MATCHES '(' AND 1e400 > 2
              |                  ^
            <expr>:1:24: error: decimal literal out of range: '1e400'
            1 | data.a MATCHES '(' AND 1e400 > 2
              |                        ^~~~~
            """)
        // In source order whichever pass found them.
        #expect(Self.problems("1e400 > 2 AND data.a MATCHES '('") == [
            "0: error: decimal literal out of range: '1e400'",
            "31: error: invalid regular expression: missing closing parenthesis",
        ])
    }

    @Test func warningsOfTheCompilerComeWithTheSyntaxErrors() {
        #expect(Self.problems("data.x = AND 1/0 = 1") == [
            "9: error: expected expression, found 'AND'",
            "13: warning: this expression always fails with a math error",
        ])
        #expect(Self.problems("lenght(data.x) = 1 AND (") == [
            "0: warning: unknown function 'lenght'; did you mean 'length'?",
            "24: error: expected ')' to close '(' at 1:24",
        ])
    }

    @Test func noCascadesFromTheRecoveredParts() {
        // Nothing is said about the operands the parser could not read.
        #expect(Self.problems("1 + ") == ["3: error: expected expression, found end of input"])
        #expect(Self.problems("NOT ) AND true") == ["4: error: expected expression, found ')'"])
        #expect(Self.problems("EXISTS data.") == ["12: error: expected a field name after '.', found end of input"])
        // An argument lost to a syntax error does not make a wrong argument count.
        #expect(Self.problems("abs(1,,2) > 0") == ["6: error: expected expression, found ','"])
        #expect(Self.problems("data.a[ = 1") == ["8: error: expected a quoted key or an index after '[', found '='"])
    }
}
