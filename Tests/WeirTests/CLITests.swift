import Foundation
import Testing

/// `weir eval` end to end: the built executable, run as a user runs it.
@Suite(.serialized) struct CLITests {
    static func event(_ id: String, _ data: String? = nil) -> String {
        #"{"specversion":"1.0","id":""# + id + #"","source":"/s","type":"t""# + (data.map { #","data":"# + $0 } ?? "") + "}"
    }

    /// Four events: `data.n` is 5, 0, absent, -3.
    static let events = [event("e1", #"{"n":5}"#), event("e2", #"{"n":0}"#), event("e3"), event("e4", #"{"n":-3}"#)]
        .joined(separator: "\n") + "\n"

    static let notJSONReason = "not valid JSON (problem while parsing an atom starting with the letter 'n')"

    @Test func executableIsFound() throws {
        let url = try #require(WeirCLI.located.url, "looked in \(WeirCLI.located.searched)")
        #expect(url.lastPathComponent == "weir")
    }

    // MARK: Inputs

    @Test func countFromFile() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.events)
        let r = try WeirCLI.run(["eval", "--count", "data.n > 1", "--input", input])
        #expect(r.status == 0)
        #expect(r.out == "1\n")
        // With --count, failed evaluations are summarised on standard error.
        #expect(r.err == "weir: 1 of 4 evaluations failed (missingAttribute 1); they count as false\n")
        let none = try WeirCLI.run(["eval", "--count", "data.n > 100", "-i", input])
        #expect(none.status == 0)
        #expect(none.out == "0\n")
        let clean = try WeirCLI.run(["eval", "--count", "type = 't'", "-i", input])
        #expect(clean.status == 0)
        #expect(clean.out == "4\n")
        #expect(clean.err == "")
    }

    @Test func countSummarisesErrorsByKind() throws {
        let input = [
            Self.event("1", #"{"a":1,"b":0}"#), Self.event("2", #"{"a":1}"#), Self.event("3", #"{"a":"x","b":1}"#),
            Self.event("4", #"{"a":6,"b":3}"#), Self.event("5", #"{"a":1,"b":0}"#),
        ].joined(separator: "\n") + "\n"
        let r = try WeirCLI.run(["eval", "--count", "data.a / data.b = 2"], stdin: Array(input.utf8))
        #expect(r.status == 0)
        #expect(r.out == "1\n")
        #expect(r.err == "weir: 4 of 5 evaluations failed (cast 1, math 2, missingAttribute 1); they count as false\n")
        // Without --count the errors are in the output instead.
        let text = try WeirCLI.run(["eval", "data.a / data.b = 2"], stdin: Array(input.utf8))
        #expect(text.outLines == [
            "false  (error: math)", "false  (error: missingAttribute)", "false  (error: cast)", "true", "false  (error: math)",
        ])
        #expect(text.err == "")
    }

    @Test func readsStandardInputWithoutInput() throws {
        let r = try WeirCLI.run(["eval", "--count", "data.n >= 0"], stdin: Array(Self.events.utf8))
        #expect(r.status == 0)
        #expect(r.out == "2\n")
        #expect(r.err == "weir: 1 of 4 evaluations failed (missingAttribute 1); they count as false\n")
    }

    @Test func readsStandardInputWithDash() throws {
        let r = try WeirCLI.run(["eval", "--input", "-", "data.n"], stdin: Array(Self.events.utf8))
        #expect(r.status == 0)
        #expect(r.outLines == ["5", "0", "false  (error: missingAttribute)", "-3"])
        #expect(r.err == "")
    }

    @Test func missingInputFile() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.path("missing.jsonl")
        let r = try WeirCLI.run(["eval", "--input", missing, "true"])
        #expect(r.status == 2)
        #expect(r.out == "")
        #expect(r.err == "weir: cannot open '\(missing)': No such file or directory\n")
    }

    @Test func inputIsADirectory() throws {
        let dir = try TemporaryDirectory()
        let r = try WeirCLI.run(["eval", "--input", dir.url.path, "true"])
        #expect(r.status == 2)
        #expect(r.out == "")
        #expect(r.err.hasPrefix("weir: cannot "))
    }

    @Test func unwritableDeadLetterFile() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.events)
        let deadLetter = dir.path("no/such/dir/rejected.jsonl")
        let r = try WeirCLI.run(["eval", "--input", input, "--dead-letter", deadLetter, "true"])
        #expect(r.status == 2)
        #expect(r.err.hasPrefix("weir: cannot open '\(deadLetter)': "))
    }

    // MARK: Formats

    @Test func jsonFormat() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.events)
        let r = try WeirCLI.run(["eval", "--format", "json", "data.n > 1", "--input", input])
        #expect(r.status == 0)
        #expect(r.out == """
            {"value": true, "error": null}
            {"value": false, "error": null}
            {"value": false, "error": "missingAttribute"}
            {"value": false, "error": null}

            """)
        #expect(r.err == "")
        let values = try WeirCLI.run(["eval", "--format", "json", "coalesce(data.n, 'none')", "--input", input])
        #expect(values.outLines == [
            #"{"value": 5, "error": null}"#, #"{"value": 0, "error": null}"#, #"{"value": "none", "error": null}"#,
            #"{"value": -3, "error": null}"#,
        ])
    }

    @Test func textFormat() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.events)
        for arguments in [["eval", "--format", "text", "data.n > 1", "--input", input], ["eval", "data.n > 1", "--input", input]] {
            let r = try WeirCLI.run(arguments)
            #expect(r.status == 0)
            #expect(r.out == "true\nfalse\nfalse  (error: missingAttribute)\nfalse\n")
            #expect(r.err == "")
        }
    }

    @Test func unknownFormatIsAUsageError() throws {
        let r = try WeirCLI.run(["eval", "--format", "xml", "true"])
        #expect(r.status == 64)
        #expect(r.out == "")
        #expect(r.err.contains("--format"))
    }

    // MARK: Expressions

    @Test func expressionStartingWithDash() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.events)
        let r = try WeirCLI.run(["eval", "--input", input, "--", "-data.n > 0"])
        #expect(r.status == 0)
        #expect(r.out == "false\nfalse\nfalse  (error: missingAttribute)\ntrue\n")
        #expect(r.err == "")
    }

    @Test func compileErrorExitsOneWithCaret() throws {
        let r = try WeirCLI.run(["eval", "size(data.items) >"], stdin: Array(Self.events.utf8))
        #expect(r.status == 1)
        #expect(r.out == "")
        #expect(r.err == """
            <expr>:1:19: error: expected expression, found end of input
            1 | size(data.items) >
              |                   ^

            """)
    }

    @Test func cesqlDialectRejectsPaths() throws {
        let r = try WeirCLI.run(["eval", "--dialect", "cesql", "data.x = 1"], stdin: Array(Self.events.utf8))
        #expect(r.status == 1)
        #expect(r.out == "")
        #expect(r.err.hasPrefix("<expr>:1:"))
        #expect(r.err.contains(" error: "))
        #expect(r.err.contains("\n1 | data.x = 1\n  | ^"))
        // Plain CloudEvents SQL is fine in that dialect.
        let ok = try WeirCLI.run(["eval", "--dialect", "cesql", "--count", "type = 't' AND id LIKE 'e%'"], stdin: Array(Self.events.utf8))
        #expect(ok.status == 0)
        #expect(ok.out == "4\n")
    }

    @Test func warningsGoToStandardError() throws {
        let r = try WeirCLI.run(["eval", "--count", "data.n > 1 AND type = 't' OR id = 'e2'"], stdin: Array(Self.events.utf8))
        #expect(r.status == 0)
        #expect(r.out == "2\n")
        #expect(r.errLines.first?.hasPrefix("<expr>:1:27: warning: mixing 'AND' and 'OR' without parentheses") == true)
        #expect(r.errLines.count == 5)
        #expect(r.errLines.last == "weir: 1 of 4 evaluations failed (missingAttribute 1); they count as false")
    }

    // MARK: Malformed lines

    /// Eight lines, four of them malformed, around good events.
    static let mixed = [
        event("e1", #"{"n":5}"#),
        "not json",
        event("e3", #"{"n":2}"#),
        #"{"specversion":"1.0","id":"","source":"/s","type":"t"}"#,
        "[1,2]",
        event("e6", #"{"n":0}"#),
        #"{"specversion":"2.0","id":"x","source":"/s","type":"t"}"#,
        event("e8", #"{"n":9}"#),
    ].joined(separator: "\n") + "\n"

    static let mixedDeadLetters = [
        #"{"line":2,"reason":"\#(notJSONReason)","text":"not json"}"#,
        #"{"line":4,"reason":"attribute 'id' must not be empty","text":"{\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"/s\",\"type\":\"t\"}"}"#,
        #"{"line":5,"reason":"not a JSON object","text":"[1,2]"}"#,
        #"{"line":7,"reason":"unsupported specversion '2.0' (expected '1.0')","text":"{\"specversion\":\"2.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"t\"}"}"#,
    ]

    @Test func malformedLinesAreReportedAndSkipped() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("mixed.jsonl", Self.mixed)
        let deadLetter = dir.path("rejected.jsonl")
        let r = try WeirCLI.run(["eval", "--input", input, "--dead-letter", deadLetter, "data.n > 1"])
        #expect(r.status == 0)
        #expect(r.out == "true\ntrue\nfalse\ntrue\n")
        #expect(r.errLines == [
            "\(input):2: error: \(Self.notJSONReason)",
            "\(input):4: error: attribute 'id' must not be empty",
            "\(input):5: error: not a JSON object",
            "\(input):7: error: unsupported specversion '2.0' (expected '1.0')",
            "weir: skipped 4 malformed lines of 8 (written to \(deadLetter))",
        ])
        let written = try String(contentsOfFile: deadLetter, encoding: .utf8)
        #expect(written == Self.mixedDeadLetters.joined(separator: "\n") + "\n")
    }

    @Test func malformedLinesWithoutDeadLetterFile() throws {
        let r = try WeirCLI.run(["eval", "--format", "json", "data.n"], stdin: Array(Self.mixed.utf8))
        #expect(r.status == 0)
        #expect(r.outLines == [
            #"{"value": 5, "error": null}"#, #"{"value": 2, "error": null}"#, #"{"value": 0, "error": null}"#,
            #"{"value": 9, "error": null}"#,
        ])
        #expect(r.errLines == [
            "<stdin>:2: error: \(Self.notJSONReason)",
            "<stdin>:4: error: attribute 'id' must not be empty",
            "<stdin>:5: error: not a JSON object",
            "<stdin>:7: error: unsupported specversion '2.0' (expected '1.0')",
            "weir: skipped 4 malformed lines of 8",
        ])
    }

    @Test func oneMalformedLine() throws {
        let input = Self.event("e1", #"{"n":5}"#) + "\nnot json\n" + Self.event("e3", #"{"n":7}"#) + "\n"
        let r = try WeirCLI.run(["eval", "--count", "data.n > 1"], stdin: Array(input.utf8))
        #expect(r.status == 0)
        #expect(r.out == "2\n")
        #expect(r.errLines == ["<stdin>:2: error: \(Self.notJSONReason)", "weir: skipped 1 malformed line of 3"])
    }

    @Test func invalidUTF8GoesToTheDeadLetterFileInBase64() throws {
        let dir = try TemporaryDirectory()
        let bad: [UInt8] = Array(#"{"id":""#.utf8) + [0xFF] + Array(#""}"#.utf8)
        let input = try dir.file("bad.jsonl", Array((Self.event("e1") + "\n").utf8) + bad + [0x0A])
        let deadLetter = dir.path("rejected.jsonl")
        let r = try WeirCLI.run(["eval", "--input", input, "--dead-letter", deadLetter, "id"])
        #expect(r.status == 0)
        #expect(r.out == "\"e1\"\n")
        #expect(r.errLines == ["\(input):2: error: invalid UTF-8", "weir: skipped 1 malformed line of 2 (written to \(deadLetter))"])
        #expect(try String(contentsOfFile: deadLetter, encoding: .utf8)
            == #"{"line":2,"reason":"invalid UTF-8","text":"{\"id\":\"\#u{FFFD}\"}","base64":"eyJpZCI6Iv8ifQ=="}"# + "\n")
    }

    // MARK: Line endings and blank lines

    @Test func crlfInput() throws {
        let input = [Self.event("e1", #"{"n":5}"#), "not json", Self.event("e3", #"{"n":0}"#)].joined(separator: "\r\n") + "\r\n"
        let dir = try TemporaryDirectory()
        let deadLetter = dir.path("rejected.jsonl")
        let r = try WeirCLI.run(["eval", "--dead-letter", deadLetter, "--format", "json", "data.n > 1"], stdin: Array(input.utf8))
        #expect(r.status == 0)
        #expect(r.out == "{\"value\": true, \"error\": null}\n{\"value\": false, \"error\": null}\n")
        #expect(r.errLines == [
            "<stdin>:2: error: \(Self.notJSONReason)", "weir: skipped 1 malformed line of 3 (written to \(deadLetter))",
        ])
        // The line ending is not part of the rejected text.
        #expect(try String(contentsOfFile: deadLetter, encoding: .utf8)
            == #"{"line":2,"reason":"\#(Self.notJSONReason)","text":"not json"}"# + "\n")
    }

    @Test func noFinalNewline() throws {
        let input = Self.event("e1", #"{"n":5}"#) + "\n" + Self.event("e2", #"{"n":7}"#)
        let r = try WeirCLI.run(["eval", "data.n"], stdin: Array(input.utf8))
        #expect(r.status == 0)
        #expect(r.out == "5\n7\n")
        #expect(r.err == "")
        // A malformed last line without a newline is still reported with its number.
        let bad = try WeirCLI.run(["eval", "data.n"], stdin: Array((Self.event("e1", #"{"n":5}"#) + "\nnot json").utf8))
        #expect(bad.status == 0)
        #expect(bad.out == "5\n")
        #expect(bad.errLines == ["<stdin>:2: error: \(Self.notJSONReason)", "weir: skipped 1 malformed line of 2"])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let input = Self.event("e1", #"{"n":5}"#) + "\n\n   \n\t\r\n" + "not json\n" + Self.event("e6", #"{"n":6}"#) + "\n"
        let r = try WeirCLI.run(["eval", "data.n"], stdin: Array(input.utf8))
        #expect(r.status == 0)
        #expect(r.out == "5\n6\n")
        #expect(r.errLines == ["<stdin>:5: error: \(Self.notJSONReason)", "weir: skipped 1 malformed line of 6"])
    }

    @Test func emptyInput() throws {
        let r = try WeirCLI.run(["eval", "data.n"], stdin: [])
        #expect(r.status == 0)
        #expect(r.out == "")
        #expect(r.err == "")
        let count = try WeirCLI.run(["eval", "--count", "true"], stdin: [])
        #expect(count.out == "0\n")
    }

    // MARK: Long lines

    @Test func lineOverTheLimitIsRejectedAndTheNextOneEvaluated() throws {
        let dir = try TemporaryDirectory()
        let filler = String(repeating: "x", count: 2 << 20)
        let long = Self.event("big", #"{"n":100,"pad":""# + filler + #""}"#)
        let lines = [Self.event("e1", #"{"n":5}"#), long, Self.event("e3", #"{"n":7}"#)]
        let input = try dir.file("long.jsonl", lines.joined(separator: "\n") + "\n")
        let deadLetter = dir.path("rejected.jsonl")
        let r = try WeirCLI.run([
            "eval", "--max-line-bytes", "1048576", "--dead-letter", deadLetter, "--input", input, "data.n",
        ])
        #expect(r.status == 0)
        #expect(r.out == "5\n7\n")
        #expect(r.errLines == [
            "\(input):2: error: line too long (\(long.utf8.count) bytes, limit 1048576)",
            "weir: skipped 1 malformed line of 3 (written to \(deadLetter))",
        ])
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: deadLetter))) as? [String: Any])
        #expect(record["line"] as? Int == 2)
        #expect(record["reason"] as? String == "line too long (\(long.utf8.count) bytes, limit 1048576)")
        #expect(record["text"] as? String == String(long.prefix(1_048_576)))
        #expect(record["base64"] == nil)
    }

    @Test func lineAtTheLimitIsAccepted() throws {
        let dir = try TemporaryDirectory()
        let head = Self.event("big", #"{"n":100,"pad":""#)
        let tail = #""}"# + "}"
        let filler = String(repeating: "y", count: 1_048_576 - head.utf8.count - tail.utf8.count + 1)
        let line = String(head.dropLast()) + filler + tail
        #expect(line.utf8.count == 1_048_576)
        let input = try dir.file("limit.jsonl", line + "\n" + Self.event("e2", #"{"n":1}"#) + "\n")
        let r = try WeirCLI.run(["eval", "--max-line-bytes", "1048576", "--input", input, "data.n"])
        #expect(r.status == 0)
        #expect(r.out == "100\n1\n")
        #expect(r.err == "")
    }

    @Test func longLineOnStandardInput() throws {
        // Through a pipe the line arrives in many short reads.
        let long = Self.event("big", #"{"n":100,"pad":""# + String(repeating: "z", count: 2 << 20) + #""}"#)
        let input = [Self.event("e1", #"{"n":5}"#), long, Self.event("e3", #"{"n":7}"#)].joined(separator: "\n") + "\n"
        let r = try WeirCLI.run(["eval", "--max-line-bytes", "1048576", "data.n"], stdin: Array(input.utf8))
        #expect(r.status == 0)
        #expect(r.out == "5\n7\n")
        #expect(r.errLines == [
            "<stdin>:2: error: line too long (\(long.utf8.count) bytes, limit 1048576)", "weir: skipped 1 malformed line of 3",
        ])
    }

    @Test func lineEndingIsNotCountedAgainstTheLimit() throws {
        let line = Self.event("e1", #"{"s":""# + String(repeating: "w", count: 40) + #""}"#)
        let limit = line.utf8.count
        for ending in ["\n", "\r\n"] {
            let input = line + ending + Self.event("e2", #"{"s":"short"}"#) + ending
            let r = try WeirCLI.run(["eval", "--max-line-bytes", "\(limit)", "LENGTH(data.s)"], stdin: Array(input.utf8))
            #expect(r.status == 0)
            #expect(r.out == "40\n5\n", "ending \(ending.debugDescription)")
            #expect(r.err == "", "ending \(ending.debugDescription)")
        }
        let over = try WeirCLI.run(["eval", "--max-line-bytes", "\(limit - 1)", "LENGTH(data.s)"], stdin: Array((line + "\r\n").utf8))
        #expect(over.out == "")
        #expect(over.errLines == [
            "<stdin>:1: error: line too long (\(limit) bytes, limit \(limit - 1))", "weir: skipped 1 malformed line of 1",
        ])
    }

    @Test func maxDepth() throws {
        let input = Self.event("e1", #"{"a":{"b":1}}"#) + "\n" + Self.event("e2", #"{"a":1}"#) + "\n"
        let r = try WeirCLI.run(["eval", "--max-depth", "2", "EXISTS data.a"], stdin: Array(input.utf8))
        #expect(r.status == 0)
        #expect(r.out == "true\n")
        #expect(r.errLines == ["<stdin>:1: error: nested too deeply (limit 2)", "weir: skipped 1 malformed line of 2"])
        let deep = try WeirCLI.run(["eval", "--max-depth", "3", "EXISTS data.a"], stdin: Array(input.utf8))
        #expect(deep.out == "true\ntrue\n")
        #expect(deep.err == "")
    }

    // MARK: Help

    static let options = ["--dead-letter", "--dialect", "--count", "--format"]

    @Test func evalHelp() throws {
        let r = try WeirCLI.run(["eval", "--help"])
        #expect(r.status == 0)
        for option in Self.options { #expect(r.out.contains(option), "weir eval --help does not mention \(option)") }
        #expect(r.out.contains("--input"))
        #expect(r.out.contains("--max-line-bytes"))
        let viaHelp = try WeirCLI.run(["help", "eval"])
        #expect(viaHelp.status == 0)
        #expect(viaHelp.out == r.out)
    }

    @Test func topLevelHelp() throws {
        let r = try WeirCLI.run(["--help"])
        #expect(r.status == 0)
        #expect(r.out.contains("eval"))
        for option in ["--count", "--format"] { #expect(r.out.contains(option), "weir --help does not mention \(option)") }
        for option in ["--dead-letter", "--dialect"] {
            #expect(r.out.contains(option), "weir --help does not mention \(option)")
        }
    }
}
