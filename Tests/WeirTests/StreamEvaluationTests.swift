import Foundation
import Testing
import Weir

/// `CompiledExpression.evaluate(stream:format:output:rejected:)`: one result line per event, in
/// order, bad lines reported and skipped, and a summary.
@Suite struct StreamEvaluationTests {
    static func line(_ id: String, data: String? = nil) -> String {
        #"{"specversion":"1.0","id":""# + id + #"","source":"/s","type":"t""# + (data.map { #","data":"# + $0 } ?? "") + "}"
    }

    /// Seven lines: four events, two malformed lines, one blank line.
    static let input = [
        line("1", data: #"{"n":5}"#),
        "not json",
        line("3"),
        "",
        line("5", data: #"{"n":0}"#),
        #"{"specversion":"1.0","source":"/s","type":"t"}"#,
        line("7", data: #"{"n":"x"}"#),
    ].joined(separator: "\n") + "\n"

    struct Run {
        var output: String
        var summary: StreamSummary
        var rejected: [RejectedLine]
    }

    func run(_ expression: String, format: ResultFormat?, input: String = input) throws -> Run {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("weir-stream-\(UUID()).out").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let buffer = try OutputBuffer(path: path)
        var rejected: [RejectedLine] = []
        let summary = try CompiledExpression(expression).evaluate(
            stream: EventReader(bytes: Array(input.utf8)), format: format, output: format == nil ? nil : buffer,
            rejected: { rejected.append($0) })
        try buffer.close()
        let output = try String(contentsOfFile: path, encoding: .utf8)
        return Run(output: output, summary: summary, rejected: rejected)
    }

    func expectSummary(_ summary: StreamSummary, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(summary.events == 4, sourceLocation: sourceLocation)
        #expect(summary.matched == 1, sourceLocation: sourceLocation)
        #expect(summary.rejected == 2, sourceLocation: sourceLocation)
        #expect(summary.lines == 7, sourceLocation: sourceLocation)
        #expect(summary.errors == [.missingAttribute: 1, .cast: 1], sourceLocation: sourceLocation)
    }

    func expectRejections(_ rejected: [RejectedLine], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(rejected.map(\.line) == [2, 6], sourceLocation: sourceLocation)
        #expect(rejected.first?.reason.hasPrefix("not valid JSON (") == true, sourceLocation: sourceLocation)
        #expect(rejected.first?.text == Array("not json".utf8), sourceLocation: sourceLocation)
        #expect(rejected.last?.reason == "missing required attribute 'id'", sourceLocation: sourceLocation)
    }

    @Test func jsonFormat() throws {
        let r = try run("data.n > 1", format: .json)
        #expect(r.output == """
            {"value": true, "error": null}
            {"value": false, "error": "missingAttribute"}
            {"value": false, "error": null}
            {"value": false, "error": "cast"}

            """)
        expectSummary(r.summary)
        expectRejections(r.rejected)
    }

    @Test func textFormat() throws {
        let r = try run("data.n > 1", format: .text)
        #expect(r.output == """
            true
            false  (error: missingAttribute)
            false
            false  (error: cast)

            """)
        expectSummary(r.summary)
        expectRejections(r.rejected)
    }

    @Test func summaryOnly() throws {
        let r = try run("data.n > 1", format: nil)
        #expect(r.output == "")
        expectSummary(r.summary)
        expectRejections(r.rejected)
    }

    @Test func valuesOfEveryType() throws {
        let input = [
            Self.line("1", data: #"{"v":5}"#), Self.line("2", data: #"{"v":2.5}"#), Self.line("3", data: #"{"v":"Zoë \"q\"\n"}"#),
            Self.line("4", data: #"{"v":[1,{"a":null}]}"#), Self.line("5", data: #"{"v":{"b":true}}"#), Self.line("6", data: #"{"v":null}"#),
            Self.line("7", data: #"{"v":9223372036854775807}"#), Self.line("8", data: #"{"v":1000.0}"#),
        ].joined(separator: "\n")
        let json = try run("data.v", format: .json, input: input)
        #expect(json.output == #"""
            {"value": 5, "error": null}
            {"value": 2.5, "error": null}
            {"value": "Zoë \"q\"\n", "error": null}
            {"value": [1,{"a":null}], "error": null}
            {"value": {"b":true}, "error": null}
            {"value": false, "error": "missingAttribute"}
            {"value": 9223372036854775807, "error": null}
            {"value": 1000.0, "error": null}

            """#)
        let text = try run("data.v", format: .text, input: input)
        #expect(text.output == #"""
            5
            2.5
            "Zoë \"q\"\n"
            [1,{"a":null}]
            {"b":true}
            false  (error: missingAttribute)
            9223372036854775807
            1000.0

            """#)
        #expect(text.summary.events == 8 && text.summary.matched == 0 && text.summary.rejected == 0)
        #expect(text.summary.errors == [EvaluationErrorKind.missingAttribute: 1])
        #expect(text.summary.lines == 8)
    }

    @Test func errorsByKind() throws {
        let input = [
            Self.line("1", data: #"{"a":1,"b":0}"#), Self.line("2", data: #"{"a":1}"#), Self.line("3", data: #"{"a":"x","b":1}"#),
            Self.line("4", data: #"{"a":6,"b":3}"#), Self.line("5", data: #"{"a":1,"b":0}"#),
        ].joined(separator: "\n") + "\n"
        let r = try run("data.a / data.b = 2", format: .text, input: input)
        #expect(r.output == """
            false  (error: math)
            false  (error: missingAttribute)
            false  (error: cast)
            true
            false  (error: math)

            """)
        #expect(r.summary.errors == [.math: 2, .missingAttribute: 1, .cast: 1])
        #expect(r.summary.matched == 1)
        #expect(r.summary.events == 5)
    }

    @Test func emptyStream() throws {
        let r = try run("true", format: .json, input: "")
        #expect(r.output == "")
        #expect(r.summary == StreamSummary())
        #expect(r.rejected.isEmpty)
    }

    @Test func aThrowingRejectedHandlerStopsTheStream() throws {
        struct Stop: Error {}
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("weir-stream-\(UUID()).out").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let buffer = try OutputBuffer(path: path)
        #expect(throws: Stop.self) {
            _ = try CompiledExpression("true").evaluate(
                stream: EventReader(bytes: Array(Self.input.utf8)), format: .text, output: buffer,
                rejected: { _ in throw Stop() })
        }
        try buffer.close()
        // Only the line before the first bad line was evaluated.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "true\n")
    }
}
