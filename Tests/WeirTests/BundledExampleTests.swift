import Foundation
import Testing
import Weir

/// The bundled examples under `rules/` give exactly their expected output.
@Suite struct BundledExampleTests {
    static let orders = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules/orders")

    static func run(_ expression: String, format: ResultFormat) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("weir-example-\(UUID()).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let buffer = try OutputBuffer(path: output.path)
        let reader = try EventReader(path: orders.appendingPathComponent("events.jsonl").path)
        var rejected: [RejectedLine] = []
        let summary = try CompiledExpression(expression).evaluate(
            stream: reader, format: format, output: buffer, rejected: { rejected.append($0) })
        try buffer.close()
        #expect(rejected.isEmpty)
        #expect(summary.events == 20)
        return try String(contentsOf: output, encoding: .utf8)
    }

    @Test func highValueUS() throws {
        let expected = try String(contentsOf: Self.orders.appendingPathComponent("high-value-us.expected"), encoding: .utf8)
        let got = try Self.run("data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'", format: .text)
        #expect(got == expected)
        #expect(got.split(separator: "\n").filter { $0 == "true" }.count == 1)
    }

    @Test func countries() throws {
        let expected = try String(contentsOf: Self.orders.appendingPathComponent("country.expected"), encoding: .utf8)
        let got = try Self.run("coalesce(data.shippingAddress.country, 'unknown')", format: .json)
        #expect(got == expected)
        #expect(got.hasPrefix("{\"value\": \"USA\", \"error\": null}\n"))
    }
}
