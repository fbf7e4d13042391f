import Foundation
import Testing

/// `weir run` reads and parses an input file on a second thread by default; `--single-thread`
/// does it all on one. Both give the same bytes on every output, for every bundled example and
/// for a long stream with malformed, late and long lines.
@Suite(.serialized) struct ReadAheadRunTests {
    static let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules")

    @Test func everyBundledExampleGivesTheSameOutputOnOneThreadOrTwo() throws {
        let examples = try FileManager.default.contentsOfDirectory(atPath: Self.rules.path).sorted()
        var compared = 0
        for example in examples {
            let directory = Self.rules.appendingPathComponent(example)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            guard let ruleFile = files.first(where: { $0.hasSuffix(".rules") }), files.contains("events.jsonl") else { continue }
            let arguments = ["run", directory.appendingPathComponent(ruleFile).path,
                             "--input", directory.appendingPathComponent("events.jsonl").path, "--stats"]
            let two = try WeirCLI.run(arguments)
            let one = try WeirCLI.run(arguments + ["--single-thread"])
            #expect(two.status == 0, "\(example): \(two.err)")
            #expect(two.stdout == one.stdout, "\(example)")
            #expect(two.err == one.err, "\(example)")
            compared += 1
        }
        #expect(compared >= 8)
    }

    @Test func aLongMixedStreamGivesTheSameOutputsOnOneThreadOrTwo() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("r.rules", """
            RULE big ON 'order.created' WHERE data.n % 3 = 0 EMIT 'order.big' { n: data.n }
            AGGREGATE per_second ON 'order.created' WINDOW TUMBLING 1s EMIT 'orders.counted' { count: count() }

            """)
        var lines: [String] = []
        for n in 0..<6_000 {
            // Some late events, and a few whose time is not a timestamp (a negative second).
            let second = n / 7 - (n % 50 == 0 ? 3 : 0)
            let time = String(format: "2026-01-01T00:%02d:%02d.000Z", second / 60 % 60, second % 60)
            switch n % 97 {
            case 5: lines.append("{ broken")
            case 11: lines.append("")
            case 13: lines.append(#"{"specversion":"1.0","id":"big\#(n)","source":"/t","type":"order.created","time":"\#(time)","data":{"n":\#(n),"pad":"\#(String(repeating: "p", count: 9_000))"}}"#)
            default: lines.append(#"{"specversion":"1.0","id":"e\#(n)","source":"/t","type":"order.created","time":"\#(time)","data":{"n":\#(n)}}"#)
            }
        }
        let input = try dir.file("in.jsonl", lines.joined(separator: "\n") + "\n")
        func run(_ extra: [String], tag: String) throws -> (WeirCLI.Output, [UInt8], [UInt8]) {
            let dead = dir.path("dead-\(tag).jsonl")
            let late = dir.path("late-\(tag).jsonl")
            let out = try WeirCLI.run(["run", rules, "--input", input, "--lateness", "1s", "--dead-letter", dead,
                                       "--late-output", late, "--stats"] + extra)
            return (out, Array(try Data(contentsOf: URL(fileURLWithPath: dead))), Array(try Data(contentsOf: URL(fileURLWithPath: late))))
        }
        let (two, twoDead, twoLate) = try run([], tag: "two")
        let (one, oneDead, oneLate) = try run(["--single-thread"], tag: "one")
        #expect(two.status == 0, "\(two.err)")
        #expect(two.outLines.count > 2_000)
        #expect(two.stdout == one.stdout)
        // Standard error names the output files, which differ by name only.
        #expect(two.err.replacingOccurrences(of: "-two.jsonl", with: "-one.jsonl") == one.err)
        #expect(!twoDead.isEmpty && twoDead == oneDead)
        #expect(!twoLate.isEmpty && twoLate == oneLate)
    }
}
