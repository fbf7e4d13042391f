import Foundation
import Testing
import WeirCore
import WeirSyntax
@testable import WeirCompiler

/// A test-only reader of rule text, line by line (each clause starts a line with its keyword;
/// other lines continue the clause above), its expressions parsed by `ExpressionParser` at
/// their place in the text so that diagnostics point into it.
enum RuleText {
    static let clauseKeywords = ["ON", "WHERE", "GROUP BY", "WINDOW", "HAVING", "EMIT"]

    static func parse(_ text: String, name: String = "test.rules") -> (file: RuleFile, diagnostics: [Diagnostic]) {
        let source = SourceFile(name: name, text: text)
        var diagnostics: [Diagnostic] = []
        // Each clause: (keyword, start offset of what follows it, end offset).
        var declarations: [[(String, Int, Int)]] = []
        var offset = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            let start = offset + (line.utf8.count - trimmed.utf8.count)
            let end = offset + line.utf8.count
            offset = end + 1
            if trimmed.isEmpty || trimmed.hasPrefix("--") { continue }
            if let keyword = (["RULE", "AGGREGATE"] + clauseKeywords).first(where: { trimmed.hasPrefix($0 + " ") }) {
                if keyword == "RULE" || keyword == "AGGREGATE" { declarations.append([]) }
                declarations[declarations.count - 1].append((keyword, start + keyword.utf8.count + 1, end))
            } else {
                declarations[declarations.count - 1][declarations[declarations.count - 1].count - 1].2 = end
            }
        }
        func slice(_ s: Int, _ e: Int) -> String { source.slice(SourceRange(start: s, end: e)) }
        func expr(_ s: Int, _ e: Int) -> Expr {
            var bytes = source.bytes
            for i in bytes.indices where (i < s || i >= e) && bytes[i] != UInt8(ascii: "\n") { bytes[i] = UInt8(ascii: " ") }
            let parsed = ExpressionParser.parse(SourceFile(name: name, bytes: bytes))
            diagnostics += parsed.diagnostics
            return parsed.expression ?? Expr(.invalid, SourceRange(start: s, end: e))
        }
        func duration(_ s: Int, _ word: String) -> DurationLiteral {
            let sign: Int64 = word.hasPrefix("-") ? -1 : 1
            let ms = word == "0" || word == "-0" ? 0 : TimeSpan(parsing: String(word.drop(while: { $0 == "-" })))!.milliseconds
            return DurationLiteral(milliseconds: sign * ms, range: SourceRange(start: s, end: s + word.utf8.count))
        }
        func emit(_ s: Int, _ e: Int) -> EmitClause {
            let bytes = Array(slice(s, e).utf8)
            let close = bytes[1...].firstIndex(of: UInt8(ascii: "'"))!
            let type = String(decoding: bytes[1..<close], as: UTF8.self)
            let templateStart = s + close + 1
            var templateEnd = e
            var when: Expr?
            let marker = Array(" WHEN ".utf8)
            if let w = stride(from: bytes.count - marker.count, through: 0, by: -1).first(where: { Array(bytes[$0..<$0 + marker.count]) == marker }) {
                templateEnd = s + w
                when = expr(templateEnd + marker.count, e)
            }
            return EmitClause(type: type, typeRange: SourceRange(start: s, end: templateStart), template: expr(templateStart, templateEnd),
                              when: when, range: SourceRange(start: s - 5, end: e))
        }
        var result: [Declaration] = []
        for clauses in declarations {
            let (kind, nameStart, end) = clauses[0]
            let nameText = slice(nameStart, end).trimmingCharacters(in: .whitespaces)
            let name = Name(nameText, SourceRange(start: nameStart, end: nameStart + nameText.utf8.count))
            var on: [EventTypePattern] = []
            var whereClause: Expr?, groupBy: Expr?, having: Expr?
            var window = WindowClause.tumbling(size: DurationLiteral(milliseconds: 60_000, range: name.range))
            var emits: [EmitClause] = []
            for (keyword, s, e) in clauses.dropFirst() {
                switch keyword {
                case "ON":
                    let t = slice(s, e).trimmingCharacters(in: CharacterSet(charactersIn: "' "))
                    on.append(EventTypePattern(t == "*" ? .any : (t.hasSuffix(".*") ? .prefix(String(t.dropLast())) : .exact(t)),
                                               SourceRange(start: s, end: e)))
                case "WHERE": whereClause = expr(s, e)
                case "GROUP BY": groupBy = expr(s, e)
                case "HAVING": having = expr(s, e)
                case "EMIT": emits.append(emit(s, e))
                default:  // WINDOW
                    var words: [String] = []
                    var starts: [Int] = []
                    var at = s
                    for part in slice(s, e).split(separator: " ", omittingEmptySubsequences: false) {
                        if !part.isEmpty { words.append(String(part)); starts.append(at) }
                        at += part.utf8.count + 1
                    }
                    switch words[0] {
                    case "TUMBLING": window = .tumbling(size: duration(starts[1], words[1]))
                    case "SLIDING": window = .sliding(size: duration(starts[1], words[1]), every: duration(starts[3], words[3]))
                    default: window = .session(gap: duration(starts[2], words[2]))
                    }
                }
            }
            let range = SourceRange(start: nameStart, end: clauses.last!.2)
            if kind == "RULE" {
                result.append(.rule(RuleDeclaration(name: name, on: on, whereClause: whereClause, emits: emits, emitAll: false, range: range)))
            } else {
                result.append(.aggregate(AggregateDeclaration(
                    name: name, on: on, whereClause: whereClause, groupBy: groupBy, window: window, windowRange: range,
                    having: having, emit: emits[0], range: range)))
            }
        }
        return (RuleFile(source: source, declarations: result), diagnostics)
    }

    /// Compiles rule texts (one per file).
    static func compile(_ texts: [String]) -> (plan: RuleSetPlan?, diagnostics: [[Diagnostic]], sources: [SourceFile]) {
        let parsed = texts.enumerated().map { parse($1, name: "f\($0).rules") }
        let result = RuleCompiler.compile(parsed: parsed.map(\.file), parseDiagnostics: parsed.map(\.diagnostics))
        return (result.plan, result.diagnostics, parsed.map(\.file.source))
    }

    /// The rendered diagnostics of one rule text.
    static func rendered(_ text: String) -> String {
        let r = compile([text])
        return DiagnosticRenderer.render(r.diagnostics[0], in: r.sources[0])
    }

    static func plan(_ text: String) throws -> RuleSetPlan {
        let r = compile([text])
        let rendered = DiagnosticRenderer.render(r.diagnostics[0], in: r.sources[0])
        guard let plan = r.plan else { Issue.record("did not compile:\n\(rendered)"); throw RuleTextError.didNotCompile }
        return plan
    }
}

enum RuleTextError: Error { case didNotCompile }

extension Event {
    static func test(_ type: String = "order.created", _ data: JSONValue, attributes: JSONObject = [:]) -> Event {
        try! Event(id: "1", source: "/test", type: type, attributes: attributes, data: data)
    }
}
