import Testing
import Weir

@testable import WeirCore
@testable import WeirIngest
import WeirTestSupport

/// Expressions over events nested up to the deepest supported limit do not crash, on owned
/// events and on the parser's view, on a thread with a 512 KiB stack.
@Suite struct DeepEventEvaluationTests {
    static let depth = 65000

    static func deepEvent(arrays: Bool) -> String {
        let open = arrays ? String(repeating: "[", count: depth) : String(repeating: #"{"a":"#, count: depth)
        let close = String(repeating: arrays ? "]" : "}", count: depth)
        return #"{"specversion":"1.0","id":"d","source":"/s","type":"t","data":"# + open + "1" + close + "}"
    }

    /// Each expression's results on the owned event and on the ingested document.
    static func results(_ expressions: [String], arrays: Bool) -> [String] {
        let line = deepEvent(arrays: arrays)
        return onSmallStack { () -> [String] in
            let limits = try! IngestLimits(maxDepth: 65536)
            var out: [String] = []
            do {
                let compiled = try expressions.map { try CompiledExpression($0) }
                let event = try EventReader.parseEvent(line, limits: limits)
                let reader = EventReader(bytes: Array(line.utf8), limits: limits)
                var ingested: [EvaluationResult] = []
                _ = reader.forEach({ document, _ in ingested = compiled.map { $0.evaluate(document) } }, rejected: { _ in })
                for (i, e) in compiled.enumerated() {
                    let owned = e.evaluate(event)
                    out.append(owned == ingested[i] ? owned.description : "owned \(owned) ingested \(ingested[i])")
                }
            } catch {
                out.append("\(error)")
            }
            return out
        }
    }

    @Test func deepObjects() {
        let deepPath = "data" + String(repeating: ".a", count: Self.depth)
        let results = Self.results(
            ["EXISTS data.a.a.a", "EXISTS \(deepPath)", deepPath, "data", "data.a", "size(data)", "STRING(data)"],
            arrays: false)
        #expect(results.count == 7)
        if results.count == 7 {
            #expect(results[0] == "true")
            #expect(results[1] == "true")
            #expect(results[2] == "1")
            // Too deep to copy out as a value: an error, not a crash.
            #expect(results[3].contains("generic"))
            #expect(results[4].contains("generic"))
            #expect(results[5] == "1")
            #expect(results[6].contains("generic"))
        }
    }

    @Test func deepArrays() {
        let deepPath = "data" + String(repeating: "[0]", count: Self.depth)
        let results = Self.results(["EXISTS \(deepPath)", deepPath, "data", "1 IN data", "size(data)"], arrays: true)
        #expect(results == ["true", "1", results.count > 2 ? results[2] : "", results.count > 3 ? results[3] : "", "1"])
        #expect(results.count == 5 && results[2].contains("generic") && results[3].contains("generic"))
    }
}
