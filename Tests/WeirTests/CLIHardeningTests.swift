import Foundation
import Testing
@testable import WeirCompiler

/// `weir eval` against what a hostile or careless user does: outputs that are the input,
/// limits out of range, closed or failing standard streams, usage errors.
@Suite(.serialized) struct CLIHardeningTests {
    static let events = (1...20).map { CLITests.event("e\($0)", #"{"n":\#($0)}"#) }.joined(separator: "\n") + "\n"
    static let malformed = Self.events + "not json\n"

    // MARK: Outputs that would destroy an input

    @Test func deadLetterNamingTheInputIsRefusedAndTheInputKept() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.malformed)
        let r = try WeirCLI.run(["eval", "true", "--input", input, "--dead-letter", input])
        #expect(r.status == 2)
        #expect(r.out == "")
        #expect(r.err == "weir: --dead-letter '\(input)' is the same file as the input '\(input)'; refusing to overwrite it\n")
        #expect(try String(contentsOfFile: input, encoding: .utf8) == Self.malformed)
    }

    @Test func deadLetterThroughASymlinkToTheInputIsRefused() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.malformed)
        let link = dir.path("link.jsonl")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
        let r = try WeirCLI.run(["eval", "true", "-i", input, "--dead-letter", link])
        #expect(r.status == 2)
        #expect(r.err.contains("is the same file as the input"))
        #expect(try String(contentsOfFile: input, encoding: .utf8) == Self.malformed)
    }

    @Test func deadLetterNamingTheFileOnStandardInputIsRefused() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.malformed)
        let r = try WeirCLI.shell(#""$WEIR" eval true --dead-letter '\#(input)' < '\#(input)'"#)
        #expect(r.status == 2)
        #expect(r.err == "weir: --dead-letter '\(input)' is the same file as standard input; refusing to overwrite it\n")
        #expect(try String(contentsOfFile: input, encoding: .utf8) == Self.malformed)
    }

    @Test func deadLetterNamingTheFileStandardOutputGoesToIsRefused() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.malformed)
        let out = dir.path("out.jsonl")
        let r = try WeirCLI.shell(#""$WEIR" eval true -i '\#(input)' --dead-letter '\#(out)' > '\#(out)'"#)
        #expect(r.status == 2)
        #expect(r.err == "weir: --dead-letter '\(out)' is the same file as standard output; refusing to overwrite it\n")
    }

    @Test func aDistinctDeadLetterFileStillWorks() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.malformed)
        let dead = dir.path("dead.jsonl")
        let r = try WeirCLI.run(["eval", "--count", "true", "-i", input, "--dead-letter", dead])
        #expect(r.status == 0)
        #expect(r.out == "20\n")
        #expect(try String(contentsOfFile: dead, encoding: .utf8).hasPrefix(#"{"line":21,"#))
    }

    @Test func deadLetterDashIsRefusedAndCreatesNoFile() throws {
        let dir = try TemporaryDirectory()
        let r = try WeirCLI.shell(#"cd '\#(dir.url.path)' && "$WEIR" eval true --dead-letter - < /dev/null"#)
        #expect(r.status == 64)
        #expect(r.err.contains("--dead-letter needs a file name"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("-")))
    }

    // MARK: Limits are refused, never adjusted

    @Test(arguments: [
        (["--max-depth", "0"], "--max-depth must be between 1 and 65536 (got 0)."),
        (["--max-depth", "-5"], "--max-depth must be between 1 and 65536 (got -5)."),
        (["--max-depth", "1000000"], "--max-depth must be between 1 and 65536 (got 1000000)."),
        (["--max-line-bytes", "0"], "--max-line-bytes must be between 1 and 1073741824 (got 0)."),
        (["--max-line-bytes", "-1"], "--max-line-bytes must be between 1 and 1073741824 (got -1)."),
        (["--max-line-bytes", "2000000000"], "--max-line-bytes must be between 1 and 1073741824 (got 2000000000)."),
    ])
    func outOfRangeLimitsAreUsageErrors(arguments: [String], message: String) throws {
        let r = try WeirCLI.run(["eval", "true"] + arguments, stdin: Array(Self.events.utf8))
        #expect(r.status == 64)
        #expect(r.out == "")
        #expect(r.errLines.first == "Error: \(message)")
    }

    @Test func limitsAtTheirEdgesAreAccepted() throws {
        let r = try WeirCLI.run(["eval", "--count", "true", "--max-depth", "65536", "--max-line-bytes", "1073741824"],
                                stdin: Array(Self.events.utf8))
        #expect(r.status == 0)
        #expect(r.out == "20\n")
        // Depth: the event object is level 1; an empty object adds none, a non-empty one does.
        let shallow = try WeirCLI.run(["eval", "--count", "true", "--max-depth", "1"],
                                      stdin: Array((CLITests.event("a", "{}") + "\n" + CLITests.event("b", #"{"a":1}"#) + "\n").utf8))
        #expect(shallow.out == "1\n")
        #expect(shallow.err.contains("<stdin>:2: error: nested too deeply (limit 1)"))
    }

    // MARK: Standard streams

    @Test func aClosedStandardOutputEndsTheRunQuietly() throws {
        let many = String(repeating: Self.events, count: 5000)
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", many + "oops\n")
        let dead = dir.path("dead.jsonl")
        let r = try WeirCLI.shell(#""$WEIR" eval data.n -i '\#(input)' --dead-letter '\#(dead)' | head -1"#)
        #expect(r.out.hasPrefix("1\n"))
        #expect(r.err == "")
        let quiet = try WeirCLI.shell(#"set -o pipefail; "$WEIR" eval data.n -i '\#(input)' | head -1 >/dev/null; echo $?"#)
        #expect(quiet.out == "0\n")
        #expect(quiet.err == "")
    }

    @Test func aFailingStandardErrorDoesNotStopProcessing() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", "bad line\n" + Self.events + "another bad line\n")
        let r = try WeirCLI.shell(#""$WEIR" eval --explain data.n -i '\#(input)' 2>/dev/full"#)
        #expect(r.status == 0)
        #expect(r.outLines == (1...20).map(String.init))
    }

    @Test func otherWriteErrorsStillFailWithAMessage() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.events)
        let r = try WeirCLI.shell(#""$WEIR" eval data.n -i '\#(input)' > /dev/full"#)
        #expect(r.status == 2)
        #expect(r.err == "weir: cannot write: No space left on device\n")
    }

    // MARK: Usage errors and help

    @Test func usageErrorsExit64() throws {
        #expect(try WeirCLI.run(["eval", "--bogus", "true"]).status == 64)
        #expect(try WeirCLI.run(["eval"]).status == 64)
        #expect(try WeirCLI.run(["eval", "--format", "xml", "true"]).status == 64)
        #expect(try WeirCLI.run(["nonsense"]).status == 64)
    }

    @Test func helpListsTheExitStatusesAndFitsEightyColumns() throws {
        let r = try WeirCLI.run(["eval", "--help"])
        #expect(r.status == 0)
        for status in ["0 ", "1 ", "2 ", "64 "] {
            #expect(r.outLines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(status) }, "no exit status \(status)")
        }
        // Only argument-parser's one-line USAGE synopsis may be longer than a terminal.
        for line in r.outLines where !line.hasPrefix("USAGE:") {
            #expect(line.count <= 80, "help line over 80 columns: \(line)")
        }
    }

    @Test func helpNamesEveryFunctionAndErrorKind() throws {
        let help = try WeirCLI.run(["eval", "--help"]).out.lowercased()
        let words = Set(help.split { !($0.isLetter || $0 == "_") }.map(String.init))
        for name in FunctionLibrary.names(weir: true) {
            #expect(words.contains(name.lowercased()), "weir eval --help does not list \(name)")
        }
        for kind in ["parse", "math", "cast", "missingattribute", "missingfunction", "functionevaluation", "generic"] {
            #expect(words.contains(kind), "weir eval --help does not list the error kind \(kind)")
        }
    }

    // MARK: Expression files and --count formats

    @Test func expressionFromAFile() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.events)
        let filter = try dir.file("filter.expr", "data.n > 15 -- a comment\n")
        let r = try WeirCLI.run(["eval", "--count", "-f", filter, "-i", input])
        #expect(r.status == 0)
        #expect(r.out == "5\n")
        let long = try WeirCLI.run(["eval", "--count", "--expression-file", filter, "-i", input])
        #expect(long.out == "5\n")
        // Diagnostics name the file.
        let broken = try dir.file("broken.expr", "data.n >")
        let bad = try WeirCLI.run(["eval", "-f", broken, "-i", input])
        #expect(bad.status == 1)
        #expect(bad.err.hasPrefix("\(broken):1:9: error:"))
        #expect(try WeirCLI.run(["eval", "-f", filter, "true", "-i", input]).status == 64)
        let missing = try WeirCLI.run(["eval", "-f", dir.path("nope.expr"), "-i", input])
        #expect(missing.status == 2)
        #expect(missing.err.contains("cannot open"))
    }

    @Test func anExpressionFileBeyondTheCommandLineLimitCompiles() throws {
        // 200 KiB: more than a command line can carry, less than the 1 MiB limit.
        let dir = try TemporaryDirectory()
        let input = try dir.file("events.jsonl", Self.events)
        let terms = (0..<20_000).map { "data.n = \($0)" }
        let big = try dir.file("big.expr", "data.n IN (" + (0..<30_000).map(String.init).joined(separator: ", ") + ") AND " + terms[7])
        let r = try WeirCLI.run(["eval", "--count", "-f", big, "-i", input])
        #expect(r.status == 0)
        #expect(r.out == "1\n")
        let tooBig = try dir.file("huge.expr", String(repeating: " ", count: (1 << 20) + 1) + "true")
        let refused = try WeirCLI.run(["eval", "-f", tooBig, "-i", input])
        #expect(refused.status == 2)
        #expect(refused.err.contains("longer than the limit of 1048576 bytes"))
    }

    @Test func countWithJSONFormat() throws {
        let r = try WeirCLI.run(["eval", "--count", "--format", "json", "data.n > 18 OR data.x"], stdin: Array(Self.events.utf8))
        #expect(r.status == 0)
        #expect(r.out == "{\"count\": 2, \"events\": 20, \"failed\": 18}\n")
    }

    // MARK: Deep events

    @Test func aDeepEventAfterGoodOnesLosesNothing() throws {
        let n = 12_000
        let deep = #"{"specversion":"1.0","id":"d","source":"/s","type":"t","data":"#
            + String(repeating: #"{"a":"#, count: n) + "1" + String(repeating: "}", count: n) + "}"
        let good = (1...1000).map { CLITests.event("g\($0)", #"{"a":\#($0)}"#) }.joined(separator: "\n")
        let r = try WeirCLI.run(["eval", "--max-depth", "20000", "data.a"], stdin: Array((good + "\n" + deep + "\n").utf8))
        #expect(r.status == 0)
        #expect(r.out == (1...1000).map { "\($0)\n" }.joined() + "false  (error: generic)\n")
        // A value read out whole may hold at most 1000 nested levels; paths reach any depth.
        let path = "data" + String(repeating: ".a", count: n)
        let deepPath = try WeirCLI.run(["eval", "--max-depth", "20000", path], stdin: Array((deep + "\n").utf8))
        #expect(deepPath.out == "1\n")
    }
}
