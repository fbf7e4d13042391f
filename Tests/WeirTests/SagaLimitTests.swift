import Testing
import Weir

/// Limits of a SAGA, each refused with a located error rather than misbehaving at run time.
@Suite struct SagaLimitTests {
    /// Timers are keyed by step: a saga has at most 1,000 steps.
    @Test func aSagaHasAtMostAThousandSteps() {
        func saga(_ steps: Int) -> String {
            "SAGA big START ON 'a' AS o KEY o.id\n" + (0..<steps).map { "  STEP s\($0) SEND 'c' {} AWAIT 'r' WITHIN 1s" }.joined(separator: "\n")
        }
        #expect((try? RuleSet(text: saga(1000))) != nil)
        do {
            _ = try RuleSet(text: saga(1001))
            Issue.record("1,001 steps compiled")
        } catch {
            #expect(error.description.contains("<rules>:1002:8: error: a SAGA has at most 1000 steps; this one has 1001"))
        }
    }
}

/// A snapshot whose bytes were altered is refused with an error, never trusted into a crash.
@Suite struct SagaSnapshotTamperingTests {
    static let rules = """
        SAGA s
          START ON 'go' AS g
          KEY g.data.k
          STEP a
            SEND 'a.do' { k: g.data.k }
            AWAIT 'a.ok' WITHIN 10s
            COMPENSATE 'a.undo' { k: g.data.k } AWAIT 'a.undone' WITHIN 5s
        """

    @Test func anInstanceNamingAStepThatDoesNotExistIsRefused() throws {
        let rules = try RuleSet(text: Self.rules)
        let engine = RuleEngine(rules: rules)
        try engine.process(try Event(id: "1", source: "/t", type: "go", attributes: ["time": "2026-01-01T00:00:00Z"], data: ["k": "x"]))
        let saved = String(decoding: try engine.snapshot(), as: UTF8.self)
        #expect(saved.contains(#""phase":{"waiting":{"attempt":1,"step":0}}"#))
        for altered in [#""phase":{"compensating":{"position":99}}"#, #""phase":{"waiting":{"attempt":1,"step":7}}"#,
                        #""phase":{"backingOff":{"attempt":0,"step":0}}"#] {
            let bytes = Array(saved.replacingOccurrences(of: #""phase":{"waiting":{"attempt":1,"step":0}}"#, with: altered).utf8)
            #expect(throws: (any Error).self, "\(altered)") { try RuleEngine(rules: rules, restoring: bytes) }
        }
        // The snapshot as it was restores.
        #expect(throws: Never.self) { try RuleEngine(rules: rules, restoring: Array(saved.utf8)) }
    }
}
