import Testing
import WeirCore
import WeirSyntax
@testable import WeirCompiler

/// Array and object literals, selectors after any value, duration literals.
@Suite struct LiteralEvaluationTests {
    static func value(_ text: String, _ data: JSONValue = ["x": 5, "name": "ann", "items": [10, 20]]) -> (value: Val, error: EvaluationErrorKind?) {
        let compiled = ExpressionCompiler.compile(SourceFile(name: "<expr>", text: text))
        guard let program = compiled.expression else {
            Issue.record("did not compile: \(compiled.diagnostics.map(\.message))")
            return (.error(.generic), .generic)
        }
        return program.evaluate(Event.test("t", data))
    }

    static func json(_ text: String) -> JSONValue? { value(text).value.json }

    @Test func objectLiteral() {
        #expect(Self.json("{ a: data.x, 'odd key': UPPER(data.name), nested: { b: [1, 'two'] } }")
            == ["a": 5, "odd key": "ANN", "nested": ["b": [1, "two"]]])
        #expect(Self.json("{}") == .object(JSONObject()))
    }

    @Test func objectFieldThatErrsIsLeftOut() {
        // Missing, and a cast error: both fields are omitted, the others kept in order.
        #expect(Self.json("{ a: data.missing, b: data.x, c: INT('x'), d: 1 }") == ["b": 5, "d": 1])
    }

    @Test func arrayLiteral() {
        #expect(Self.json("[data.x, data.name, data.items]") == [5, "ann", [10, 20]])
        // An element that errs is JSON null: positions are kept.
        #expect(Self.json("[data.missing, 1]") == [.null, 1])
        #expect(Self.json("[]") == .array([]))
    }

    @Test func selectorsAfterAnyPrimary() {
        #expect(Self.json("(data).items[1]") == 20)
        #expect(Self.json("[1, 2, 3][2]") == 3)
        #expect(Self.json("{ a: { b: data.name } }.a.b") == "ann")
        #expect(Self.json("COALESCE(data.missing, data.items)[0]") == 10)
        #expect(Self.value("(data).nothing").error == .missingAttribute)
        #expect(Self.value("[1][5]").error == .missingAttribute)
        #expect(Self.value("(data.x).y").error == .missingAttribute)
    }

    @Test func durationsAreIntegerMilliseconds() {
        #expect(Self.json("DURATION_MS(10m)") == 600_000)
        #expect(Self.json("1h30m") == 5_400_000)
        #expect(Self.json("250ms + 1s") == 1250)
        let added = ExpressionCompiler.compile(SourceFile(name: "<expr>", text: "TIME_ADD(time, 10m)")).expression!
        let event = Event.test("t", [:], attributes: ["time": "2026-03-01T10:00:00Z"])
        #expect(added.evaluate(event).value.json == "2026-03-01T10:10:00.000Z")
    }
}
