import Testing
import WeirCore
import WeirSyntax
@testable import WeirCompiler

/// Names in rule files resolve at compile time; what is not in scope is a located error.
@Suite struct RuleScopeTests {
    @Test func unknownPathRootSuggestsData() {
        #expect(RuleText.rendered("""
            RULE r
              ON 'a'
              WHERE dat.total > 1
              EMIT 'b' {}
            """) == """
            f0.rules:3:9: error: unknown alias 'dat'; did you mean 'data'?
            3 |   WHERE dat.total > 1
              |         ^~~~~~~~~
            """)
    }

    @Test func cloudEventsAttributesAreNeverObjects() {
        let text = RuleText.rendered("RULE r\n  ON 'a'\n  WHERE subject.x = 1\n  EMIT 'b' {}")
        #expect(text.contains("error: 'subject' is a string attribute; it has no fields"))
    }

    @Test func unknownFunctionIsAnErrorInRuleFiles() {
        let r = RuleText.compile(["RULE r\n  ON 'a'\n  WHERE LENGHT(data.x) > 1\n  EMIT 'b' {}"])
        #expect(r.plan == nil)
        #expect(r.diagnostics[0].map(\.message) == ["unknown function 'LENGHT'; did you mean 'length'?"])
        #expect(r.diagnostics[0][0].isError)
        let arity = RuleText.compile(["RULE r\n  ON 'a'\n  WHERE UPPER(data.x, 1) = 'A'\n  EMIT 'b' {}"])
        #expect(arity.diagnostics[0].first?.isError == true)
        #expect(arity.diagnostics[0].first?.code == .unknownFunction)
    }

    @Test func keyAndWindowOnlyAtFireTime() {
        let r = RuleText.compile(["RULE r\n  ON 'a'\n  WHERE key = 1 AND window.start = 'x'\n  EMIT 'b' {}"])
        #expect(r.diagnostics[0].map(\.message) == [
            "'key' is only defined in an AGGREGATE's HAVING and EMIT",
            "'window' is only defined in an AGGREGATE's HAVING and EMIT",
        ])
        let inWhere = RuleText.compile(["AGGREGATE a\n  ON 'a'\n  WHERE key = 1\n  WINDOW TUMBLING 1m\n  EMIT 'b' { n: count() }"])
        #expect(inWhere.diagnostics[0].map(\.message) == ["'key' is only defined in an AGGREGATE's HAVING and EMIT"])
        let inArgument = RuleText.compile(["AGGREGATE a\n  ON 'a'\n  WINDOW TUMBLING 1m\n  EMIT 'b' { c: collect(key) }"])
        #expect(inArgument.diagnostics[0].map(\.message) == [
            "'key' cannot be read inside 'collect(...)': an aggregate's argument reads each event",
        ])
        let badField = RuleText.compile(["AGGREGATE a\n  ON 'a'\n  WINDOW TUMBLING 1m\n  EMIT 'b' { w: window.begin }"])
        #expect(badField.diagnostics[0].map(\.message) == ["'window' has two fields: 'window.start' and 'window.end'"])
    }

    @Test func eventReadOutsideAnAggregateAtFireTime() {
        #expect(RuleText.rendered("""
            AGGREGATE a
              ON 'a'
              WINDOW TUMBLING 1m
              HAVING data.x > 1
              EMIT 'b' { n: count() }
            """) == """
            f0.rules:4:10: error: 'data.x' is read outside an aggregate; use first(...), last(...) or GROUP BY it
            4 |   HAVING data.x > 1
              |          ^~~~~~
            """)
        let attribute = RuleText.compile(["AGGREGATE a\n  ON 'a'\n  WINDOW TUMBLING 1m\n  HAVING subject = 'x' OR EXISTS data.y\n  EMIT 'b' { n: count() }"])
        #expect(attribute.diagnostics[0].map(\.message) == [
            "'subject' is read outside an aggregate; use first(...), last(...) or GROUP BY it",
            "'data.y' is read outside an aggregate; use first(...), last(...) or GROUP BY it",
        ])
    }

    @Test func aggregatesOnlyInHavingAndEmitNeverNested() {
        let r = RuleText.compile(["RULE r\n  ON 'a'\n  WHERE count() > 1\n  EMIT 'b' {}"])
        #expect(r.diagnostics[0].map(\.message) == ["aggregate 'count(...)' is only allowed in an AGGREGATE's HAVING and EMIT"])
        let group = RuleText.compile(["AGGREGATE a\n  ON 'a'\n  GROUP BY max(data.x)\n  WINDOW TUMBLING 1m\n  EMIT 'b' { n: count() }"])
        #expect(group.diagnostics[0].map(\.message) == ["aggregate 'max(...)' is only allowed in an AGGREGATE's HAVING and EMIT"])
        let nested = RuleText.compile(["AGGREGATE a\n  ON 'a'\n  WINDOW TUMBLING 1m\n  HAVING sum(count()) > 1\n  EMIT 'b' { n: count() }"])
        #expect(nested.diagnostics[0].map(\.message) == ["aggregates cannot be nested: 'count(...)' inside 'sum(...)'"])
    }

    @Test func aggregateArity() {
        let r = RuleText.compile(["AGGREGATE a\n  ON 'a'\n  WINDOW TUMBLING 1m\n  HAVING count(data.x, data.y) > 1 AND sum() > 0 AND avg(data.a, data.b) > 0\n  EMIT 'b' { n: count() }"])
        #expect(r.diagnostics[0].map(\.message) == [
            "aggregate 'count' takes no argument or one, not 2",
            "aggregate 'sum' takes exactly one argument, not 0",
            "aggregate 'avg' takes exactly one argument, not 2",
        ])
        #expect(r.plan == nil)
    }

    @Test func weirEvalKeepsUnknownFunctionAsWarning() {
        let r = ExpressionCompiler.compile(SourceFile(name: "<expr>", text: "count() > 1 AND key = 1"))
        #expect(r.expression != nil)
        #expect(r.diagnostics.map(\.severity) == [.warning])
    }
}

extension RuleScopeTests {
    @Test func keyWithoutGroupByIsAWarning() {
        let r = RuleText.compile(["AGGREGATE a\n  ON 'a'\n  WINDOW TUMBLING 1m\n  EMIT 'b' { k: key, n: count() }"])
        #expect(r.plan != nil)
        #expect(r.diagnostics[0].map(\.message) == ["this AGGREGATE has no GROUP BY, so 'key' is always missing"])
        #expect(r.diagnostics[0].map(\.severity) == [.warning])
        let grouped = RuleText.compile(["AGGREGATE a\n  ON 'a'\n  GROUP BY data.c\n  WINDOW TUMBLING 1m\n  EMIT 'b' { k: key.x }"])
        #expect(grouped.diagnostics[0].isEmpty)
    }

    @Test func existsOfKeyOrWindow() {
        let r = RuleText.compile(["RULE r\n  ON 'a'\n  WHERE EXISTS key\n  EMIT 'b' {}"])
        #expect(r.diagnostics[0].map(\.message) == ["'key' is only defined in an AGGREGATE's HAVING and EMIT"])
        let fire = RuleText.compile(["AGGREGATE a\n  ON 'a'\n  GROUP BY data.c\n  WINDOW TUMBLING 1m\n  HAVING EXISTS key\n  EMIT 'b' {}"])
        #expect(fire.diagnostics[0].map(\.message) == ["EXISTS needs an attribute name or a path"])
    }
}
