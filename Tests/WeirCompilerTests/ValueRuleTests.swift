import Testing
import Weir

/// The rules for values at the edges: integers beyond Int64, times beyond RFC 3339's years,
/// and the value an erring expression gives (the zero of its type; COALESCE's argument's).
@Suite struct ValueRuleTests {
    static let line = #"{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"9999-12-31T23:59:59Z","#
        + #""data":{"d":9223372036854775807,"f":1e308,"u":18446744073709551615,"u63":9223372036854775808,"#
        + #""e":1e20,"max":9223372036854775807}}"#

    /// The result on the owned event, checked equal to the result on the ingested line.
    static func evaluate(_ text: String) throws -> EvaluationResult {
        let e = try CompiledExpression(text)
        let owned = e.evaluate(try Event(jsonText: line))
        var ingested: EvaluationResult?
        _ = EventReader(bytes: Array(line.utf8)).forEach({ d, _ in ingested = e.evaluate(d) }, rejected: { _ in })
        #expect(ingested == owned, "\(text)")
        return owned
    }

    /// Rule: an integer outside the signed 64-bit range (2^63 to 2^64-1 included) is read as the
    /// nearest double, and written back as a double.
    @Test func integersBeyondInt64AreDoubles() throws {
        #expect(try Self.evaluate("data.u") == EvaluationResult(value: .double(18446744073709551615.0)))
        #expect(try Self.evaluate("data.u63") == EvaluationResult(value: .double(9223372036854775808.0)))
        #expect(try Self.evaluate("data.e") == EvaluationResult(value: .double(1e20)))
        #expect(try Self.evaluate("data.max") == EvaluationResult(value: .int(.max)))
        #expect(JSONWriter.string(try Self.evaluate("data.u").value) == "1.8446744073709552e+19")
        #expect(try Event(jsonText: Self.line).data?["u"] == .double(18446744073709551615.0))
    }

    /// Rule: an integer written without fraction or exponent beyond -2^63...2^64-1 is not read
    /// (the parser's limit): the line is rejected as not valid JSON, never silently changed.
    @Test(arguments: ["-9223372036854775809", "18446744073709551616", "99999999999999999999"])
    func integersBeyondUInt64AreRejected(_ number: String) {
        let text = #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"n":"# + number + "}}"
        #expect(throws: IngestFailure.self) { try EventReader.parseEvent(text) }
    }

    @Test(arguments: [
        ("FROM_UNIX_MILLIS(9223372036854775807)", EvaluationResult(value: "", error: .functionEvaluation)),
        ("FROM_UNIX_MILLIS(253402300800000)", EvaluationResult(value: "", error: .functionEvaluation)),
        ("FROM_UNIX_MILLIS(-62167219200001)", EvaluationResult(value: "", error: .functionEvaluation)),
        ("FROM_UNIX_MILLIS(data.max)", EvaluationResult(value: "", error: .functionEvaluation)),
        ("FROM_UNIX_MILLIS(253402300799999)", EvaluationResult(value: "9999-12-31T23:59:59.999Z")),
        ("FROM_UNIX_MILLIS(-62167219200000)", EvaluationResult(value: "0000-01-01T00:00:00.000Z")),
        ("TIME_ADD(time, '1s')", EvaluationResult(value: "", error: .functionEvaluation)),
        ("TIME_ADD(time, '999ms')", EvaluationResult(value: "9999-12-31T23:59:59.999Z")),
    ])
    func timesBeyondYear9999AreErrors(_ text: String, _ expected: EvaluationResult) throws {
        #expect(try Self.evaluate(text) == expected)
    }

    /// Rule: an erring expression gives the zero of its static type (a number over data is an
    /// integer 0, a double expression 0.0); COALESCE gives the result of the argument it
    /// returned (the first that is not missing), and when all are missing, the zero of their
    /// common type (false when they differ).
    @Test(arguments: [
        ("data.d * 10", EvaluationResult(value: 0, error: .math)),
        ("1e308 * 10", EvaluationResult(value: 0.0, error: .math)),
        ("data.f * 10", EvaluationResult(value: 0, error: .math)),
        ("data.f * 10.0", EvaluationResult(value: 0.0, error: .math)),
        ("coalesce(data.nope, 1/0, 'b')", EvaluationResult(value: 0, error: .math)),
        ("coalesce(data.nope, data.d * 10, 'b')", EvaluationResult(value: 0, error: .math)),
        ("coalesce(data.nope, data.f * 10.0)", EvaluationResult(value: 0.0, error: .math)),
        ("coalesce(data.nope, INT('x'), 'b')", EvaluationResult(value: 0, error: .cast)),
        ("coalesce(data.nope, UPPER(data.nope2))", EvaluationResult(value: false, error: .missingAttribute)),
        ("coalesce(data.a, data.b)", EvaluationResult(value: false, error: .missingAttribute)),
        ("coalesce(UPPER(data.a), LOWER(data.b))", EvaluationResult(value: "", error: .missingAttribute)),
        ("coalesce(data.nope, 'b')", EvaluationResult(value: "b")),
    ])
    func errorValuesFollowTheType(_ text: String, _ expected: EvaluationResult) throws {
        #expect(try Self.evaluate(text) == expected)
    }
}
