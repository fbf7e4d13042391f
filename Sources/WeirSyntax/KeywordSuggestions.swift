/// "Did you mean" for a misspelt keyword, which the parser otherwise reads as a name:
/// `type LIK 'a%'` (a name where an operator was expected), `EXIST data.x` (a name followed
/// by an operand).
extension Parser {
    /// Keywords that follow a complete operand.
    private static let infixKeywords = ["AND", "OR", "XOR", "LIKE", "MATCHES", "NOT"]
    /// Keywords that come before an operand.
    private static let prefixKeywords = ["EXISTS", "NOT"]

    /// The suggestion for the words around `current`, where a complete expression was
    /// followed by something that cannot continue it; nil when no word looks like a typo.
    func keywordTypoSuggestion() -> String? {
        if current.kind == .word, current.keyword?.isExpressionKeyword != true, let keyword = Parser.closeKeyword(text(current), in: Parser.infixKeywords) {
            return DiagnosticMessages.didYouMeanKeyword(keyword, insteadOf: text(current))
        }
        guard index > 0, canStartOperand(current) else { return nil }
        let previous = tokens[index - 1]
        guard previous.kind == .word, previous.keyword?.isExpressionKeyword != true,
              let keyword = Parser.closeKeyword(text(previous), in: Parser.prefixKeywords) else { return nil }
        return DiagnosticMessages.didYouMeanKeyword(keyword, insteadOf: text(previous))
    }

    /// The keyword one edit away from `word` (ignoring case), for words of three letters or more.
    static func closeKeyword(_ word: String, in keywords: [String]) -> String? {
        let letters = Array(word.uppercased().utf8)
        guard letters.count >= 3 else { return nil }
        return keywords.first { editDistance(letters, Array($0.utf8)) <= 1 }
    }

    /// Edit distance between two byte strings, counting an insertion, a deletion, a
    /// substitution or a swap of two adjacent bytes (`RUEL` for `RULE`) as one edit.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var beforePrevious = Array(repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    row[j] = min(row[j], beforePrevious[j - 2] + 1)
                }
            }
            beforePrevious = previous
            previous = row
        }
        return previous[b.count]
    }
}
