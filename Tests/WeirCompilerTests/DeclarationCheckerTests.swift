import Testing
import WeirCore
import WeirSyntax
@testable import WeirCompiler

/// The checker's rules, each located.
@Suite struct DeclarationCheckerTests {
    static func messages(_ text: String) -> [String] { RuleText.compile([text]).diagnostics[0].map(\.message) }

    @Test func duplicateNamesAcrossFiles() {
        let r = RuleText.compile([
            "RULE alert\n  ON 'a'\n  EMIT 'b' {}\nRULE alert\n  ON 'a'\n  EMIT 'c' {}",
            "AGGREGATE alert\n  ON 'a'\n  WINDOW TUMBLING 1m\n  EMIT 'b' { n: count() }",
        ])
        #expect(r.plan == nil)
        #expect(DiagnosticRenderer.render(r.diagnostics[0], in: r.sources[0]) == """
            f0.rules:4:6: error: a declaration named 'alert' already exists
            4 | RULE alert
              |      ^~~~~
            f0.rules:1:6: note: first declared here
            1 | RULE alert
              |      ^~~~~
            """)
        #expect(r.diagnostics[1].map(\.message) == ["a declaration named 'alert' already exists"])
        #expect(r.diagnostics[1][0].notes.map(\.message) == ["first declared here (f0.rules:1:6)"])
        // Names are case-sensitive.
        #expect(RuleText.compile(["RULE a\n  ON 'x'\n  EMIT 'b' {}\nRULE A\n  ON 'x'\n  EMIT 'b' {}"]).plan != nil)
    }

    @Test func conditionsThatCanNeverBeBoolean() {
        #expect(Self.messages("RULE r\n  ON 'a'\n  WHERE data.total + 1\n  EMIT 'b' {}")
            == ["this WHERE condition is a number, never a Boolean, so it never holds"])
        #expect(Self.messages("RULE r\n  ON 'a'\n  WHERE 'yes'\n  EMIT 'b' {} WHEN UPPER(data.x)")
            == ["this WHERE condition is a String, never a Boolean, so it never holds",
                "this WHEN condition is a String, never a Boolean, so it never holds"])
        #expect(Self.messages("AGGREGATE a\n  ON 'a'\n  WINDOW TUMBLING 1m\n  HAVING count()\n  EMIT 'b' {}")
            == ["this HAVING condition is a number, never a Boolean, so it never holds"])
        // Unknown until evaluation: allowed.
        #expect(Self.messages("RULE r\n  ON 'a'\n  WHERE data.flag\n  EMIT 'b' {}") == [])
    }

    @Test func windowDurations() {
        // The parser refuses a zero or negative duration and a step larger than the size;
        // the checker still does, for declarations built otherwise.
        func at(_ ms: Int64, _ d: DurationLiteral) -> DurationLiteral { DurationLiteral(milliseconds: ms, range: d.range) }
        let zero = RuleText.compileWindow("TUMBLING 1m") {
            guard case .tumbling(let size) = $0 else { return $0 }
            return .tumbling(size: at(0, size))
        }
        #expect(DiagnosticRenderer.render(zero, in: SourceFile(name: "f0.rules", text: "AGGREGATE a ON 'a' WINDOW TUMBLING 1m EMIT 'b' {}")) == """
            f0.rules:1:36: error: the window size must be greater than zero
            1 | AGGREGATE a ON 'a' WINDOW TUMBLING 1m EMIT 'b' {}
              |                                    ^~
            """)
        let negativeGap = RuleText.compileWindow("SESSION GAP 5m") {
            guard case .session(let gap) = $0 else { return $0 }
            return .session(gap: at(-300_000, gap))
        }
        #expect(negativeGap.map(\.message) == ["the session gap must be greater than zero"])
        let wideStep = RuleText.compileWindow("SLIDING 5m EVERY 1m") {
            guard case .sliding(let size, let every) = $0 else { return $0 }
            return .sliding(size: size, every: at(600_000, every))
        }
        #expect(wideStep.map(\.message) == ["the SLIDING step (10m) is larger than the window (5m): some events would fall into no window"])
        #expect(Self.messages("AGGREGATE a\n  ON 'a'\n  WINDOW SLIDING 1d EVERY 1s\n  EMIT 'b' {}")
            == ["each event would fall into 86400 windows (more than 10000); make the step larger"])
        #expect(Self.messages("AGGREGATE a\n  ON 'a'\n  WINDOW SLIDING 10s EVERY 1ms\n  EMIT 'b' {}") == [])
        let plan = RuleText.compile(["AGGREGATE a\n  ON 'a'\n  WINDOW SLIDING 1h EVERY 5m\n  EMIT 'b' {}"]).plan
        guard case .aggregate(let a)? = plan?.declarations.first?.kind else { Issue.record("no plan"); return }
        #expect(a.window == .sliding(size: 3_600_000, every: 300_000))
    }

    @Test func warningsAloneStillCompile() {
        let r = RuleText.compile(["RULE r\n  ON 'a'\n  WHERE data.x = null\n  EMIT 'b' {}"])
        #expect(r.plan != nil)
        #expect(r.diagnostics[0].map(\.severity) == [.warning])
    }
}
