import Foundation
import Testing

/// `weir run` end to end through the executable, option by option, as a new user would try it.
@Suite(.serialized) struct RunCommandTests {
    static let rule = """
        RULE big
          ON 'order.created'
          WHERE data.n > 1
          EMIT 'order.big' { n: data.n }

        """

    /// One input event as a JSON line (no newline); `time` nil leaves the attribute out.
    static func event(_ id: String, n: Int, time: String? = "2026-01-01T00:00:00Z", type: String = "order.created") -> String {
        let at = time.map { #","time":"\#($0)""# } ?? ""
        return #"{"specversion":"1.0","id":"\#(id)","source":"/t","type":"\#(type)"\#(at),"data":{"n":\#(n)}}"#
    }

    /// What `big` emits for input `cause` with `n` at `time`, as its `index`-th event.
    static func emitted(_ index: Int, cause: String, n: Int, time: String = "2026-01-01T00:00:00.000Z") -> String {
        #"{"specversion":"1.0","id":"big-\#(index)","source":"weir://big","type":"order.big","time":"\#(time)","#
            + #""datacontenttype":"application/json","causationid":"\#(cause)","data":{"n":\#(n)}}"#
    }

    static let withMalformed = [
        event("e1", n: 5, time: "2026-01-01T00:00:00Z"), "not json",
        event("e2", n: 0, time: "2026-01-01T00:00:01Z"), event("e3", n: 7, time: "2026-01-01T00:00:02Z"),
    ].joined(separator: "\n") + "\n"

    static let expectedFromMalformed = [
        emitted(1, cause: "e1", n: 5), emitted(2, cause: "e3", n: 7, time: "2026-01-01T00:00:02.000Z"),
    ].joined(separator: "\n") + "\n"

    static let malformedMessage = "not valid JSON (problem while parsing an atom starting with the letter 'n')"

    // MARK: Output

    @Test func emittedEventsGoToStandardOutputInEmissionOrder() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withMalformed)
        let r = try WeirCLI.run(["run", rules, "--input", input])
        #expect(r.status == 0)
        #expect(r.out == Self.expectedFromMalformed)
        #expect(r.err == "\(input):2: error: \(Self.malformedMessage)\nweir: skipped 1 malformed line of 4\n")
    }

    @Test func standardInputIsTheDefaultInput() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let r = try WeirCLI.run(["run", rules], stdin: Array(Self.withMalformed.utf8))
        #expect(r.status == 0)
        #expect(r.out == Self.expectedFromMalformed)
        #expect(r.errLines.first == "<stdin>:2: error: \(Self.malformedMessage)")
    }

    @Test func outputOptionWritesTheFileAndNothingToStandardOutput() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withMalformed)
        let out = dir.path("out.jsonl")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--output", out])
        #expect(r.status == 0)
        #expect(r.out == "")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == Self.expectedFromMalformed)
    }

    @Test func deadLetterGetsMalformedLinesWithTheirNumbersAndTheStreamGoesOn() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withMalformed)
        let dead = dir.path("dead.jsonl")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--dead-letter", dead])
        #expect(r.status == 0)
        #expect(r.out == Self.expectedFromMalformed)
        #expect(try String(contentsOfFile: dead, encoding: .utf8)
            == #"{"line":2,"reason":"\#(Self.malformedMessage)","text":"not json"}"# + "\n")
        #expect(r.errLines.last == "weir: skipped 1 malformed line of 4 (written to \(dead))")
    }

    // MARK: Time

    /// e2 is ten minutes behind e1: late with no lateness.
    static let withLate = [
        event("e1", n: 5, time: "2026-01-01T00:10:00Z"), event("e2", n: 3, time: "2026-01-01T00:00:00Z"),
        event("e3", n: 7, time: "2026-01-01T00:10:01Z"),
    ].joined(separator: "\n") + "\n"
    static let expectedFromLate = [
        emitted(1, cause: "e1", n: 5, time: "2026-01-01T00:10:00.000Z"),
        emitted(2, cause: "e3", n: 7, time: "2026-01-01T00:10:01.000Z"),
    ].joined(separator: "\n") + "\n"

    static func lateMessage(_ input: String) -> String {
        "\(input):2: late: time 2026-01-01T00:00:00.000Z is before the watermark 2026-01-01T00:10:00.000Z; not processed"
    }

    @Test func aLateEventWithNoLateFileIsReportedAndCounted() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withLate)
        let r = try WeirCLI.run(["run", rules, "-i", input, "--stats"])
        #expect(r.status == 0)
        #expect(r.out == Self.expectedFromLate)
        #expect(r.errLines == [
            Self.lateMessage(input),
            "weir: 1 late event not processed",
            "weir: stats: 2 events in, 1 late, 0 malformed, 2 emitted",
            "  big: 2 in, 2 matched, 2 emitted, 0 errors",
        ])
    }

    @Test func aLateEventGoesToTheDeadLetterFileWithReasonLate() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withLate)
        let dead = dir.path("dead.jsonl")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--dead-letter", dead])
        #expect(r.status == 0)
        #expect(r.out == Self.expectedFromLate)
        let late = Self.event("e2", n: 3, time: "2026-01-01T00:00:00Z")
        let escaped = late.replacingOccurrences(of: "\"", with: "\\\"")
        #expect(try String(contentsOfFile: dead, encoding: .utf8) == #"{"line":2,"reason":"late","text":"\#(escaped)"}"# + "\n")
        #expect(r.errLines == [Self.lateMessage(input), "weir: 1 late event not processed (written to \(dead))"])
    }

    @Test func aLateEventGoesToTheLateOutputNotTheDeadLetterFile() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withLate)
        let dead = dir.path("dead.jsonl")
        let lateFile = dir.path("late.jsonl")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--dead-letter", dead, "--late-output", lateFile])
        #expect(r.status == 0)
        #expect(r.out == Self.expectedFromLate)
        #expect(try String(contentsOfFile: dead, encoding: .utf8) == "")
        #expect(try String(contentsOfFile: lateFile, encoding: .utf8) == Self.event("e2", n: 3, time: "2026-01-01T00:00:00Z") + "\n")
        #expect(r.errLines == [Self.lateMessage(input), "weir: 1 late event not processed (written to \(lateFile))"])
    }

    @Test func theLateOutputHoldsTheLateEventAsOneJSONLineWithItsValues() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let spaced = #"{ "id" : "x2", "specversion":"1.0","source":"/t","type":"order.created","time":"2026-01-01T00:00:00Z","data":{"n" : 5.0}}"#
        let input = try dir.file("in.jsonl", Self.event("x1", n: 5, time: "2026-01-01T00:10:00Z") + "\n" + spaced + "\n")
        let lateFile = dir.path("late.jsonl")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--late-output", lateFile])
        #expect(r.status == 0)
        let lines = try String(contentsOfFile: lateFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let written = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? NSDictionary
        let read = try JSONSerialization.jsonObject(with: Data(spaced.utf8)) as? NSDictionary
        #expect(written != nil && written == read)
    }

    @Test func latenessPutsEventsBackInTimeOrder() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withLate)
        let r = try WeirCLI.run(["run", rules, "-i", input, "--lateness", "10m"])
        #expect(r.status == 0)
        #expect(r.err == "")
        #expect(r.outLines == [
            Self.emitted(1, cause: "e2", n: 3),
            Self.emitted(2, cause: "e1", n: 5, time: "2026-01-01T00:10:00.000Z"),
            Self.emitted(3, cause: "e3", n: 7, time: "2026-01-01T00:10:01.000Z"),
        ])
    }

    @Test func hourlyRevenueNeedsItsLatenessToMatchItsExpectedOutput() throws {
        let folder = ScenarioTests.rules.appendingPathComponent("hourly-revenue")
        let rules = folder.appendingPathComponent("hourly-revenue.rules").path
        let input = folder.appendingPathComponent("events.jsonl").path
        let expected = try String(contentsOf: folder.appendingPathComponent("expected.jsonl"), encoding: .utf8)
        let withLateness = try WeirCLI.run(["run", rules, "-i", input, "--lateness", "5m"])
        #expect(withLateness.status == 0)
        #expect(withLateness.out == expected)
        #expect(withLateness.errLines.filter { $0.contains(": late: ") }.count == 1)
        let without = try WeirCLI.run(["run", rules, "-i", input])
        #expect(without.status == 0)
        #expect(without.out != expected)
        #expect(without.errLines.filter { $0.contains(": late: ") }.count == 2)
        #expect(without.errLines.last == "weir: 2 late events not processed")
    }

    @Test(arguments: ["-5m", "abc", "5", "5M", " 5m", "m", "1h-30m", "106751991168d"])
    func anInvalidLatenessIsAUsageError(_ value: String) throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withLate)
        let r = try WeirCLI.run(["run", rules, "-i", input, "--lateness", value])
        #expect(r.status == 64)
        #expect(r.out == "")
        #expect(r.errLines.first == "Error: --lateness must be a duration such as 0, 500ms, 30s, 5m or 1h (got '\(value)').")
    }

    @Test(arguments: ["0", "0s", "0ms", "1h30m", "500ms", "7d"])
    func aValidLatenessRuns(_ value: String) throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withMalformed)
        let r = try WeirCLI.run(["run", rules, "-i", input, "--lateness", value])
        #expect(r.status == 0)
        #expect(r.out == Self.expectedFromMalformed)
    }

    static let tumbling = """
        AGGREGATE per_minute
          ON 'order.created'
          WINDOW TUMBLING 1m
          HAVING count() >= 2
          EMIT 'orders.minute' { orders: count(), total: sum(data.n), from: window.start }

        """

    @Test func endOfInputFiresOpenWindowsUnlessNoFlush() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("agg.rules", Self.tumbling)
        let input = try dir.file("in.jsonl", [
            Self.event("a", n: 1, time: "2026-01-01T00:00:10Z"), Self.event("b", n: 2, time: "2026-01-01T00:00:20Z"),
            Self.event("c", n: 4, time: "2026-01-01T00:01:10Z"), Self.event("d", n: 8, time: "2026-01-01T00:01:20Z"),
            Self.event("e", n: 16, time: "2026-01-01T00:01:30Z"),
        ].joined(separator: "\n") + "\n")
        let flushed = try WeirCLI.run(["run", rules, "-i", input, "--stats"])
        #expect(flushed.status == 0)
        #expect(flushed.outLines.map { $0.contains(#""data":{"orders":2,"total":3,"from":"2026-01-01T00:00:00.000Z"}"#) } == [true, false])
        #expect(flushed.outLines.last?.contains(#""data":{"orders":3,"total":28,"from":"2026-01-01T00:01:00.000Z"}"#) == true)
        #expect(flushed.errLines == [
            "weir: stats: 5 events in, 0 late, 0 malformed, 2 emitted",
            "  per_minute: 5 in, 5 matched, 2 emitted, 0 errors, windows: 2 fired (0 rejected by HAVING), 0 open, 1 peak",
        ])
        let kept = try WeirCLI.run(["run", rules, "-i", input, "--no-flush", "--stats"])
        #expect(kept.status == 0)
        #expect(kept.outLines == [flushed.outLines[0]])
        #expect(kept.errLines == [
            "weir: stats: 5 events in, 0 late, 0 malformed, 1 emitted",
            "  per_minute: 5 in, 5 matched, 1 emitted, 0 errors, windows: 1 fired (0 rejected by HAVING), 1 open, 1 peak",
        ])
    }

    @Test func anEventWithAnInvalidTimeIsDeadLetteredCountedAndTheStreamGoesOn() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", [
            Self.event("a", n: 5), Self.event("b", n: 6, time: "yesterday"), Self.event("c", n: 7, time: "2026-01-01T00:00:01Z"),
        ].joined(separator: "\n") + "\n")
        let dead = dir.path("dead.jsonl")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--dead-letter", dead, "--stats"])
        #expect(r.status == 0)
        #expect(r.outLines == [Self.emitted(1, cause: "a", n: 5), Self.emitted(2, cause: "c", n: 7, time: "2026-01-01T00:00:01.000Z")])
        let reason = "attribute 'time' is not an RFC 3339 timestamp: 'yesterday'"
        #expect(r.errLines == [
            "\(input):2: error: \(reason)",
            "weir: skipped 1 malformed line of 3 (written to \(dead))",
            "weir: stats: 2 events in, 0 late, 1 malformed, 2 emitted",
            "  big: 2 in, 2 matched, 2 emitted, 0 errors",
        ])
        let deadText = try String(contentsOfFile: dead, encoding: .utf8)
        #expect(deadText.hasPrefix(#"{"line":2,"reason":"\#(reason)","text":"#))
    }

    @Test func aNumericTimeIsNotAnRFC3339Timestamp() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let numeric = #"{"specversion":"1.0","id":"b","source":"/t","type":"order.created","time":12345,"data":{"n":6}}"#
        let input = try dir.file("in.jsonl", [Self.event("a", n: 5), numeric, Self.event("c", n: 7)].joined(separator: "\n") + "\n")
        let r = try WeirCLI.run(["run", rules, "-i", input])
        #expect(r.status == 0)
        #expect(r.outLines.first == Self.emitted(1, cause: "a", n: 5))
        #expect(r.outLines.last?.contains(#""causationid":"c""#) == true)
        #expect(r.outLines.count == 2)
        #expect(r.errLines.first?.hasPrefix("\(input):2: error: ") == true)
    }

    @Test func eventsWithoutTimeAreProcessedWhereTheyArrive() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", [
            Self.event("a", n: 5, time: nil), Self.event("b", n: 6, time: "2026-01-01T00:00:05Z"), Self.event("c", n: 7, time: nil),
        ].joined(separator: "\n") + "\n")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--lateness", "1m"])
        #expect(r.status == 0)
        #expect(r.err == "")
        #expect(r.outLines.count == 3)
        // Before any time is seen there is no watermark: the event keeps no time.
        #expect(r.outLines.first?.contains(#""causationid":"a""#) == true)
        #expect(r.outLines.first?.contains(#""time""#) == false)
        #expect(r.outLines.dropFirst().map { $0.contains(#""causationid":"b""#) || $0.contains(#""causationid":"c""#) } == [true, true])
    }

    @Test func processingTimeRunsTheRules() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withLate)
        let r = try WeirCLI.run(["run", rules, "-i", input, "--clock", "processing"])
        #expect(r.status == 0)
        // Wall-clock times: nothing is late, every matching event is emitted.
        #expect(r.outLines.count == 3)
        #expect(r.err == "")
        let bad = try WeirCLI.run(["run", rules, "-i", input, "--clock", "wall"])
        #expect(bad.status == 64)
    }

    // MARK: Statistics and trace

    static let twoClauses = """
        RULE ratio
          ON 'm'
          WHERE data.a / data.b > 1
          EMIT 'r' { q: data.a / data.b, tag: UPPER(data.tag), z: 6 / (data.b - 3) }

        """

    @Test func statsCountErrorsByClauseAndKind() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.twoClauses)
        func m(_ id: String, _ data: String) -> String {
            #"{"specversion":"1.0","id":"\#(id)","source":"/t","type":"m","time":"2026-01-01T00:00:00Z","data":\#(data)}"#
        }
        let input = try dir.file("in.jsonl", [
            m("1", #"{"a":4,"b":2,"tag":"x"}"#), m("2", #"{"a":4,"b":0,"tag":"x"}"#), m("3", #"{"a":4}"#),
            m("4", #"{"a":1,"b":2}"#), m("5", #"{"a":9,"b":3}"#), #"{"specversion":"1.0","id":"6","source":"/t","type":"other"}"#,
        ].joined(separator: "\n") + "\n")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--stats"])
        #expect(r.status == 0)
        #expect(r.outLines.count == 2)
        #expect(r.outLines.first?.contains(#""causationid":"1","data":{"q":2,"tag":"X","z":-6}"#) == true)
        #expect(r.errLines.first == "weir: stats: 6 events in, 0 late, 0 malformed, 2 emitted")
        #expect(r.errLines.contains("    WHERE errors: math 1, missingAttribute 1"))
        // Event 5 has no 'tag' (a missing field is left out, silently) and b = 3 (6 / 0 fails:
        // the field is left out and the error counted).
        #expect(r.outLines.last?.contains(#""causationid":"5","data":{"q":3}"#) == true)
        #expect(r.errLines == [
            "weir: stats: 6 events in, 0 late, 0 malformed, 2 emitted",
            "  ratio: 5 in, 2 matched, 2 emitted, 3 errors",
            "    EMIT errors: math 1",
            "    WHERE errors: math 1, missingAttribute 1",
        ])
    }

    static let traced = [
        event("e1", n: 5, time: "2026-01-01T00:00:00Z"), event("e2", n: 0, time: "2026-01-01T00:00:01Z"),
    ].joined(separator: "\n") + "\n"
    static let traceOfE1 = ["trace: line 1: order.created e1 at 2026-01-01T00:00:00Z", "  big: WHERE true; read data.n = 5",
                            "  big: emitted 'order.big' big-1",
                            // The derived event too: nothing listens to it (a misspelt ON type shows here).
                            "trace: derived (depth 1): order.big big-1 at 2026-01-01T00:00:00.000Z",
                            "  no declaration listens to type 'order.big'"]
    static let traceOfE2 = ["trace: line 2: order.created e2 at 2026-01-01T00:00:01Z", "  big: WHERE false; read data.n = 0"]

    @Test func traceAloneTracesEveryEvent() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.traced)
        let r = try WeirCLI.run(["run", rules, "-i", input, "--trace"])
        #expect(r.status == 0)
        #expect(r.outLines == [Self.emitted(1, cause: "e1", n: 5)])
        #expect(r.errLines == Self.traceOfE1 + Self.traceOfE2)
    }

    @Test(arguments: [["--trace", "data.n = 0"], ["--trace=data.n = 0"], ["--trace=id = 'e2'"]])
    func traceWithAnExpressionTracesOnlyTheEventsItSelects(_ option: [String]) throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.traced)
        let r = try WeirCLI.run(["run", rules, "-i", input] + option)
        #expect(r.status == 0)
        #expect(r.outLines == [Self.emitted(1, cause: "e1", n: 5)])
        #expect(r.errLines == Self.traceOfE2)
    }

    @Test func traceFollowedByTheRuleFileTakesItAsTheFile() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.traced)
        let r = try WeirCLI.run(["run", "-i", input, "--trace", rules])
        #expect(r.status == 0)
        #expect(r.outLines == [Self.emitted(1, cause: "e1", n: 5)])
        #expect(r.errLines == Self.traceOfE1 + Self.traceOfE2)
    }

    @Test func traceFollowedByAMistypedRuleFileTakesItAsAFileAndSaysItIsMissing() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.traced)
        let typo = dir.path("r.rule.rules")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--trace", typo])
        #expect(r.status == 2)
        #expect(r.out == "")
        #expect(r.err == "\(typo): error: cannot open '\(typo)': No such file or directory\n")
        let alone = try WeirCLI.run(["run", "--trace", typo, "-i", input])
        #expect(alone.status == 2)
        #expect(alone.err == r.err)
    }

    @Test func aTraceExpressionThatDoesNotCompileRunsNothing() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.traced)
        let r = try WeirCLI.run(["run", rules, "-i", input, "--trace", "data.n >"])
        #expect(r.status == 1)
        #expect(r.out == "")
        #expect(r.err == "<trace>:1:9: error: expected expression, found end of input\n1 | data.n >\n  |         ^\n")
    }

    @Test func aTraceExpressionWithAWarningSaysSoInsteadOfTracingNothingSilently() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.traced)
        let r = try WeirCLI.run(["run", rules, "-i", input, "--trace", "foo(data.n)"])
        #expect(r.status == 0)
        #expect(r.outLines == [Self.emitted(1, cause: "e1", n: 5)])
        #expect(r.errLines == [
            "<trace>:1:1: warning: unknown function 'foo'", "1 | foo(data.n)", "  | ^~~",
            "<trace>:1:1: note: every evaluation of this call returns false with a missingFunction error, as CloudEvents SQL specifies",
        ])
    }

    // MARK: Derivation limit

    static let pingPong = """
        RULE ping
          ON 'ping', 'start'
          EMIT 'pong' { n: 1 }

        RULE pong
          ON 'pong'
          EMIT 'ping' { n: 2 }

        """

    @Test func aCycleIsStoppedAtTheDerivationLimitReportedOnceAndTheRunGoesOn() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("pp.rules", Self.pingPong)
        let input = try dir.file("in.jsonl", [
            #"{"specversion":"1.0","id":"s1","source":"/t","type":"start","time":"2026-01-01T00:00:00Z"}"#,
            #"{"specversion":"1.0","id":"s2","source":"/t","type":"start","time":"2026-01-01T00:00:01Z"}"#,
        ].joined(separator: "\n") + "\n")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--max-derivation", "3", "--stats"])
        #expect(r.status == 0)
        #expect(r.outLines.map { $0.contains(#""causationid":"s2""#) } == [false, false, false, true, false, false])
        #expect(r.errLines == [
            "weir: derivation limit 3 reached: 2 events not published, chain ping -> pong -> ping -> pong",
            "weir: stats: 2 events in, 0 late, 0 malformed, 6 emitted, 2 dropped at the derivation limit",
            "  ping: 4 in, 4 matched, 4 emitted, 0 errors",
            "  pong: 4 in, 4 matched, 2 emitted, 0 errors",
        ])
        let byDefault = try WeirCLI.run(["run", rules, "-i", input])
        #expect(byDefault.status == 0)
        #expect(byDefault.outLines.count == 64)
        #expect(byDefault.errLines.count == 1)
        #expect(byDefault.errLines.first?.hasPrefix("weir: derivation limit 32 reached: 2 events not published, chain ping -> pong") == true)
    }

    @Test(arguments: ["0", "1001", "-1"])
    func anOutOfRangeDerivationLimitIsAUsageError(_ value: String) throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("pp.rules", Self.pingPong)
        let r = try WeirCLI.run(["run", rules, "--max-derivation", value])
        #expect(r.status == 64)
        #expect(r.errLines.first == "Error: --max-derivation must be between 1 and 1000 (got \(value)).")
    }

    // MARK: Rule files with errors

    @Test func aRuleFileWithErrorsRunsNothing() throws {
        let dir = try TemporaryDirectory()
        let good = try dir.file("good.rules", Self.rule.replacingOccurrences(of: "RULE big", with: "RULE fine"))
        let bad = try dir.file("bad.rules", CheckCommandTests.broken)
        let input = try dir.file("in.jsonl", Self.withMalformed)
        let out = dir.path("out.jsonl")
        let r = try WeirCLI.run(["run", good, bad, "-i", input])
        #expect(r.status == 1)
        #expect(r.out == "")
        #expect(r.errLines.last == "weir: 2 errors; nothing ran")
        #expect(r.err.contains("\(bad):3:9: error: unknown alias 'logn'"))
        let toFile = try WeirCLI.run(["run", bad, "-i", input, "-o", out])
        #expect(toFile.status == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func noRuleFileIsAUsageError() throws {
        let r = try WeirCLI.run(["run"], stdin: Array(Self.withMalformed.utf8))
        #expect(r.status == 64)
        #expect(r.out == "")
        #expect(r.errLines.first == "Error: Missing rule file: weir run FILE... [--input FILE]")
    }

    @Test func aMissingInputIsAnInputFailure() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let missing = dir.path("nope.jsonl")
        let r = try WeirCLI.run(["run", rules, "-i", missing])
        #expect(r.status == 2)
        #expect(r.err == "weir: cannot open '\(missing)': No such file or directory\n")
    }

    // MARK: Outputs that would destroy an input or each other

    @Test(arguments: ["--output", "--dead-letter", "--late-output"])
    func anOutputNamingTheInputOrARuleFileIsRefusedBeforeAnythingIsWritten(_ option: String) throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withLate + "not json\n")
        for target in [input, rules] {
            let r = try WeirCLI.run(["run", rules, "-i", input, option, target])
            #expect(r.status == 2)
            #expect(r.out == "")
            let what = target == input ? "the input '\(input)'" : "the rule file '\(rules)'"
            #expect(r.err == "weir: \(option) '\(target)' is the same file as \(what); refusing to overwrite it\n")
        }
        #expect(try String(contentsOfFile: input, encoding: .utf8) == Self.withLate + "not json\n")
        #expect(try String(contentsOfFile: rules, encoding: .utf8) == Self.rule)
    }

    @Test(arguments: [("--output", "--dead-letter"), ("--dead-letter", "--late-output"), ("--output", "--late-output")])
    func twoOutputsNamingOneExistingFileAreRefused(_ first: String, _ second: String) throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withLate + "not json\n")
        let shared = try dir.file("shared.jsonl", "keep me\n")
        let r = try WeirCLI.run(["run", rules, "-i", input, first, shared, second, dir.path("./shared.jsonl")])
        #expect(r.status == 2)
        #expect(r.out == "")
        #expect(r.err == "weir: \(second) '\(dir.path("./shared.jsonl"))' is the same file as \(first) '\(shared)'; refusing to overwrite it\n")
        #expect(try String(contentsOfFile: shared, encoding: .utf8) == "keep me\n")
    }

    @Test(arguments: [("--output", "--dead-letter"), ("--dead-letter", "--late-output"), ("--output", "--late-output")])
    func twoOutputsNamingOneNewFileAreRefusedAndItIsNotCreated(_ first: String, _ second: String) throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withLate + "not json\n")
        let shared = dir.path("shared.jsonl")
        let r = try WeirCLI.run(["run", rules, "-i", input, first, shared, second, dir.path("./shared.jsonl")])
        #expect(r.status == 2)
        #expect(r.out == "")
        #expect(r.err == "weir: \(second) '\(dir.path("./shared.jsonl"))' is the same file as \(first) '\(shared)'; refusing to overwrite it\n")
        #expect(!FileManager.default.fileExists(atPath: shared))
    }

    @Test func anOutputNamingTheFileOnStandardInputIsRefused() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withMalformed)
        let r = try WeirCLI.shell(#""$WEIR" run '\#(rules)' --output '\#(input)' < '\#(input)'"#)
        #expect(r.status == 2)
        #expect(r.err == "weir: --output '\(input)' is the same file as standard input; refusing to overwrite it\n")
        #expect(try String(contentsOfFile: input, encoding: .utf8) == Self.withMalformed)
    }

    @Test func anOutputThatCannotBeWrittenFailsWithAMessage() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withMalformed)
        let r = try WeirCLI.run(["run", rules, "-i", input, "--output", "/dev/full"])
        #expect(r.status == 2)
        #expect(r.errLines.last == "weir: cannot write '/dev/full': No space left on device")
        let dead = try WeirCLI.run(["run", rules, "-i", input, "--dead-letter", "/dev/full"])
        #expect(dead.status == 2)
        #expect(dead.errLines.last == "weir: cannot write '/dev/full': No space left on device")
    }

    @Test func aClosedStandardOutputEndsTheRunQuietly() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", (1...20_000).map { Self.event("e\($0)", n: $0 + 1) }.joined(separator: "\n") + "\n")
        let r = try WeirCLI.shell(#""$WEIR" run '\#(rules)' -i '\#(input)' | head -1; echo "status ${PIPESTATUS[0]}" >&2"#)
        #expect(r.status == 0)
        #expect(r.outLines == [Self.emitted(1, cause: "e1", n: 2)])
        #expect(r.err == "status 0\n")
    }

    @Test func aFailingStandardErrorDoesNotStopTheRun() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let input = try dir.file("in.jsonl", Self.withMalformed)
        let r = try WeirCLI.shell(#""$WEIR" run '\#(rules)' -i '\#(input)' --stats --trace 2>/dev/full; echo "status $?" >&2"#)
        #expect(r.out == Self.expectedFromMalformed)
        #expect(r.err == "status 0\n")
    }
}
