import Testing
import WeirSyntax

/// `--dialect cesql`: every Weir extension is an error naming it; CESQL input parses alike in both dialects.
@Suite struct DialectTests {
    /// (expression, the one dialect error it gets in `.cesql`)
    static let extensions: [(String, String)] = [
        ("data.x = 1", "field paths ('.' and '[...]') are a Weir extension; CloudEvents SQL only reads context attributes"),
        ("data['k'] = 1", "field paths ('.' and '[...]') are a Weir extension; CloudEvents SQL only reads context attributes"),
        ("x[0] = 1", "field paths ('.' and '[...]') are a Weir extension; CloudEvents SQL only reads context attributes"),
        ("a == 1", "'==' is a Weir extension; CloudEvents SQL uses '='"),
        ("a && b", "'&&' is a Weir extension; CloudEvents SQL uses 'AND'"),
        ("a || b", "'||' is a Weir extension; CloudEvents SQL uses 'OR'"),
        ("!a", "'!' is a Weir extension; CloudEvents SQL uses 'NOT'"),
        ("x =~ 'a'", "'=~' is a Weir extension; CloudEvents SQL has no regular expressions (use 'LIKE')"),
        ("x !~ 'a'", "'!~' is a Weir extension; CloudEvents SQL has no regular expressions (use 'LIKE')"),
        ("x MATCHES 'a'", "'MATCHES' is a Weir extension; CloudEvents SQL has no regular expressions (use 'LIKE')"),
        ("x not matches 'a'", "'MATCHES' is a Weir extension; CloudEvents SQL has no regular expressions (use 'LIKE')"),
        ("x IN data.list", "'IN' with a path is a Weir extension; CloudEvents SQL needs a list in parentheses: 'x IN (a, b)'"),
        ("x NOT IN tags", "'IN' with a path is a Weir extension; CloudEvents SQL needs a list in parentheses: 'x IN (a, b)'"),
        ("59.98", "decimal literals are a Weir extension; CloudEvents SQL has only integers"),
        ("1.5e3 > 0", "decimal literals are a Weir extension; CloudEvents SQL has only integers"),
        ("2147483648", "integer literal '2147483648' is outside the 32-bit range of CloudEvents SQL; 64-bit integers are a Weir extension"),
        ("-2147483649", "integer literal '-2147483649' is outside the 32-bit range of CloudEvents SQL; 64-bit integers are a Weir extension"),
        ("EXISTS data.x", "'EXISTS' with a path is a Weir extension; CloudEvents SQL takes an attribute name"),
        ("log10(x)", "function name 'log10' is a Weir extension; CloudEvents SQL function names are a letter, then letters and '_'"),
        ("_f(x)", "function name '_f' is a Weir extension; CloudEvents SQL function names are a letter, then letters and '_'"),
        ("my_ext = 1", "'_' in the name 'my_ext' is a Weir extension; CloudEvents SQL names have only letters and digits"),
    ]

    @Test(arguments: extensions)
    func extensionIsAnErrorInCESQL(_ text: String, _ message: String) {
        let (cesql, _) = parse(text, dialect: .cesql)
        #expect(cesql.diagnostics.map(\.message) == [message])
        #expect(cesql.diagnostics.map(\.code) == [.dialect])
        #expect(cesql.hasErrors)
        #expect(cesql.expression != nil)
        let (weir, _) = parse(text, dialect: .weir)
        #expect(weir.diagnostics.isEmpty)
    }

    @Test func renderedDialectError() {
        #expect(diagnostics("type = 'x' && data.total > 5", dialect: .cesql) == """
            <expr>:1:12: error: '&&' is a Weir extension; CloudEvents SQL uses 'AND'
            1 | type = 'x' && data.total > 5
              |            ^~
            <expr>:1:15: error: field paths ('.' and '[...]') are a Weir extension; CloudEvents SQL only reads context attributes
            1 | type = 'x' && data.total > 5
              |               ^~~~~~~~~~
            """)
    }

    @Test func cesqlSpellingsAreFineInCESQL() {
        for text in ["CONCAT_WS(',', 'a')", "a /* comment */ = 1", "-2147483648", "2147483647", "EXISTS myext", "x NOT IN (1)",
                     "1abc = abc1", "\"double\" = 'single'"] {
            #expect(messages(text, dialect: .cesql).isEmpty, "\(text)")
        }
    }

    /// Where the two languages conflict, each dialect keeps its meaning.
    @Test func conflicts() {
        #expect(dump("5 -- 3") == "integer 5 @1:1")
        #expect(dump("5 -- 3", dialect: .cesql) == """
            binary subtract @1:1
              integer 5 @1:1
              unary negate @1:4
                integer 3 @1:6
            """)
        #expect(dump("1e3") == "decimal 1000.0 @1:1")
        #expect(dump("1e3", dialect: .cesql) == "identifier 1e3 @1:1")
        #expect(dump("1e-3", dialect: .cesql) == """
            binary subtract @1:1
              identifier 1e @1:1
              integer 3 @1:4
            """)
    }

    /// Every expression of the CloudEvents SQL TCK that is not a parse-error case parses with
    /// no diagnostics in both dialects, to the same tree.
    @Test(arguments: DialectTests.tckExpressions)
    func tckExpressionParsesAlikeInBothDialects(_ text: String) throws {
        let (cesql, source) = parse(text, dialect: .cesql)
        let (weir, _) = parse(text, dialect: .weir)
        #expect(cesql.diagnostics.isEmpty, "\(DiagnosticRenderer.render(cesql.diagnostics, in: source))")
        #expect(weir.diagnostics.isEmpty, "\(DiagnosticRenderer.render(weir.diagnostics, in: source))")
        let tree = try #require(cesql.expression)
        #expect(weir.expression == tree)
    }

    /// The TCK's parse-error cases fail in both dialects.
    @Test func tckParseErrors() {
        for dialect in Dialect.allCases {
            #expect(messages("ABC(", dialect: dialect) == ["expected ')' to close '(' at 1:4"])
            #expect(messages("x LIKE 123", dialect: dialect) == ["LIKE pattern must be a string literal"])
        }
    }

    /// The expressions of `shared/cesql-tck/*.yaml` (CloudEvents SQL v1 TCK, Apache-2.0), minus the parse errors.
    static let tckExpressions: [String] = [
        #"TRUE = FALSE"#,
        #"FALSE = FALSE"#,
        #"1 = 2"#,
        #"2 = 2"#,
        #"'abc' = '123'"#,
        #"'abc' = 'abc'"#,
        #"missing = 2"#,
        #"TRUE != FALSE"#,
        #"FALSE != FALSE"#,
        #"1 != 2"#,
        #"2 != 2"#,
        #"'abc' != '123'"#,
        #"'abc' != 'abc'"#,
        #"missing != 2"#,
        #"TRUE <> FALSE"#,
        #"FALSE <> FALSE"#,
        #"1 <> 2"#,
        #"2 <> 2"#,
        #"'abc' <> '123'"#,
        #"'abc' <> 'abc'"#,
        #"missing <> 2"#,
        #"2 <= 2"#,
        #"3 <= 2"#,
        #"1 < 2"#,
        #"2 < 2"#,
        #"2 >= 2"#,
        #"2 >= 3"#,
        #"2 > 1"#,
        #"2 > 2"#,
        #"missing <= 2"#,
        #"true = 'TRUE'"#,
        #"'TRUE' = true"#,
        #"FALSE AND FALSE"#,
        #"FALSE AND TRUE"#,
        #"TRUE AND FALSE"#,
        #"TRUE AND TRUE"#,
        #"false and (1 != 1 / 0)"#,
        #"true and (1 != 1 / 0)"#,
        #"FALSE OR FALSE"#,
        #"FALSE OR TRUE"#,
        #"TRUE OR FALSE"#,
        #"TRUE OR TRUE"#,
        #"true or (1 != 1 / 0)"#,
        #"false or (1 != 1 / 0)"#,
        #"FALSE XOR FALSE"#,
        #"FALSE XOR TRUE"#,
        #"TRUE XOR FALSE"#,
        #"TRUE XOR TRUE"#,
        #"4 * 2 + 4 / 2"#,
        #"4 * (2 + 4) / 2"#,
        #"5 / 3"#,
        #"5 / 0"#,
        #"5 % 2"#,
        #"5 % 0"#,
        #"missing / 0"#,
        #"missing % 0"#,
        #"4 + 1"#,
        #"-4 + 1"#,
        #"-4 + -1"#,
        #"4 + -1"#,
        #"4 - 1"#,
        #"-4 - 1"#,
        #"'5' + 3"#,
        #"5 + '3'"#,
        #"'5' + '3'"#,
        #"5 + TRUE"#,
        #"TRUE"#,
        #"true"#,
        #"tRuE"#,
        #"FALSE"#,
        #"false"#,
        #"FaLsE"#,
        #"'aBcD'"#,
        #"INT('1')"#,
        #"INT('-1')"#,
        #"INT(1)"#,
        #"INT(-1)"#,
        #"INT(TRUE)"#,
        #"INT(FALSE)"#,
        #"INT('ABC')"#,
        #"BOOL('TRUE')"#,
        #"BOOL("false")"#,
        #"BOOL(TRUE)"#,
        #"BOOL(FALSE)"#,
        #"BOOL('ABC')"#,
        #"BOOL(1)"#,
        #"BOOL(0)"#,
        #"BOOL(100)"#,
        #"BOOL(-50)"#,
        #"STRING(TRUE)"#,
        #"STRING(FALSE)"#,
        #"STRING(1)"#,
        #"STRING(-1)"#,
        #"STRING("abc")"#,
        #"id"#,
        #"subject"#,
        #"mybool"#,
        #"myint"#,
        #"myext"#,
        #"source"#,
        #"time"#,
        #"EXISTS specversion AND EXISTS id AND EXISTS type AND EXISTS SOURCE"#,
        #"EXISTS time"#,
        #"NOT EXISTS time"#,
        #"EXISTS myext"#,
        #"NOT EXISTS myext"#,
        #"123 IN (1, 2, 3, 12, 13, 23, 123)"#,
        #"123 NOT IN (1, 2, 3, 12, 13, 23, 123)"#,
        #"'abc' IN ('abc', "bcd")"#,
        #"'aaa' IN ('abc', "bcd")"#,
        #"TRUE IN (TRUE, FALSE)"#,
        #"TRUE IN (FALSE)"#,
        #"source IN (myext, 'abc')"#,
        #"source IN (source)"#,
        #"source IN (id, "http://localhost/source")"#,
        #"source IN (id, 'xyz')"#,
        #"'true' IN (TRUE, 'false')"#,
        #"'true' IN ('TRUE', 'false')"#,
        #"TRUE IN ('true', 'false')"#,
        #"'TRUE' IN (TRUE, 'false')"#,
        #"1 IN ('1', '2')"#,
        #"'1' IN (1, 2)"#,
        #"ABS(10)"#,
        #"ABS(-10)"#,
        #"ABS(0)"#,
        #"ABS(-2147483648)"#,
        #"'abc' LIKE 'abc'"#,
        #"'ab\c' LIKE 'ab\c'"#,
        #"'abc' NOT LIKE 'abc'"#,
        #"'abc' LIKE 'a%b%c'"#,
        #"'azbc' LIKE 'a%b%c'"#,
        #"'azzzbzzzc' LIKE 'a%b%c'"#,
        #"'a%b%c' LIKE 'a%b%c'"#,
        #"'ac' LIKE 'abc'"#,
        #"'' LIKE 'abc'"#,
        #"'.ab.cde.' LIKE '.%.%.'"#,
        #"'ab.cde' LIKE '.%.%.'"#,
        #"'abc' LIKE 'a_b_c'"#,
        #"'a_b_c' LIKE 'a_b_c'"#,
        #"'abzc' LIKE 'a_b_c'"#,
        #"'azbc' LIKE 'a_b_c'"#,
        #"'azbzc' LIKE 'a_b_c'"#,
        #"'.a.b.' LIKE '._._.'"#,
        #"'abcd.' LIKE '._._.'"#,
        #"'a_b_c' LIKE 'a\_b\_c'"#,
        #"'a_b_c' NOT LIKE 'a\_b\_c'"#,
        #"'azbzc' LIKE 'a\_b\_c'"#,
        #"'abc' LIKE 'a\_b\_c'"#,
        #"'abc' LIKE 'a\%b\%c'"#,
        #"'a%b%c' LIKE 'a\%b\%c'"#,
        #"'azbzc' LIKE 'a\%b\%c'"#,
        #"myext LIKE 'abc%123\%456\_d_f'"#,
        #"myext NOT LIKE 'abc%123\%456\_d_f'"#,
        #"234 LIKE '23_'"#,
        #"2344 LIKE '23%'"#,
        #"2344 LIKE '23_'"#,
        #"TRUE LIKE 'tr%'"#,
        #"TRUE LIKE '%ue'"#,
        #"FALSE LIKE 'tr%'"#,
        #"FALSE LIKE 'fal%'"#,
        #"missing LIKE 'missing'"#,
        #"0"#,
        #"1"#,
        #"'abc'"#,
        #""abc""#,
        #"'aBc'"#,
        #""AbC""#,
        #"'a"b\'c'"#,
        #""a'b\"c""#,
        #"-10"#,
        #"--10"#,
        #"-'10'"#,
        #"--'10'"#,
        #"-TRUE"#,
        #"-missing"#,
        #"NOT TRUE"#,
        #"NOT FALSE"#,
        #"NOT 'TRUE'"#,
        #"NOT 'FALSE'"#,
        #"NOT 10"#,
        #"NOT missing"#,
        #"int(hop) < int(ttl) and int(hop) < 1000"#,
        #"INT(hop) < INT(ttl) AND INT(hop) < 1000"#,
        #"hop < ttl"#,
        #"sequence = 5"#,
        #"firstname = 'Francesco' OR subject = 'Francesco'"#,
        #"(firstname = 'Francesco' AND lastname = 'Guardiani') OR subject = 'Francesco Guardiani'"#,
        #"EXISTS subject"#,
        #"true AND (missing = "")"#,
        #"missing * 5"#,
        #"1 / missing"#,
        #"LENGTH('abc')"#,
        #"LENGTH('')"#,
        #"LENGTH('2')"#,
        #"LENGTH(TRUE)"#,
        #"CONCAT('a', 'b', 'c')"#,
        #"CONCAT()"#,
        #"CONCAT('a')"#,
        #"CONCAT_WS(',', 'a', 'b', 'c')"#,
        #"CONCAT_WS(',')"#,
        #"CONCAT_WS(',', 'a')"#,
        #"CONCAT_WS()"#,
        #"LOWER('ABC')"#,
        #"LOWER('AbC')"#,
        #"LOWER('abc')"#,
        #"UPPER('ABC')"#,
        #"UPPER('AbC')"#,
        #"UPPER('abc')"#,
        #"TRIM('   a b c   ')"#,
        #"TRIM('   a b c')"#,
        #"TRIM('a b c   ')"#,
        #"TRIM('a b c')"#,
        #"LEFT('abc', 2)"#,
        #"LEFT('abc', 10)"#,
        #"LEFT('', 0)"#,
        #"LEFT('abc', -2)"#,
        #"RIGHT('abc', 2)"#,
        #"RIGHT('abc', 10)"#,
        #"RIGHT('', 0)"#,
        #"RIGHT('abc', -2)"#,
        #"SUBSTRING('abcdef', 1)"#,
        #"SUBSTRING('abcdef', 2)"#,
        #"SUBSTRING('Quadratically', 5)"#,
        #"SUBSTRING('Sakila', -3)"#,
        #"SUBSTRING('abcdef', 1, 6)"#,
        #"SUBSTRING('abcdef', 2, 4)"#,
        #"SUBSTRING('Sakila', -5, 3)"#,
        #"SUBSTRING('Quadratically', 0)"#,
        #"SUBSTRING('Quadratically', 0, 1)"#,
        #"SUBSTRING('abcdef', 10)"#,
        #"SUBSTRING('abcdef', -10)"#,
        #"SUBSTRING('abcdef', 10, 10)"#,
        #"SUBSTRING('abcdef', -10, 10)"#,
        #"(TRUE)"#,
        #"4 * (2 + 3)"#,
        #"(2 + 3) * 4"#,
        #"source LIKE 'https://%'"#,
        #"myext LIKE 'custom%'"#,
        #"type like '%.error'"#,
        #"myext LIKE '%ext'"#,
        #"id = 'myId'"#,
        #"myext = 'customext'"#,
        #"id LIKE 'my%' AND source LIKE '%.ca'"#,
        #"myext LIKE 'custom%' AND type LIKE '%.error'"#,
        #"type LIKE 'example.%' AND myext LIKE 'custom%'"#,
        #"id LIKE 'my%' OR source LIKE '%.ca'"#,
        #"(id = 'myId' AND type LIKE '%.success') OR (id = 'notmyId' AND source LIKE 'http://%' AND type LIKE '%.warning')"#,
        #"(id = 'myId' OR type LIKE '%.success') AND (id = 'notmyId' OR source LIKE 'https://%' OR type LIKE '%.warning')"#,
        #"(id = 'myId' OR type LIKE '%.success') AND (id = 'notmyId' OR source LIKE 'https://%' OR type LIKE '%.warning') AND (myext = 'customext')"#,
    ]
}
