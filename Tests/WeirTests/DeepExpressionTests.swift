import Foundation
import Testing
import Weir
import WeirSyntax
import WeirTestSupport

/// Expressions at the deepest nesting `CompileOptions` accepts compile, evaluate, explain and
/// dump on a secondary thread with a small stack; a deeper limit is refused, never a crash.
@Suite struct DeepExpressionTests {

    /// Expressions whose syntax tree (or parser nesting) is `depth` levels deep, one per shape
    /// the parser and the later passes recurse on.
    static func shapes(_ depth: Int) -> [String: String] {
        func nest(_ open: String, _ inner: String, _ close: String, _ n: Int) -> String {
            String(repeating: open, count: n) + inner + String(repeating: close, count: n)
        }
        return [
            "parentheses": nest("(", "data.x", ")", depth),
            "calls": nest("abs(", "data.n", ")", depth - 1),
            "strings": nest("upper(", "data.x", ")", depth - 1),
            "nots": String(repeating: "NOT ", count: depth - 1) + "data.b",
            "negations": nest("-(", "data.n", ")", depth - 1),
            "left chain": Array(repeating: "data.n", count: depth).joined(separator: " + "),
            "right chain": nest("data.b AND (", "data.b", ")", depth - 1),
            "in lists": nest("data.n IN (", "data.n", ")", depth - 1),
            "likes": "data.x" + String(repeating: " LIKE 'a%'", count: depth - 1),
            "coalesce": nest("coalesce(data.nope, ", "data.n", ")", depth - 1),
            "fallback": "left(" + nest("lower(", "data.x", ")", depth - 2) + ", -1)",
        ]
    }


    /// What a small-stack thread saw of one expression.
    struct Outcome: Sendable, Equatable {
        var compileErrors: [Diagnostic.Code]
        var failsWithoutData = false
        var explained = false
        var parseDiagnostics = 0
        var dumped = false
    }

    static func run(_ text: String, maxDepth: Int) -> Outcome {
        onSmallStack {
            let compiled: CompiledExpression
            do { compiled = try CompiledExpression(text, options: CompileOptions(maxDepth: maxDepth)) } catch let error as CompileError {
                return Outcome(compileErrors: error.diagnostics.map(\.code))
            } catch {
                return Outcome(compileErrors: [])
            }
            var outcome = Outcome(compileErrors: [])
            _ = compiled.evaluate(try! Event(id: "1", source: "/s", type: "t", data: ["x": "abc", "n": 3, "b": true]))
            _ = compiled.renderedWarnings
            let empty = try! Event(id: "1", source: "/s", type: "t")
            outcome.failsWithoutData = compiled.evaluate(empty).error != nil
            outcome.explained = compiled.explain(empty) != nil
            let source = SourceFile(name: "<expr>", text: text)
            let parsed = ExpressionParser.parse(source, options: ParseOptions(maxDepth: maxDepth))
            outcome.parseDiagnostics = parsed.diagnostics.count
            outcome.dumped = parsed.expression?.dump(in: source).isEmpty == false
            return outcome
        }
    }

    static let deepest = ParseOptions.maximumDepth

    @Test func everyPassIsSafeAtTheMaximumDepthOnASmallStack() {
        for (shape, text) in Self.shapes(Self.deepest).sorted(by: { $0.key < $1.key }) {
            // Every shape reads data, so an event without it fails, and explain says where.
            let expected = Outcome(compileErrors: [], failsWithoutData: true, explained: true, parseDiagnostics: 0, dumped: true)
            #expect(Self.run(text, maxDepth: Self.deepest) == expected, "\(shape)")
        }
    }

    @Test func oneLevelDeeperIsALimitErrorOnASmallStack() {
        for (shape, text) in Self.shapes(Self.deepest + 1).sorted(by: { $0.key < $1.key }) {
            #expect(Self.run(text, maxDepth: Self.deepest).compileErrors == [.limit], "\(shape)")
        }
    }

    @Test func aDepthLimitAboveTheMaximumIsRefusedNotACrash() {
        let text = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        for limit in [100_010, Self.deepest + 1, 0, -5] {
            let messages = onSmallStack { () -> [String] in
                do {
                    _ = try CompiledExpression(text, options: CompileOptions(maxDepth: limit))
                    return []
                } catch let error as CompileError {
                    return error.diagnostics.map { "\($0.code): \($0.message)" }
                } catch {
                    return ["\(error)"]
                }
            }
            #expect(messages == ["limit: nesting limit \(limit) is not supported: it must be between 1 and 256"])
        }
    }
}


