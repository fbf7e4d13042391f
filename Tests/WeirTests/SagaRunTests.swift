import Foundation
import Testing
import Weir
import WeirTestSupport

/// SAGA runs at scale and across boundaries: many concurrent instances with no cross-talk, a
/// snapshot taken midway and restored into a new engine, `weir run --sagas`, and edge cases of
/// reply addressing and simultaneous deadlines.
@Suite struct SagaRunTests {
    typealias R = SagaRun

    /// 10,000 instances live at once, their replies interleaved in a shuffled order: each
    /// instance's commands and outcome carry its own KEY's data, and every tenth fails at b and
    /// is compensated (a only).
    @Test func tenThousandConcurrentInstancesDoNotCrossTalk() throws {
        let n = 10_000
        var random = SplitMix64(seed: 12)
        var events = (0..<n).map { R.event("o\($0)", "o.placed", 0, ["id": .string("k\($0)")]) }
        func replies(_ at: Int64, _ make: (Int) -> Event?) -> [Event] {
            var batch = (0..<n).compactMap(make)
            batch.shuffle(using: &random)
            return batch
        }
        events += replies(1_000) { R.event("a\($0)", "a.ok", 1_000, ["id": .string("k\($0)")], correlation: "s-\($0 + 1)") }
        events += replies(2_000) { i in
            R.event("b\(i)", i % 10 == 0 ? "b.no" : "b.ok", 2_000, ["id": .string("k\(i)")], correlation: "s-\(i + 1)")
        }
        events += replies(3_000) { i in
            i % 10 == 0 ? nil : R.event("c\(i)", "c.ok", 3_000, ["id": .string("k\(i)")], correlation: "s-\(i + 1)")
        }
        let r = try R.run(R.threeSteps(), events)
        // Every event the saga emitted names, in its data, the key of the instance it correlates.
        for e in r.out {
            let correlation = try #require(R.text(e[attribute: "correlationid"]))
            let number = try #require(Int(correlation.dropFirst(2)))
            #expect(e.data?["id"] == .string("k\(number - 1)"), "\(e.type) of \(correlation)")
        }
        #expect(R.ofType("a.do", r.out).count == n)
        #expect(R.ofType("b.do", r.out).count == n)
        #expect(R.ofType("c.do", r.out).count == n - n / 10)
        #expect(R.ofType("s.done", r.out).count == n - n / 10)
        #expect(R.ofType("b.undo", r.out).isEmpty)
        #expect(Set(R.ofType("a.undo", r.out).compactMap { R.text($0.data?["id"]) }) == Set((0..<n).filter { $0 % 10 == 0 }.map { "k\($0)" }))
        #expect(Set(R.ofType("s.failed", r.out).compactMap { R.text($0.data?["id"]) }) == Set((0..<n).filter { $0 % 10 == 0 }.map { "k\($0)" }))
        #expect(r.statistics.sagasStarted == n)
        #expect(r.statistics.sagasCompleted == n - n / 10)
        #expect(r.statistics.sagasCompensated == n / 10)
        #expect(r.statistics.sagasWaiting == 0)
        #expect(r.statistics.sagaTimersPending == 0)
        #expect(r.statistics.unmatchedReplies == 0)
        #expect(r.statistics.ignoredReplies == 0)
        #expect(r.instances.count == n)
        #expect(r.instances.allSatisfy { ($0.state == "compensated") == ($0.history.contains("failed b#1")) })
    }

    /// Uncorrelated replies routed by the WHERE of each AWAIT alone, shuffled: no cross-talk.
    @Test func fiveHundredInstancesMatchedByWhereAloneDoNotCrossTalk() throws {
        let n = 500
        var random = SplitMix64(seed: 7)
        var events = (0..<n).map { R.event("o\($0)", "o.placed", 0, ["id": .string("k\($0)")]) }
        for (at, step) in [(Int64(1_000), "a"), (2_000, "b"), (3_000, "c")] {
            var batch = (0..<n).map { R.event("\(step)\($0)", "\(step).ok", at, ["id": .string("k\($0)")]) }
            batch.shuffle(using: &random)
            events += batch
        }
        let r = try R.run(R.threeSteps(awaitWhere: true), events)
        for e in r.out {
            let correlation = try #require(R.text(e[attribute: "correlationid"]))
            let number = try #require(Int(correlation.dropFirst(2)))
            #expect(e.data?["id"] == .string("k\(number - 1)"))
        }
        #expect(r.statistics.sagasCompleted == n)
        #expect(r.statistics.unmatchedReplies == 0)
    }

    /// A snapshot taken between any two events (instances waiting, timers pending, backoffs
    /// running), restored into a new engine, gives the same output and counters as the
    /// uninterrupted run.
    @Test func aSnapshotRestoredMidwayGivesTheSameOutput() throws {
        let rules = try RuleSet(text: R.threeSteps(timeout: "30s", retryB: "RETRY 2 EVERY 1s BACKOFF 2", confirm: "5s"))
        let events = [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("o2", "o.placed", 100, ["id": "k2"]),
            R.event("o3", "o.placed", 200, ["id": "k3"]),
            R.event("r1a", "a.ok", 1_000, correlation: "s-1"),
            R.event("r2a", "a.ok", 1_100, correlation: "s-2"),
            R.event("n1b", "b.no", 1_500, correlation: "s-1"),
            R.event("o1-dup", "o.placed", 1_600, ["id": "k1"]),
            R.event("r3a", "a.ok", 2_000, correlation: "s-3"),
            R.event("r1b", "b.ok", 3_000, correlation: "s-1"),
            R.event("n2b", "b.no", 3_100, correlation: "s-2"),
            R.event("r3b", "b.ok", 4_000, correlation: "s-3"),
            R.event("n3c", "c.no", 5_000, correlation: "s-3"),
            R.event("u3b", "b.undone", 6_000, correlation: "s-3"),
            R.event("stray", "b.undone", 6_500),
            R.event("r1c", "c.ok", 7_000, correlation: "s-1"),
            R.event("o4", "o.placed", 40_000, ["id": "k4"]),
            R.event("u4a", "a.undone", 50_001, correlation: "s-4"),
        ]
        func whole() throws -> (out: [String], stats: EngineStatistics, brief: [String]) {
            let engine = RuleEngine(rules: rules)
            var out: [Event] = []
            for e in events { out += try engine.process(e) }
            out += engine.finish()
            return (out.map(\.jsonText), engine.statistics, R.brief(out))
        }
        let reference = try whole()
        // s-1 completes after a retry of b; s-2's b times out twice after a retry and its
        // compensation is never confirmed (the saga deadline passes meanwhile); s-3 fails at c, b's
        // compensation is confirmed, a's is not; s-4 times out at a and its compensation is confirmed.
        #expect(reference.brief == [
            "a.do s-1 @0", "a.do s-2 @100", "a.do s-3 @200", "b.do s-1 @1000", "b.do s-2 @1100", "b.do s-3 @2000",
            "b.do s-1 @2500", "c.do s-1 @3000", "c.do s-3 @4000", "b.do s-2 @4100", "b.undo s-3 @5000", "a.undo s-3 @6000",
            "s.done s-1 @7000", "s.failed s-3 @11000", "b.do s-2 @16100", "b.undo s-2 @26100", "s.failed s-2 @31100",
            "a.do s-4 @40000", "a.undo s-4 @50000", "s.failed s-4 @50001",
        ])
        let counters = reference.stats.declarations[0]
        #expect([counters.sagasCompleted, counters.sagasCompensated, counters.sagasCompensationFailed] == [1, 1, 2] as [Int])
        #expect([counters.duplicateStarts, counters.unmatchedReplies] == [1, 1] as [Int])
        for split in 1..<events.count {
            let first = RuleEngine(rules: rules)
            var out: [String] = []
            for e in events[..<split] { out += try first.process(e).map(\.jsonText) }
            let bytes = try first.snapshot()
            let second = try RuleEngine(rules: rules, restoring: bytes)
            for e in events[split...] { out += try second.process(e).map(\.jsonText) }
            out += second.finish().map(\.jsonText)
            #expect(out == reference.out, "split before event \(split)")
            #expect(second.statistics.declarations == reference.stats.declarations, "split before event \(split)")
        }
    }

    /// A reply that names an older attempt by `sagaattempt` alone (no `sagastep`) is stale too.
    @Test
    func aReplyNamingAnOldAttemptWithoutItsStepIsStale() throws {
        let r = try R.run(R.threeSteps(retryB: "RETRY 1 EVERY 1s"), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 0, correlation: "s-1"),
            R.event("n1", "b.no", 1_000, correlation: "s-1"),
            R.event("old", "b.ok", 2_500, correlation: "s-1", attempt: 1),
        ], flush: false)
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @0", "b.do s-1 @2000"])
        #expect(r.statistics.ignoredReplies == 1)
    }

    /// A reply at exactly the saga's TIMEOUT still counts (the deadline is inclusive).
    @Test func aReplyAtExactlyTheSagaTimeoutCounts() throws {
        let r = try R.run(R.threeSteps(within: "20s", timeout: "15s"), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 5_000, correlation: "s-1"),
            R.event("r2", "b.ok", 10_000, correlation: "s-1"),
            R.event("r3", "c.ok", 15_000, correlation: "s-1"),
        ])
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @5000", "c.do s-1 @10000", "s.done s-1 @15000"])
        #expect(r.statistics.sagaTimersPending == 0)
    }

    /// Timers past due at one instant fire in (deadline, creation) order: the instance started
    /// first times out first, whatever the order of its own events.
    @Test func simultaneousTimeoutsFireInCreationOrder() throws {
        let r = try R.run(R.threeSteps(), [
            R.event("o2", "o.placed", 0, ["id": "k2"]),
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("o3", "o.placed", 1, ["id": "k3"]),
        ])
        #expect(R.brief(r.out.filter { $0.type == "s.failed" }) == ["s.failed s-1 @10000", "s.failed s-2 @10000", "s.failed s-3 @10001"])
        #expect(r.out.filter { $0.type == "s.failed" }.map { $0.data?["id"] } == ["k2", "k1", "k3"])
    }

    // MARK: - weir run --sagas

    @Test func weirRunSagasWritesEachInstanceWithItsStateAndHistory() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("saga.rules", R.threeSteps())
        let events = [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("o2", "o.placed", 0, ["id": "k2"]),
            R.event("o3", "o.placed", 0, ["id": "k3"]),
            R.event("r1", "a.ok", 1_000, correlation: "s-1"),
            R.event("n2", "a.no", 1_000, correlation: "s-2"),
            R.event("r1b", "b.ok", 2_000, correlation: "s-1"),
            R.event("r1c", "c.ok", 3_000, correlation: "s-1"),
        ]
        let input = try dir.file("events.jsonl", events.map { $0.jsonText + "\n" }.joined())
        let sagas = dir.path("sagas.jsonl")
        let run = try WeirCLI.run(["run", rules, "--input", input, "--sagas", sagas, "--no-flush", "--stats"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("instances: 3 started, 1 completed, 1 compensated, 0 failed to compensate, 1 waiting, 1 timers pending"), "\(run.err)")
        let lines = try String(contentsOfFile: sagas, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["id"] as? String } == ["s-1", "s-2", "s-3"])
        #expect(objects.map { $0["saga"] as? String } == ["s", "s", "s"])
        #expect(objects.map { $0["key"] as? String } == ["k1", "k2", "k3"])
        #expect(objects.map { $0["state"] as? String } == ["completed", "compensated", "waiting"])
        #expect(objects[0]["error"] == nil)
        let error = try #require(objects[1]["error"] as? [String: Any])
        #expect(error["kind"] as? String == "failure")
        #expect(error["step"] as? String == "a")
        #expect(error["attempt"] as? Int == 1)
        #expect(error["message"] as? String == "'a.no' received")
        let history = try #require(objects[1]["history"] as? [[String: Any]])
        #expect(history.map { $0["what"] as? String } == ["started", "sent", "attempt-failed", "failed", "compensated"])
        #expect(history[0]["event"] as? String == "o2")
        #expect(history[0]["time"] as? String == "2026-01-01T00:00:00.000Z")
        #expect(history[2]["event"] as? String == "n2")
        #expect(history[2]["time"] as? String == "2026-01-01T00:00:01.000Z")
        #expect(history[1]["step"] as? String == "a")
        #expect(history[1]["attempt"] as? Int == 1)
    }

    @Test func weirRunSagasRefusesTheInputOrAnotherOutput() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.file("saga.rules", R.threeSteps())
        let input = try dir.file("events.jsonl", R.event("o1", "o.placed", 0, ["id": "k1"]).jsonText + "\n")
        let before = try String(contentsOfFile: input, encoding: .utf8)
        let same = try WeirCLI.run(["run", rules, "--input", input, "--sagas", input])
        #expect(same.status == 2, "\(same.err)")
        #expect(try String(contentsOfFile: input, encoding: .utf8) == before, "the input is untouched")
        let out = dir.path("out.jsonl")
        let clash = try WeirCLI.run(["run", rules, "--input", input, "--output", out, "--sagas", out])
        #expect(clash.status == 2, "\(clash.err)")
        let dead = dir.path("dead.jsonl")
        let clash2 = try WeirCLI.run(["run", rules, "--input", input, "--dead-letter", dead, "--sagas", dead])
        #expect(clash2.status == 2, "\(clash2.err)")
    }
}
