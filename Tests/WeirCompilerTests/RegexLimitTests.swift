import Testing
import Weir
import WeirCompiler

/// Regular expressions cannot hang the engine: catastrophic backtracking stops at PCRE2's match
/// limit with a `functionEvaluation` error, backreferences are refused unless allowed, and
/// patterns are bounded in length.
@Suite struct RegexLimitTests {
    /// Forty `a`s and a `!`: `^(a+)+$` backtracks through 2^40 ways of splitting them.
    static let evil = String(repeating: "a", count: 40) + "!"
    static let evilEvent = try! Event(id: "1", source: "/s", type: "t", data: ["s": .string(evil)])
    static let evilLine = #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"s":""# + evil + #""}}"#

    /// Evaluates on every event of `lines` through the ingest path (the parser's document view).
    static func ingest(_ expression: CompiledExpression, _ lines: [String]) -> [EvaluationResult] {
        var results: [EvaluationResult] = []
        var rejected: [RejectedLine] = []
        let reader = EventReader(bytes: Array(lines.joined(separator: "\n").utf8))
        _ = reader.forEach({ document, _ in results.append(expression.evaluate(document)) }, rejected: { rejected.append($0) })
        #expect(rejected.isEmpty)
        return results
    }

    static func withinTwoSeconds<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try body()
        let elapsed = clock.now - start
        // A hang guard, not a benchmark: the match limit stops the search long before this.
        #expect(elapsed < .seconds(2), "took \(elapsed)", sourceLocation: sourceLocation)
        return result
    }

    func compileError(_ text: String, options: CompileOptions = CompileOptions(),
                      sourceLocation: SourceLocation = #_sourceLocation) -> CompileError? {
        do {
            _ = try CompiledExpression(text, options: options)
            Issue.record("\(text.prefix(80).debugDescription) compiled", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Catastrophic backtracking

    @Test func catastrophicBacktrackingOnAnOwnedEvent() throws {
        let e = try CompiledExpression("data.s MATCHES '^(a+)+$'")
        let result = Self.withinTwoSeconds { e.evaluate(Self.evilEvent) }
        #expect(result == EvaluationResult(value: false, error: .functionEvaluation))
        #expect(!e.matches(Self.evilEvent))
        // The same pattern still matches and fails to match normally on short subjects.
        #expect(e.evaluate(try! Event(id: "1", source: "/s", type: "t", data: ["s": "aaaa"])) == EvaluationResult(value: true))
        #expect(e.evaluate(try! Event(id: "1", source: "/s", type: "t", data: ["s": "aa!"])) == EvaluationResult(value: false))
    }

    @Test func catastrophicBacktrackingOnTheIngestPath() throws {
        let e = try CompiledExpression("data.s MATCHES '^(a+)+$'")
        let ok = #"{"specversion":"1.0","id":"2","source":"/s","type":"t","data":{"s":"aaa"}}"#
        let results = Self.withinTwoSeconds { Self.ingest(e, [Self.evilLine, ok, Self.evilLine]) }
        #expect(results == [
            EvaluationResult(value: false, error: .functionEvaluation), EvaluationResult(value: true),
            EvaluationResult(value: false, error: .functionEvaluation),
        ])
    }

    @Test func catastrophicBacktrackingInAStream() throws {
        let e = try CompiledExpression("data.s =~ '^(a+)+$'")
        let summary = try Self.withinTwoSeconds {
            try e.evaluate(stream: EventReader(bytes: Array((Self.evilLine + "\n").utf8)), format: nil, output: nil,
                           rejected: { _ in Issue.record("rejected") })
        }
        #expect(summary.events == 1)
        #expect(summary.matched == 0)
        #expect(summary.errors == [.functionEvaluation: 1])
    }

    @Test func negatedCatastrophicMatchIsStillAnError() throws {
        let e = try CompiledExpression("data.s NOT MATCHES '^(a+)+$'")
        let result = Self.withinTwoSeconds { e.evaluate(Self.evilEvent) }
        #expect(result == EvaluationResult(value: false, error: .functionEvaluation))
        let bang = try CompiledExpression("data.s !~ '^(a+)+$'")
        #expect(Self.withinTwoSeconds { bang.evaluate(Self.evilEvent) } == EvaluationResult(value: false, error: .functionEvaluation))
    }

    /// A constant subject is folded at compile time: the limit applies there too, and the
    /// failure becomes a warning, not a hang.
    @Test func catastrophicBacktrackingInAConstant() throws {
        let e = try Self.withinTwoSeconds { try CompiledExpression("'\(Self.evil)' MATCHES '^(a+)+$'") }
        #expect(e.warnings.map(\.code) == [.constantError])
        #expect(e.evaluate(Self.evilEvent) == EvaluationResult(value: false, error: .functionEvaluation))
    }

    // MARK: Backreferences

    @Test func backreferenceIsACompileError() throws {
        for pattern in [#"(a)\1"#, #"(?<x>a)\k<x>"#, #"^(ab)\1$"#] {
            let error = try #require(compileError("data.s MATCHES '\(pattern)'"))
            #expect(error.diagnostics.map(\.code) == [.invalidPattern], "\(pattern)")
            #expect(error.description.contains("error: backreferences are not allowed in MATCHES patterns"), "\(pattern)")
        }
    }

    @Test func backreferencesWhenAllowed() throws {
        var limits = RegexLimits()
        limits.allowBackreferences = true
        var options = CompileOptions()
        options.regexLimits = limits
        let e = try CompiledExpression(#"data.s MATCHES '^(ab)\1$'"#, options: options)
        #expect(e.warnings.isEmpty)
        #expect(e.evaluate(try! Event(id: "1", source: "/s", type: "t", data: ["s": "abab"])) == EvaluationResult(value: true))
        #expect(e.evaluate(try! Event(id: "1", source: "/s", type: "t", data: ["s": "abac"])) == EvaluationResult(value: false))
        let named = try CompiledExpression(#"data.s MATCHES '(?<x>a)\k<x>'"#, options: options)
        #expect(named.evaluate(try! Event(id: "1", source: "/s", type: "t", data: ["s": "baab"])) == EvaluationResult(value: true))
    }

    @Test func defaultLimits() {
        let limits = RegexLimits()
        #expect(limits.matchLimit == 1_000_000)
        #expect(limits.depthLimit == 10_000)
        #expect(limits.heapLimitKiB == 20_000)
        #expect(limits.maxPatternLength == 4096)
        #expect(!limits.allowBackreferences)
        #expect(CompileOptions().regexLimits == limits)
    }

    @Test func aLowMatchLimitStopsAnOrdinarySearch() throws {
        var options = CompileOptions()
        options.regexLimits.matchLimit = 1
        let e = try CompiledExpression("data.s MATCHES 'a.*b.*c.*d'", options: options)
        let subject = String(repeating: "ab", count: 200) + "d"  // "d" defeats the required-character shortcut
        #expect(e.evaluate(try! Event(id: "1", source: "/s", type: "t", data: [
            "s": .string(subject)])) == EvaluationResult(value: false, error: .functionEvaluation))
    }

    // MARK: Invalid patterns

    @Test func invalidPatternCaretIsInsideTheLiteral() throws {
        // "data.s MATCHES '" is 16 bytes: the pattern starts at column 17, and PCRE2 stops at
        // offset 3 of "abc)def", the ')': column 20.
        let text = "data.s MATCHES 'abc)def'"
        let error = try #require(compileError(text))
        #expect(error.diagnostics.map(\.code) == [.invalidPattern])
        #expect(error.description == """
            <expr>:1:20: error: invalid regular expression: unmatched closing parenthesis
            1 | data.s MATCHES 'abc)def'
              |                    ^
            """)
    }

    @Test func invalidPatternAtTheEndPointsInsideTheLiteral() throws {
        let text = "data.s MATCHES 'a(b'"
        let error = try #require(compileError(text))
        #expect(error.diagnostics.map(\.code) == [.invalidPattern])
        let header = try #require(error.description.split(separator: "\n").first)
        #expect(header.hasPrefix("<expr>:1:"))
        #expect(header.contains(": error: invalid regular expression: "))
        // PCRE2 stops at the end of "a(b": the caret is on the closing quote, column 20.
        let column = try #require(Int(header.split(separator: ":")[2]))
        #expect(column == 20)
        let caretLine = try #require(error.description.split(separator: "\n").last)
        #expect(caretLine == "  | " + String(repeating: " ", count: column - 1) + "^")
    }

    @Test func invalidPatternAfterMultibyteCharacters() throws {
        // PCRE2's offset counts bytes; the column counts characters: the caret is still on the ')'.
        let error = try #require(compileError("data.s MATCHES 'éé)'"))
        #expect(error.description == """
            <expr>:1:19: error: invalid regular expression: unmatched closing parenthesis
            1 | data.s MATCHES 'éé)'
            """ + "\n  | " + String(repeating: " ", count: 18) + "^")
    }

    /// When the literal holds escapes (`\'`, `\\`), the pattern's offsets are not the
    /// literal's: the caret must still point at the error (or, as Lowering documents, at the
    /// literal), never at another character.
    @Test func invalidPatternCaretWithEscapesInTheLiteral() throws {
        // The pattern is a'b)c; PCRE2 stops at its ')', column 21 of the source.
        let text = #"data.s MATCHES 'a\'b)c'"#
        let error = try #require(compileError(text))
        #expect(error.diagnostics.map(\.code) == [.invalidPattern])
        let header = try #require(error.description.split(separator: "\n").first)
        let column = try #require(Int(header.split(separator: ":")[2]))
        #expect(column == 21 || column == 16, "caret at column \(column): \(error.description)")
        // Two escaped backslashes: the pattern is \\d), its ')' is column 22.
        let twice = try #require(compileError(#"data.s MATCHES '\\\\d)'"#))
        let twiceColumn = try #require(Int(twice.description.split(separator: "\n")[0].split(separator: ":")[2]))
        #expect(twiceColumn == 22 || twiceColumn == 16, "caret at column \(twiceColumn): \(twice.description)")
    }

    @Test func invalidPatternInTheCESQLDialectIsNotAvailable() throws {
        // MATCHES is a Weir extension: in CESQL it is a dialect error, not a regex error.
        let error = try #require(compileError("subject MATCHES 'a'", options: CompileOptions(dialect: .cesql)))
        #expect(error.diagnostics.contains { $0.code == .dialect })
    }

    // MARK: Pattern length

    @Test func longPatternIsAnError() throws {
        let long = String(repeating: "a", count: 4097)
        let error = try #require(compileError("data.s MATCHES '\(long)'"))
        #expect(error.diagnostics.map(\.code) == [.limit])
        #expect(error.description.hasPrefix("<expr>:1:16: error: regular expression longer than 4096 bytes"))
        // At the limit it compiles.
        let atLimit = try CompiledExpression("data.s MATCHES '\(String(repeating: "a", count: 4096))'")
        #expect(atLimit.evaluate(try! Event(id: "1", source: "/s", type: "t", data: ["s": .string(String(repeating: "a", count: 4096))]))
            == EvaluationResult(value: true))
        // And a raised limit accepts it.
        var options = CompileOptions()
        options.regexLimits.maxPatternLength = 5000
        let raised = try CompiledExpression("data.s MATCHES '\(long)'", options: options)
        #expect(raised.evaluate(try! Event(id: "1", source: "/s", type: "t", data: ["s": "a"])) == EvaluationResult(value: false))
    }
}
