import Foundation
import WeirSyntax

/// Parses `text` as a rule file named `test.rules`.
func parseRules(_ text: String) -> (file: RuleFile, diagnostics: [Diagnostic], source: SourceFile) {
    let source = SourceFile(name: "test.rules", text: text)
    let (file, diagnostics) = RuleFileParser.parse(source)
    return (file, diagnostics, source)
}

/// The dump of `text`'s declarations, or its rendered diagnostics if it has any.
func dumpRules(_ text: String) -> String {
    let (file, diagnostics, source) = parseRules(text)
    if !diagnostics.isEmpty { return DiagnosticRenderer.render(diagnostics, in: source) }
    return file.dump()
}

/// The rendered diagnostics of `text` as a rule file.
func ruleDiagnostics(_ text: String) -> String {
    let (_, diagnostics, source) = parseRules(text)
    return DiagnosticRenderer.render(diagnostics, in: source)
}

/// The messages of `text`'s diagnostics as a rule file.
func ruleMessages(_ text: String) -> [String] {
    parseRules(text).diagnostics.map(\.message)
}

/// The names of the declarations parsed from `text`.
func ruleNames(_ text: String) -> [String] {
    parseRules(text).file.declarations.map(\.name.text)
}

/// Every `.rules` file under the package's `rules/` folder, with its path.
func exampleRuleFiles() throws -> [(path: String, text: String)] {
    let root = GrammarTests.root.appendingPathComponent("rules")
    guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
    var files: [(String, String)] = []
    for case let path as String in enumerator where path.hasSuffix(".rules") {
        files.append((path, try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)))
    }
    return files.sorted { $0.0 < $1.0 }
}
