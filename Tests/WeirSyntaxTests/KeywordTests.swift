import Testing
import WeirSyntax

/// One keyword table, no length limit (issue 10, §1 "Keywords").
@Suite struct KeywordTests {
    func keywords(_ text: String) -> [Keyword?] {
        Lexer.tokenize(SourceFile(name: "<expr>", text: text)).tokens.dropLast().map(\.keyword)
    }

    /// Keywords used to be packed one byte per letter into a UInt64, so a word of more than
    /// 8 letters could never be one.
    @Test func longKeywords() {
        #expect(keywords("AGGREGATE compensate Partition tumbling") == [.aggregate, .compensate, .partition, .tumbling])
        #expect(keywords("aggregates compensat") == [nil, nil])
    }

    @Test func everyKeywordIsFoundInAnyCase() {
        for keyword in Keyword.allCases {
            #expect(keywords(keyword.rawValue) == [keyword])
            #expect(keywords(keyword.rawValue.uppercased()) == [keyword])
        }
    }

    /// In `weir eval` expressions the rule-file keywords are ordinary names (CESQL allows
    /// attributes named `window`, `session`, `key`).
    @Test func clauseKeywordsAreNamesInExpressions() {
        #expect(dump("window = 'a' AND session = key") == """
            binary and @1:1
              binary equal @1:1
                identifier window @1:1
                string 'a' @1:10
              binary equal @1:18
                identifier session @1:18
                identifier key @1:28
            """)
        #expect(dump("then(where)") == """
            call then @1:1
              identifier where @1:6
            """)
        #expect(messages("EXISTS rule") == [])
        #expect(messages("x IN emit") == [])
        #expect(messages("window", dialect: .cesql) == [])
    }
}
