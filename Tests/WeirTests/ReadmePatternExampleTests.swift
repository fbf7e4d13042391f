import Testing
import Weir

/// The README's PATTERN builder example, compiled and run. `readmeMatchesThisFile` keeps the
/// README's copy identical to the code between the markers below.
@Suite struct ReadmePatternExampleTests {
    @Test func builderExampleRuns() throws {
        // BEGIN README PATTERN EXAMPLE
        let fraud = Pattern("potential_fraud")
            .partition(by: "data.userId")
            .match("login", "user.login", where: "data.loginAttempts >= 5")
            .then("tx", "transaction.initiated", where: "data.amount > 5000", within: .minutes(10))
            .then("moved", "user.location-changed",
                  where: "distance(data.location, login.data.location) > 1000", within: .minutes(15))
            .afterMatch(.skipPastLastEvent)
            .emit("fraud.potential-detected", ["userId": "login.data.userId", "events": "[login.id, tx.id, moved.id]"])
        let engine = RuleEngine(rules: try RuleSet(patterns: [fraud]))
        print(fraud.ruleText)   // the declaration it compiled
        // END README PATTERN EXAMPLE
        let paris: JSONValue = ["lat": 48.85, "lon": 2.35], newYork: JSONValue = ["lat": 40.71, "lon": -74.0]
        try engine.process(RuleRun.event("l1", "user.login", "2026-01-01T10:00:00Z", ["userId": "u1", "loginAttempts": 6, "location": paris]))
        try engine.process(RuleRun.event("t1", "transaction.initiated", "2026-01-01T10:05:00Z", ["userId": "u1", "amount": 9000]))
        let out = try engine.process(RuleRun.event("m1", "user.location-changed", "2026-01-01T10:20:00Z", ["userId": "u1", "location": newYork]))
        #expect(RuleRun.lines(out) == [#"fraud.potential-detected {"userId":"u1","events":["l1","t1","m1"]}"#])
    }

    /// The README shows exactly the code above.
    @Test func readmeMatchesThisFile() throws {
        let example = try #require(try ReadmeSnippets.example(in: #filePath, begin: "// BEGIN README PATTERN EXAMPLE", end: "// END README PATTERN EXAMPLE"), "markers missing")
        #expect(try ReadmeSnippets.readme(from: #filePath).contains(example))
    }
}
