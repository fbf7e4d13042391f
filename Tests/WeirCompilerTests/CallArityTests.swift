import Testing
import WeirCore
import WeirSyntax
@testable import WeirCompiler

/// Calls of every arity: 0 to 3 arguments are held inline (no argument array per evaluation),
/// more spill into an array; each gives the same results.
@Suite struct CallArityTests {
    static func result(_ text: String) -> (value: Val, error: EvaluationErrorKind?) {
        let program = ExpressionCompiler.compile(SourceFile(name: "<expr>", text: text)).expression!
        return program.evaluate(Event.test("t", ["s": "abcdef", "n": 2, "bad": "x"]))
    }

    static func json(_ text: String) -> JSONValue? { result(text).value.json }

    @Test func everyArity() {
        #expect(Self.json("CONCAT()") == "")
        #expect(Self.json("UPPER(data.s)") == "ABCDEF")
        #expect(Self.json("LEFT(data.s, data.n)") == "ab")
        #expect(Self.json("SUBSTRING(data.s, data.n, 3)") == "bcd")
        #expect(Self.json("CONCAT(data.s, '-', data.n, '-', 'z')") == "abcdef-2-z")
        #expect(Self.json("CONCAT_WS('+', 'a', 'b', 'c', 'd')") == "a+b+c+d")
    }

    @Test func argumentErrorsStopTheCallInEveryPosition() {
        #expect(Self.result("SUBSTRING(data.s, data.bad, 1)").error == .cast)
        #expect(Self.result("SUBSTRING(data.s, 1, data.bad)").error == .cast)
        #expect(Self.result("LEFT(data.missing, 1)").error == .missingAttribute)
    }

    @Test func upToThreeArgumentsAreInline() {
        #expect(Arguments(.int(1), .int(2), .int(3)).isInline)
        #expect(Arguments([.int(1), .int(2)]).isInline)
        #expect(!Arguments([.int(1), .int(2), .int(3), .int(4)]).isInline)
        #expect(Array(Arguments([.int(1), .int(2), .int(3), .int(4)])).map(\.json) == [1, 2, 3, 4])
        #expect(Array(Arguments(.int(1), .int(2))).map(\.json) == [1, 2])
    }
}
