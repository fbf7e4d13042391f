import Foundation
import Testing
import WeirSyntax

/// `Grammar/weir.ebnf` and the parser stay in step: every production a parse function quotes
/// in its doc comment is in the grammar word for word, and every expression production of
/// the grammar is quoted by some parse function.
@Suite struct GrammarTests {
    /// The package root, from this file's path (`Tests/WeirSyntaxTests/GrammarTests.swift`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func normalized(_ line: String) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Production lines (`name ::= ...` and their `| ...` continuations) quoted in doc comments.
    static func quotedProductions() throws -> [(file: String, line: String)] {
        let folder = root.appendingPathComponent("Sources/WeirSyntax")
        var result: [(String, String)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            var inProduction = false
            for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let trimmed = rawLine.drop(while: { $0 == " " })
                guard trimmed.hasPrefix("///     ") else {
                    inProduction = false
                    continue
                }
                let code = normalized(String(trimmed.dropFirst(3)))
                if code.contains("::=") || (inProduction && code.hasPrefix("|")) {
                    inProduction = true
                    result.append((name, code))
                } else {
                    inProduction = false
                }
            }
        }
        return result
    }

    static func grammar() throws -> String {
        try String(contentsOf: root.appendingPathComponent("Grammar/weir.ebnf"), encoding: .utf8)
    }

    @Test func quotedProductionsAreInTheGrammar() throws {
        let grammarLines = Set(try GrammarTests.grammar().split(separator: "\n").map { GrammarTests.normalized(String($0)) })
        let quoted = try GrammarTests.quotedProductions()
        #expect(quoted.count > 30)
        for (file, line) in quoted {
            #expect(grammarLines.contains(line), "\(file) quotes a line that is not in Grammar/weir.ebnf: \(line)")
        }
    }

    @Test func everyExpressionProductionIsQuoted() throws {
        let grammar = try GrammarTests.grammar()
        guard let start = grammar.range(of: "2. Expressions"), let end = grammar.range(of: "3. Declarations") else {
            Issue.record("the grammar lost its section headers")
            return
        }
        let section = grammar[start.upperBound..<end.lowerBound]
        let defined = section.split(separator: "\n").compactMap { line -> String? in
            guard let first = line.first, first.isLetter, line.contains("::=") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        #expect(defined.count > 20)
        let quotedNames = Set(try GrammarTests.quotedProductions().compactMap { entry -> String? in
            entry.line.contains("::=") ? entry.line.split(separator: " ").first.map(String.init) : nil
        })
        for name in defined {
            #expect(quotedNames.contains(name), "no parse function quotes the production '\(name)'")
        }
    }

    @Test func everyDeclarationProductionIsQuoted() throws {
        let grammar = try GrammarTests.grammar()
        guard let start = grammar.range(of: "3. Declarations") else {
            Issue.record("the grammar lost its section headers")
            return
        }
        let defined = grammar[start.upperBound...].split(separator: "\n").compactMap { line -> String? in
            guard let first = line.first, first.isLetter, line.contains("::=") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        #expect(defined.count > 10)
        let quotedNames = Set(try GrammarTests.quotedProductions().compactMap { entry -> String? in
            entry.line.contains("::=") ? entry.line.split(separator: " ").first.map(String.init) : nil
        })
        // The keyword list is the `Keyword` table, checked by KeywordTests.
        for name in defined where name != "clause-keyword" {
            #expect(quotedNames.contains(name), "no parse function quotes the production '\(name)'")
        }
    }

    /// The grammar's clause keywords are exactly the rule-file keywords of `Keyword`.
    @Test func clauseKeywordsMatchTheTable() throws {
        let grammar = try GrammarTests.grammar()
        guard let start = grammar.range(of: "clause-keyword   ::="), let end = grammar[start.upperBound...].range(of: "(*") else {
            Issue.record("no clause-keyword production")
            return
        }
        let words = grammar[start.upperBound..<end.lowerBound].split(whereSeparator: { !$0.isLetter }).map { $0.lowercased() }
        #expect(Set(words) == Set(Keyword.allCases.filter(\.isClauseKeyword).map(\.rawValue)))
    }
}
