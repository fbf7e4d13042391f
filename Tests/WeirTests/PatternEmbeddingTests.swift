import Testing
import Weir
import WeirTestSupport

/// PATTERN from Swift (issue 11, item 6): the builder gives the same plan, hence the same output,
/// as the rule text; live runs survive a snapshot and restore into a new engine.
@Suite struct PatternEmbeddingTests {
    static let fraudText = """
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
          ON TIMEOUT EMIT 'fraud.partial' { userId: login.data.userId, tx: tx.id }
        """

    static let fraudBuilt = Pattern("potential_fraud")
        .partition(by: "data.userId")
        .match("login", "user.login", where: "data.loginAttempts >= 5")
        .then("tx", "transaction.initiated", where: "data.amount > 5000", within: .minutes(10))
        .then("moved", "user.location-changed", where: "distance(data.location, login.data.location) > 1000", within: .minutes(15))
        .afterMatch(.skipPastLastEvent)
        .emit("fraud.potential-detected",
              ["userId": "login.data.userId", "severity": "'high'", "events": "[login.id, tx.id, moved.id]"])
        .onTimeoutEmit("fraud.partial", ["userId": "login.data.userId", "tx": "tx.id"])

    /// A stream of logins, transactions and moves for a few users, a few seconds apart.
    static func stream(seed: UInt64, count: Int) -> [Event] {
        var random = SplitMix64(seed: seed)
        var time: Int64 = 1_767_225_600_000   // 2026-01-01
        return (0..<count).map { i in
            time += Int64(random.next() % 90_000)
            let user = "u\(random.next() % 4)"
            let at = Timestamp(milliseconds: time).rfc3339
            let place: JSONValue = ["lat": .double(Double(random.next() % 120) - 60), "lon": .double(Double(random.next() % 300) - 150)]
            switch random.next() % 3 {
            case 0:
                return RuleRun.event("e\(i)", "user.login", at, ["userId": .string(user), "loginAttempts": .int(Int64(random.next() % 8)), "location": place])
            case 1:
                return RuleRun.event("e\(i)", "transaction.initiated", at, ["userId": .string(user), "amount": .int(Int64(random.next() % 9000))])
            default:
                return RuleRun.event("e\(i)", "user.location-changed", at, ["userId": .string(user), "location": place])
            }
        }
    }

    @Test func builderWritesTheDeclaration() {
        #expect(Self.fraudBuilt.ruleText.hasPrefix("PATTERN potential_fraud\n  PARTITION BY data.userId\n  MATCH login: 'user.login' WHERE data.loginAttempts >= 5\n"))
        #expect(Self.fraudBuilt.ruleText.contains("THEN tx: 'transaction.initiated' WHERE data.amount > 5000 WITHIN 600000ms"))
        #expect(Pattern("p").match("a", "it's").ruleText.contains(#"'it\'s'"#))
        #expect(Pattern("p").match("a", "x", .atLeast(3), within: .seconds(30)).ruleText.contains("MATCH a: 'x'{3,} WITHIN 30000ms"))
    }

    @Test func builderAndRuleTextGiveTheSameOutput() throws {
        let events = Self.stream(seed: 11, count: 3000)
        let fromText = try RuleRun.run(Self.fraudText, events).out.map(\.jsonText)
        let engine = RuleEngine(rules: try RuleSet(patterns: [Self.fraudBuilt]))
        var fromBuilder: [String] = []
        for e in events { fromBuilder += try engine.process(e).map(\.jsonText) }
        fromBuilder += engine.finish().map(\.jsonText)
        #expect(fromText.contains { $0.contains("fraud.potential-detected") })
        #expect(fromText.contains { $0.contains("fraud.partial") })
        #expect(fromBuilder == fromText)
    }

    @Test func builderErrorsQuoteTheWrittenText() {
        #expect(throws: RuleCompileError.self) { try RuleSet(patterns: [Pattern("p").match("a", "x").then("b", "y")]) }
        do {
            _ = try RuleSet(patterns: [Pattern("p").match("a", "x").then("b", "y", where: "c.data.v > 1", within: .seconds(1))])
            Issue.record("an unknown alias compiled")
        } catch {
            #expect(error.description.contains("<pattern p>:3:"))
            #expect(error.description.contains("unknown alias 'c'"))
        }
    }

    /// The milestone: a snapshot midway (live runs with their captured values, pending
    /// deadlines, id counters), restored into a new engine, gives the output of the
    /// uninterrupted run.
    @Test func snapshotMidwayThenRestoreGivesTheSameOutput() throws {
        let rules = try RuleSet(text: Self.fraudText)
        let events = Self.stream(seed: 5, count: 2000)
        let whole = RuleEngine(rules: rules)
        var expected: [String] = []
        for e in events { expected += try whole.process(e).map(\.jsonText) }
        expected += whole.finish().map(\.jsonText)

        for cut in [1, 700, 1333] {
            let first = RuleEngine(rules: rules)
            var got: [String] = []
            for e in events[..<cut] { got += try first.process(e).map(\.jsonText) }
            #expect(cut == 1 || first.statistics.declarations[0].liveRuns > 0, "cut \(cut): no live run to carry over")
            let saved = try first.snapshot()
            let second = try RuleEngine(rules: rules, restoring: saved)
            #expect(try second.snapshot() == saved)
            for e in events[cut...] { got += try second.process(e).map(\.jsonText) }
            got += second.finish().map(\.jsonText)
            #expect(got == expected, "cut at \(cut)")
        }
    }

    @Test func snapshotOfAnotherPatternIsRefused() throws {
        let rules = try RuleSet(text: Self.fraudText)
        let engine = RuleEngine(rules: rules)
        for e in Self.stream(seed: 5, count: 300) { try engine.process(e) }
        let saved = try engine.snapshot()
        let edited = try RuleSet(text: Self.fraudText.replacingOccurrences(of: "tx: tx.id", with: "tx: tx.id, n: tx.data.amount"))
        #expect(throws: (any Error).self) { try RuleEngine(rules: edited, restoring: saved) }
    }
}
