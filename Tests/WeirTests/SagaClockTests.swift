import Testing
import Weir

/// Sagas for embedders on the injected clock (issue 12, item 4): in processing time, moving a
/// `ManualClock` and calling `advanceToClock()` fires the due saga timers, in (due, creation)
/// order, and nothing before its time.
@Suite struct SagaClockTests {
    static let rules = """
        SAGA pay
          START ON 'order.placed' AS order
          KEY order.data.orderId
          STEP charge
            SEND 'payment.charge' { orderId: order.data.orderId }
            AWAIT 'payment.charged' WITHIN 30s
            RETRY 1 EVERY 5s
            COMPENSATE 'payment.void' { orderId: order.data.orderId }
          ON FAILURE EMIT 'order.failed' { orderId: order.data.orderId, kind: error.kind, attempt: error.attempt }
        """

    @Test func movingTheManualClockFiresDueTimersInOrder() throws {
        let clock = ManualClock(now: Timestamp(rfc3339: "2026-01-01T10:00:00Z")!)
        let engine = RuleEngine(rules: try RuleSet(text: Self.rules), clock: clock)
        func start(_ id: String) throws -> [String] {
            try engine.process(try Event(id: id, source: "/shop", type: "order.placed", data: ["orderId": .string(id)])).map { $0.type }
        }
        #expect(try start("a") == ["payment.charge"])
        _ = clock.advance(by: TimeSpan(milliseconds: 10_000))
        #expect(try start("b") == ["payment.charge"])
        // Nothing is due at 29.999 s.
        _ = clock.advance(by: TimeSpan(milliseconds: 19_999))
        #expect(engine.advanceToClock().isEmpty)
        // a's reply deadline (30 s, inclusive) passes at 30.001 s: its retry waits 5 s.
        _ = clock.advance(by: TimeSpan(milliseconds: 2))
        #expect(engine.advanceToClock().isEmpty)
        // At 50 s: a's retry went out at 35 s, and b's deadline passed at 40 s, so its retry
        // went out at 45 s: what was due by 50 s, in time order.
        _ = clock.advance(by: TimeSpan(milliseconds: 19_999))
        let fired = engine.advanceToClock().map { "\($0.type) \($0.data?["orderId"].map { "\($0)" } ?? "")" }
        #expect(fired == [#"payment.charge "a""#, #"payment.charge "b""#])
        // At 2 minutes every attempt has timed out: both fail, compensated, in deadline order.
        _ = clock.advance(to: Timestamp(rfc3339: "2026-01-01T10:02:00Z")!)
        let failed = engine.advanceToClock().map { $0.type }
        #expect(failed == ["payment.void", "order.failed", "payment.void", "order.failed"])
        #expect(engine.statistics.declarations[0].sagasCompensated == 2)
    }
}
