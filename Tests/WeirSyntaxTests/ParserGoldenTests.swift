import Testing
import WeirSyntax

/// AST dumps of well-formed expressions: precedence, grouping, literals, paths.
@Suite struct ParserGoldenTests {
    @Test func designExample() {
        #expect(dump("data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'") == """
            binary and @1:1
              binary greater @1:1
                path data.totalAmount @1:1
                integer 1000 @1:20
              binary equal @1:29
                path data.shippingAddress.country @1:29
                string 'USA' @1:60
            """)
    }

    @Test func notBindsTighterThanComparison() {
        #expect(dump("NOT a = b") == """
            binary equal @1:1
              unary not @1:1
                identifier a @1:5
              identifier b @1:9
            """)
    }

    @Test func notBindsTighterThanLike() {
        #expect(dump("NOT x LIKE 'a%'") == """
            like 'a%' @1:1
              unary not @1:1
                identifier x @1:5
            """)
        #expect(dump("x NOT LIKE 'a%'") == """
            not like 'a%' @1:1
              identifier x @1:1
            """)
    }

    @Test func likeBindsTighterThanArithmetic() {
        #expect(dump("a + b LIKE 'x'") == """
            binary add @1:1
              identifier a @1:1
              like 'x' @1:5
                identifier b @1:5
            """)
    }

    @Test func postfixOperatorsApplyLeftToRight() {
        #expect(dump("x LIKE 'a' = true") == """
            binary equal @1:1
              like 'a' @1:1
                identifier x @1:1
              boolean true @1:14
            """)
        #expect(dump("x LIKE 'a' IN (TRUE) NOT MATCHES 'b'") == """
            not matches 'b' @1:1
              in list @1:1
                like 'a' @1:1
                  identifier x @1:1
                boolean true @1:16
            """)
    }

    @Test func logicalOperatorsShareOneLevelLeftToRight() {
        let (result, source) = parse("a OR b AND c")
        #expect(result.expression?.dump(in: source) == """
            binary and @1:1
              binary or @1:1
                identifier a @1:1
                identifier b @1:6
              identifier c @1:12
            """)
        #expect(!result.hasErrors)
        #expect(result.diagnostics.map(\.code) == [.lint])
        #expect(dump("a AND b XOR c AND d") == """
            <expr>:1:9: warning: mixing 'AND' and 'XOR' without parentheses; CESQL evaluates them left to right
            1 | a AND b XOR c AND d
              |         ^~~
            <expr>:1:9: note: 'a AND b XOR c' means '(a AND b) XOR c'; add parentheses to make the grouping explicit
            """)
    }

    @Test func parenthesesOverrideAndSilenceTheLint() {
        #expect(dump("(a OR b) AND c") == """
            binary and @1:1
              binary or @1:1
                identifier a @1:2
                identifier b @1:7
              identifier c @1:14
            """)
        #expect(dump("a OR (b AND c)") == """
            binary or @1:1
              identifier a @1:1
              binary and @1:6
                identifier b @1:7
                identifier c @1:13
            """)
        #expect(messages("a OR b XOR c").isEmpty)
        #expect(messages("a && b AND c").isEmpty)
    }

    @Test func arithmeticPrecedence() {
        #expect(dump("4 * 2 + 4 / 2 = 10 - 1 % 3") == """
            binary equal @1:1
              binary add @1:1
                binary multiply @1:1
                  integer 4 @1:1
                  integer 2 @1:5
                binary divide @1:9
                  integer 4 @1:9
                  integer 2 @1:13
              binary subtract @1:17
                integer 10 @1:17
                binary remainder @1:22
                  integer 1 @1:22
                  integer 3 @1:26
            """)
        #expect(dump("1 - 2 - 3") == """
            binary subtract @1:1
              binary subtract @1:1
                integer 1 @1:1
                integer 2 @1:5
              integer 3 @1:9
            """)
        #expect(dump("a < b = c >= d") == """
            binary greaterOrEqual @1:1
              binary equal @1:1
                binary less @1:1
                  identifier a @1:1
                  identifier b @1:5
                identifier c @1:9
              identifier d @1:14
            """)
    }

    @Test func integerSignsAreFoldedBeforeTheRangeCheck() {
        #expect(dump("-2147483648") == "integer -2147483648 @1:1")
        #expect(dump("-2147483648", dialect: .cesql) == "integer -2147483648 @1:1")
        #expect(dump("-9223372036854775808") == "integer -9223372036854775808 @1:1")
        #expect(dump("9223372036854775807") == "integer 9223372036854775807 @1:1")
        #expect(dump("+5") == "integer 5 @1:1")
        #expect(dump("5-3") == """
            binary subtract @1:1
              integer 5 @1:1
              integer 3 @1:3
            """)
        #expect(dump("4 + -1") == """
            binary add @1:1
              integer 4 @1:1
              integer -1 @1:5
            """)
        #expect(dump("--10") == """
            unary negate @1:1
              integer -10 @1:2
            """)
        #expect(dump("- (1)") == """
            unary negate @1:1
              integer 1 @1:3
            """)
        #expect(dump("- 1") == """
            unary negate @1:1
              integer 1 @1:3
            """)
        #expect(dump("-x") == """
            unary negate @1:1
              identifier x @1:2
            """)
        #expect(dump("--'10'") == """
            unary negate @1:1
              unary negate @1:2
                string '10' @1:3
            """)
    }

    @Test func prefixOperators() {
        #expect(dump("NOT NOT !-x") == """
            unary not @1:1
              unary not @1:5
                unary not @1:9
                  unary negate @1:10
                    identifier x @1:11
            """)
        #expect(dump("NOT EXISTS myext") == """
            unary not @1:1
              exists @1:5
                identifier myext @1:12
            """)
    }

    @Test func literals() {
        #expect(dump("TRUE") == "boolean true @1:1")
        #expect(dump("tRuE") == "boolean true @1:1")
        #expect(dump("FaLsE") == "boolean false @1:1")
        #expect(dump("59.98") == "decimal 59.98 @1:1")
        #expect(dump("2.5E-3") == "decimal 0.0025 @1:1")
        #expect(dump("1e3") == "decimal 1000.0 @1:1")
        #expect(dump(#"'a"b\'c'"#) == #"string 'a"b\'c' @1:1"#)
        #expect(dump(#""a'b\"c""#) == #"string 'a\'b"c' @1:1"#)
        #expect(dump(#"'ab\c'"#) == #"string 'ab\\c' @1:1"#)
        #expect(dump("'a\nb'") == #"string 'a\u{A}b' @1:1"#)
    }

    @Test func paths() {
        #expect(dump("data.items[0].price") == "path data.items[0].price @1:1")
        #expect(dump("data['odd-key']") == "path data['odd-key'] @1:1")
        #expect(dump("data[\"it's\"]") == #"path data['it\'s'] @1:1"#)
        #expect(dump("login.data.userId") == "path login.data.userId @1:1")
        #expect(dump("order.data.items[12]['a b'].x") == "path order.data.items[12]['a b'].x @1:1")
        #expect(dump("data.in") == "path data.in @1:1")
        #expect(dump("data.type = data.LIKE") == """
            binary equal @1:1
              path data.type @1:1
              path data.LIKE @1:13
            """)
        #expect(dump("data.0") == "path data.0 @1:1")
        #expect(dump("x[0]") == "path x[0] @1:1")
        #expect(dump("data . a") == "path data.a @1:1")
    }

    @Test func namesKeepTheirCase() {
        #expect(dump("SOURCE") == "identifier SOURCE @1:1")
        // A word starting with a digit is a duration or an error in Weir (DurationTests);
        // CloudEvents SQL names may start with a digit.
        #expect(dump("1abc", dialect: .cesql) == "identifier 1abc @1:1")
        #expect(dump("Data.TotalAmount") == "path Data.TotalAmount @1:1")
    }

    @Test func softKeywordMatches() {
        #expect(dump("matches = 'x'") == """
            binary equal @1:1
              identifier matches @1:1
              string 'x' @1:11
            """)
        #expect(dump("x matches 'a.*'") == """
            matches 'a.*' @1:1
              identifier x @1:1
            """)
        #expect(dump("matches MATCHES 'm'") == """
            matches 'm' @1:1
              identifier matches @1:1
            """)
        #expect(dump("x NOT MATCHES 'y' AND z =~ '^a' AND w !~ '\\d'") == """
            binary and @1:1
              binary and @1:1
                not matches 'y' @1:1
                  identifier x @1:1
                matches '^a' @1:23
                  identifier z @1:23
              not matches '\\\\d' @1:37
                identifier w @1:37
            """)
        #expect(dump("matches(x)") == """
            call matches @1:1
              identifier x @1:9
            """)
        #expect(dump("data.matches") == "path data.matches @1:1")
    }

    @Test func inOperations() {
        #expect(dump("x IN data.list") == """
            in array @1:1
              identifier x @1:1
              path data.list @1:6
            """)
        #expect(dump("'vip' NOT IN tags") == """
            not in array @1:1
              string 'vip' @1:1
              identifier tags @1:14
            """)
        #expect(dump("123 NOT IN (1, 2 + 3, id)") == """
            not in list @1:1
              integer 123 @1:1
              integer 1 @1:13
              binary add @1:16
                integer 2 @1:16
                integer 3 @1:20
              identifier id @1:23
            """)
        #expect(dump("source IN (source)") == """
            in list @1:1
              identifier source @1:1
              identifier source @1:12
            """)
    }

    @Test func existsAndCalls() {
        #expect(dump("EXISTS data.a.b") == """
            exists @1:1
              path data.a.b @1:8
            """)
        #expect(dump("CONCAT()") == "call CONCAT @1:1")
        #expect(dump("distance(data.location, login.data.location) > 1000") == """
            binary greater @1:1
              call distance @1:1
                path data.location @1:10
                path login.data.location @1:25
              integer 1000 @1:48
            """)
        #expect(dump("int(hop) < INT(ttl)") == """
            binary less @1:1
              call int @1:1
                identifier hop @1:5
              call INT @1:12
                identifier ttl @1:16
            """)
        #expect(dump("ABS (-10)") == """
            call ABS @1:1
              integer -10 @1:6
            """)
        #expect(dump("f(g(h(1)), 'x')") == """
            call f @1:1
              call g @1:3
                call h @1:5
                  integer 1 @1:7
              string 'x' @1:12
            """)
    }

    @Test func weirSpellingsMeanTheCESQLOperators() {
        let (result, source) = parse("a == 1 && b != 2 || !c")
        #expect(result.diagnostics.map(\.code) == [.lint])
        #expect(result.expression?.dump(in: source) == """
            binary or @1:1
              binary and @1:1
                binary equal @1:1
                  identifier a @1:1
                  integer 1 @1:6
                binary notEqual @1:11
                  identifier b @1:11
                  integer 2 @1:16
              unary not @1:21
                identifier c @1:22
            """)
    }

    @Test func commentsInsideExpressions() {
        #expect(dump("a /* why */ = -- because\n 1") == """
            binary equal @1:1
              identifier a @1:1
              integer 1 @2:2
            """)
    }

    @Test func rangesCoverTheWholeNode() throws {
        let (result, source) = parse("(2 + 3) * f(x)")
        let expr = try #require(result.expression)
        #expect(source.slice(expr.range) == "(2 + 3) * f(x)")
        guard case .binary(_, let left, let right) = expr.kind else {
            Issue.record("expected a binary node")
            return
        }
        #expect(source.slice(left.range) == "(2 + 3)")
        #expect(source.slice(right.range) == "f(x)")
        guard case .call(_, let nameRange, _) = right.kind else {
            Issue.record("expected a call")
            return
        }
        #expect(source.slice(nameRange) == "f")
    }

    @Test func patternAndSelectorRanges() throws {
        let (result, source) = parse("data['k'][3].x LIKE 'p\\%'")
        let expr = try #require(result.expression)
        guard case .like(let operand, let pattern, let patternRange, false) = expr.kind,
              case .path("data", let selectors) = operand.kind else {
            Issue.record("unexpected tree \(expr.dump(in: source))")
            return
        }
        #expect(pattern == "p\\%")
        #expect(source.slice(patternRange) == "'p\\%'")
        #expect(selectors.count == 3)
        let ranges = selectors.map { selector -> String in
            switch selector {
            case .key(_, let range), .index(_, let range): return source.slice(range)
            }
        }
        #expect(ranges == ["'k'", "3", "x"])
    }
}
