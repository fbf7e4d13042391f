import Foundation
import Testing
import Weir

/// The README's embedding example, compiled and run. `readmeMatchesThisFile` keeps the README's
/// copy identical to the code between the markers below.
@Suite struct ReadmeExampleTests {
    @Test func embeddingExampleRuns() throws {
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }

        // BEGIN README EXAMPLE
        // Compile once; evaluate from any thread, whatever its stack size. A compile error is a value, never a crash.
        let filter = try CompiledExpression("data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'")

        // Events from JSON text, or from Swift values.
        let order = try Event(jsonText: """
            {"specversion":"1.0","id":"o1","source":"/shop","type":"order.created",
             "data":{"totalAmount":1250.5,"shippingAddress":{"country":"USA"}}}
            """)
        let refund = try Event(id: "r1", source: "/shop", type: "order.refunded", attributes: ["subject": "o1"], data: ["totalAmount": 1800])

        let matched = filter.matches(order)    // true
        let result = filter.evaluate(refund)   // false, with a missingAttribute error
        print(matched, result.value, result.error ?? "no error")

        // Streams of JSON Lines: bad lines are reported and skipped, the rest evaluated.
        let lines = Array("""
            {"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"totalAmount":5000,"shippingAddress":{"country":"USA"}}}
            not json
            """.utf8)
        let summary = try filter.evaluate(stream: EventReader(bytes: lines), format: nil, output: nil) { bad in
            print("line \(bad.line): \(bad.reason)")
        }
        print(summary.matched, "matched of", summary.events)

        // Diagnostics say where and why.
        do {
            _ = try CompiledExpression("size(data.items) >")
        } catch {
            print(error)
        }
        // END README EXAMPLE

        #expect(matched)
        #expect(result == EvaluationResult(value: .bool(false), error: .missingAttribute))
        #expect(summary.matched == 1 && summary.events == 1 && summary.rejected == 1)
        #expect(printed[0] == "true false missingAttribute")
        #expect(printed[1].hasPrefix("line 2: not valid JSON"))
        #expect(printed[2] == "1 matched of 1")
        #expect(printed[3].hasPrefix("<expr>:1:19: error: expected expression"))
        #expect(printed[3].contains("\n1 | size(data.items) >\n"))
    }

    /// The README shows exactly the code above.
    @Test func readmeMatchesThisFile() throws {
        let example = try #require(try ReadmeSnippets.example(in: #filePath, begin: "// BEGIN README EXAMPLE", end: "// END README EXAMPLE"), "markers missing")
        #expect(try ReadmeSnippets.readme(from: #filePath).contains(example))
    }
}
