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
