import Testing
import WeirSyntax

/// SAGA declarations (issue 12, item 3 "SAGA in rule files"): golden dumps of the
/// LANGUAGE.md example and of each construct, keywords in any case, contextual words that
/// stay names, and a saga among the other declarations.
@Suite struct SagaParserTests {
    /// The LANGUAGE.md section 3 example, verbatim.
    static let orderFulfillment = """
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
        """

    @Test func languageExample() {
        #expect(dumpRules(Self.orderFulfillment) == """
            saga order_fulfillment @1:1
              start on 'order.placed' as order @2:3
              key
                path order.data.orderId @3:7
              timeout 300000ms @4:11
              step reserve_inventory @5:3
                send 'inventory.reserve' @6:5
                  object 2 @6:30
                    field orderId @6:32
                      path order.data.orderId @6:41
                    field items @6:61
                      path order.data.items @6:68
                await 'inventory.reserved' as reserved @7:5
                  where
                    binary equal @7:50
                      path data.orderId @7:50
                      path order.data.orderId @7:65
                  within 30000ms @7:91
                fail on 'inventory.rejected' @8:5
                  where
                    binary equal @8:40
                      path data.orderId @8:40
                      path order.data.orderId @8:55
                compensate 'inventory.release' @9:5
                  object 1 @9:36
                    field orderId @9:38
                      path order.data.orderId @9:47
              step charge_payment @10:3
                send 'payment.charge' @11:5
                  object 2 @11:27
                    field orderId @11:29
                      path order.data.orderId @11:38
                    field amount @11:58
                      path order.data.totalAmount @11:66
                await 'payment.charged' @12:5
                  within 60000ms @12:36
                fail on 'payment.declined' @13:5
                retry 3 every 1000ms backoff 2 max 30000ms @14:5
                compensate 'payment.refund' @15:5
                  object 1 @15:33
                    field orderId @15:35
                      path order.data.orderId @15:44
              step create_shipment @16:3
                send 'shipment.create' @17:5
                  object 2 @17:28
                    field orderId @17:30
                      path order.data.orderId @17:39
                    field address @17:59
                      path order.data.shippingAddress @17:68
                await 'shipment.created' @18:5
                  within 30000ms @18:37
                compensate 'shipment.cancel' @19:5
                  object 1 @19:34
                    field orderId @19:36
                      path order.data.orderId @19:45
              on complete emit 'order.fulfilled' @20:3
                object 1 @20:38
                  field orderId @20:40
                    path order.data.orderId @20:49
              on failure emit 'order.failed' @21:3
                object 4 @21:35
                  field orderId @21:37
                    path order.data.orderId @21:46
                  field reason @21:66
                    path error.message @21:74
                  field step @22:37
                    path error.step @22:43
                  field kind @22:55
                    path error.kind @22:61
            """)
    }

    /// The tree itself: values the dump shows only as text, and the ranges of each part.
    @Test func languageExampleTree() throws {
        let (file, diagnostics, source) = parseRules(Self.orderFulfillment)
        #expect(diagnostics.isEmpty)
        guard case .saga(let saga)? = file.declarations.first else {
            Issue.record("no saga")
            return
        }
        #expect(saga.name.text == "order_fulfillment")
        #expect(saga.start.alias.text == "order")
        #expect(saga.timeout?.milliseconds == 300_000)
        #expect(saga.steps.map(\.name.text) == ["reserve_inventory", "charge_payment", "create_shipment"])
        #expect(saga.steps[1].retry == SagaRetry(count: 3, every: saga.steps[1].retry!.every, backoff: 2, max: saga.steps[1].retry!.max,
                                                 range: saga.steps[1].retry!.range))
        #expect(saga.steps[1].retry?.every.milliseconds == 1000)
        #expect(saga.steps[1].retry?.max?.milliseconds == 30_000)
        #expect(saga.steps[0].awaiting?.alias?.text == "reserved")
        #expect(saga.steps[0].failOn.count == 1)
        #expect(saga.steps[2].retry == nil)
        #expect(saga.on.map(\.dumpForTest) == ["order.placed", "inventory.reserved", "inventory.rejected", "payment.charged",
                                                "payment.declined", "shipment.created"])
        // Ranges: the step from STEP to the end of its last clause, a command from its keyword.
        #expect(source.slice(saga.steps[2].range) == """
            STEP create_shipment
                SEND 'shipment.create' { orderId: order.data.orderId, address: order.data.shippingAddress }
                AWAIT 'shipment.created' WITHIN 30s
                COMPENSATE 'shipment.cancel' { orderId: order.data.orderId }
            """)
        #expect(source.slice(saga.steps[1].retry!.range) == "RETRY 3 EVERY 1s BACKOFF 2 MAX 30s")
        #expect(source.slice(saga.start.range) == "START ON 'order.placed' AS order")
        #expect(source.slice(saga.steps[0].failOn[0].range) == "FAIL ON 'inventory.rejected' WHERE data.orderId = order.data.orderId")
        #expect(source.slice(saga.onComplete[0].range) == "ON COMPLETE EMIT 'order.fulfilled' { orderId: order.data.orderId }")
        #expect(saga.range.start == 0 && saga.range.end == Self.orderFulfillment.utf8.count)
    }

    /// START ... WHERE, no TIMEOUT, a step without AWAIT, several FAIL ON, every RETRY form,
    /// a compensation with its confirmation, branches with WHEN.
    @Test func everyConstruct() {
        #expect(dumpRules("""
            SAGA payments
              START ON 'payment.*' AS p WHERE p.data.amount > 0
              KEY p.data.id
              STEP notify SEND 'note' { id: p.data.id }
              STEP charge
                SEND 'charge' {}
                AWAIT 'charged' WHERE data.id = p.data.id
                FAIL ON 'declined'
                FAIL ON 'error.*' WHERE data.fatal
                RETRY 5 EVERY 250ms BACKOFF 1.5
                COMPENSATE 'refund' { id: p.data.id } AWAIT 'refunded' WHERE data.id = p.data.id WITHIN 1m
              STEP a SEND 'a' {} AWAIT 'b' WITHIN 1s RETRY 1 EVERY 1s
              STEP b SEND 'a' {} AWAIT 'b' WITHIN 1s RETRY 2 EVERY 1s MAX 10s
              STEP c SEND 'a' {} COMPENSATE 'c' {} AWAIT '*' WITHIN 2s
              ON COMPLETE EMIT 'big' {} WHEN p.data.amount > 100
              ON COMPLETE EMIT 'small' {}
              ON FAILURE EMIT 'late' {} WHEN error.kind = 'timeout'
              ON FAILURE EMIT 'failed' { why: error.message }
            """) == """
            saga payments @1:1
              start on 'payment.*' as p @2:3
                where
                  binary greater @2:35
                    path p.data.amount @2:35
                    integer 0 @2:51
              key
                path p.data.id @3:7
              step notify @4:3
                send 'note' @4:15
                  object 1 @4:27
                    field id @4:29
                      path p.data.id @4:33
              step charge @5:3
                send 'charge' @6:5
                  object 0 @6:19
                await 'charged' @7:5
                  where
                    binary equal @7:27
                      path data.id @7:27
                      path p.data.id @7:37
                fail on 'declined' @8:5
                fail on 'error.*' @9:5
                  where
                    path data.fatal @9:29
                retry 5 every 250ms backoff 1.5 @10:5
                compensate 'refund' @11:5
                  object 1 @11:25
                    field id @11:27
                      path p.data.id @11:31
                  await 'refunded' @11:43
                    where
                      binary equal @11:66
                        path data.id @11:66
                        path p.data.id @11:76
                    within 60000ms @11:93
              step a @12:3
                send 'a' @12:10
                  object 0 @12:19
                await 'b' @12:22
                  within 1000ms @12:39
                retry 1 every 1000ms @12:42
              step b @13:3
                send 'a' @13:10
                  object 0 @13:19
                await 'b' @13:22
                  within 1000ms @13:39
                retry 2 every 1000ms max 10000ms @13:42
              step c @14:3
                send 'a' @14:10
                  object 0 @14:19
                compensate 'c' @14:22
                  object 0 @14:37
                  await '*' @14:40
                    within 2000ms @14:57
              on complete emit 'big' @15:3
                object 0 @15:26
                when
                  binary greater @15:34
                    path p.data.amount @15:34
                    integer 100 @15:50
              on complete emit 'small' @16:3
                object 0 @16:28
              on failure emit 'late' @17:3
                object 0 @17:26
                when
                  binary equal @17:34
                    path error.kind @17:34
                    string 'timeout' @17:47
              on failure emit 'failed' @18:3
                object 1 @18:28
                  field why @18:30
                    path error.message @18:35
            """)
    }

    /// Keywords and contextual words in any case give the same tree.
    @Test func keywordsInAnyCase() {
        let lower = Self.orderFulfillment.lowercased()
        let mixed = Self.orderFulfillment
            .replacingOccurrences(of: "START ON", with: "Start On").replacingOccurrences(of: "KEY", with: "Key")
            .replacingOccurrences(of: "FAIL ON", with: "fAIL oN").replacingOccurrences(of: "BACKOFF", with: "BackOff")
            .replacingOccurrences(of: "ON COMPLETE", with: "on Complete").replacingOccurrences(of: "STEP", with: "Step")
        // Lower-casing changes the names too (`orderId` becomes `orderid`): compare the shapes.
        let shape = { (text: String) in dumpRules(text).lowercased() }
        #expect(!dumpRules(lower).contains("error:"))
        #expect(shape(lower) == shape(Self.orderFulfillment))
        #expect(dumpRules(mixed) == dumpRules(Self.orderFulfillment))
    }

    /// START, KEY, FAIL, AS, BACKOFF, MAX, COMPLETE and FAILURE are contextual: aliases,
    /// step names, fields, object keys and functions keep those names, in the saga and in
    /// the other declarations.
    @Test func contextualWordsStayNames() {
        let (file, diagnostics, _) = parseRules("""
            saga lower
              start on 'a.*' as start where start.data.key = 1
              key start.data.key
              timeout 1h
              step key
                send 'x' { key: start.data.key, start: 1, as: 2, fail: 3, backoff: 4, complete: 5, failure: 6 }
                await 'r' as fail where data.max > max(1, 2) within 10s
                fail on 'n'
                fail on 'm' where data.complete
                retry 2 every 500ms backoff 1.5 max 1m
                compensate 'u' {} await 'v' where data.ok within 5s
              on complete emit 'done' { k: key } when start.data.failure
              on failure emit 'f' {}
            RULE r ON 'x' WHERE data.key = 1 AND start = 2 EMIT 'y' { start: data.start, as: complete, fail: failure }
            AGGREGATE g ON 'x' GROUP BY data.k WINDOW TUMBLING 1m EMIT 'a' { k: key, m: max(data.v) }
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        #expect(file.declarations.map(\.name.text) == ["lower", "r", "g"])
        guard case .saga(let saga)? = file.declarations.first else { return }
        #expect(saga.start.alias.text == "start")
        #expect(saga.steps.map(\.name.text) == ["key"])
        #expect(saga.steps[0].awaiting?.alias?.text == "fail")
        #expect(saga.steps[0].failOn.count == 2)
        #expect(saga.steps[0].retry?.backoff == 1.5)
    }

    /// A saga among RULE, PATTERN and AGGREGATE declarations: each is read, in order.
    @Test func sagaAmongOtherDeclarations() {
        let (file, diagnostics, _) = parseRules("""
            RULE before ON 'order.created' EMIT 'order.placed' { orderId: data.id }
            \(Self.orderFulfillment)
            PATTERN p MATCH a: 'x' THEN b: 'y' WITHIN 1m EMIT 'z' {}
            SAGA tiny START ON 'x' AS x KEY x.id STEP only SEND 'y' {}
            AGGREGATE g ON 'x' WINDOW TUMBLING 1m EMIT 'a' {}
            RULE participant ON 'inventory.reserve' EMIT 'inventory.reserved' { orderId: data.orderId }
            """)
        #expect(diagnostics.isEmpty)
        #expect(file.declarations.map(\.name.text) == ["before", "order_fulfillment", "p", "tiny", "g", "participant"])
        #expect(file.declarations.map(\.kindForTest) == ["rule", "saga", "pattern", "saga", "aggregate", "rule"])
    }

    /// ON COMPLETE and ON FAILURE are first match: a branch after one without WHEN is never
    /// reached (a warning; the saga is kept).
    @Test func unreachableBranchWarning() {
        let (file, diagnostics, source) = parseRules("""
            SAGA s START ON 'a' AS o KEY o.id
              STEP x SEND 'a' {}
              ON FAILURE EMIT 'a' {}
              ON FAILURE EMIT 'b' {}
            """)
        #expect(file.declarations.count == 1)
        #expect(diagnostics.map { source.position(of: $0.range.start) + " " + $0.message } == [
            "4:3 this EMIT branch is never reached: the branch at 3:3 has no WHEN, and only the first branch that holds emits",
        ])
        #expect(diagnostics.first?.severity == .warning)
        #expect(diagnostics.first?.notes.map(\.message) == ["add a WHEN to the earlier branch: ON COMPLETE and ON FAILURE branches are first-match"])
    }
}

extension EventTypePattern {
    /// The written type (`order.*` as `order.*`), for the tests.
    var dumpForTest: String {
        switch kind {
        case .exact(let type): return type
        case .prefix(let prefix): return prefix + "*"
        case .any: return "*"
        }
    }
}

extension Declaration {
    var kindForTest: String {
        switch self {
        case .rule: return "rule"
        case .aggregate: return "aggregate"
        case .pattern: return "pattern"
        case .saga: return "saga"
        }
    }
}
