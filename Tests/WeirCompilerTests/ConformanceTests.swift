import Testing
import Weir

/// The CloudEvents SQL v1 conformance suite, read from `$CESQL_TCK_DIR` or `../shared/cesql-tck/`
/// (never copied here). Without it the suite is skipped, with a reason saying where it goes;
/// with `CI=true` its absence fails the run (see `TCKLocation`).
@Suite(.enabled(if: ConformanceSuite.location.runsTests, Comment(rawValue: ConformanceSuite.location.missingMessage)))
struct ConformanceTests {
    /// The one case that contradicts the v1 specification (see README, "Conformance").
    /// `NOT 10` expects `true` plus a cast error, but CESQL v1 section 3.7 makes Integer -> Boolean
    /// a supported cast (10 is true), so `NOT 10` is `false` with no error; the official Go and
    /// Java SDKs changed their copies of this case the same way.
    static let waivers: [String: EvaluationResult] = [
        "not_operator.yaml: Invalid int cast": EvaluationResult(value: .bool(false), error: nil)
    ]

    static let tck: [ConformanceCase] = (try? ConformanceSuite.load(
        directory: ConformanceSuite.tckDirectory, defaultDialects: [.cesql, .weir])) ?? []

    @Test func suiteIsPresentAndComplete() throws {
        try #require(ConformanceSuite.location.isPresent, Comment(rawValue: ConformanceSuite.location.missingMessage))
        #expect(Self.tck.count == 275, "expected the 275 cases of the CESQL v1 TCK in \(ConformanceSuite.tckDirectory.path)")
    }

    @Test(arguments: [Dialect.cesql, Dialect.weir])
    func conformance(dialect: Dialect) throws {
        try #require(ConformanceSuite.location.isPresent, Comment(rawValue: ConformanceSuite.location.missingMessage))
        var passed = 0
        var failures: [String] = []
        for c in Self.tck {
            if let waived = Self.waivers[c.description] {
                let e = try CompiledExpression(c.expression, dialect: dialect)
                let event = try Event(json: c.event)
                #expect(e.evaluate(event) == waived, "waived case \(c) must give the v1 specification's result")
                continue
            }
            switch ConformanceSuite.run(c, dialect: dialect) {
            case .pass: passed += 1
            case .fail(let why): failures.append("\(c): \(why)")
            }
        }
        print("CESQL TCK (\(dialect) dialect): \(passed) passed, \(failures.count) failed, \(Self.waivers.count) waived")
        for f in failures { Issue.record("\(f)") }
        #expect(passed == 274)
    }
}

/// Weir's own cases for its extensions, in the TCK's shape (`Tests/WeirCompilerTests/Extensions`).
@Suite struct ExtensionConformanceTests {
    static let cases: [ConformanceCase] = (try? ConformanceSuite.load(
        directory: ConformanceSuite.extensionsDirectory, defaultDialects: [.weir])) ?? []

    @Test func extensionCasesExist() {
        #expect(Self.cases.count >= 100)
    }

    @Test func extensions() {
        var passed = 0
        var failures: [String] = []
        for c in Self.cases {
            for dialect in c.dialects {
                switch ConformanceSuite.run(c, dialect: dialect) {
                case .pass: passed += 1
                case .fail(let why): failures.append("\(c) [\(dialect)]: \(why)")
                }
            }
        }
        print("Weir extension cases: \(passed) passed, \(failures.count) failed")
        for f in failures { Issue.record("\(f)") }
    }
}
