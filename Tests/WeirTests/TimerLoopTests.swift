import Testing
import Weir

/// A declaration that feeds itself through a timer (a window whose output opens the next window,
/// an absence that emits its own start, a saga whose failure starts it again) used to loop
/// forever once the end of input moved the watermark past every deadline. What a timer emits
/// is now one derivation further than the events behind it, so `--max-derivation` ends the
/// loop, reported like any other chain.
@Suite(.timeLimit(.minutes(1))) struct TimerLoopTests {
    static let start = RuleRun.event("1", "go", "2026-01-01T00:00:00Z", ["k": 1])

    @Test(arguments: [
        "AGGREGATE w ON 'go' WINDOW TUMBLING 1m EMIT 'go' { n: count(), k: 1 }",
        "PATTERN p MATCH a: 'go' THEN NOT b: 'stop' WITHIN 1m EMIT 'go' { k: 1 }",
        """
        SAGA s START ON 'go' AS g KEY g.data.k TIMEOUT 5m
          STEP a SEND 'a.do' { k: g.data.k } AWAIT 'a.ok'
          ON FAILURE EMIT 'go' { k: g.data.k }
        """,
    ])
    func aLoopThroughTimersEndsAtTheDerivationLimit(_ rules: String) throws {
        let r = try RuleRun.run(rules, [Self.start], maxDerivation: 5)
        #expect(r.engine.statistics.derivationLimitDrops >= 1, "\(rules)")
        #expect(r.out.count >= 5 && r.out.count <= 10, "\(r.out.count) events emitted")
    }
}
