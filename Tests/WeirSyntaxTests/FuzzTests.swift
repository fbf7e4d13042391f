import Testing
@testable import WeirSyntax
import WeirTestSupport

/// Fuzz-style robustness: every prefix of ~40 seed expressions, and a few hundred seeded byte
/// mutations of each, parse without trapping, in both dialects, with consistent diagnostics.
@Suite struct FuzzTests {
    static let seeds: [String] = [
        "data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'",
        "type = \"order.created\"",
        "distance(data.location, login.data.location) > 1000",
        "login.data.userId = tx.data.userId OR NOT EXISTS data.flag",
        "data.items[0].price * 2 >= 59.98",
        "data['odd-key'] != 'x' && data.in <> 3 || !data.like",
        "x IN data.list AND 'vip' NOT IN tags",
        "123 NOT IN (1, 2, 3, 12, 13, 23, 123)",
        "source IN (id, \"http://localhost/source\")",
        "data.email MATCHES '^[^@]+@corp\\.com$'",
        "x =~ 'a.*' AND y !~ \"b\" AND z NOT MATCHES 'c'",
        "matches = 'x' OR matches matches 'y'",
        "NOT x LIKE 'a%' AND y NOT LIKE 'a\\%b\\_c'",
        "'ab\\c' LIKE 'ab\\c'",
        "'a\"b\\'c' = \"a'b\\\"c\"",
        "-2147483648 < --10 + -'10' - 5-3",
        "9223372036854775807 > 2.5E-3 AND 1e3 = 1000",
        "CONCAT_WS(',', 'a', 'b', 'c') = 'a,b,c'",
        "SUBSTRING('Sakila', -5, 3) = 'aki'",
        "int(hop) < int(ttl) and int(hop) < 1000",
        "(id = 'myId' OR type LIKE '%.success') AND (myext = 'customext')",
        "true AND (missing = \"\")",
        "4 * (2 + 4) / 2 % 5",
        "a OR b AND c XOR d",
        "EXISTS specversion AND EXISTS SOURCE",
        "f(g(h(1, 2), 'x'), (3))",
        "a /* block */ = -- line\n 1",
        "data.x\r\n  AND data.y\r\n",
        "'héllo ✓' = data.naïve",
        "1abc = abc1 AND 250ms = x",
        "x LIKE 'a' = true",
        "ABS(-10) = 10 AND LENGTH('') = 0",
        "data.a.b.c.d.e[1][2]['three'].four",
        "((((((a))))))",
        "NOT NOT NOT !!!- - -x",
        "x IN ()",
        "ABC(",
        "x LIKE 123",
        "'unterminated",
        "a /* unterminated",
    ]

    /// Bytes a mutation inserts or writes: NUL, invalid UTF-8, quotes, brackets, operators, keywords' letters.
    static let palette: [UInt8] = [0x00, 0xFF, 0x80, 0xC3, 0xE2, 0x27, 0x22, 0x28, 0x29, 0x5B, 0x5D, 0x2E, 0x2D, 0x2F, 0x2A,
                                   0x5C, 0x20, 0x0A, 0x0D, 0x09, 0x3D, 0x21, 0x7E, 0x25, 0x5F, 0x30, 0x39, 0x65,
                                   UInt8(ascii: "N"), UInt8(ascii: "O"), UInt8(ascii: "T"), UInt8(ascii: "I")]

    @Test(arguments: 0..<FuzzTests.seeds.count)
    func prefixesAndMutations(_ seedIndex: Int) {
        let seed = Array(FuzzTests.seeds[seedIndex].utf8)
        var inputs: [[UInt8]] = (0...seed.count).map { Array(seed[0..<$0]) }
        var rng = SplitMix64(seed: UInt64(seedIndex) &* 0x1234_5678_9ABC_DEF1 &+ 1)
        for _ in 0..<300 {
            var bytes = seed
            for _ in 0..<(1 + rng.next(below: 4)) {
                let byte = rng.next(below: 3) == 0 ? UInt8(truncatingIfNeeded: rng.next()) : FuzzTests.palette[rng.next(below: FuzzTests.palette.count)]
                switch rng.next(below: 3) {
                case 0:
                    bytes.insert(byte, at: rng.next(below: bytes.count + 1))
                case 1 where !bytes.isEmpty:
                    bytes.remove(at: rng.next(below: bytes.count))
                default:
                    if bytes.isEmpty { bytes.append(byte) } else { bytes[rng.next(below: bytes.count)] = byte }
                }
            }
            inputs.append(bytes)
        }
        for bytes in inputs {
            for dialect in Dialect.allCases {
                check(bytes, dialect: dialect)
            }
        }
    }

    private func check(_ bytes: [UInt8], dialect: Dialect) {
        let source = SourceFile(name: "<fuzz>", bytes: bytes)
        let result = ExpressionParser.parse(source, options: ParseOptions(dialect: dialect))
        let shown = String(decoding: bytes, as: UTF8.self).debugDescription

        // Every range lies within the input.
        func inInput(_ range: SourceRange) -> Bool { range.start >= 0 && range.start <= range.end && range.end <= bytes.count }
        for diagnostic in result.diagnostics {
            #expect(inInput(diagnostic.range), "\(shown): \(diagnostic.message) at \(diagnostic.range)")
            for note in diagnostic.notes {
                if let range = note.range { #expect(inInput(range), "\(shown): note at \(range)") }
            }
        }

        // No tree, or a tree with holes, comes with an error.
        var hasInvalid = false
        var stack = result.expression.map { [$0] } ?? []
        while let expr = stack.popLast() {
            #expect(inInput(expr.range), "\(shown): node at \(expr.range)")
            if case .invalid = expr.kind { hasInvalid = true }
            stack += expr.children
        }
        if result.expression == nil || hasInvalid {
            #expect(result.hasErrors, "\(shown) gave no error")
            #expect(result.diagnostics.contains { $0.severity == .error })
        }

        // Rendering and dumping never trap either.
        let rendered = DiagnosticRenderer.render(result.diagnostics, in: source)
        #expect(rendered.isEmpty == result.diagnostics.isEmpty)
        if let expression = result.expression { _ = expression.dump(in: source) }
    }
}
