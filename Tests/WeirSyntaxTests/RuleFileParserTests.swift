import Testing
import WeirSyntax

/// RULE and AGGREGATE declarations (issue 10, §2 "Parser", "RULE", "AGGREGATE"): golden
/// dumps with positions, and one test per syntax decision.
@Suite struct RuleFileParserTests {
    @Test func rule() {
        #expect(dumpRules("""
            -- a comment
            RULE high_value_us
              ON 'order.created'
              WHERE data.totalAmount > 1000 /* block */
              EMIT 'order.high-value' { orderId: data.orderId, 'odd key': 1 }
            """) == """
            rule high_value_us @2:1 first-match
              on 'order.created' @3:6
              where
                binary greater @4:9
                  path data.totalAmount @4:9
                  integer 1000 @4:28
              emit 'order.high-value' @5:3
                object 2 @5:27
                  field orderId @5:29
                    path data.orderId @5:38
                  field 'odd key' @5:52
                    integer 1 @5:63
            """)
    }

    @Test func ruleRanges() throws {
        let text = "RULE r ON 'a', 'b.*', '*' EMIT 'c' { x: 1 } WHEN y\n"
        let (file, diagnostics, source) = parseRules(text)
        #expect(diagnostics.isEmpty)
        guard case .rule(let rule)? = file.declarations.first else {
            Issue.record("no rule")
            return
        }
        #expect(source.slice(rule.range) == "RULE r ON 'a', 'b.*', '*' EMIT 'c' { x: 1 } WHEN y")
        #expect(source.slice(rule.name.range) == "r")
        #expect(rule.on.map(\.kind) == [.exact("a"), .prefix("b."), .any])
        #expect(rule.on.map { source.slice($0.range) } == ["'a'", "'b.*'", "'*'"])
        #expect(rule.whereClause == nil, "WHERE is optional")
        #expect(rule.emits.count == 1)
        #expect(source.slice(rule.emits[0].range) == "EMIT 'c' { x: 1 } WHEN y")
        #expect(source.slice(rule.emits[0].typeRange) == "'c'")
        #expect(source.slice(rule.emits[0].template.range) == "{ x: 1 }")
        #expect(rule.emits[0].when.map { source.slice($0.range) } == "y")
    }

    @Test func aggregate() {
        #expect(dumpRules("""
            AGGREGATE order_metrics
              ON 'order.created' WHERE data.totalAmount > 0
              GROUP BY data.customerId
              WINDOW TUMBLING 1h            -- or SLIDING 1h EVERY 5m, or SESSION GAP 30m
              HAVING count() >= 3
              EMIT 'metrics.orders.hourly' { customerId: key, start: window.start, n: count() }
            """) == """
            aggregate order_metrics @1:1
              on 'order.created' @2:6
              where
                binary greater @2:28
                  path data.totalAmount @2:28
                  integer 0 @2:47
              group by
                path data.customerId @3:12
              window tumbling 3600000ms @4:3
              having
                binary greaterOrEqual @5:10
                  call count @5:10
                  integer 3 @5:21
              emit 'metrics.orders.hourly' @6:3
                object 3 @6:32
                  field customerId @6:34
                    identifier key @6:46
                  field start @6:51
                    path window.start @6:58
                  field n @6:72
                    call count @6:75
            """)
    }

    @Test func windows() throws {
        func window(_ clause: String) -> WindowClause? {
            guard case .aggregate(let a)? = parseRules("AGGREGATE a ON 'x' WINDOW \(clause) EMIT 'y' {}").file.declarations.first else {
                return nil
            }
            return a.window
        }
        #expect(window("TUMBLING 1h")?.dumpedMilliseconds == [3_600_000])
        #expect(window("sliding 10m every 5m")?.dumpedMilliseconds == [600_000, 300_000])
        #expect(window("SLIDING 1h EVERY 1h")?.dumpedMilliseconds == [3_600_000, 3_600_000])
        #expect(window("Session Gap 1h30m")?.dumpedMilliseconds == [5_400_000])
        let (file, _, source) = parseRules("AGGREGATE a ON 'x' WINDOW SLIDING 10m EVERY 5m EMIT 'y' {}")
        guard case .aggregate(let a)? = file.declarations.first, case .sliding(let size, let every) = a.window else {
            Issue.record("no sliding window")
            return
        }
        #expect(source.slice(a.windowRange) == "WINDOW")
        #expect(source.slice(size.range) == "10m")
        #expect(source.slice(every.range) == "5m")
    }

    @Test func keywordsAreCaseInsensitiveNamesAreNot() {
        #expect(dumpRules("rule Big on 'a' where Data.X emit 'b' {A: 1, a: 2}") == """
            rule Big @1:1 first-match
              on 'a' @1:13
              where
                path Data.X @1:23
              emit 'b' @1:30
                object 2 @1:39
                  field A @1:40
                    integer 1 @1:43
                  field a @1:46
                    integer 2 @1:49
            """)
    }

    /// `--` always starts a comment in a rule file, even with no space after it.
    @Test func comments() {
        #expect(ruleNames("--comment\nRULE r ON 'a' --x\n EMIT 'b' {} /* RULE s ON 'a' EMIT 'b' {} */") == ["r"])
        #expect(ruleMessages("RULE r ON 'a' EMIT 'b' {} /* unterminated") == ["unterminated block comment; '/*' needs a closing '*/'"])
    }

    /// Rule files are Weir: the CloudEvents SQL dialect applies to expressions alone.
    @Test func optionsDialectIsIgnored() {
        let source = SourceFile(name: "test.rules", text: "RULE r ON 'a' WHERE data.x == 1 EMIT 'b' { x: [1] }")
        var options = ParseOptions.ruleFile
        options.dialect = .cesql
        let (file, diagnostics) = RuleFileParser.parse(source, options: options)
        #expect(diagnostics.isEmpty)
        #expect(file.declarations.count == 1)
    }

    @Test func unsupportedDepthLimitIsRefused() {
        let source = SourceFile(name: "test.rules", text: "RULE r ON 'a' EMIT 'b' {}")
        let (file, diagnostics) = RuleFileParser.parse(source, options: ParseOptions(maxDepth: 0, maxLength: 1 << 24))
        #expect(diagnostics.map(\.code) == [.limit])
        #expect(file.declarations.isEmpty)
    }

    @Test func emptyFile() {
        #expect(parseRules("").diagnostics.isEmpty)
        #expect(parseRules("  -- only a comment\n").file.declarations.isEmpty)
    }

    @Test func declarationsInWrittenOrder() {
        let text = """
            RULE b ON 'x' EMIT 'y' {}
            AGGREGATE a ON 'x' WINDOW TUMBLING 1m EMIT 'y' {}
            RULE c ON 'x' EMIT 'y' {}
            """
        #expect(ruleNames(text) == ["b", "a", "c"])
        // Several declarations on one line are fine too.
        #expect(ruleNames("RULE a ON 'x' EMIT 'y' {} RULE b ON 'x' EMIT 'y' {}") == ["a", "b"])
    }

    // MARK: EMIT branches

    @Test func emitBranchesFirstMatch() throws {
        let (file, diagnostics, _) = parseRules("""
            RULE lanes ON 'order.created'
              EMIT 'a' { lane: 1 } WHEN data.express
              EMIT 'b' { lane: 2 }
            """)
        #expect(diagnostics.isEmpty)
        guard case .rule(let rule)? = file.declarations.first else { return }
        #expect(rule.emitAll == false)
        #expect(rule.emits.map(\.type) == ["a", "b"])
        #expect(rule.emits.map { $0.when != nil } == [true, false])
    }

    @Test func emitAll() throws {
        for text in ["RULE r ON 'x' EMIT ALL 'a' {} WHEN p EMIT 'b' {} WHEN q",
                     "RULE r ON 'x' emit all 'a' {} WHEN p EMIT ALL 'b' {} WHEN q"] {
            let (file, diagnostics, _) = parseRules(text)
            #expect(diagnostics.isEmpty, "\(text)")
            guard case .rule(let rule)? = file.declarations.first else { continue }
            #expect(rule.emitAll, "\(text)")
            #expect(rule.emits.count == 2)
        }
    }

    /// In first-match mode a branch after one without WHEN is never reached: a warning, and
    /// the rule is still parsed. With EMIT ALL every branch may emit.
    @Test func unreachableBranches() {
        let text = "RULE r ON 'x' EMIT 'a' {} WHEN p EMIT 'b' {} EMIT 'c' {} WHEN q EMIT 'd' {}"
        #expect(ruleDiagnostics(text) == """
            test.rules:1:46: warning: this EMIT branch is never reached: the branch at 1:34 has no WHEN, and only the first branch that holds emits
            1 | RULE r ON 'x' EMIT 'a' {} WHEN p EMIT 'b' {} EMIT 'c' {} WHEN q EMIT 'd' {}
              |                                              ^~~~~~~~~~~~~~~~~~
            test.rules:1:46: note: add a WHEN to the earlier branch, or write 'EMIT ALL' on the first branch to emit every branch that holds
            """)
        #expect(ruleNames(text) == ["r"])
        #expect(ruleMessages("RULE r ON 'x' EMIT ALL 'a' {} EMIT 'b' {}").isEmpty)
        #expect(ruleMessages("RULE r ON 'x' EMIT 'a' {} WHEN p EMIT 'b' {}").isEmpty)
    }

    @Test func emitAllOnlyOnALaterBranch() {
        #expect(ruleDiagnostics("RULE r ON 'x' EMIT 'a' {} WHEN p EMIT ALL 'b' {}") == """
            test.rules:1:39: error: 'ALL' on a later EMIT branch of RULE 'r', but not on the first
            1 | RULE r ON 'x' EMIT 'a' {} WHEN p EMIT ALL 'b' {}
              |                                       ^~~
            test.rules:1:39: note: write 'EMIT ALL' on the first branch: it makes every branch whose WHEN holds emit (the default is the first that holds)
            """)
        #expect(ruleNames("RULE r ON 'x' EMIT 'a' {} EMIT ALL 'b' {}").isEmpty)
    }

    @Test func emitNeedsAnObject() {
        #expect(ruleDiagnostics("RULE r ON 'x' EMIT 'a' data.payload WHEN p\nRULE s ON 'x' EMIT 'a' {}") == """
            test.rules:1:24: error: EMIT needs an object: { field: value, ... }
            1 | RULE r ON 'x' EMIT 'a' data.payload WHEN p
              |                        ^~~~
            """)
        #expect(ruleNames("RULE r ON 'x' EMIT 'a' data.payload WHEN p\nRULE s ON 'x' EMIT 'a' {}") == ["s"])
        #expect(ruleMessages("RULE r ON 'x' EMIT 'a' [1]") == ["EMIT needs an object: { field: value, ... }"])
        #expect(ruleMessages("RULE r ON 'x' EMIT 'a'") == ["EMIT needs an object: { field: value, ... }"])
        #expect(ruleMessages("RULE r ON 'x' EMIT {}") == ["expected an event type in quotes after 'EMIT', found '{'"])
        #expect(ruleMessages("RULE r ON 'x' EMIT '' {}") == ["empty event type"])
        #expect(ruleMessages("RULE r ON 'x' EMIT 'a.*' {}") == ["an emitted event has one exact type; 'a.*' has a '*'"])
    }

    @Test func aggregateHasOneEmitWithoutAllOrWhen() {
        #expect(ruleMessages("AGGREGATE a ON 'x' WINDOW TUMBLING 1h EMIT ALL 'y' {}")
            == ["AGGREGATE 'a' emits once per window: 'EMIT ALL' belongs to RULE"])
        #expect(ruleMessages("AGGREGATE a ON 'x' WINDOW TUMBLING 1h EMIT 'y' {} WHEN p")
            == ["AGGREGATE 'a' has no 'WHEN'; use HAVING to choose the windows that emit"])
        #expect(ruleMessages("AGGREGATE a ON 'x' WINDOW TUMBLING 1h EMIT 'y' {} EMIT 'z' {}")
            == ["repeated 'EMIT' clause in AGGREGATE 'a' (first at 1:39)"])
    }

    // MARK: Event types

    @Test func eventTypes() {
        let valid: [(String, EventTypePattern.Kind)] = [
            ("'order.created'", .exact("order.created")), ("'order.*'", .prefix("order.")), ("'*'", .any),
            ("'a.b.*'", .prefix("a.b.")), ("\"com.example.x\"", .exact("com.example.x")), ("'Order'", .exact("Order")),
        ]
        for (literal, kind) in valid {
            guard case .rule(let rule)? = parseRules("RULE r ON \(literal) EMIT 'y' {}").file.declarations.first else {
                Issue.record("\(literal) did not parse")
                continue
            }
            #expect(rule.on.map(\.kind) == [kind], "\(literal)")
        }
        let invalid: [(String, String)] = [
            ("''", "empty event type"),
            ("'a..b'", "empty segment in event type 'a..b'; segments are separated by single dots"),
            ("'.a'", "empty segment in event type '.a'; segments are separated by single dots"),
            ("'a.'", "empty segment in event type 'a.'; segments are separated by single dots"),
            ("'.*'", "empty segment in event type '.*'; segments are separated by single dots"),
            ("'a*'", "'*' in event type 'a*' is allowed only as the whole type ('*') or as its last segment ('order.*')"),
            ("'*.a'", "'*' in event type '*.a' is allowed only as the whole type ('*') or as its last segment ('order.*')"),
            ("'a.*.*'", "'*' in event type 'a.*.*' is allowed only as the whole type ('*') or as its last segment ('order.*')"),
            ("'**'", "'*' in event type '**' is allowed only as the whole type ('*') or as its last segment ('order.*')"),
        ]
        for (literal, message) in invalid {
            #expect(ruleMessages("RULE r ON \(literal) EMIT 'y' {}") == [message], "\(literal)")
        }
    }

    @Test func eventTypeMatching() {
        let prefix = EventTypePattern(.prefix("order."), SourceRange(at: 0))
        #expect(prefix.matches("order.created"))
        #expect(prefix.matches("order.a.b"))
        #expect(!prefix.matches("order"))
        #expect(!prefix.matches("order."))
        #expect(!prefix.matches("orders.created"))
    }

    @Test func onNeedsQuotedTypes() {
        #expect(ruleDiagnostics("RULE r ON order.created EMIT 'b' {}") == """
            test.rules:1:11: error: expected an event type in quotes after 'ON', found 'order'
            1 | RULE r ON order.created EMIT 'b' {}
              |           ^~~~~
            test.rules:1:11: note: event types are string literals: ON 'order.created'
            """)
        #expect(ruleMessages("RULE r ON 'a', EMIT 'b' {}") == ["expected an event type in quotes after ',', found 'EMIT'"])
        #expect(ruleMessages("RULE r ON EMIT 'b' {}") == ["expected an event type in quotes after 'ON', found 'EMIT'"])
    }

    // MARK: Names

    @Test func names() {
        #expect(ruleNames("RULE _r2 ON 'a' EMIT 'b' {}") == ["_r2"])
        #expect(ruleMessages("RULE ON 'a' EMIT 'b' {}") == ["expected a name after 'RULE', found 'ON'"])
        // A keyword names a declaration when ON follows it: no clause can stand there.
        #expect(ruleNames("AGGREGATE where ON 'a' WINDOW TUMBLING 1h EMIT 'b' {}") == ["where"])
        #expect(ruleNames("RULE and ON 'a' EMIT 'b' {}") == ["and"])
        #expect(ruleNames("RULE all ON 'a' EMIT 'b' {} RULE session ON 'a' EMIT 'c' {}") == ["all", "session"])
        #expect(ruleMessages("RULE where 'a' EMIT 'b' {}") == ["expected a name after 'RULE', found 'where'"])
        #expect(ruleDiagnostics("RULE 'r' ON 'a' EMIT 'b' {}") == """
            test.rules:1:6: error: expected a name after 'RULE', found string literal 'r'
            1 | RULE 'r' ON 'a' EMIT 'b' {}
              |      ^~~
            test.rules:1:6: note: a declaration name is a word: letters, digits and '_', not starting with a digit (RULE high_value_orders)
            """)
        #expect(ruleMessages("RULE 1r ON 'a' EMIT 'b' {}") == ["expected a name after 'RULE', found '1r'"])
        #expect(ruleMessages("RULE") == ["expected a name after 'RULE', found end of input"])
        // `key` and `window` are names the compiler resolves, not keywords.
        #expect(ruleNames("RULE key ON 'a' EMIT 'b' { k: key }") == ["key"])
    }

    // MARK: Clause keywords end operands

    @Test func clauseKeywordsEndOperands() {
        #expect(ruleDiagnostics("RULE r ON 'a' WHERE data.c > THEN EMIT 'b' {}") == """
            test.rules:1:30: error: expected expression, found 'THEN'
            1 | RULE r ON 'a' WHERE data.c > THEN EMIT 'b' {}
              |                              ^~~~
            """)
        #expect(ruleMessages("RULE r ON 'a' WHERE EMIT 'b' {}") == ["expected expression, found 'EMIT'"])
        #expect(ruleMessages("AGGREGATE a ON 'a' GROUP BY WINDOW TUMBLING 1h EMIT 'b' {}") == ["expected expression, found 'WINDOW'"])
        #expect(ruleMessages("RULE r ON 'a' WHERE EXISTS where EMIT 'b' {}")
            == ["expected an attribute name or a path after 'EXISTS', found 'where'"])
        #expect(ruleMessages("RULE r ON 'a' WHERE x IN WHERE EMIT 'b' {}") == ["expected '(' or a path after 'IN', found 'WHERE'"])
        // ... but they are field names after '.' and keys before ':', and `window` is a name.
        #expect(dumpRules("RULE r ON 'a' WHERE data.where = data.emit EMIT 'b' { when: window.start, all: data.then }") == """
            rule r @1:1 first-match
              on 'a' @1:11
              where
                binary equal @1:21
                  path data.where @1:21
                  path data.emit @1:34
              emit 'b' @1:44
                object 2 @1:53
                  field when @1:55
                    path window.start @1:61
                  field all @1:75
                    path data.then @1:80
            """)
    }

    @Test func durationsInRuleFiles() {
        #expect(dumpRules("RULE r ON 'a' WHERE DURATION_MS(10m) > 1 EMIT 'b' {}") == """
            rule r @1:1 first-match
              on 'a' @1:11
              where
                binary greater @1:21
                  call DURATION_MS @1:21
                    duration 600000ms @1:33
                  integer 1 @1:40
              emit 'b' @1:42
                object 0 @1:51
            """)
    }
}

extension WindowClause {
    /// The durations of the window, in milliseconds, in written order.
    var dumpedMilliseconds: [Int64] {
        switch self {
        case .tumbling(let size): return [size.milliseconds]
        case .sliding(let size, let every): return [size.milliseconds, every.milliseconds]
        case .session(let gap): return [gap.milliseconds]
        }
    }
}
