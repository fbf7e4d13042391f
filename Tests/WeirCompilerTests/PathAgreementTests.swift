import Testing
import Weir
import WeirTestSupport

/// Paths and container comparisons give the same result on owned events and on the parser's
/// view of the same line, including indexes beyond any array.
@Suite struct PathAgreementTests {

    static let keys = ["a", "b", "c", "é"]
    static let indexes: [Int] = [0, 1, 2, 3, 7, 1 << 32, 1 << 59, 1 << 60, 1_152_921_504_606_846_976, 1 << 62, Int.max]

    static func randomJSON(_ random: inout SplitMix64, depth: Int) -> String {
        let choice = depth == 0 ? Int.random(in: 0..<5, using: &random) : Int.random(in: 0..<7, using: &random)
        switch choice {
        case 0: return String(Int.random(in: -3...3, using: &random))
        case 1: return ["1.0", "2.5", "-0.0", "18446744073709551615"].randomElement(using: &random)!
        case 2: return ["\"x\"", "\"\"", "\"\\u00e9\"", "\"e\\u0301\""].randomElement(using: &random)!
        case 3: return ["true", "false"].randomElement(using: &random)!
        case 4: return "null"
        case 5:
            let n = Int.random(in: 0...3, using: &random)
            return "[" + (0..<n).map { _ in randomJSON(&random, depth: depth - 1) }.joined(separator: ",") + "]"
        default:
            let n = Int.random(in: 0...3, using: &random)
            let fields = (0..<n).map { _ in "\"\(keys.randomElement(using: &random)!)\":" + randomJSON(&random, depth: depth - 1) }
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    static func randomPath(_ random: inout SplitMix64) -> String {
        var path = "data"
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            if Bool.random(using: &random) {
                path += "['\(keys.randomElement(using: &random)!)']"
            } else {
                path += "[\(indexes.randomElement(using: &random)!)]"
            }
        }
        return path
    }

    /// The results of `expressions` on one line, owned and ingested.
    static func results(_ expressions: [String], line: String) throws -> (owned: [EvaluationResult], ingested: [EvaluationResult]) {
        let compiled = try expressions.map { try CompiledExpression($0) }
        let event = try Event(jsonText: line)
        var ingested: [EvaluationResult] = []
        let reader = EventReader(bytes: Array(line.utf8))
        _ = reader.forEach({ document, _ in ingested = compiled.map { $0.evaluate(document) } },
                           rejected: { Issue.record("rejected: \($0.reason)") })
        return (compiled.map { $0.evaluate(event) }, ingested)
    }

    @Test func randomPathsAgree() throws {
        var random = SplitMix64(seed: 0x5EED_0009)
        for _ in 0..<150 {
            let data = Self.randomJSON(&random, depth: 4)
            let line = #"{"specversion":"1.0","id":"r","source":"/s","type":"t","data":"# + data + "}"
            var expressions: [String] = []
            for _ in 0..<8 {
                let a = Self.randomPath(&random)
                let b = Self.randomPath(&random)
                expressions += [a, "EXISTS \(a)", "\(a) = \(b)", "size(\(a))"]
            }
            let (owned, ingested) = try Self.results(expressions, line: line)
            #expect(owned.count == ingested.count)
            for (i, text) in expressions.enumerated() where i < ingested.count {
                #expect(owned[i] == ingested[i], "\(text) on \(data): owned \(owned[i]), ingested \(ingested[i])")
            }
        }
    }

    @Test func hugeIndexIsMissingOnBoth() throws {
        let line = #"{"specversion":"1.0","id":"r","source":"/s","type":"t","data":{"items":["first","second"]}}"#
        let expressions = ["data.items[1152921504606846976]", "data.items[1152921504606846977]", "data.items[9223372036854775807]",
                           "EXISTS data.items[1152921504606846976]", "data.items[1]"]
        let (owned, ingested) = try Self.results(expressions, line: line)
        let missing = EvaluationResult(value: false, error: .missingAttribute)
        #expect(owned == [missing, missing, missing, .init(value: false), .init(value: "second")])
        #expect(ingested == owned)
    }

    @Test func containersCompareWithTheScalarRules() throws {
        let line = #"{"specversion":"1.0","id":"r","source":"/s","type":"t","data":{"#
            + #""i":[1,{"k":2}],"d":[1.0,{"k":2.0}],"s":["\u00e9"],"t":["e\u0301"],"#
            + #""o1":{"a":1,"b":"x"},"o2":{"b":"x","a":1.0},"o3":{"a":1,"b":"y"},"n":[1],"str":["1"]}}"#
        let expressions = ["data.i = data.d", "data.s = data.t", "data.s = data.s", "data.o1 = data.o2",
                           "data.o1 = data.o3", "data.n = data.str", "data.i <> data.d", "1 = 1.0", "'\u{e9}' = 'e\u{301}'"]
        let (owned, ingested) = try Self.results(expressions, line: line)
        #expect(owned.map(\.value) == [true, false, true, true, false, false, false, true, false])
        #expect(owned.allSatisfy { $0.error == nil })
        #expect(ingested == owned)
    }
}
