import Testing
import Weir

/// `collect` over a quantified alias: its list reaches its slot only when read (a WHERE that
/// reads it, an EMIT, an ON TIMEOUT EMIT), and is then complete and in order.
@Suite struct PatternCollectTests {
    static let rules = """
        PATTERN burst
          PARTITION BY data.user
          MATCH fails: 'login.failed'{2,4} WITHIN 1m
          THEN ok: 'login.succeeded' WHERE data.ip = collect(fails.data.ip)[1] WITHIN 1m
          EMIT 'burst' { ips: collect(fails.data.ip), n: count(fails) }
          ON TIMEOUT EMIT 'partial' { ips: collect(fails.data.ip) }
        """

    static func ev(_ id: String, _ type: String, _ second: Int, _ user: String, _ ip: String) -> Event {
        RuleRun.event(id, type, "2026-01-01T10:00:\(second < 10 ? "0" : "")\(second)Z", ["user": .string(user), "ip": .string(ip)])
    }

    @Test func collectedListsAreCompleteWhenRead() throws {
        let events = [
            Self.ev("f1", "login.failed", 0, "u1", "1.1.1.1"), Self.ev("f2", "login.failed", 1, "u1", "2.2.2.2"),
            Self.ev("f3", "login.failed", 2, "u1", "3.3.3.3"),
            // The WHERE reads the second failure's address from the collected list.
            Self.ev("s1", "login.succeeded", 3, "u1", "9.9.9.9"),
            Self.ev("s2", "login.succeeded", 4, "u1", "3.3.3.3"),
            Self.ev("s3", "login.succeeded", 5, "u1", "2.2.2.2"),
            Self.ev("g1", "login.failed", 6, "u2", "7.7.7.7"),
        ]
        let out = RuleRun.lines(try RuleRun.run(Self.rules, events).out)
        // Every failure starts a run: f2's run ([2.2.2.2, 3.3.3.3]) takes s2, f1's run (all three)
        // takes s3; f3's run has one failure, fewer than two, and expires, as does u2's.
        #expect(out == [
            #"burst {"ips":["2.2.2.2","3.3.3.3"],"n":2}"#,
            #"burst {"ips":["1.1.1.1","2.2.2.2","3.3.3.3"],"n":3}"#,
            #"partial {"ips":["3.3.3.3"]}"#,
            #"partial {"ips":["7.7.7.7"]}"#,
        ])
    }

    @Test func aSnapshotKeepsTheCollectedValues() throws {
        let rules = try RuleSet(text: Self.rules)
        let first = RuleEngine(rules: rules)
        try first.process(Self.ev("f1", "login.failed", 0, "u1", "1.1.1.1"))
        try first.process(Self.ev("f2", "login.failed", 1, "u1", "2.2.2.2"))
        let second = try RuleEngine(rules: rules, restoring: try first.snapshot())
        let out = RuleRun.lines(try second.process(Self.ev("s1", "login.succeeded", 2, "u1", "2.2.2.2")))
        // f1's run ([1.1.1.1, 2.2.2.2]) reads its second address after the restore.
        #expect(out == [#"burst {"ips":["1.1.1.1","2.2.2.2"],"n":2}"#])
    }
}
