import Foundation
import Testing

/// No input, however hostile, crashes or hangs `weir check` or `weir run`, and the events around
/// a bad one are processed. Sizes are scaled down where a smaller input makes the same point.
@Suite(.serialized) struct RunHostileInputTests {
    static let rule = RunCommandTests.rule

    static func event(_ id: String, n: Int, second: Int = 0, type: String = "order.created", data: String? = nil) -> String {
        let time = String(format: "2026-01-01T%02d:%02d:%02dZ", second / 3600, second / 60 % 60, second % 60)
        return #"{"specversion":"1.0","id":"\#(id)","source":"/t","type":"\#(type)","time":"\#(time)","data":\#(data ?? #"{"n":\#(n)}"#)}"#
    }

    /// The ids of the input events that caused what `big` emitted.
    static func causes(_ r: WeirCLI.Output) -> [String] {
        r.outLines.compactMap { line in
            guard let range = line.range(of: #""causationid":"[^"]*""#, options: .regularExpression) else { return nil }
            return String(line[range].dropFirst(#""causationid":""#.count).dropLast())
        }
    }

    // MARK: Hostile events

    @Test func junkTruncationCRLFAndAnOversizedLineAreSkippedAndTheEventsAroundThemProcessed() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        var bytes: [UInt8] = Array((Self.event("a", n: 5) + "\n").utf8)
        bytes += (0...255).map(UInt8.init).filter { $0 != 10 } + [10]  // line 2: binary junk
        bytes += Array((Self.event("b", n: 6, second: 1) + "\r\n").utf8)  // line 3: CRLF
        bytes += Array(#"{"x":""#.utf8) + [UInt8](repeating: 0x79, count: 5 << 20) + Array("\"}\n".utf8)  // line 4: 5 MiB
        bytes += Array((Self.event("c", n: 7, second: 2) + "\n").utf8)
        bytes += [0xFF, 0xFE, 0x00, 0x7B, 10]  // line 6: invalid UTF-8
        bytes += Array(Self.event("d", n: 8, second: 3).utf8.dropLast(10))  // line 7: truncated, no newline
        let input = try dir.file("in.jsonl", bytes)
        let dead = dir.path("dead.jsonl")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--dead-letter", dead, "--stats"], timeout: 30)
        #expect(r.status == 0)
        #expect(Self.causes(r) == ["a", "b", "c"])
        let deadLines = try String(contentsOfFile: dead, encoding: .utf8).split(separator: "\n")
        #expect(deadLines.map { $0.prefix(10) } == [#"{"line":2,"#, #"{"line":4,"#, #"{"line":6,"#, #"{"line":7,"#])
        #expect(deadLines[1].contains(#""reason":"line too long (5242888 bytes, limit 1048576)""#))
        #expect(r.err.contains("weir: skipped 4 malformed lines of 7 (written to \(dead))"))
        #expect(r.err.contains("weir: stats: 3 events in, 0 late, 4 malformed, 3 emitted"))
    }

    @Test func aFiveMegabyteEventRunsWhenTheLineLimitAllowsIt() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let big = Self.event("big", n: 9, second: 1, data: #"{"n":9,"pad":""# + String(repeating: "y", count: 5 << 20) + #""}"#)
        let input = try dir.file("in.jsonl", [Self.event("a", n: 5), big, Self.event("c", n: 7, second: 2)].joined(separator: "\n") + "\n")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--max-line-bytes", "8388608"], timeout: 30)
        #expect(r.status == 0)
        #expect(r.err == "")
        #expect(Self.causes(r) == ["a", "big", "c"])
    }

    @Test func aSixtyThousandDeepEventRunsUnderTheLargestDepthLimitAndIsSkippedUnderTheDefault() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let depth = 60_000
        let deep = Self.event("deep", n: 3, second: 1,
                              data: #"{"n":3,"d":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}")
        let input = try dir.file("in.jsonl", [Self.event("a", n: 5), deep, Self.event("c", n: 7, second: 2)].joined(separator: "\n") + "\n")
        let allowed = try WeirCLI.run(["run", rules, "-i", input, "--max-depth", "65536"], timeout: 30)
        #expect(allowed.status == 0)
        #expect(allowed.err == "")
        #expect(Self.causes(allowed) == ["a", "deep", "c"])
        let refused = try WeirCLI.run(["run", rules, "-i", input], timeout: 30)
        #expect(refused.status == 0)
        #expect(Self.causes(refused) == ["a", "c"])
        #expect(refused.errLines == ["\(input):2: error: nested too deeply (limit 64)", "weir: skipped 1 malformed line of 3"])
    }

    @Test func tenThousandDistinctEventTypesCostTheRulesNothing() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let noise = (0..<10_000).map { Self.event("t\($0)", n: 99, second: $0 / 10, type: "noise.type\($0)") }
        let input = try dir.file("in.jsonl", ([Self.event("a", n: 5)] + noise + [Self.event("z", n: 7, second: 1000)])
            .joined(separator: "\n") + "\n")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--stats"], timeout: 30)
        #expect(r.status == 0)
        #expect(Self.causes(r) == ["a", "z"])
        #expect(r.errLines == ["weir: stats: 10002 events in, 0 late, 0 malformed, 2 emitted", "  big: 2 in, 2 matched, 2 emitted, 0 errors"])
    }

    @Test func groupByOverManyDistinctKeysKeepsOnlyTheOpenWindows() throws {
        // 50,000 distinct keys (scaled down from 200,000: same point, a quarter of the time),
        // 5,000 a minute over ten minutes: the peak of open windows is one minute's keys.
        let dir = try TemporaryDirectory()
        let rules = try dir.file("agg.rules", """
            AGGREGATE per_key
              ON 'k'
              GROUP BY data.k
              WINDOW TUMBLING 1m
              EMIT 'k.count' { k: key, n: count() }

            """)
        let keys = 50_000
        let lines = (0..<keys).map { i in
            Self.event("k\(i)", n: 0, second: i / 5_000 * 60, type: "k", data: #"{"k":"key\#(i)"}"#)
        }
        let input = try dir.file("in.jsonl", lines.joined(separator: "\n") + "\n")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--stats"], timeout: 60)
        #expect(r.status == 0)
        #expect(r.outLines.count == keys)
        #expect(r.errLines == [
            "weir: stats: \(keys) events in, 0 late, 0 malformed, \(keys) emitted",
            "  per_key: \(keys) in, \(keys) matched, \(keys) emitted, 0 errors, windows: \(keys) fired (0 rejected by HAVING), 0 open, 5000 peak",
        ])
    }

    @Test func aSlidingWindowAtTheWindowsPerEventCapRunsAndOnePastItIsRefused() throws {
        let dir = try TemporaryDirectory()
        func sliding(_ size: String) -> String {
            "AGGREGATE s\n  ON 'k'\n  WINDOW SLIDING \(size) EVERY 1s\n  EMIT 's.count' { n: count(), from: window.start }\n"
        }
        let atCap = try dir.file("cap.rules", sliding("10000s"))
        let input = try dir.file("in.jsonl", (0..<3).map { Self.event("s\($0)", n: 0, second: $0, type: "k") }.joined(separator: "\n") + "\n")
        let r = try WeirCLI.run(["run", atCap, "-i", input, "--stats"], timeout: 30)
        #expect(r.status == 0)
        // Windows start every second from 2:46:40 before the first event to the last one.
        #expect(r.outLines.count == 10_002)
        #expect(r.errLines.last == "  s: 3 in, 3 matched, 10002 emitted, 0 errors, windows: 10002 fired (0 rejected by HAVING), 0 open, 10000 peak")
        let past = try dir.file("past.rules", sliding("10001s"))
        let refused = try WeirCLI.run(["run", past, "-i", input])
        #expect(refused.status == 1)
        #expect(refused.out == "")
        #expect(refused.errLines.first == "\(past):3:31: error: each event would fall into 10001 windows (more than 10000); make the step larger")
    }

    // MARK: Hostile rule files

    @Test func fiveThousandDeclarationsCheckAndRun() throws {
        let dir = try TemporaryDirectory()
        let text = (0..<5_000).map { "RULE r\($0)\n  ON 't\($0 % 100)'\n  WHERE data.n > \($0)\n  EMIT 'o\($0)' { n: data.n }\n" }
            .joined(separator: "\n")
        let rules = try dir.file("many.rules", text)
        let checked = try WeirCLI.run(["check", rules], timeout: 30)
        #expect(checked.status == 0)
        #expect(checked.err == "weir: \(rules): 5000 declarations, no errors\n")
        let input = try dir.file("in.jsonl", [Self.event("a", n: 250, type: "t7"), Self.event("b", n: 0, second: 1, type: "t8")]
            .joined(separator: "\n") + "\n")
        let r = try WeirCLI.run(["run", rules, "-i", input, "--stats"], timeout: 30)
        #expect(r.status == 0)
        // t7 reaches r7, r107, r207: only those with n > index match 250.
        #expect(r.outLines.count == 3)
        #expect(r.errLines.first == "weir: stats: 2 events in, 0 late, 0 malformed, 3 emitted")
    }

    @Test(arguments: [
        ("parenthesised", String(repeating: "(", count: 60_000) + "true" + String(repeating: ")", count: 60_000)),
        ("unclosed", String(repeating: "(", count: 60_000)),
        ("array", String(repeating: "[", count: 60_000) + String(repeating: "]", count: 60_000) + " = 1"),
        ("negated", String(repeating: "NOT ", count: 60_000) + "true"),
        ("called", String(repeating: "f(", count: 60_000) + "1" + String(repeating: ")", count: 60_000)),
    ])
    func sixtyThousandNestedLevelsAreAnErrorNotACrash(_ name: String, _ condition: String) throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("\(name).rules", "RULE p\n  ON 'x'\n  WHERE \(condition)\n  EMIT 'y' { }\n")
        let r = try WeirCLI.run(["check", rules], timeout: 30)
        #expect(r.status == 1)
        #expect(r.errLines.first?.hasPrefix("\(rules):3:") == true)
        #expect(r.errLines.first?.hasSuffix(": error: expression nested too deeply (more than 256 levels)") == true)
        #expect(r.errLines.last == "weir: 1 error")
        let run = try WeirCLI.run(["run", rules], stdin: Array((Self.event("a", n: 1, type: "x") + "\n").utf8), timeout: 30)
        #expect(run.status == 1)
        #expect(run.out == "")
    }

    @Test func sixtyThousandNestedParenthesesInATraceExpressionAreAnError() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", Self.rule)
        let filter = String(repeating: "(", count: 60_000) + "true" + String(repeating: ")", count: 60_000)
        let r = try WeirCLI.run(["run", rules, "--trace=\(filter)"], stdin: Array((Self.event("a", n: 5) + "\n").utf8), timeout: 30)
        #expect(r.status == 1)
        #expect(r.out == "")
        #expect(r.errLines.first?.hasSuffix(": error: expression nested too deeply (more than 256 levels)") == true)
    }

    @Test func aRuleFileOverSixteenMegabytesIsRefusedWithAMessage() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("huge.rules", "-- " + String(repeating: "x", count: 17 << 20) + "\n")
        let checked = try WeirCLI.run(["check", rules], timeout: 60)
        #expect(checked.status == 2)
        #expect(checked.err == "\(rules): error: '\(rules)' is longer than the limit of 16777216 bytes\n")
    }

    // MARK: Rule-file fuzzing

    /// Every bundled rule file: its name and text.
    static func bundledRuleFiles() throws -> [(name: String, text: String)] {
        let folders = try FileManager.default.contentsOfDirectory(atPath: ScenarioTests.rules.path).sorted()
        var files: [(name: String, text: String)] = []
        for folder in folders {
            let url = ScenarioTests.rules.appendingPathComponent(folder)
            for file in ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() where file.hasSuffix(".rules") {
                files.append((file, try String(contentsOf: url.appendingPathComponent(file), encoding: .utf8)))
            }
        }
        return files
    }

    /// `text` with its declarations renamed for variant `variant`, so that variants checked
    /// together do not clash.
    static func renamed(_ text: String, variant: Int) -> String {
        text.replacingOccurrences(of: #"(?m)^(RULE|AGGREGATE|PATTERN|SAGA) "#, with: "$1 v\(variant)_", options: .regularExpression)
    }

    @Test func truncatedAndMutatedBundledRuleFilesNeverCrashCheckAndBrokenOnesAreLocated() throws {
        let originals = try Self.bundledRuleFiles()
        #expect(originals.count >= 5)
        let dir = try TemporaryDirectory()
        var paths: [String] = []
        var surelyBroken: [String] = []
        var variant = 0
        let insertions = ["(", "'", "{", "}", ",", " EMIT ", " WHERE ", "\u{0}", "é", " 10x ", " AND ", "\n"]
        for (name, original) in originals {
            func add(_ text: String, broken: Bool) throws {
                let path = try dir.file("v\(variant)-\(name)", text)
                paths.append(path)
                if broken { surelyBroken.append(path) }
                variant += 1
            }
            let bytes = Array(Self.renamed(original, variant: variant).utf8)
            // Truncations at twelve evenly spread points.
            for k in 1...8 {
                let text = Self.renamed(original, variant: variant)
                try add(String(decoding: Array(text.utf8).prefix(bytes.count * k / 9), as: UTF8.self), broken: false)
            }
            // Truncations just after a clause keyword: the clause has nothing after it.
            for keyword in ["ON ", "WHERE ", "EMIT ", "GROUP BY ", "WINDOW ", "HAVING "] {
                let text = Self.renamed(original, variant: variant)
                guard let range = text.range(of: "\n  " + keyword, options: .backwards) else { continue }
                try add(String(text[..<range.upperBound]), broken: true)
            }
            // Mutations: an insertion, a deletion, or a byte replaced, at spread points.
            for k in 1...15 {
                var mutated = Array(Self.renamed(original, variant: variant).utf8)
                let at = mutated.count * k / 16
                switch k % 3 {
                case 0: mutated.insert(contentsOf: Array(insertions[k % insertions.count].utf8), at: at)
                case 1: mutated.removeSubrange(at..<min(mutated.count, at + 3))
                default: mutated[at] = UInt8(truncatingIfNeeded: k &* 37 &+ 1)
                }
                try add(String(decoding: mutated, as: UTF8.self), broken: false)
            }
        }
        #expect(surelyBroken.count >= 15, "\(surelyBroken.count) surely broken mutants")
        let r = try WeirCLI.run(["check"] + paths, timeout: 60)
        #expect(r.status == 1, "the mutants include broken files")
        #expect(r.out == "")
        for line in r.errLines {
            #expect(CheckCommandTests.isCheckOutputLine(line), "not a diagnostic, source, caret or summary line: \(line)")
        }
        for path in surelyBroken {
            #expect(r.errLines.contains { $0.hasPrefix(path + ":") && $0.contains(": error: ") && $0.range(of: #"^.+:\d+:\d+: error: "#, options: .regularExpression) != nil },
                    "no located error for \(path)")
        }
        // Each surely broken file on its own too: its own error, not another file's, fails it.
        for path in surelyBroken {
            let alone = try WeirCLI.run(["check", path], timeout: 30)
            #expect(alone.status == 1, "\(path): status \(alone.status)")
        }
    }

    @Test func truncatedBundledRuleFilesNeverCrashRun() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("in.jsonl", Self.event("a", n: 1) + "\n")
        var statuses: [Int32] = []
        for (name, original) in try Self.bundledRuleFiles() {
            for k in [1, 3, 5, 7] {
                let text = String(decoding: Array(original.utf8).prefix(original.utf8.count * k / 8), as: UTF8.self)
                let path = try dir.file("t\(k)-\(name)", text)
                let r = try WeirCLI.run(["run", path, "-i", input], timeout: 30)
                statuses.append(r.status)
                #expect([0, 1].contains(r.status), "\(path): status \(r.status)\n\(r.err)")
            }
        }
        #expect(statuses.contains(1))
    }
}
