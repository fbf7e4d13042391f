import Testing
import Weir

/// The Swift API as the README shows it: compile, read warnings and errors, evaluate, match.
@Suite struct CompiledExpressionTests {
    static let order = try! Event(
        id: "o1", source: "/shop", type: "order.created",
        attributes: JSONObject([("subject", "o1"), ("time", "2026-01-01T10:00:00Z")]),
        data: ["totalAmount": 1250.5, "n": 41, "s": "abc", "zero": 0, "items": [1, 2, 3], "name": "Zoë",
               "shippingAddress": ["country": "USA"]])

    func compileError(_ text: String, dialect: Dialect = .weir, name: String = "<expr>",
                      sourceLocation: SourceLocation = #_sourceLocation) -> CompileError? {
        do {
            _ = try CompiledExpression(text, dialect: dialect, name: name)
            Issue.record("\(text.debugDescription) compiled", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Compile errors

    @Test func compileErrorIsRenderedWithCaret() throws {
        let error = try #require(compileError("size(data.items) >"))
        #expect(error.description == """
            <expr>:1:19: error: expected expression, found end of input
            1 | size(data.items) >
              |                   ^
            """)
        #expect(error.diagnostics.count == 1)
        #expect(error.diagnostics.first?.code == .syntax)
        #expect(error.diagnostics.first?.severity == .error)
        #expect(error.source.text == "size(data.items) >")
    }

    @Test func compileErrorUsesTheSourceName() throws {
        let error = try #require(compileError("1 +* 2", name: "rules/a.weir"))
        let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first?.hasPrefix("rules/a.weir:1:4: error: ") == true)
        #expect(lines.count >= 3)
        #expect(lines.dropFirst().first == "1 | 1 +* 2")
        #expect(lines.dropFirst(2).first == "  |    ^")
    }

    @Test func everyDiagnosticIsRendered() throws {
        // Unknown functions are warnings (CESQL defines their result: false + missingFunction).
        let e = try CompiledExpression("nosuch(1) AND lenght(data.s) > 1")
        #expect(e.warnings.count == 2)
        #expect(e.warnings.allSatisfy { $0.code == .unknownFunction && !$0.isError })
        let rendered = e.renderedWarnings
        let headers = rendered.split(separator: "\n").filter { $0.hasPrefix("<expr>:") && $0.contains("warning:") }
        #expect(headers.count == 2)
        #expect(headers.first?.hasPrefix("<expr>:1:1: warning: unknown function 'nosuch'") == true)
        #expect(headers.last?.hasPrefix("<expr>:1:15: warning: unknown function 'lenght'; did you mean 'length'?") == true)
        // Each header is followed by the source line and a caret line.
        #expect(rendered.split(separator: "\n").filter { $0 == "1 | nosuch(1) AND lenght(data.s) > 1" }.count == 2)
        #expect(rendered.contains("\n  | ^~~~~~\n"))
        #expect(rendered.contains("\n  |               ^~~~~~\n"))
        #expect(rendered.contains("note: every evaluation of this call returns false with a missingFunction error"))
        #expect(e.evaluate(try! Event(id: "1", source: "/s", type: "t")) == EvaluationResult(value: false, error: .missingFunction))
    }

    @Test func cesqlDialectRejectsPaths() throws {
        let error = try #require(compileError("data.x = 1", dialect: .cesql))
        #expect(error.diagnostics.contains { $0.code == .dialect && $0.isError })
        #expect(error.description.hasPrefix("<expr>:1:1: error: "))
        #expect(error.description.contains("\n1 | data.x = 1\n  | ^"))
        // The same text compiles in Weir's dialect.
        #expect(throws: Never.self) { try CompiledExpression("data.x = 1") }
    }

    @Test func emptyExpressionIsAnError() throws {
        let error = try #require(compileError(""))
        #expect(!error.diagnostics.isEmpty)
        #expect(error.description.hasPrefix("<expr>:1:1: error: "))
    }

    // MARK: Warnings

    @Test func mixedAndOrWarns() throws {
        let e = try CompiledExpression("data.a AND data.b OR data.c")
        #expect(e.warnings.count == 1)
        #expect(e.warnings.first?.code == .lint)
        #expect(e.warnings.first?.severity == .warning)
        #expect(e.warnings.first?.message == "mixing 'AND' and 'OR' without parentheses; CESQL evaluates them left to right")
        #expect(e.renderedWarnings == """
            <expr>:1:19: warning: mixing 'AND' and 'OR' without parentheses; CESQL evaluates them left to right
            1 | data.a AND data.b OR data.c
              |                   ^~
            <expr>:1:19: note: 'a AND b OR c' means '(a AND b) OR c'; add parentheses to make the grouping explicit
            """)
    }

    @Test func noWarnings() throws {
        let e = try CompiledExpression("(data.a AND data.b) OR data.c")
        #expect(e.warnings.isEmpty)
        #expect(e.renderedWarnings == "")
    }

    @Test func certainCastErrorWarns() throws {
        let e = try CompiledExpression("data.s || 'y'")
        #expect(e.warnings.map(\.code) == [.type])
        #expect(e.renderedWarnings.hasPrefix("<expr>:1:11: warning: 'y' is not a Boolean"))
        #expect(e.evaluate(Self.order) == EvaluationResult(value: false, error: .cast))
    }

    // MARK: Evaluation

    @Test(arguments: [
        ("data.n + 1", EvaluationResult(value: .int(42))),
        ("data.totalAmount * 2", EvaluationResult(value: .double(2501))),
        ("data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'", EvaluationResult(value: true)),
        ("UPPER(data.s)", EvaluationResult(value: "ABC")),
        ("size(data.items)", EvaluationResult(value: 3)),
        ("data.items", EvaluationResult(value: [1, 2, 3])),
        ("data.shippingAddress", EvaluationResult(value: ["country": "USA"])),
        ("subject", EvaluationResult(value: "o1")),
        ("id || 'x'", EvaluationResult(value: false, error: .cast)),
        ("data.missing", EvaluationResult(value: false, error: .missingAttribute)),
        ("data.missing > 1", EvaluationResult(value: false, error: .missingAttribute)),
        ("UPPER(data.missing)", EvaluationResult(value: "", error: .missingAttribute)),
        ("INT(data.s)", EvaluationResult(value: 0, error: .cast)),
        ("data.n / data.zero", EvaluationResult(value: 0, error: .math)),
        ("coalesce(data.missing, data.name)", EvaluationResult(value: "Zoë")),
        ("LENGTH(data.name)", EvaluationResult(value: 3)),
        ("data.n IN (1, 41)", EvaluationResult(value: true)),
        ("data.s MATCHES '^a.c$'", EvaluationResult(value: true)),
        ("EXISTS data.shippingAddress.country", EvaluationResult(value: true)),
        ("EXISTS data.shippingAddress.city", EvaluationResult(value: false)),
    ])
    func evaluate(_ text: String, _ expected: EvaluationResult) throws {
        let e = try CompiledExpression(text)
        #expect(e.evaluate(Self.order) == expected, "\(text)")
        #expect(e.matches(Self.order) == (expected.value == true && expected.error == nil), "\(text)")
    }

    @Test func matches() throws {
        let filter = try CompiledExpression("data.totalAmount > 1000")
        #expect(filter.matches(Self.order))
        #expect(!filter.matches(try! Event(id: "r1", source: "/shop", type: "t", data: ["totalAmount": 10])))
        #expect(!filter.matches(try! Event(id: "r1", source: "/shop", type: "t")))  // error: never a match
        #expect(!(try CompiledExpression("data.n")).matches(Self.order))  // not a Boolean
        #expect(!(try CompiledExpression("'true'")).matches(Self.order))
        #expect(try CompiledExpression("TRUE").matches(Self.order))
    }

    @Test func evaluationResultDescription() {
        #expect(EvaluationResult(value: false, error: .missingAttribute).description == "false (error: missingAttribute)")
        #expect(EvaluationResult(value: "x").description == #""x""#)
        #expect(EvaluationResult(value: true).isTrue)
        #expect(!EvaluationResult(value: true, error: .generic).isTrue)
        #expect(!EvaluationResult(value: 1).isTrue)
    }

    @Test func compiledOnceEvaluatedConcurrently() async throws {
        let filter = try CompiledExpression("data.n % 3 = 0 AND data.s MATCHES '^x+$'")
        let counts = await withTaskGroup(of: Int.self) { group in
            for t in 0..<4 {
                group.addTask {
                    var matched = 0
                    for i in 0..<500 {
                        let e = try! Event(id: "\(t)-\(i)", source: "/s", type: "t", data: ["n": .int(Int64(i)), "s": "xxx"])
                        if filter.matches(e) { matched += 1 }
                    }
                    return matched
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == [167, 167, 167, 167])
    }

    // MARK: Events from JSON text

    @Test func eventFromJSONText() throws {
        let e = try Event(jsonText: """
            {"specversion":"1.0","id":"o1","source":"/shop","type":"order.created",
             "subject": "s", "data":{"totalAmount":1250.5,"shippingAddress":{"country":"USA"}}}
            """)
        #expect(e.id == "o1" && e.source == "/shop" && e.type == "order.created")
        #expect(e[attribute: "subject"] == "s")
        #expect(e.data == ["totalAmount": 1250.5, "shippingAddress": ["country": "USA"]])
        #expect(e.jsonText
            == #"{"specversion":"1.0","id":"o1","source":"/shop","type":"order.created","subject":"s","data":{"totalAmount":1250.5,"shippingAddress":{"country":"USA"}}}"#)
        #expect(try e == Event(id: "o1", source: "/shop", type: "order.created", attributes: JSONObject([("subject", "s")]),
                           data: ["totalAmount": 1250.5, "shippingAddress": ["country": "USA"]]))
    }

    @Test func eventFromJSONTextErrors() {
        #expect(throws: IngestFailure.invalidEvent(.missingAttribute("id"))) {
            try Event(jsonText: #"{"specversion":"1.0","source":"/s","type":"t"}"#)
        }
        #expect(throws: IngestFailure.invalidEvent(.unsupportedSpecVersion("0.3"))) {
            try Event(jsonText: #"{"specversion":"0.3","id":"1","source":"/s","type":"t"}"#)
        }
        #expect(throws: IngestFailure.invalidEvent(.invalidAttribute("type", "must be a string"))) {
            try Event(jsonText: #"{"specversion":"1.0","id":"1","source":"/s","type":7}"#)
        }
        #expect(throws: IngestFailure.notAnObject) { try Event(jsonText: "[1, 2]") }
        #expect(throws: IngestFailure.tooDeep(limit: 64)) {
            try Event(jsonText: #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":"#
                + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}")
        }
        do {
            _ = try Event(jsonText: "not json")
            Issue.record("parsed")
        } catch {
            guard case .invalidJSON = error else {
                Issue.record("expected invalidJSON, got \(error)")
                return
            }
            #expect(error.description.hasPrefix("not valid JSON ("))
        }
    }

    /// The JSON text and the Swift value give the same event, and the same results.
    @Test func jsonTextAndSwiftValuesAgree() throws {
        let text = try Event(jsonText: #"{"specversion":"1.0","id":"o1","source":"/shop","type":"t","data":{"n":41,"s":"abc"}}"#)
        let built = try Event(json: ["specversion": "1.0", "id": "o1", "source": "/shop", "type": "t", "data": ["n": 41, "s": "abc"]])
        #expect(text == built)
        #expect(text.hashValue == built.hashValue)
        let e = try CompiledExpression("data.n + LENGTH(data.s)")
        #expect(e.evaluate(text) == EvaluationResult(value: 44))
        #expect(e.evaluate(built) == EvaluationResult(value: 44))
    }
}
