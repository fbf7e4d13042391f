import Testing
import WeirSyntax
@testable import WeirCompiler

/// `SagaChecker` (issue 12, item 3 "checker with located diagnostics"): one test per
/// structural error, each with its message and `line:column`. Until the compiler calls the
/// checker, these call it directly on the parsed declaration.
@Suite struct SagaCheckerTests {
    /// The first declaration of `text`, a SAGA that parses without error.
    static func saga(_ text: String) -> (SagaDeclaration, SourceFile)? {
        let source = SourceFile(name: "s.rules", text: text)
        let (file, diagnostics) = RuleFileParser.parse(source)
        guard !diagnostics.contains(where: { $0.isError }), case .saga(let s)? = file.declarations.first else {
            Issue.record("not a valid SAGA: \(diagnostics.map(\.message))")
            return nil
        }
        return (s, source)
    }

    /// `line:column severity: message` of each checker diagnostic of `d`.
    static func located(_ d: SagaDeclaration, in source: SourceFile) -> [String] {
        SagaChecker.check(d).map { "\(source.position(of: $0.range.start)) \($0.severity.rawValue): \($0.message)" }
    }

    static func located(_ text: String) -> [String] {
        guard let (s, source) = saga(text) else { return [] }
        return located(s, in: source)
    }

    static func notes(_ text: String) -> [String] {
        guard let (s, _) = saga(text) else { return [] }
        return SagaChecker.check(s).flatMap { $0.notes.map(\.message) }
    }

    /// A saga's head with a TIMEOUT, so that AWAITs need no WITHIN.
    static let head = "SAGA s\n  START ON 'a' AS o\n  KEY o.id\n  TIMEOUT 5m\n"

    // MARK: Accepted

    @Test func languageExampleIsAccepted() {
        #expect(Self.located("""
            SAGA order_fulfillment
              START ON 'order.placed' AS order
              KEY order.data.orderId
              TIMEOUT 5m
              STEP reserve_inventory
                SEND 'inventory.reserve' { orderId: order.data.orderId, items: order.data.items }
                AWAIT 'inventory.reserved' AS reserved WHERE data.orderId = order.data.orderId WITHIN 30s
                FAIL ON 'inventory.rejected' WHERE data.orderId = order.data.orderId
                COMPENSATE 'inventory.release' { orderId: order.data.orderId }
              STEP charge_payment
                SEND 'payment.charge' { orderId: order.data.orderId, amount: order.data.totalAmount }
                AWAIT 'payment.charged' WITHIN 60s
                FAIL ON 'payment.declined'
                RETRY 3 EVERY 1s BACKOFF 2 MAX 30s
                COMPENSATE 'payment.refund' { orderId: order.data.orderId }
              STEP create_shipment
                SEND 'shipment.create' { orderId: order.data.orderId, address: order.data.shippingAddress }
                AWAIT 'shipment.created' WITHIN 30s
                COMPENSATE 'shipment.cancel' { orderId: order.data.orderId }
              ON COMPLETE EMIT 'order.fulfilled' { orderId: order.data.orderId }
              ON FAILURE  EMIT 'order.failed' { orderId: order.data.orderId, reason: error.message,
                                                step: error.step, kind: error.kind }
            """).isEmpty)
    }

    /// A step without AWAIT is done once its command is published: allowed, with no
    /// deadline needed.
    @Test func stepWithoutAwaitIsFine() {
        #expect(Self.located("SAGA s START ON 'a' AS o KEY o.id STEP notify SEND 'note' {} COMPENSATE 'undo' {}").isEmpty)
    }

    /// Each reply has a deadline: its own WITHIN, or the saga's TIMEOUT; a compensation's
    /// confirmation needs its own (during compensation the saga's TIMEOUT is only recorded).
    @Test func deadlinesFromWithinOrTimeout() {
        #expect(Self.located("SAGA s START ON 'a' AS o KEY o.id STEP x SEND 'c' {} AWAIT 'r' WITHIN 1s COMPENSATE 'u' {} AWAIT 'v' WITHIN 1s").isEmpty)
        #expect(Self.located(Self.head + "  STEP x SEND 'c' {} AWAIT 'r' COMPENSATE 'u' {} AWAIT 'v' WITHIN 1s").isEmpty)
        #expect(Self.located(Self.head + "  STEP x SEND 'c' {} AWAIT 'r' COMPENSATE 'u' {} AWAIT 'v'").count == 1)
    }

    // MARK: Steps and aliases

    @Test func noStep() throws {
        guard let (parsed, source) = Self.saga("SAGA empty START ON 'a' AS o KEY o.id STEP x SEND 'c' {}") else { return }
        var s = parsed
        s.steps = []
        #expect(Self.located(s, in: source) == ["1:6 error: SAGA 'empty' has no step: a saga sends at least one command"])
        #expect(SagaChecker.check(s).first?.notes.map(\.message) == ["add a step after KEY: STEP name SEND 'type' { ... } AWAIT 'reply' WITHIN 30s"])
    }

    @Test func duplicateStepName() {
        let text = Self.head + "  STEP pay SEND 'a' {}\n  STEP ship SEND 'b' {}\n  STEP pay SEND 'c' {}"
        #expect(Self.located(text) == [
            "7:8 error: step name 'pay' is already used by an earlier step; each step needs its own name (error.step and the history name it)",
        ])
        guard let (s, source) = Self.saga(text) else { return }
        #expect(SagaChecker.check(s).first?.notes.map { source.position(of: $0.range!.start) } == ["5:8"])
    }

    @Test func duplicateAlias() {
        #expect(Self.located(Self.head + "  STEP a SEND 'a' {} AWAIT 'r' AS o\n  STEP b SEND 'b' {} AWAIT 'q' AS r\n  STEP c SEND 'c' {} AWAIT 'x' AS r") == [
            "5:35 error: alias 'o' is already used in this saga; each START ON ... AS and AWAIT ... AS needs its own alias",
            "7:35 error: alias 'r' is already used in this saga; each START ON ... AS and AWAIT ... AS needs its own alias",
        ])
    }

    @Test func aliasHidingAName() {
        let alias = { (name: String) in Self.located("SAGA s START ON 'a' AS \(name) KEY 1 TIMEOUT 1m STEP x SEND 'c' {}") }
        #expect(alias("data") == ["1:24 error: alias 'data' would hide the current event's 'data'; choose another name"])
        #expect(alias("Key") == ["1:24 error: alias 'Key' would hide 'key', a name the compiler resolves; choose another name"])
        // `window` is a keyword the parser refuses after AS; a definition built otherwise gets the checker's error.
        if let (parsed, source) = Self.saga("SAGA s START ON 'a' AS w KEY 1 TIMEOUT 1m STEP x SEND 'c' {}") {
            var s = parsed
            s.start.alias.text = "window"
            #expect(Self.located(s, in: source) == ["1:24 error: alias 'window' would hide 'window', a name the compiler resolves; choose another name"])
        }
        #expect(alias("error") == [
            "1:24 error: alias 'error' would hide 'error', which ON FAILURE reads (error.message, error.kind, error.step, error.attempt); choose another name",
        ])
        #expect(alias("source") == ["1:24 error: alias 'source' would hide the CloudEvents attribute 'source'; choose another name"])
        #expect(alias("time") == ["1:24 error: alias 'time' would hide the CloudEvents attribute 'time'; choose another name"])
        #expect(alias("matches") == ["1:24 error: alias 'matches' is a keyword; choose another name"])
        #expect(alias("order").isEmpty)
        #expect(Self.located(Self.head + "  STEP x SEND 'c' {} AWAIT 'r' AS id") == [
            "5:35 error: alias 'id' would hide the CloudEvents attribute 'id'; choose another name",
        ])
    }

    // MARK: RETRY and FAIL ON need an AWAIT

    @Test func retryWithoutAwait() {
        let text = Self.head + "  STEP x\n    SEND 'c' {}\n    RETRY 3 EVERY 1s"
        #expect(Self.located(text) == [
            "7:5 error: RETRY in step 'x', which has no AWAIT: a step without AWAIT is done once its command is published, so it never fails and there is nothing to retry",
        ])
        #expect(Self.notes(text) == ["add the reply the step waits for (AWAIT 'type' WITHIN 30s), or remove the RETRY"])
    }

    @Test func failOnWithoutAwait() {
        let text = Self.head + "  STEP x\n    SEND 'c' {}\n    FAIL ON 'no'\n    FAIL ON 'never'"
        #expect(Self.located(text) == [
            "7:5 error: FAIL ON in step 'x', which has no AWAIT: a step without AWAIT is done once its command is published, so no reply can fail it",
        ])
        #expect(Self.notes(text) == ["add the reply the step waits for: AWAIT 'type' WITHIN 30s, before FAIL ON"])
    }

    // MARK: The retry schedule

    /// The parser refuses a BACKOFF below 1 in a file; a definition built otherwise (the
    /// Swift builder) gets the checker's error.
    @Test func backoffBelowOne() {
        guard let (parsed, source) = Self.saga(Self.head + "  STEP x SEND 'c' {} AWAIT 'r' RETRY 3 EVERY 1s BACKOFF 2") else { return }
        var s = parsed
        s.steps[0].retry?.backoff = 0.5
        #expect(Self.located(s, in: source) == ["5:32 error: BACKOFF 0.5 is below 1: each wait would be shorter than the one before"])
        #expect(SagaChecker.check(s).first?.notes.map(\.message) == ["use BACKOFF 1 (equal waits, the default) or more (BACKOFF 2 doubles each wait)"])
        s.steps[0].retry?.backoff = .nan
        #expect(SagaChecker.check(s).count == 1)
        s.steps[0].retry?.backoff = 1
        #expect(SagaChecker.check(s).isEmpty)
    }

    /// Likewise a count outside 1...1000.
    @Test func retryCountOutOfRange() {
        guard let (parsed, source) = Self.saga(Self.head + "  STEP x SEND 'c' {} AWAIT 'r' RETRY 3 EVERY 1s") else { return }
        var s = parsed
        s.steps[0].retry?.count = 0
        #expect(Self.located(s, in: source) == ["5:32 error: RETRY 0: a step is retried from 1 to 1000 times"])
        s.steps[0].retry?.count = 1001
        #expect(Self.located(s, in: source) == ["5:32 error: RETRY 1001: a step is retried from 1 to 1000 times"])
    }

    @Test func maxShorterThanEvery() {
        #expect(Self.located(Self.head + "  STEP x SEND 'c' {} AWAIT 'r' RETRY 3 EVERY 1m30s BACKOFF 2 MAX 500ms") == [
            "5:66 warning: MAX 500ms is shorter than EVERY 1m30s: every wait is 500ms, and BACKOFF has no effect",
        ])
        #expect(Self.located(Self.head + "  STEP x SEND 'c' {} AWAIT 'r' RETRY 3 EVERY 1s MAX 1s").isEmpty)
    }

    // MARK: Deadlines

    @Test func awaitWithoutAnyDeadline() {
        let text = "SAGA s START ON 'a' AS o KEY o.id\n  STEP x SEND 'c' {} AWAIT 'r' WHERE data.id = o.id\n  STEP y SEND 'd' {} AWAIT 'q' WITHIN 1s"
        #expect(Self.located(text) == [
            "2:22 error: the AWAIT of step 'x' has no WITHIN and SAGA 's' has no TIMEOUT: an instance could wait for its reply forever",
        ])
        #expect(Self.notes(text) == ["add a deadline to the AWAIT (AWAIT 'type' WITHIN 30s), or to the whole saga (TIMEOUT 5m after KEY)"])
    }

    @Test func compensationAwaitWithoutAnyDeadline() {
        let text = "SAGA s START ON 'a' AS o KEY o.id\n  STEP x SEND 'c' {} AWAIT 'r' WITHIN 1s COMPENSATE 'u' {} AWAIT 'v'"
        #expect(Self.located(text) == [
            "2:60 error: the AWAIT after COMPENSATE in step 'x' has no WITHIN: during compensation SAGA 's''s TIMEOUT is only recorded, so the compensation could wait for its confirmation forever",
        ])
        #expect(Self.notes(text) == ["a confirmation needs a deadline: COMPENSATE 'type' { ... } AWAIT 'confirmed' WITHIN 30s"])
    }

    /// Several problems: all reported, in source order.
    @Test func severalInSourceOrder() {
        #expect(Self.located("""
            SAGA s START ON 'a' AS data KEY 1
              STEP x SEND 'c' {} RETRY 2 EVERY 1s
              STEP x SEND 'c' {} AWAIT 'r' AS r
            """) == [
            "1:24 error: alias 'data' would hide the current event's 'data'; choose another name",
            "2:22 error: RETRY in step 'x', which has no AWAIT: a step without AWAIT is done once its command is published, so it never fails and there is nothing to retry",
            "3:8 error: step name 'x' is already used by an earlier step; each step needs its own name (error.step and the history name it)",
            "3:22 error: the AWAIT of step 'x' has no WITHIN and SAGA 's' has no TIMEOUT: an instance could wait for its reply forever",
        ])
    }

    @Test func durationText() {
        #expect(SagaCheckerMessages.durationText(500) == "500ms")
        #expect(SagaCheckerMessages.durationText(90_000) == "1m30s")
        #expect(SagaCheckerMessages.durationText(86_400_000 + 1) == "1d1ms")
    }
}
