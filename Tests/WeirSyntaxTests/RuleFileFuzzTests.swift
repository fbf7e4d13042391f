import Foundation
import Testing
import WeirSyntax
import WeirTestSupport

/// Rule-file fuzzing (issue 10, §5): every `.rules` file under `rules/` and a few embedded
/// ones, truncated at every byte and mutated (seeded); hostile files. Never a crash or a
/// hang; a declaration written but not parsed always has a located error.
@Suite struct RuleFileFuzzTests {
    /// Realistic files, embedded so that the test does not depend on `rules/` alone.
    static let embedded = [
        """
        -- Orders: route and aggregate.
        RULE high_value_us
          ON 'order.created', 'order.updated'
          WHERE data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'
          EMIT 'order.high-value' { orderId: data.orderId, priority: data.totalAmount > 2000, tags: ['a', "b"] }

        RULE lanes ON 'order.*'
          EMIT ALL 'notify.email' { to: data.email } WHEN EXISTS data.email
          EMIT ALL 'notify.sms' { to: data['phone number'], at: TIME_ADD(time, 1h30m) } WHEN data.phone != ''

        /* per customer */
        AGGREGATE order_metrics
          ON '*' WHERE data.totalAmount > 0
          GROUP BY data.customerId
          WINDOW SLIDING 1h EVERY 5m
          HAVING count() >= 3 AND sum(data.totalAmount) > 10
          EMIT 'metrics.orders.hourly' {
            customerId: key, orders: count(), average: avg(data.totalAmount),
            customers: collect(data.customerId), last: last(data.items)[0].sku,
            windowStart: window.start, 'window end': window.end,
          }
        """,
        """
        AGGREGATE sessions ON 'page.viewed' GROUP BY data.userId WINDOW SESSION GAP 30m
          EMIT 'session.ended' { userId: key, pages: collect(data.path), views: count() }
        """,
        """
        -- Sequences: every PATTERN construct.
        PATTERN potential_fraud
          PARTITION BY data.userId
          MATCH login: 'user.login' WHERE data.loginAttempts >= 5
          THEN  tx:    'transaction.initiated' WHERE data.amount > 5000 WITHIN 10m
          THEN  moved: 'user.location-changed'
                       WHERE distance(data.location, login.data.location) > 1000 WITHIN 15m
          AFTER MATCH SKIP PAST LAST EVENT
          EMIT 'fraud.potential-detected' { userId: login.data.userId, events: [login.id, tx.id, moved.id] }

        PATTERN brute_force PARTITION BY data.user WITHIN 5m MAX RUNS 1000
          MATCH fails: 'login.failed'{3,} WHERE data.reason != 'mfa'
          NEXT ok: 'login.succeeded'?
          THEN ANY probe: 'scan.*'+ WITHIN 1m
          THEN NOT reset: 'password.reset' WITHIN 30m
          AFTER MATCH SKIP TO NEXT
          EMIT ALL 'alert' { n: count(fails), ip: last(fails).data.ip } WHEN count(fails) > 5
          EMIT ALL 'audit' { user: fails.data.user }
          ON TIMEOUT EMIT 'partial' { n: count(fails) } WHEN true
          ON TIMEOUT EMIT 'partial.other' {}
        """,
    ]

    static func seeds() throws -> [String] {
        try exampleRuleFiles().map(\.text) + embedded
    }

    /// The declaration keywords first on their line: the declarations the file means to hold.
    static func writtenDeclarations(_ source: SourceFile) -> Int {
        let tokens = Lexer.tokenize(source, ruleFile: true).tokens
        return tokens.indices.filter { i in
            let token = tokens[i]
            guard token.kind == .word,
                  token.keyword == .rule || token.keyword == .aggregate || token.keyword == .pattern || token.keyword == .saga
            else { return false }
            var j = token.range.start
            while j > 0, source.bytes[j - 1] == UInt8(ascii: " ") || source.bytes[j - 1] == UInt8(ascii: "\t") { j -= 1 }
            return j == 0 || source.bytes[j - 1] == UInt8(ascii: "\n")
        }.count
    }

    @Test func examplesParseCleanly() throws {
        let files = try exampleRuleFiles()
        #expect(files.count >= 4, "rules/ holds the example scenarios")
        for (path, text) in try exampleRuleFiles().map({ ($0.path, $0.text) }) + RuleFileFuzzTests.embedded.map({ ("<embedded>", $0) }) {
            let (file, diagnostics, source) = parseRules(text)
            #expect(diagnostics.filter(\.isError).isEmpty, "\(path): \(DiagnosticRenderer.render(diagnostics, in: source))")
            #expect(file.declarations.count == RuleFileRecoveryTestsSupport.count(of: source), "\(path)")
        }
    }

    @Test func truncations() throws {
        for text in try RuleFileFuzzTests.seeds() {
            let bytes = Array(text.utf8)
            for end in 0...bytes.count {
                check(Array(bytes[0..<end]), expectAllDeclarations: true)
            }
        }
    }

    @Test(arguments: 0..<8)
    func mutations(_ round: Int) throws {
        let palette = Array("{}[](),:;.'\"*-/+? \n\t0123456789msWHEREMITALLRULEAGGREGATEONWINDOWPATTERNMATCHTHENOTANY".utf8) + [0x00, 0xFF, 0xC3, 0x80]
        var rng = SplitMix64(seed: 0xC0FFEE &+ UInt64(round))
        for seed in try RuleFileFuzzTests.seeds() {
            let original = Array(seed.utf8)
            for _ in 0..<60 {
                var bytes = original
                for _ in 0..<(1 + rng.next(below: 4)) {
                    let byte = rng.next(below: 4) == 0 ? UInt8(truncatingIfNeeded: rng.next()) : palette[rng.next(below: palette.count)]
                    switch rng.next(below: 4) {
                    case 0: bytes.insert(byte, at: rng.next(below: bytes.count + 1))
                    case 1 where !bytes.isEmpty: bytes.remove(at: rng.next(below: bytes.count))
                    case 2 where bytes.count > 2:
                        // Cut out a stretch (a lost line, a lost closer).
                        let start = rng.next(below: bytes.count - 1)
                        bytes.removeSubrange(start..<min(bytes.count, start + 1 + rng.next(below: 40)))
                    default:
                        if bytes.isEmpty { bytes.append(byte) } else { bytes[rng.next(below: bytes.count)] = byte }
                    }
                }
                check(bytes, expectAllDeclarations: false)
            }
        }
    }

    /// Parses `bytes` and checks the invariants: ranges within the input, no `.invalid` node
    /// in a parsed declaration, and (for truncations) a located error for each declaration
    /// that was written but is not in the result.
    private func check(_ bytes: [UInt8], expectAllDeclarations: Bool) {
        let source = SourceFile(name: "fuzz.rules", bytes: bytes)
        let (file, diagnostics) = RuleFileParser.parse(source)
        let shown = String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription
        func inInput(_ range: SourceRange) -> Bool { range.start >= 0 && range.start <= range.end && range.end <= bytes.count }
        for diagnostic in diagnostics {
            #expect(inInput(diagnostic.range), "\(shown): \(diagnostic.message) at \(diagnostic.range)")
        }
        for declaration in file.declarations {
            #expect(inInput(declaration.range))
            for expr in RuleFileRecoveryTestsSupport.expressions(of: declaration) {
                var stack = [expr]
                while let e = stack.popLast() {
                    #expect(inInput(e.range), "\(shown)")
                    if case .invalid = e.kind { Issue.record("\(shown): a parsed declaration holds an invalid node") }
                    stack += RuleFileRecoveryTestsSupport.children(of: e)
                }
            }
        }
        if expectAllDeclarations, file.declarations.count < RuleFileFuzzTests.writtenDeclarations(source) {
            #expect(diagnostics.contains { $0.isError && inInput($0.range) }, "\(shown) lost a declaration without an error")
        }
        _ = DiagnosticRenderer.render(diagnostics, in: source)
        _ = file.dump()
    }

    // MARK: Hostile files

    /// Parses `text` on a thread with a 512 KiB stack.
    private func parseOnSmallStack(_ text: String) -> (declarations: [String], diagnostics: [Diagnostic]) {
        onSmallStack {
            let (file, diagnostics) = RuleFileParser.parse(SourceFile(name: "hostile.rules", text: text))
            return (file.declarations.map(\.name.text), diagnostics)
        }
    }

    @Test func binaryBytes() {
        var rng = SplitMix64(seed: 42)
        let bytes = (0..<65_536).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let result = onSmallStack {
            RuleFileParser.parse(SourceFile(name: "binary.rules", bytes: bytes)).diagnostics
        }
        #expect(result.contains { $0.isError })
        #expect(result.count <= 1000, "errors are bounded: \(result.count)")
    }

    @Test func sixtyThousandNestedParentheses() {
        let deep = String(repeating: "(", count: 60_000) + "1" + String(repeating: ")", count: 60_000)
        let text = "RULE deep ON 'a' WHERE \(deep) EMIT 'b' {}\nRULE ok ON 'a' EMIT 'b' {}\n"
        let (declarations, diagnostics) = parseOnSmallStack(text)
        #expect(diagnostics.map(\.message) == ["expression nested too deeply (more than 256 levels)"])
        #expect(declarations == ["ok"], "the parse goes on at the next declaration")
    }

    @Test func deeplyNestedTemplates() {
        let arrays = String(repeating: "[", count: 60_000)
        let objects = String(repeating: "{a:", count: 60_000)
        for inner in [arrays, objects] {
            let (declarations, diagnostics) = parseOnSmallStack("RULE deep ON 'a' EMIT 'b' { x: \(inner) }\nRULE ok ON 'a' EMIT 'b' {}\n")
            #expect(diagnostics.map(\.code) == [.limit])
            #expect(declarations == ["ok"])
        }
    }

    @Test func fiveThousandDeclarations() {
        var text = ""
        for i in 0..<5000 {
            text += i % 2 == 0
                ? "RULE r\(i) ON 'order.created' WHERE data.total > \(i) EMIT 'out' { id: data.id, n: \(i) }\n"
                : "AGGREGATE a\(i) ON 'order.*' GROUP BY data.c WINDOW TUMBLING 1m EMIT 'agg' { n: count(), k: key }\n"
        }
        let clock = ContinuousClock()
        var result: (declarations: [String], diagnostics: [Diagnostic]) = ([], [])
        let elapsed = clock.measure { result = parseOnSmallStack(text) }
        #expect(result.diagnostics.isEmpty)
        #expect(result.declarations.count == 5000)
        #expect(elapsed < .seconds(10), "a hang guard, not a benchmark: took \(elapsed)")
    }

    @Test func fiveThousandBrokenDeclarations() {
        let text = String(repeating: "RULE r ON 'x' WHER p EMIT 'y' {}\n", count: 5000)
        let (declarations, diagnostics) = parseOnSmallStack(text)
        #expect(declarations.isEmpty)
        #expect(diagnostics.count == 5000, "one message per broken declaration")
    }

    @Test func sixteenMebibytes() {
        let limit = ParseOptions.ruleFile.maxLength
        #expect(limit == 16 << 20)
        let head = "RULE big ON 'a' EMIT 'b' { s: '"
        let tail = "' }\n"
        let padding = String(repeating: "x", count: limit - head.utf8.count - tail.utf8.count)
        let atLimit = head + padding + tail
        let (declarations, diagnostics) = parseOnSmallStack(atLimit)
        #expect(diagnostics.isEmpty)
        #expect(declarations == ["big"])
        let (over, overDiagnostics) = parseOnSmallStack(atLimit + " ")
        #expect(over.isEmpty)
        #expect(overDiagnostics.map(\.message) == ["rule file too long: \(limit + 1) bytes, more than the limit of \(limit)"])
        #expect(overDiagnostics.map(\.code) == [.limit])
    }

    @Test func sixteenMebibytesOfDeclarationsWithoutALimitError() {
        // The file limit is on bytes; a large file of small declarations is parsed whole.
        let line = "RULE r ON 'a' EMIT 'b' {}\n"
        let text = String(repeating: line, count: (1 << 20) / line.utf8.count)
        let (declarations, diagnostics) = parseOnSmallStack(text)
        #expect(diagnostics.isEmpty)
        #expect(declarations.count == (1 << 20) / line.utf8.count)
    }
}

/// Walks of the declaration AST for the tests.
enum RuleFileRecoveryTestsSupport {
    static func count(of source: SourceFile) -> Int { RuleFileFuzzTests.writtenDeclarations(source) }

    /// Every expression of a declaration.
    static func expressions(of declaration: Declaration) -> [Expr] {
        switch declaration {
        case .rule(let rule):
            return [rule.whereClause].compactMap { $0 } + rule.emits.flatMap { [$0.template] + [$0.when].compactMap { $0 } }
        case .aggregate(let a):
            return [a.whereClause, a.groupBy, a.having].compactMap { $0 } + [a.emit.template]
        case .pattern(let p):
            return [p.partitionBy].compactMap { $0 } + p.steps.compactMap(\.whereClause)
                + (p.emits + p.onTimeout).flatMap { [$0.template] + [$0.when].compactMap { $0 } }
        case .saga(let s):
            let replies = s.steps.flatMap { step in [step.awaiting, step.compensate?.awaiting].compactMap { $0 } + step.failOn }
            return [s.start.whereClause, s.key].compactMap { $0 } + replies.compactMap(\.whereClause)
                + s.steps.flatMap { [$0.send.template] + [$0.compensate?.send.template].compactMap { $0 } }
                + (s.onComplete + s.onFailure).flatMap { [$0.template] + [$0.when].compactMap { $0 } }
        }
    }

    /// The direct sub-expressions (an object's field values), as `Expr.children` has them.
    static func children(of expr: Expr) -> [Expr] {
        switch expr.kind {
        case .integer, .decimal, .string, .boolean, .identifier, .path, .duration, .invalid: return []
        case .unary(_, let a), .exists(let a), .like(let a, _, _, _), .matches(let a, _, _, _), .select(let a, _): return [a]
        case .binary(_, let a, let b), .inArray(let a, let b, _): return [a, b]
        case .inList(let a, let list, _): return [a] + list
        case .call(_, _, let arguments): return arguments
        case .array(let elements): return elements
        case .object(let fields): return fields.map(\.value)
        }
    }
}
