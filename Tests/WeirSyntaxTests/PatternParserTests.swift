import Testing
import WeirSyntax

/// PATTERN declarations (issue 11, item 1 "Syntax"): golden dumps of the LANGUAGE.md example
/// and of each construct, ranges, and keywords in any case.
@Suite struct PatternParserTests {
    /// The LANGUAGE.md section 3 example, with AFTER MATCH and ON TIMEOUT EMIT added.
    static let fraud = """
        PATTERN potential_fraud
          PARTITION BY data.userId
          MATCH login: 'user.login' WHERE data.loginAttempts >= 5
          THEN  tx:    'transaction.initiated' WHERE data.amount > 5000 WITHIN 10m
          THEN  moved: 'user.location-changed'
                       WHERE distance(data.location, login.data.location) > 1000 WITHIN 15m
          AFTER MATCH SKIP PAST LAST EVENT
          EMIT 'fraud.potential-detected' {
            userId: login.data.userId, severity: 'high', events: [login.id, tx.id, moved.id]
          }
          ON TIMEOUT EMIT 'fraud.partial' { userId: login.data.userId } WHEN true
        """

    @Test func languageExample() {
        #expect(dumpRules(Self.fraud) == """
            pattern potential_fraud @1:1 first-match
              partition by
                path data.userId @2:16
              match login 'user.login' @3:3
                where
                  binary greaterOrEqual @3:35
                    path data.loginAttempts @3:35
                    integer 5 @3:57
              then tx 'transaction.initiated' @4:3
                where
                  binary greater @4:46
                    path data.amount @4:46
                    integer 5000 @4:60
                within 600000ms @4:72
              then moved 'user.location-changed' @5:3
                where
                  binary greater @6:22
                    call distance @6:22
                      path data.location @6:31
                      path login.data.location @6:46
                    integer 1000 @6:69
                within 900000ms @6:81
              after match skip past last event @7:3
              emit 'fraud.potential-detected' @8:3
                object 3 @8:35
                  field userId @9:5
                    path login.data.userId @9:13
                  field severity @9:32
                    string 'high' @9:42
                  field events @9:50
                    array 3 @9:58
                      path login.id @9:59
                      path tx.id @9:69
                      path moved.id @9:76
              on timeout emit 'fraud.partial' @11:3
                object 1 @11:35
                  field userId @11:37
                    path login.data.userId @11:45
                when
                  boolean true @11:70
            """)
    }

    /// The example exactly as LANGUAGE.md writes it parses without a diagnostic.
    @Test func languageExampleAsWritten() {
        let (file, diagnostics, _) = parseRules("""
            PATTERN potential_fraud
              PARTITION BY data.userId
              MATCH login: 'user.login' WHERE data.loginAttempts >= 5
              THEN  tx:    'transaction.initiated' WHERE data.amount > 5000 WITHIN 10m
              THEN  moved: 'user.location-changed'
                           WHERE distance(data.location, login.data.location) > 1000 WITHIN 15m
              EMIT 'fraud.potential-detected' {
                userId: login.data.userId, severity: 'high', events: [login.id, tx.id, moved.id]
              }
            """)
        #expect(diagnostics.isEmpty)
        guard case .pattern(let p)? = file.declarations.first else {
            Issue.record("no pattern")
            return
        }
        #expect(p.steps.map(\.alias.text) == ["login", "tx", "moved"])
        #expect(p.steps.map(\.contiguity) == [.first, .then, .then])
        #expect(p.afterMatch == .skipToNext && p.afterMatchRange == nil)
        #expect(p.on.map(\.kind) == [.exact("user.login"), .exact("transaction.initiated"), .exact("user.location-changed")])
    }

    @Test func header() {
        #expect(dumpRules("PATTERN p PARTITION BY data.u WITHIN 2m MAX RUNS 100 MATCH a: 'x' EMIT 'y' {}") == """
            pattern p @1:1 first-match
              partition by
                path data.u @1:24
              within 120000ms @1:38
              max runs 100 @1:50
              match a 'x' @1:54
              emit 'y' @1:67
                object 0 @1:76
            """)
    }

    @Test func contiguities() {
        #expect(dumpRules("""
            PATTERN p MAX RUNS 10
              MATCH a: 'a'
              THEN b: 'b'
              NEXT c: 'c'
              THEN ANY d: 'd'
              THEN NOT e: 'e' WITHIN 5m
              THEN f: 'f.*'
              THEN NOT g: '*' WITHIN 1h
              EMIT 'y' {}
            """) == """
            pattern p @1:1 first-match
              max runs 10 @1:20
              match a 'a' @2:3
              then b 'b' @3:3
              next c 'c' @4:3
              then any d 'd' @5:3
              then not e 'e' @6:3
                within 300000ms @6:26
              then f 'f.*' @7:3
              then not g '*' @8:3
                within 3600000ms @8:26
              emit 'y' @9:3
                object 0 @9:12
            """)
    }

    @Test func quantifiers() {
        #expect(dumpRules("""
            PATTERN p WITHIN 1h
              MATCH a: 'a'{3}
              THEN b: 'b'{2,5}
              THEN c: 'c'{2,}
              THEN d: 'd'+
              THEN e: 'e'?
              THEN f: 'f' {0,1} WHERE data.n > 1
              THEN g: 'g'{ 1 , 1 }
              THEN h: 'h.*' +
              THEN i: 'i' ? WITHIN 1m
              EMIT 'y' {}
            """) == """
            pattern p @1:1 first-match
              within 3600000ms @1:18
              match a 'a' {3} @2:3
              then b 'b' {2,5} @3:3
              then c 'c' {2,} @4:3
              then d 'd' {1,} @5:3
              then e 'e' {0,1} @6:3
              then f 'f' {0,1} @7:3
                where
                  binary greater @7:27
                    path data.n @7:27
                    integer 1 @7:36
              then g 'g' {1} @8:3
              then h 'h.*' {1,} @9:3
              then i 'i' {0,1} @10:3
                within 60000ms @10:24
              emit 'y' @11:3
                object 0 @11:12
            """)
    }

    @Test func quantifierRanges() throws {
        let (file, diagnostics, source) = parseRules("PATTERN p WITHIN 1m MATCH a: 'a'{2,} THEN b: 'b'+ THEN c: 'c' ? EMIT 'y' {}")
        #expect(diagnostics.isEmpty)
        guard case .pattern(let p)? = file.declarations.first else {
            Issue.record("no pattern")
            return
        }
        #expect(p.steps.compactMap(\.quantifier).map { source.slice($0.range) } == ["{2,}", "+", "?"])
        #expect(p.steps.compactMap(\.quantifier).map(\.min) == [2, 1, 0])
        #expect(p.steps.compactMap(\.quantifier).map(\.max) == [nil, nil, 1])
        #expect(p.steps.map { source.slice($0.range) } == ["MATCH a: 'a'{2,}", "THEN b: 'b'+", "THEN c: 'c' ?"])
        #expect(p.steps.map { source.slice($0.keywordRange) } == ["MATCH", "THEN", "THEN"])
    }

    @Test func ranges() throws {
        let text = "PATTERN p MAX RUNS 5 MATCH a: 'a' THEN  NOT b: 'b' WITHIN 1m AFTER MATCH SKIP TO NEXT EMIT 'y' {} ON TIMEOUT EMIT 'z' {}\n"
        let (file, diagnostics, source) = parseRules(text)
        #expect(diagnostics.isEmpty)
        guard case .pattern(let p)? = file.declarations.first else {
            Issue.record("no pattern")
            return
        }
        #expect(source.slice(p.range) == String(text.dropLast()))
        #expect(source.slice(p.name.range) == "p")
        #expect(p.maxRuns.map { source.slice($0.range) } == "5")
        #expect(source.slice(p.steps[1].keywordRange) == "THEN  NOT")
        #expect(source.slice(p.steps[1].range) == "THEN  NOT b: 'b' WITHIN 1m")
        #expect(p.steps[1].within.map { source.slice($0.range) } == "1m")
        #expect(p.afterMatch == .skipToNext)
        #expect(p.afterMatchRange.map { source.slice($0) } == "AFTER MATCH SKIP TO NEXT")
        #expect(p.emits.map { source.slice($0.range) } == ["EMIT 'y' {}"])
        #expect(p.onTimeout.map { source.slice($0.range) } == ["ON TIMEOUT EMIT 'z' {}"])
    }

    @Test func emitBranches() {
        #expect(dumpRules("""
            PATTERN p MATCH a: 'a'
              EMIT ALL 'b' { n: 1 } WHEN data.x = 1
              EMIT ALL 'c' {}
              ON TIMEOUT EMIT 'd' {} WHEN a.data.y
              ON TIMEOUT EMIT 'e' {}
            """) == """
            pattern p @1:1 emit-all
              match a 'a' @1:11
              emit 'b' @2:3
                object 1 @2:16
                  field n @2:18
                    integer 1 @2:21
                when
                  binary equal @2:30
                    path data.x @2:30
                    integer 1 @2:39
              emit 'c' @3:3
                object 0 @3:16
              on timeout emit 'd' @4:3
                object 0 @4:23
                when
                  path a.data.y @4:31
              on timeout emit 'e' @5:3
                object 0 @5:23
            """)
    }

    /// A PATTERN may have only ON TIMEOUT EMIT branches; with neither it gets a warning and is kept.
    @Test func emitIsOptional() {
        let timeoutOnly = parseRules("PATTERN p MATCH a: 'a' THEN NOT b: 'b' WITHIN 1m ON TIMEOUT EMIT 'c' {}")
        #expect(timeoutOnly.diagnostics.isEmpty)
        #expect(timeoutOnly.file.declarations.count == 1)
        #expect(ruleDiagnostics("PATTERN quiet MATCH a: 'a'") == """
            test.rules:1:9: warning: PATTERN 'quiet' emits nothing: it has no EMIT and no ON TIMEOUT EMIT
            1 | PATTERN quiet MATCH a: 'a'
              |         ^~~~~
            """)
        #expect(ruleNames("PATTERN quiet MATCH a: 'a'") == ["quiet"])
    }

    /// SKIP, TO, PAST, LAST, EVENT, ANY, MAX and RUNS stay names: aliases, fields, functions.
    @Test func contextualWordsStayNames() {
        let text = """
            PATTERN p MATCH any: 'a' THEN not: 'b' THEN ANY event: 'c' THEN to: 'd'
              WHERE max(data.max, 1) > 0 AND last(data.last) = 1 AND data.event.skip = data.to.past AND runs = 1
              EMIT 'y' { any: any.id, max: max(1, 2), skip: 1, event: event.data }
            """
        let (file, diagnostics, _) = parseRules(text)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        guard case .pattern(let p)? = file.declarations.first else {
            Issue.record("no pattern")
            return
        }
        #expect(p.steps.map(\.alias.text) == ["any", "not", "event", "to"])
        #expect(p.steps.map(\.contiguity) == [.first, .then, .thenAny, .then])
        // In a RULE these words are still ordinary names.
        #expect(parseRules("RULE r ON 'x' WHERE data.max = max AND skip = last EMIT 'y' { runs: 1 }").diagnostics.isEmpty)
    }

    /// Keywords in any case give the same tree: every construct, upper, lower and mixed case.
    @Test func keywordsInAnyCase() {
        let upper = """
            PATTERN p PARTITION BY data.u WITHIN 1m MAX RUNS 5
              MATCH a: 'a'+ WHERE data.x > 1 WITHIN 1m
              THEN b: 'b'{2,3}
              NEXT c: 'c'?
              THEN ANY d: 'd'
              THEN NOT e: 'e' WITHIN 1m
              AFTER MATCH SKIP PAST LAST EVENT
              EMIT ALL 'x' {} WHEN data.x = 1
              ON TIMEOUT EMIT 'y' {} WHEN TRUE
            """
        let lower = upper.lowercased().replacingOccurrences(of: "data.u", with: "data.u")
        let mixed = """
            Pattern p Partition By data.u Within 1m Max Runs 5
              Match a: 'a'+ Where data.x > 1 Within 1m
              Then b: 'b'{2,3}
              Next c: 'c'?
              Then Any d: 'd'
              tHEN nOT e: 'e' wItHiN 1m
              After Match Skip Past Last Event
              Emit All 'x' {} When data.x = 1
              On Timeout Emit 'y' {} When True
            """
        let expected = dumpRules(upper)
        #expect(expected.hasPrefix("pattern p @1:1 emit-all"))
        #expect(!expected.contains("error"))
        #expect(dumpRules(lower) == expected)
        #expect(dumpRules(mixed) == expected)
        let skipToNext = "PATTERN p MATCH a: 'a' AFTER MATCH SKIP TO NEXT EMIT 'x' {}"
        #expect(dumpRules(skipToNext.lowercased()) == dumpRules(skipToNext))
        #expect(dumpRules(skipToNext).contains("after match skip to next @1:24"))
    }

    /// `?` is a token only in a rule file after a string literal: expressions lex as before.
    @Test func questionMarkOnlyAfterATypeString() {
        #expect(messages("a ? b") == ["unexpected character '?'"])
        #expect(messages("'a'?") == ["unexpected character '?'"])
        #expect(ruleMessages("RULE r ON 'x' WHERE a ? b EMIT 'y' {}") == ["unexpected character '?'"])
        let tokens = Lexer.tokenize(SourceFile(name: "t", text: "'a'? x?"), ruleFile: true).tokens.map(\.kind)
        #expect(tokens == [.string, .question, .word, .error, .end])
    }

    /// Patterns, rules and aggregates in one file, in written order.
    @Test func mixedFile() {
        let text = """
            RULE r ON 'a' EMIT 'b' {}
            PATTERN p WITHIN 1m MATCH a: 'a' THEN b: 'b' EMIT 'c' {}
            AGGREGATE g ON 'a' WINDOW TUMBLING 1m EMIT 'd' { n: count() }
            PATTERN q WITHIN 1m MATCH a: 'a' EMIT 'e' {}
            """
        #expect(ruleNames(text) == ["r", "p", "g", "q"])
        #expect(parseRules(text).diagnostics.isEmpty)
    }
}
