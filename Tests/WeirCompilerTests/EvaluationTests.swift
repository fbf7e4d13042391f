import Testing
import Weir
import WeirCompiler

/// The evaluator gives the same result on an owned `Event` as on the parser's view of the same
/// document; compile-time folding keeps CESQL's errors; and no input crashes the compiler.
@Suite struct EvaluationTests {
    // MARK: Owned events and ingested documents agree

    static let events: [String] = [
        // Everything: attributes of several types, data of every JSON type, odd keys, a repeated key.
        #"{"specversion":"1.0","id":"e1","source":"/shop","type":"order.created","subject":"o1","time":"2026-01-01T10:00:00Z","#
            + #""priority":5,"flag":true,"data":{"n":41,"d":2.5,"s":"abc","u":"Zoë 🚀","big":9223372036854775807,"#
            + #""neg":-9223372036854775808,"huge":18446744073709551615,"arr":[1,2,3],"strs":["a","b"],"#
            + #""nested":{"a":{"b":[{"c":"deep"}]}},"nul":null,"t":true,"f":false,"empty":"","zero":0,"email":"x@corp.com","#
            + #""when":"2026-01-01T11:00:00+01:00","odd-key":7,"loc":{"lat":51.5,"lon":-0.1},"dup":{"k":1,"k":2}}}"#,
        // No data at all.
        #"{"specversion":"1.0","id":"e2","source":"/s","type":"t"}"#,
        // Scalar data, array data, null data.
        #"{"specversion":"1.0","id":"e3","source":"/s","type":"t","data":"just text"}"#,
        #"{"specversion":"1.0","id":"e4","source":"/s","type":"t","data":[10,"x",null,{"n":1}]}"#,
        #"{"specversion":"1.0","id":"e5","source":"/s","type":"t","data":null,"subject":null}"#,
        // The same names with other types.
        #"{"specversion":"1.0","id":"e6","source":"/s","type":"t","priority":"high","flag":"yes","time":12,"#
            + #""data":{"n":"41","s":5,"arr":{"x":1},"nested":[1],"d":"2.5","loc":"here","when":12,"email":null,"t":"true","#
            + #""strs":"b","big":1.5e300,"u":"","dup":[{"k":1}],"zero":-0.0,"odd-key":null}}"#,
        // Wide attribute integers, unicode and escapes, a key repeated at the top level.
        #"{"specversion":"1.0","id":"é\"\\","source":"/s","type":"t","priority":3000000000,"subject":"x","subject":"y","#
            + #""data":{"n":-1,"d":1e-7,"s":"\u0000\n\"","u":"\ud83d\ude80","arr":[],"nested":{},"big":-1,"neg":0}}"#,
    ]

    /// ~50 expressions: paths, missing and null values, arrays, objects, unicode, big integers,
    /// doubles, operators and functions.
    static let expressions: [String] = [
        "id", "specversion", "type = 'order.created'", "subject", "time", "priority + 1", "flag", "EXISTS subject",
        "data", "data.n", "data.n + 1", "data.d * 2", "CONCAT(data.s, 'x')", "UPPER(data.u)", "LENGTH(data.u)",
        "data.big", "data.big + 1", "data.neg - 1", "data.huge", "data.arr", "data.arr[1]", "data.arr[5]",
        "size(data.arr)", "2 IN data.arr", "'b' IN data.strs", "data.nested.a.b[0].c", "data.nested", "data.nul",
        "EXISTS data.nul", "EXISTS data.nested.a", "data.missing", "coalesce(data.nul, data.missing, data.s)",
        "data.t AND NOT data.f", "data.empty = ''", "data.zero = 0", "data.email MATCHES '@corp\\.com$'",
        "data.s LIKE 'a_c'", "data['odd-key']", "INT(data.s)", "STRING(data.d)", "data.n / data.zero",
        "unix_millis(data.when)", "unix_millis(time)", "distance(data.loc, data.loc)", "data[0]", "data[3].n",
        "data.s = 'abc' XOR data.n > 40", "starts_with(data.u, 'Zo')", "ABS(data.neg)", "SUBSTRING(data.u, 3, 1)",
        "data.dup.k", "data.dup", "size(data.dup)", "data.u = 'Zoë 🚀'", "data.n IN (41, 42)", "ROUND(data.d)",
        "data.d > data.n", "BOOL(data.t)", "LOWER(id)", "size(data)", "EXISTS data", "NOT data.missing",
        "data.missing OR TRUE", "data.n > 40 AND data.missing", "data.arr[0] + data.arr[2]", "data.strs[1] = 'b'",
    ]

    /// The results expected on the first event, where they are certain.
    static let expectedOnFirst: [String: EvaluationResult] = [
        "id": .init(value: "e1"), "specversion": .init(value: "1.0"), "type = 'order.created'": .init(value: true),
        "subject": .init(value: "o1"), "priority + 1": .init(value: 6), "flag": .init(value: true),
        "EXISTS subject": .init(value: true),
        "data.n": .init(value: 41), "data.n + 1": .init(value: 42), "data.d * 2": .init(value: 5.0),
        "CONCAT(data.s, 'x')": .init(value: "abcx"), "UPPER(data.u)": .init(value: "ZOË 🚀"),
        "LENGTH(data.u)": .init(value: 5), "data.big": .init(value: .int(.max)),
        "data.big + 1": .init(value: 0, error: .math), "data.neg - 1": .init(value: 0, error: .math),
        "data.huge": .init(value: .double(Double(UInt64.max))), "data.arr": .init(value: [1, 2, 3]),
        "data.arr[1]": .init(value: 2), "data.arr[5]": .init(value: false, error: .missingAttribute),
        "size(data.arr)": .init(value: 3), "2 IN data.arr": .init(value: true), "'b' IN data.strs": .init(value: true),
        "data.nested.a.b[0].c": .init(value: "deep"), "data.nested": .init(value: ["a": ["b": [["c": "deep"]]]]),
        "data.nul": .init(value: false, error: .missingAttribute), "EXISTS data.nul": .init(value: false),
        "EXISTS data.nested.a": .init(value: true), "data.missing": .init(value: false, error: .missingAttribute),
        "coalesce(data.nul, data.missing, data.s)": .init(value: "abc"), "data.t AND NOT data.f": .init(value: true),
        "data.empty = ''": .init(value: true), "data.zero = 0": .init(value: true),
        "data.email MATCHES '@corp\\.com$'": .init(value: true), "data.s LIKE 'a_c'": .init(value: true),
        "data['odd-key']": .init(value: 7), "INT(data.s)": .init(value: 0, error: .cast),
        "STRING(data.d)": .init(value: "2.5"), "data.n / data.zero": .init(value: 0, error: .math),
        "unix_millis(data.when)": .init(value: 1_767_261_600_000), "unix_millis(time)": .init(value: 1_767_261_600_000),
        "distance(data.loc, data.loc)": .init(value: 0.0), "data[0]": .init(value: false, error: .missingAttribute),
        "data.s = 'abc' XOR data.n > 40": .init(value: false), "starts_with(data.u, 'Zo')": .init(value: true),
"SUBSTRING(data.u, 3, 1)": .init(value: "ë"),
        "data.dup.k": .init(value: 2), "data.dup": .init(value: ["k": 2]), "size(data.dup)": .init(value: 1),
        "data.u = 'Zoë 🚀'": .init(value: true), "data.n IN (41, 42)": .init(value: true),
        "data.d > data.n": .init(value: false), "BOOL(data.t)": .init(value: true), "LOWER(id)": .init(value: "e1"),
        "EXISTS data": .init(value: true), "NOT data.missing": .init(value: false, error: .missingAttribute),
        "data.arr[0] + data.arr[2]": .init(value: 4), "data.strs[1] = 'b'": .init(value: true),
    ]

    /// Results on the parser's view of each line (the ingest path).
    static func ingested(_ e: CompiledExpression) -> [EvaluationResult] {
        var results: [EvaluationResult] = []
        let reader = EventReader(bytes: Array(events.joined(separator: "\n").utf8))
        let stats = reader.forEach({ document, _ in results.append(e.evaluate(document)) },
                                   rejected: { Issue.record("line \($0.line) rejected: \($0.reason)") })
        #expect(stats.events == events.count)
        return results
    }

    @Test func everyTestEventIsValid() throws {
        for line in Self.events { _ = try Event(jsonText: line) }
        #expect(Self.events.count == 7)
        #expect(Self.expressions.count >= 40)
        #expect(Set(Self.expressions).count == Self.expressions.count)
        #expect(Set(Self.expectedOnFirst.keys).isSubset(of: Set(Self.expressions)))
    }

    @Test(arguments: expressions)
    func ownedAndIngestedAgree(_ text: String) throws {
        let e = try CompiledExpression(text)
        let onDocuments = Self.ingested(e)
        let owned = try Self.events.map { try Event(jsonText: $0) }
        // The same events rebuilt from Swift values through the getters.
        let rebuilt = owned.map {
            try! Event(id: $0.id, source: $0.source, type: $0.type, specversion: $0.specversion, attributes: $0.attributes, data: $0.data)
        }
        #expect(rebuilt == owned)
        let onOwned = owned.map { e.evaluate($0) }
        let onRebuilt = rebuilt.map { e.evaluate($0) }
        #expect(onDocuments.count == Self.events.count)
        for i in 0..<min(onDocuments.count, onOwned.count) {
            #expect(onOwned[i] == onDocuments[i], "\(text) on event \(i + 1): owned \(onOwned[i]), ingested \(onDocuments[i])")
            #expect(onRebuilt[i] == onDocuments[i], "\(text) on event \(i + 1): rebuilt \(onRebuilt[i]), ingested \(onDocuments[i])")
            #expect(e.matches(owned[i]) == onDocuments[i].isTrue, "\(text) on event \(i + 1)")
            #expect(e.evaluate(owned[i]) == onOwned[i], "\(text): evaluating twice differs")
        }
        if let expected = Self.expectedOnFirst[text] {
            #expect(onDocuments.first == expected, "\(text) on the first event")
        }
    }

    /// Spot checks on the other events, so that agreement is not agreement on a wrong answer.
    @Test func resultsOnOtherEvents() throws {
        func results(_ text: String) throws -> [EvaluationResult] { Self.ingested(try CompiledExpression(text)) }
        let missing = EvaluationResult(value: false, error: .missingAttribute)
        let data = try results("data")
        #expect(data.count == 7)
        // Events 2 to 5 and 7 whole; event 6 (with a null field) field by field below.
        #expect([1, 2, 3, 4, 6].map { data[$0] } == [
            missing, .init(value: "just text"), .init(value: [10, "x", .null, ["n": 1]]), missing,
            .init(value: ["n": -1, "d": 1e-7, "s": "\u{0}\n\"", "u": "🚀", "arr": [], "nested": [:], "big": -1, "neg": 0]),
        ])
        #expect(data[5].value["n"] == "41")
        #expect(data[5].value["zero"] == -0.0)
        #expect(data[5].value["odd-key"] == nil)
        if case .object(let object) = data[5].value {
            #expect(object.keys == ["n", "s", "arr", "nested", "d", "loc", "when", "email", "t", "strs", "big", "u", "dup", "zero", "odd-key"])
            #expect(object["email"] == .null)
        } else {
            Issue.record("data of event 6 is not an object: \(data[5])")
        }
        #expect(try results("data[0]").dropFirst() == [missing, missing, .init(value: 10), missing, missing, missing])
        #expect(try results("data[3].n")[3] == .init(value: 1))
        #expect(try results("subject") == [.init(value: "o1"), missing, missing, missing, missing, missing, .init(value: "y")])
        #expect(try results("priority + 1")[6] == .init(value: 3_000_000_001))
        #expect(try results("priority + 1")[5] == .init(value: 0, error: .cast))
        #expect(try results("id")[6] == .init(value: "é\"\\"))
        #expect(try results("data.s")[6] == .init(value: "\u{0}\n\""))
        #expect(try results("data.u")[6] == .init(value: "🚀"))
        #expect(try results("LENGTH(data.u)")[6] == .init(value: 1))
        #expect(try results("data.d")[6] == .init(value: 1e-7))
        #expect(try results("data.big")[5] == .init(value: 1.5e300))
        #expect(try results("data.n + 1")[5] == .init(value: 42))  // '41' + 1: CESQL casts the string
        #expect(try results("data['odd-key']")[5] == missing)
        #expect(try results("data.dup")[5] == .init(value: [["k": 1]]))
        #expect(try results("size(data)") == [
            .init(value: 20), .init(value: 0, error: .missingAttribute), .init(value: 9), .init(value: 4),
            .init(value: 0, error: .missingAttribute), .init(value: 15), .init(value: 8),
        ])
    }

    /// String equality does not depend on how a string reached the operator (borrowed from the
    /// event, or made by a function): "e" + U+0301 and U+00E9 are different strings everywhere.
    @Test func stringEqualityIsTheSameForEveryOperand() throws {
        let line = #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"s":"e\u0301","arr":["e\u0301"]}}"#
        let owned = try Event(jsonText: line)
        #expect(owned.data?["s"].map { Array(JSONWriter.string($0).utf8) } == Array("\"e\u{301}\"".utf8))
        func result(_ text: String) throws -> (owned: EvaluationResult, ingested: EvaluationResult?) {
            let e = try CompiledExpression(text)
            var ingested: EvaluationResult?
            _ = EventReader(bytes: Array(line.utf8)).forEach({ document, _ in ingested = e.evaluate(document) }, rejected: { _ in })
            return (e.evaluate(owned), ingested)
        }
        let no = EvaluationResult(value: false)
        // Read from the event, compared with a literal: different.
        for text in ["data.s = 'é'", "data.s IN ('é', 'x')", "data.s LIKE 'é'"] {
            let r = try result(text)
            #expect(r.owned == no, "\(text)")
            #expect(r.ingested == no, "\(text)")
        }
        // The same comparisons with the string passed through a function, or inside an array.
        for text in ["CONCAT(data.s) = 'é'", "LOWER(data.s) = 'é'", "'é' IN data.arr", "CONCAT(data.s) IN ('é')"] {
            let r = try result(text)
            #expect(r.owned == no, "\(text)")
            #expect(r.ingested == no, "\(text)")
        }
    }

    /// ABS of the smallest integer overflows. For CESQL's 32-bit Integer the value is then the
    /// largest Integer (the TCK's `ABS(-2147483648)`); for a 64-bit integer from data it should
    /// be the largest 64-bit integer.
    @Test func absOfTheSmallestInteger() throws {
        let attribute = try! Event(id: "1", source: "/s", type: "t", attributes: JSONObject([("small", .int(Int64(Int32.min)))]))
        #expect(try CompiledExpression("ABS(small)").evaluate(attribute) == EvaluationResult(value: .int(Int64(Int32.max)), error: .math))
        // From data, -2147483648 is a 64-bit integer: no overflow.
        let data32 = try! Event(id: "1", source: "/s", type: "t", data: ["n": .int(Int64(Int32.min))])
        #expect(try CompiledExpression("ABS(data.n)").evaluate(data32) == EvaluationResult(value: 2_147_483_648))
        let data64 = try! Event(id: "1", source: "/s", type: "t", data: ["n": .int(.min)])
        let result = try CompiledExpression("ABS(data.n)").evaluate(data64)
        #expect(result.error == .math)
        #expect(result.value == .int(.max))
        // Below the root the failing call gives the zero value, as any failing node.
        #expect(try CompiledExpression("ABS(data.n) + 0").evaluate(data64) == EvaluationResult(value: 0, error: .math))
    }

    // MARK: Compile-time folding and diagnostics

    static let anyEvent = try! Event(id: "1", source: "/s", type: "t", data: ["n": 1])

    @Test func constantFoldingKeepsErrors() throws {
        let e = try CompiledExpression("1 / 0")
        #expect(e.evaluate(Self.anyEvent) == EvaluationResult(value: 0, error: .math))
        #expect(e.warnings.map(\.code) == [.constantError])
        #expect(e.warnings.first?.message == "this expression always fails with a math error")
        #expect(e.renderedWarnings.hasPrefix("<expr>:1:1: warning: this expression always fails with a math error\n1 | 1 / 0\n  | ^~~~~"))
        // Inside a larger expression the error still propagates.
        let inside = try CompiledExpression("data.n + 1 / 0")
        #expect(inside.evaluate(Self.anyEvent) == EvaluationResult(value: 0, error: .math))
        #expect(inside.warnings.map(\.code) == [.constantError])
        // A constant that does not fail is folded silently.
        let fine = try CompiledExpression("data.n + 2 * 3")
        #expect(fine.warnings.isEmpty)
        #expect(fine.evaluate(Self.anyEvent) == EvaluationResult(value: 7))
    }

    @Test func certainCastErrorsWarn() throws {
        let e = try CompiledExpression("'abc' + 1")
        // The certain cast error on the operand, and the constant that always fails.
        #expect(e.warnings.map(\.code) == [.type, .constantError])
        #expect(e.warnings.first?.message == "'abc' is not a number, so '+' always fails with a cast error")
        #expect(e.renderedWarnings.hasPrefix("<expr>:1:1: warning: 'abc' is not a number, so '+' always fails with a cast error\n1 | 'abc' + 1\n  | ^~~~~\n"))
        let result = e.evaluate(Self.anyEvent)
        #expect(result.error == .cast)
        #expect(result.value == 0)
        let onPath = try CompiledExpression("data.n + 'abc'")
        #expect(onPath.warnings.map(\.code) == [.type])
        #expect(onPath.evaluate(Self.anyEvent) == EvaluationResult(value: 0, error: .cast))
        // A string that is a number is not a certain error.
        #expect(try CompiledExpression("data.n + '2'").warnings.isEmpty)
    }

    @Test func didYouMean() throws {
        // In both dialects an unknown function is a warning with a suggestion, and evaluates to
        // false + missingFunction, as CESQL specifies.
        for dialect in [Dialect.weir, .cesql] {
            let e = try CompiledExpression("lenght(subject)", dialect: dialect)
            #expect(e.warnings.map(\.code) == [.unknownFunction])
            #expect(e.warnings.first?.message == "unknown function 'lenght'; did you mean 'length'?")
            #expect(e.renderedWarnings.hasPrefix("<expr>:1:1: warning: unknown function 'lenght'; did you mean 'length'?\n"))
            #expect(e.evaluate(Self.anyEvent) == EvaluationResult(value: false, error: .missingFunction))
        }
        // now() is deliberately absent, and says why.
        let now = try CompiledExpression("now()")
        #expect(now.warnings.first?.message.hasPrefix("there is no 'now()': rules depend on event time only") == true)
        // A known function with the wrong number of arguments: the same, naming the signature.
        let arity = try CompiledExpression("LEFT('abc')")
        #expect(arity.warnings.first?.message == "function 'LEFT' takes 2 arguments, not 1")
        #expect(arity.evaluate(Self.anyEvent) == EvaluationResult(value: false, error: .missingFunction))
    }

    @Test func mixedAndOrLint() throws {
        for text in ["data.a AND data.b OR data.c", "data.a OR data.b AND data.c", "data.a && data.b || data.c", "data.a AND data.b XOR data.c"] {
            let e = try CompiledExpression(text)
            #expect(e.warnings.map(\.code) == [.lint], "\(text)")
            #expect(e.warnings.first?.notes.count == 1, "\(text)")
        }
        for text in ["data.a AND data.b AND data.c", "data.a OR data.b OR data.c", "(data.a AND data.b) OR data.c"] {
            #expect(try CompiledExpression(text).warnings.isEmpty, "\(text)")
        }
        // Left to right, as CESQL says: TRUE OR FALSE AND FALSE is (TRUE OR FALSE) AND FALSE.
        #expect(try CompiledExpression("TRUE OR FALSE AND FALSE").evaluate(Self.anyEvent) == EvaluationResult(value: false))
    }

    // MARK: Limits: errors, never crashes

    func compileError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> CompileError? {
        do {
            _ = try CompiledExpression(text)
            Issue.record("\(text.prefix(60).debugDescription)… compiled", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func deepNestingIsAnError() throws {
        for text in [
            String(repeating: "(", count: 100_000),
            String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000),
            String(repeating: "NOT ", count: 100_000) + "TRUE",
            String(repeating: "-", count: 100_000) + "1",
            String(repeating: "abs(", count: 100_000) + "1" + String(repeating: ")", count: 100_000),
            String(repeating: "data.n IN (", count: 50_000) + "1" + String(repeating: ")", count: 50_000),
        ] {
            let error = try #require(compileError(text))
            #expect(error.diagnostics.contains { $0.code == .limit && $0.isError }, "\(text.prefix(20))")
            #expect(error.description.contains("error: expression nested too deeply (more than 256 levels)"), "\(text.prefix(20))")
        }
    }

    @Test func twoMebibyteExpressionIsAnError() throws {
        for text in [
            "'" + String(repeating: "a", count: 2 << 20) + "'",
            Array(repeating: "1", count: 1 << 20).joined(separator: "+"),
            String(repeating: " ", count: 2 << 20) + "TRUE",
        ] {
            let error = try #require(compileError(text))
            #expect(error.diagnostics.map(\.code) == [.limit])
            #expect(error.description.hasPrefix("<expr>:1:1: error: input too long: \(text.utf8.count) bytes, more than the limit of 1048576"))
        }
    }

    static func chain(_ count: Int) -> String {
        (0...count).map { "data.n = \($0)" }.joined(separator: " OR ")
    }

    @Test func fiveHundredChainedORsAreRejected() throws {
        let error = try #require(compileError(Self.chain(500)))
        #expect(error.diagnostics.map(\.code) == [.limit])
        #expect(error.description.contains("error: expression nested too deeply (more than 256 levels)"))
        // Also with AND, and with the Weir spellings.
        #expect(compileError((0...500).map { "data.n != \($0)" }.joined(separator: " AND "))?.diagnostics.map(\.code) == [.limit])
        #expect(compileError((0...500).map { "data.n == \($0)" }.joined(separator: " || "))?.diagnostics.map(\.code) == [.limit])
        #expect(compileError(Array(repeating: "1", count: 501).joined(separator: " + "))?.diagnostics.map(\.code) == [.limit])
    }

    @Test func twoHundredChainedORsCompileAndEvaluate() throws {
        let e = try CompiledExpression(Self.chain(200))
        #expect(e.warnings.isEmpty)
        for n in [0, 1, 57, 150, 200] {
            #expect(e.evaluate(try! Event(id: "1", source: "/s", type: "t", data: ["n": .int(Int64(n))])) == EvaluationResult(value: true), "\(n)")
        }
        for n in [-1, 201, 500] {
            #expect(e.evaluate(try! Event(id: "1", source: "/s", type: "t", data: ["n": .int(Int64(n))])) == EvaluationResult(value: false), "\(n)")
        }
        #expect(e.evaluate(try! Event(id: "1", source: "/s", type: "t")) == EvaluationResult(value: false, error: .missingAttribute))
        // The ingest path agrees.
        let lines = (195...205).map { #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"n":\#($0)}}"# }
        var matched: [Bool] = []
        _ = EventReader(bytes: Array(lines.joined(separator: "\n").utf8)).forEach(
            { document, _ in matched.append(e.matches(document)) }, rejected: { _ in Issue.record("rejected") })
        #expect(matched == (195...205).map { $0 <= 200 })
        // A long sum evaluates left to right without overflow.
        let sum = try CompiledExpression(Array(repeating: "data.n", count: 200).joined(separator: " + "))
        #expect(sum.evaluate(try! Event(id: "1", source: "/s", type: "t", data: ["n": 3])) == EvaluationResult(value: 600))
    }

    @Test func maxDepthOption() throws {
        #expect(throws: CompileError.self) { try CompiledExpression(Self.chain(20), options: CompileOptions(maxDepth: 10)) }
        #expect(throws: Never.self) { try CompiledExpression(Self.chain(20), options: CompileOptions(maxDepth: 40)) }
    }
}
