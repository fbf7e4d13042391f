import Testing
import WeirSyntax
import WeirTestSupport

/// Hostile input: deep nesting and huge input give one `.limit` error, promptly, never a crash.
@Suite struct LimitTests {
    /// Parses `text`, checking it takes less than `seconds`, and returns its `.limit` diagnostics.
    private func limitDiagnostics(_ text: String, maxDepth: Int = 256, within seconds: Int = 5) -> (ParseResult, [Diagnostic]) {
        let source = SourceFile(name: "<expr>", text: text)
        let clock = ContinuousClock()
        var result = ParseResult(expression: nil, diagnostics: [])
        let elapsed = clock.measure {
            result = ExpressionParser.parse(source, options: ParseOptions(maxDepth: maxDepth))
        }
        #expect(elapsed < .seconds(seconds), "took \(elapsed)")
        return (result, result.diagnostics.filter { $0.code == .limit })
    }

    @Test func hundredThousandOpeningParentheses() {
        let (result, limits) = limitDiagnostics(String(repeating: "(", count: 100_000))
        #expect(limits.map(\.message) == ["expression nested too deeply (more than 256 levels)"])
        #expect(result.expression == nil)
        #expect(result.hasErrors)
    }

    @Test func hundredThousandBalancedParentheses() {
        let (result, limits) = limitDiagnostics(String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000))
        #expect(limits.count == 1)
        #expect(result.diagnostics.count == 1)
        #expect(result.expression == nil)
    }

    @Test func hundredThousandNots() {
        let (result, limits) = limitDiagnostics(String(repeating: "NOT ", count: 100_000) + "x")
        #expect(limits.map(\.message) == ["expression nested too deeply (more than 256 levels)"])
        #expect(result.diagnostics.count == 1)
        #expect(result.expression == nil)
    }

    @Test func hundredThousandMinusSigns() {
        for tail in ["", "1", "x"] {
            let (result, limits) = limitDiagnostics(String(repeating: "-", count: 100_000) + tail)
            #expect(limits.count == 1, "tail \(tail)")
            #expect(result.expression == nil)
        }
        let (_, limits) = limitDiagnostics(String(repeating: "!-", count: 50_000) + "1")
        #expect(limits.count == 1)
    }

    @Test func deeplyNestedCallsAndLists() {
        let calls = String(repeating: "f(", count: 50_000) + "1" + String(repeating: ")", count: 50_000)
        #expect(limitDiagnostics(calls).1.count == 1)
        let lists = String(repeating: "x IN (", count: 50_000) + "1" + String(repeating: ")", count: 50_000)
        #expect(limitDiagnostics(lists).1.count == 1)
        let mixed = String(repeating: "NOT -(f(", count: 20_000)
        #expect(limitDiagnostics(mixed).1.count == 1)
    }

    @Test func longOperatorChainsAreDeepTrees() {
        let chain = Array(repeating: "1", count: 100_000).joined(separator: " + ")
        let (result, limits) = limitDiagnostics(chain)
        #expect(limits.count == 1)
        #expect(result.expression == nil)
        let likes = "x" + String(repeating: " LIKE 'a'", count: 50_000)
        #expect(limitDiagnostics(likes).1.count == 1)
    }

    @Test func exactlyAtTheLimit() {
        // 256 nested parentheses are fine, 257 are not.
        let fine = String(repeating: "(", count: 256) + "1" + String(repeating: ")", count: 256)
        #expect(limitDiagnostics(fine).0.diagnostics.isEmpty)
        let deep = String(repeating: "(", count: 257) + "1" + String(repeating: ")", count: 257)
        #expect(limitDiagnostics(deep).1.count == 1)
        // A tree of height 256: 255 NOTs over a name; one more is too deep.
        #expect(limitDiagnostics(String(repeating: "NOT ", count: 255) + "x").0.diagnostics.isEmpty)
        #expect(limitDiagnostics(String(repeating: "NOT ", count: 256) + "x").1.count == 1)
        // A left-deep chain of 255 additions has height 256.
        let chain = Array(repeating: "1", count: 256).joined(separator: "+")
        #expect(limitDiagnostics(chain).0.diagnostics.isEmpty)
        #expect(limitDiagnostics(chain + "+1").1.count == 1)
    }

    @Test func customDepth() {
        #expect(limitDiagnostics("(((1)))", maxDepth: 3).0.diagnostics.isEmpty)
        let (_, limits) = limitDiagnostics("((((1))))", maxDepth: 3)
        #expect(limits.map(\.message) == ["expression nested too deeply (more than 3 levels)"])
    }

    @Test func wideButShallowInputIsFine() {
        let list = "x IN (" + Array(repeating: "1", count: 100_000).joined(separator: ", ") + ")"
        let (result, limits) = limitDiagnostics(list)
        #expect(limits.isEmpty)
        #expect(result.diagnostics.isEmpty)
        let path = "data" + String(repeating: ".a", count: 100_000)
        #expect(limitDiagnostics(path).0.diagnostics.isEmpty)
        let call = "f(" + Array(repeating: "'x'", count: 50_000).joined(separator: ",") + ")"
        #expect(limitDiagnostics(call).0.diagnostics.isEmpty)
    }

    @Test func twoMebibyteInput() {
        let text = String(repeating: "a", count: 2 << 20)
        let (result, limits) = limitDiagnostics(text)
        #expect(limits.map(\.message) == ["input too long: 2097152 bytes, more than the limit of 1048576"])
        #expect(result.diagnostics.count == 1)
        #expect(result.expression == nil)
        // Rendering it shows a cut line, not two megabytes.
        let rendered = DiagnosticRenderer.render(result.diagnostics, in: SourceFile(name: "<expr>", text: text))
        #expect(rendered.count < 400)
    }

    @Test func customLength() {
        let source = SourceFile(name: "<expr>", text: "a = 1")
        let result = ExpressionParser.parse(source, options: ParseOptions(maxLength: 4))
        #expect(result.diagnostics.map(\.message) == ["input too long: 5 bytes, more than the limit of 4"])
        #expect(ExpressionParser.parse(source, options: ParseOptions(maxLength: 5)).diagnostics.isEmpty)
    }

    @Test func binaryJunk() {
        var bytes: [UInt8] = []
        var rng = SplitMix64(seed: 7)
        for _ in 0..<(1 << 20) { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        let source = SourceFile(name: "<junk>", bytes: bytes)
        let clock = ContinuousClock()
        var result = ParseResult(expression: nil, diagnostics: [])
        let elapsed = clock.measure { result = ExpressionParser.parse(source) }
        #expect(elapsed < .seconds(10), "took \(elapsed)")
        #expect(result.hasErrors)
        #expect(result.diagnostics.count <= 110)
        #expect(result.diagnostics.allSatisfy { $0.range.start >= 0 && $0.range.end <= bytes.count })
    }
}
