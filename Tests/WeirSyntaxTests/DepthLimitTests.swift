import Testing
import WeirSyntax

/// `ParseOptions.maxDepth` outside `1...ParseOptions.maximumDepth` is refused, not adjusted.
@Suite struct DepthLimitTests {
    @Test func limitsOutsideTheSupportedRangeAreRefused() {
        let text = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        for limit in [100_010, ParseOptions.maximumDepth + 1, 0, -1] {
            let result = ExpressionParser.parse(SourceFile(name: "<expr>", text: text), options: ParseOptions(maxDepth: limit))
            #expect(result.expression == nil)
            #expect(result.diagnostics.map(\.message) == ["nesting limit \(limit) is not supported: it must be between 1 and 256"])
            #expect(result.diagnostics.map(\.code) == [.limit])
        }
    }

    @Test func theMaximumIsAccepted() {
        let n = ParseOptions.maximumDepth
        let text = String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n)
        let result = ExpressionParser.parse(SourceFile(name: "<expr>", text: text), options: ParseOptions(maxDepth: n))
        #expect(result.diagnostics.isEmpty)
        #expect(result.expression?.kind == .integer(1))
    }
}
