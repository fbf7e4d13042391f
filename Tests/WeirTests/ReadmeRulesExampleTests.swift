import Foundation
import Testing
import Weir

/// The README's rule-file embedding example, compiled and run. `readmeMatchesThisFile` keeps
/// the README's copy identical to the code between the markers below.
@Suite struct ReadmeRulesExampleTests {
    @Test func rulesEmbeddingExampleRuns() throws {
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }

        // BEGIN README RULES EXAMPLE
        // Rule files compile once into an immutable plan; every error, located, is a value (RuleCompileError).
        let rules = try RuleSet(text: """
            RULE big_order ON 'order.created' WHERE data.total > 1000
              EMIT 'order.big' { orderId: data.orderId, total: data.total }
            AGGREGATE per_minute ON 'order.created' GROUP BY data.country WINDOW TUMBLING 1m
              EMIT 'orders.per-minute' { country: key, orders: count(), revenue: sum(data.total) }
            """)
        // One engine per stream, in event time (the events' `time`); pass `clock:` for processing time.
        let engine = RuleEngine(rules: rules)
        for (i, total) in [1250, 80, 3000].enumerated() {
            let order = try Event(id: "o\(i)", source: "/shop", type: "order.created",
                                  attributes: ["time": .string("2026-03-01T10:00:0\(i)Z")],
                                  data: ["orderId": .string("o\(i)"), "country": "FR", "total": .int(Int64(total))])
            // What this event emitted (rules feeding rules included), or a Rejection (.late, .invalidTime).
            for emitted in try engine.process(order) { print(emitted.jsonText) }
        }
        // End of input: every open window fires.
        for emitted in engine.finish() { print(emitted.jsonText) }

        let stats = engine.statistics
        print(stats.eventsIn, "in,", stats.emitted, "emitted,", stats.late, "late")
        for d in stats.declarations { print(d.name, d.matched, "matched,", d.emitted, "emitted,", d.errorCount, "errors") }
        // END README RULES EXAMPLE

        #expect(printed == [
            #"{"specversion":"1.0","id":"big_order-1","source":"weir://big_order","type":"order.big","time":"2026-03-01T10:00:00.000Z","#
                + #""datacontenttype":"application/json","causationid":"o0","data":{"orderId":"o0","total":1250}}"#,
            #"{"specversion":"1.0","id":"big_order-2","source":"weir://big_order","type":"order.big","time":"2026-03-01T10:00:02.000Z","#
                + #""datacontenttype":"application/json","causationid":"o2","data":{"orderId":"o2","total":3000}}"#,
            #"{"specversion":"1.0","id":"per_minute-1","source":"weir://per_minute","type":"orders.per-minute","#
                + #""time":"2026-03-01T10:01:00.000Z","datacontenttype":"application/json","causationid":"o2","#
                + #""data":{"country":"FR","orders":3,"revenue":4330}}"#,
            "3 in, 3 emitted, 0 late",
            "big_order 2 matched, 2 emitted, 0 errors",
            "per_minute 3 matched, 1 emitted, 0 errors",
        ])
    }

    /// The README shows exactly the code above.
    @Test func readmeMatchesThisFile() throws {
        let example = try #require(try ReadmeSnippets.example(in: #filePath, begin: "// BEGIN README RULES EXAMPLE", end: "// END README RULES EXAMPLE"), "markers missing")
        #expect(try ReadmeSnippets.readme(from: #filePath).contains(example))
    }
}
