import Testing
import Weir

/// `explain(_:)` and `weir eval --explain`: where in the expression an evaluation failed, and why.
@Suite struct ExplainTests {
    static let order = try! Event(
        id: "o1", source: "/shop", type: "order.created",
        data: ["totalAmount": 1500, "shippingAddress": ["country": "USA"], "items": [1, 2], "code": "x"])

    func explanation(_ text: String, _ event: Event = order) throws -> String? {
        let e = try CompiledExpression(text)
        return e.explain(event).map { e.render($0) }
    }

    @Test func nothingToExplainWhenEvaluationSucceeds() throws {
        #expect(try explanation("data.totalAmount > 1000") == nil)
        // false is not a failure
        #expect(try explanation("data.totalAmount > 9000") == nil)
    }

    @Test func pointsAtTheMissingPath() throws {
        let text = try #require(try explanation("data.totalAmount > 1000 AND data.shippingAddress.contry = 'USA'"))
        #expect(
            text == """
                <expr>:1:29: error: 'data.shippingAddress.contry' is missing from this event (missingAttribute)
                1 | data.totalAmount > 1000 AND data.shippingAddress.contry = 'USA'
                  |                             ^~~~~~~~~~~~~~~~~~~~~~~~~~~
                """)
    }

    @Test func pointsAtTheInnermostFailingOperation() throws {
        // The division fails (math); its operands do not.
        let math = try #require(try explanation("data.totalAmount / (size(data.items) - 2) > 1"))
        #expect(math.hasPrefix("<expr>:1:1: error: math error: division by zero"))
        // The underline covers the division, `data.totalAmount / (size(data.items) - 2)`, and no more.
        #expect(math.hasSuffix("\n  | ^" + String(repeating: "~", count: 40)))
        // A cast fails in the comparison whose operand is not a number.
        let cast = try #require(try explanation("data.totalAmount > 1 AND data.code < 5"))
        #expect(cast.hasPrefix("<expr>:1:26: error: cast error"))
        // A function fails on its arguments.
        let function = try #require(try explanation("LEFT(data.code, -1) = 'x'"))
        #expect(function.hasPrefix("<expr>:1:1: error: the function cannot work on these arguments (functionEvaluation)"))
    }

    @Test func shortCircuitedOperandsAreNotBlamed() throws {
        // The left side is false, so the right side (which would fail) is never evaluated.
        #expect(try explanation("data.totalAmount > 9000 AND data.nope = 1") == nil)
        // coalesce skips a missing first argument: the error comes from the second.
        let text = try #require(try explanation("coalesce(data.nope, 1 / (size(data.items) - 2))"))
        #expect(text.hasPrefix("<expr>:1:21: error: math error"))
    }

    @Test func streamsAndTheCommandLineExplainEachFailure() throws {
        let lines = Array("""
            {"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"n":1}}
            {"specversion":"1.0","id":"2","source":"/s","type":"t","data":{}}
            """.utf8)
        var seen: [(Int, String)] = []
        let e = try CompiledExpression("data.n > 0")
        let summary = try e.evaluate(stream: EventReader(bytes: lines), format: nil, output: nil,
                                     explain: { line, why in seen.append((line, why.message)) }, rejected: { _ in })
        #expect(summary.errors == [.missingAttribute: 1])
        #expect(seen.count == 1)
        #expect(seen.first?.0 == 2)
        #expect(seen.first?.1 == "'data.n' is missing from this event (missingAttribute)")

        let r = try WeirCLI.run(["eval", "--explain", "data.n > 0"], stdin: lines + [UInt8(ascii: "\n")])
        #expect(r.status == 0)
        #expect(r.out == "true\nfalse  (error: missingAttribute)\n")
        #expect(r.err.hasPrefix("<stdin>:2: evaluation failed:\n<expr>:1:1: error: 'data.n' is missing from this event (missingAttribute)\n1 | data.n > 0\n  | ^~~~~~\n"))
    }
}
