import Testing
import WeirCore
import WeirSyntax
@testable import WeirCompiler

/// Compiling rule text in tests.
enum RuleText {
    /// Compiles rule texts (one per file) with the rule-file parser.
    static func compile(_ texts: [String]) -> (plan: RuleSetPlan?, diagnostics: [[Diagnostic]], sources: [SourceFile]) {
        let sources = texts.enumerated().map { SourceFile(name: "f\($0).rules", text: $1) }
        let result = RuleCompiler.compileByFile(sources)
        return (result.plan, result.diagnostics, sources)
    }

    /// Compiles one AGGREGATE (`AGGREGATE a ON 'a' WINDOW <window> EMIT 'b' {}`, its window
    /// written as `window`) with its window replaced by `change`: what the parser cannot
    /// produce (a zero or negative duration, a step larger than the size).
    static func compileWindow(_ window: String, _ change: (WindowClause) -> WindowClause) -> [Diagnostic] {
        let source = SourceFile(name: "f0.rules", text: "AGGREGATE a ON 'a' WINDOW \(window) EMIT 'b' {}")
        let parsed = RuleFileParser.parse(source)
        guard case .aggregate(var a)? = parsed.file.declarations.first else { return parsed.diagnostics }
        a.window = change(a.window)
        return RuleCompiler.compile(parsed: [RuleFile(source: source, declarations: [.aggregate(a)])]).diagnostics[0]
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
