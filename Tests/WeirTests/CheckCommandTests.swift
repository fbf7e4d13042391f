import Foundation
import Testing

/// `weir check` end to end, as a new user meets it: good files, broken files, files that are not
/// rule files at all, and the wrong number of them.
@Suite(.serialized) struct CheckCommandTests {
    static let valid = """
        -- A rule a new user writes first.
        RULE big
          ON 'order.created'
          WHERE data.n > 1
          EMIT 'order.big' { n: data.n }

        """

    static let broken = """
        RULE a
          ON 'x'
          WHERE logn.n > 1
          EMIT 'y' { n: data.n }

        RULE b
          ON 'x'
          WHERE data.n >
          EMIT 'y' { }

        """

    /// Every line `weir check` writes is a located diagnostic, a quoted source line, a caret line
    /// or the summary: nothing unlocated, nothing else.
    static func isCheckOutputLine(_ line: String) -> Bool {
        line.range(of: #"^.+:\d+:\d+: (error|warning|note): .+$"#, options: .regularExpression) != nil
            || line.range(of: #"^ *\d+ \| "#, options: .regularExpression) != nil
            || line.range(of: #"^ +\| +[\^~]"#, options: .regularExpression) != nil
            || line.hasPrefix("weir: ")
    }

    @Test func aValidFilePrintsASummaryOnStandardErrorAndExitsZero() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.file("ok.rules", Self.valid)
        let r = try WeirCLI.run(["check", file])
        #expect(r.status == 0)
        #expect(r.out == "")
        #expect(r.err == "weir: \(file): 1 declaration, no errors\n")
    }

    @Test func everyErrorIsLocatedWithItsSourceLineAndCaretThenCounted() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.file("bad.rules", Self.broken)
        let r = try WeirCLI.run(["check", file])
        #expect(r.status == 1)
        #expect(r.out == "")
        #expect(r.err == """
            \(file):3:9: error: unknown alias 'logn'
            3 |   WHERE logn.n > 1
              |         ^~~~~~
            \(file):9:3: error: expected expression, found 'EMIT'
            9 |   EMIT 'y' { }
              |   ^~~~
            weir: 2 errors

            """)
    }

    @Test func aDuplicateNameAcrossFilesIsAnErrorInTheSecondFile() throws {
        let dir = try TemporaryDirectory()
        let first = try dir.file("a.rules", Self.valid)
        let second = try dir.file("b.rules", "RULE other\n  ON 'x'\n  EMIT 'y' { }\n\n" + Self.valid)
        let r = try WeirCLI.run(["check", first, second])
        #expect(r.status == 1)
        #expect(r.errLines.first == "\(second):6:6: error: a declaration named 'big' already exists")
        #expect(r.err.contains("first declared here (\(first):2:6)"))
        #expect(r.errLines.last == "weir: 1 error")
        #expect(!r.err.contains("\(first):2:6: error"))
    }

    @Test func theSameFileTwiceIsAUsageError() throws {
        // Named twice (or through a link), a file would declare everything twice.
        let dir = try TemporaryDirectory()
        let file = try dir.file("ok.rules", Self.valid)
        let link = dir.path("link.rules")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        for arguments in [["check", file, file], ["check", file, link], ["run", file, link]] {
            let r = try WeirCLI.run(arguments)
            #expect(r.status == 64)
            #expect(r.err.contains("is given twice"))
        }
    }

    @Test func aMissingFileIsAnInputFailure() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.path("nope.rules")
        let r = try WeirCLI.run(["check", missing])
        #expect(r.status == 2)
        #expect(r.out == "")
        #expect(r.err == "\(missing): error: cannot open '\(missing)': No such file or directory\n")
    }

    @Test func aMissingFileAmongGoodOnesStillExitsTwo() throws {
        let dir = try TemporaryDirectory()
        let good = try dir.file("ok.rules", Self.valid)
        let r = try WeirCLI.run(["check", good, dir.path("nope.rules")])
        #expect(r.status == 2)
        #expect(r.err.contains("cannot open"))
    }

    @Test func aPathThroughAFileIsAnInputFailure() throws {
        // Unreadable even for root (permission bits are not): a path that goes through a file.
        let dir = try TemporaryDirectory()
        let file = try dir.file("ok.rules", Self.valid) + "/inner.rules"
        let r = try WeirCLI.run(["check", file])
        #expect(r.status == 2)
        #expect(r.err == "\(file): error: cannot open '\(file)': Not a directory\n")
    }

    @Test func noFileIsAUsageError() throws {
        let r = try WeirCLI.run(["check"])
        #expect(r.status == 64)
        #expect(r.out == "")
        #expect(r.err.contains("Usage: weir check"))
    }

    @Test func aDirectoryIsAnInputFailure() throws {
        let dir = try TemporaryDirectory()
        let r = try WeirCLI.run(["check", dir.url.path])
        #expect(r.status == 2)
        #expect(r.err == "\(dir.url.path): error: cannot open '\(dir.url.path)': Is a directory\n")
    }

    @Test func aBinaryFileGetsLocatedErrorsAndNoCrash() throws {
        let dir = try TemporaryDirectory()
        var bytes: [UInt8] = []
        var state: UInt32 = 12345
        for _ in 0..<4096 {
            state = state &* 1_103_515_245 &+ 12345
            bytes.append(UInt8(truncatingIfNeeded: state >> 16))
        }
        let file = try dir.file("junk.rules", bytes)
        let r = try WeirCLI.run(["check", file], timeout: 30)
        #expect(r.status == 1)
        #expect(r.out == "")
        let errors = r.errLines.filter { $0.hasPrefix("\(file):") && $0.contains(": error: ") }
        #expect(!errors.isEmpty)
        for line in r.errLines { #expect(Self.isCheckOutputLine(line), "unexpected line: \(line)") }
        #expect(r.errLines.last?.range(of: #"^weir: \d+ errors?$"#, options: .regularExpression) != nil)
    }

    @Test func anEmptyFileHasNoDeclarationsAndNoErrors() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.file("empty.rules", "")
        let r = try WeirCLI.run(["check", file])
        #expect(r.status == 0)
        #expect(r.err == "weir: \(file): 0 declarations, no errors\n")
    }

    @Test func aFileOfOnlyCommentsHasNoDeclarationsAndNoErrors() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.file("comments.rules", "-- nothing yet\n\n   -- still nothing\n-- RULE x ON 'y'")
        let r = try WeirCLI.run(["check", file])
        #expect(r.status == 0)
        #expect(r.err == "weir: \(file): 0 declarations, no errors\n")
    }

    @Test func everyFileIsNamedInTheSummary() throws {
        let dir = try TemporaryDirectory()
        let a = try dir.file("a.rules", Self.valid)
        let b = try dir.file("b.rules", "RULE other\n  ON 'x'\n  EMIT 'y' { }\n")
        let r = try WeirCLI.run(["check", a, b])
        #expect(r.status == 0)
        #expect(r.err == "weir: \(a), \(b): 2 declarations, no errors\n")
    }
}
