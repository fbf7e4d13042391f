import Foundation
import Testing
import Weir
import Yams

/// Reads CloudEvents SQL TCK files (and Weir's own extension cases, in the same shape) and runs
/// every case through the public API, on owned events and on the ingest path's document view.
struct ConformanceCase: CustomStringConvertible, Sendable {
    let file: String
    let name: String
    let expression: String
    let result: JSONValue?
    let error: String?
    let event: JSONValue
    let dialects: [Dialect]

    var description: String { "\(file): \(name)" }
}

enum ConformanceSuite {
    /// Where the CloudEvents SQL TCK was looked for, and what the tests do about it.
    static let location = TCKLocation.find(environment: ProcessInfo.processInfo.environment, packageRoot: repositoryRoot)

    /// The TCK's folder (where it was looked for when it is missing).
    static var tckDirectory: URL { location.directory }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var extensionsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Extensions")
    }

    /// The minimal valid event a case without `event` starts from (CloudEvents' required attributes).
    static let baseEvent: JSONObject = JSONObject([
        ("specversion", .string("1.0")), ("id", .string("tck-1")), ("source", .string("/tck")),
        ("type", .string("tck.event")),
    ])

    static func load(directory: URL, defaultDialects: [Dialect]) throws -> [ConformanceCase] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        var cases: [ConformanceCase] = []
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            guard let root = try Yams.compose(yaml: text), let tests = root["tests"]?.sequence else { continue }
            for test in tests {
                guard let name = test["name"]?.scalar?.string, let expression = test["expression"]?.scalar?.string
                else { continue }
                var event = baseEvent
                if let full = test["event"], case .object(let object) = json(full) { event = object }
                if let overrides = test["eventOverrides"]?.mapping {
                    for (key, value) in overrides {
                        if let k = key.scalar?.string { event[k] = json(value) }
                    }
                }
                var dialects = defaultDialects
                if let d = test["dialect"]?.scalar?.string { dialects = d == "cesql" ? [.cesql] : [.weir] }
                cases.append(
                    ConformanceCase(
                        file: file, name: name, expression: expression, result: test["result"].map(json),
                        error: test["error"]?.scalar?.string, event: .object(event), dialects: dialects))
            }
        }
        return cases
    }

    /// A YAML node as JSON: plain scalars that read as integers, Booleans or decimals are typed;
    /// quoted scalars and everything else (timestamps included) stay text, as CESQL expects.
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let s):
            if s.style == .plain {
                let t = s.string
                if t == "true" || t == "True" || t == "TRUE" { return .bool(true) }
                if t == "false" || t == "False" || t == "FALSE" { return .bool(false) }
                if let i = Int64(t) { return .int(i) }
                if !t.isEmpty, t.allSatisfy({ $0.isNumber || $0 == "-" }), let d = Double(t) { return .double(d) }
                if t.contains("."), !t.contains(":"), let d = Double(t) { return .double(d) }
                if t == "null" || t == "~" { return .null }
            }
            return .string(s.string)
        case .mapping(let m):
            var object = JSONObject()
            for (k, v) in m { object[k.scalar?.string ?? ""] = json(v) }
            return .object(object)
        case .sequence(let seq):
            return .array(seq.map(json))
        case .alias:
            return .null
        }
    }

    enum Outcome: Equatable {
        case pass
        case fail(String)
    }

    /// Runs one case in one dialect on both evaluators.
    static func run(_ c: ConformanceCase, dialect: Dialect) -> Outcome {
        let compiled: CompiledExpression
        do {
            compiled = try CompiledExpression(c.expression, dialect: dialect)
        } catch {
            if c.error == "parse" { return .pass }
            return .fail("did not compile:\n\(error)")
        }
        if c.error == "parse" { return .fail("compiled, but a parse error was expected") }
        let event: Event
        do { event = try Event(json: c.event) } catch { return .fail("test event is invalid: \(error)") }
        let owned = compiled.evaluate(event)
        if let problem = check(owned, c, "owned event") { return .fail(problem) }
        // The same expression through the ingest path (simdjson document view).
        do {
            let viaIngest = try evaluateIngested(compiled, event)
            if let problem = check(viaIngest, c, "ingested document") { return .fail(problem) }
        } catch {
            return .fail("ingest failed: \(error)")
        }
        return .pass
    }

    static func evaluateIngested(_ e: CompiledExpression, _ event: Event) throws -> EvaluationResult {
        var result: EvaluationResult?
        let reader = EventReader(bytes: Array((event.jsonText + "\n").utf8))
        _ = reader.forEach({ document, _ in result = e.evaluate(document) }, rejected: { _ in })
        guard let result else { throw IngestTestError.noEvent }
        return result
    }

    enum IngestTestError: Error { case noEvent }

    static func check(_ r: EvaluationResult, _ c: ConformanceCase, _ path: String) -> String? {
        let expectedError = c.error
        let gotError = r.error?.rawValue
        if expectedError != gotError {
            return "\(path): error \(gotError ?? "none"), expected \(expectedError ?? "none") (value \(r.value))"
        }
        if let expected = c.result, !same(r.value, expected) {
            return "\(path): value \(r.value), expected \(expected)"
        }
        return nil
    }

    /// Values compare with their type: the string '1' is not the integer 1.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool { a == b }
}
