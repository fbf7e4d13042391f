import Testing
import Weir

/// One test per semantics bullet of LANGUAGE.md's SAGA section, end to end through the engine as
/// `weir run` drives it: rules text and events in, emitted events, instance histories and
/// counters out. Times are millisecond offsets (`@ms`); the three-step saga `s` is
/// `SagaRun.threeSteps` (steps a, b, c, each awaiting `X.ok` WITHIN 10s, failing on `X.no`).
@Suite struct SagaSemanticsTests {
    typealias R = SagaRun

    // MARK: - One instance per KEY

    /// "One instance per KEY; a second start with a live key is recorded, not started again."
    /// After the instance ended, the same key starts a new one.
    @Test func oneInstancePerKeyASecondStartIsRecordedNotStartedAgain() throws {
        let r = try R.run(R.threeSteps(), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("o1-again", "o.placed", 100, ["id": "k1"]),
            R.event("o2", "o.placed", 200, ["id": "k2"]),
            R.event("r1", "a.ok", 300, correlation: "s-1"),
            R.event("r2", "b.ok", 400, correlation: "s-1"),
            R.event("r3", "c.ok", 500, correlation: "s-1"),
            R.event("o1-after", "o.placed", 600, ["id": "k1"]),
        ], flush: false)
        #expect(R.brief(R.ofType("a.do", r.out)) == ["a.do s-1 @0", "a.do s-2 @200", "a.do s-3 @600"])
        #expect(r.instance("s-1")?.history.contains("duplicate-start") == true)
        #expect(r.instance("s-1")?.state == "completed")
        #expect(r.instance("s-3")?.key == "k1")
        #expect(r.instance("s-3")?.state == "waiting")
        #expect(r.statistics.sagasStarted == 3)
        #expect(r.statistics.duplicateStarts == 1)
        #expect(r.statistics.sagasWaiting == 2)
    }

    /// A start whose KEY is missing starts nothing and is counted.
    @Test func aStartWithoutKeyStartsNothingAndIsCounted() throws {
        let r = try R.run(R.threeSteps(), [R.event("o1", "o.placed", 0, ["other": 1])])
        #expect(r.out.isEmpty)
        #expect(r.instances.isEmpty)
        #expect(r.statistics.sagasWithoutKey == 1)
        #expect(r.statistics.sagasStarted == 0)
    }

    // MARK: - Commands and correlation

    /// "Each command carries the saga id as correlationid plus sagastep and sagaattempt": and
    /// causationid = the last event bound to the instance, time = the transition's time, source
    /// weir://<saga>, a deterministic id.
    @Test func eachCommandCarriesTheSagaIdStepAndAttempt() throws {
        let events = [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 1_000, correlation: "s-1"),
        ]
        let r = try R.run(R.threeSteps(), events)
        // a.do at 0 (caused by o1), b.do at 1s (caused by r1), then b times out at 11s: the
        // compensations and ON FAILURE carry the timer's due time and the last bound event.
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @1000", "b.undo s-1 @11000", "a.undo s-1 @11000", "s.failed s-1 @11000"])
        let expected: [(cause: String, step: String?, attempt: Int64?)] = [
            ("o1", "a", 1), ("r1", "b", 1), ("r1", "b", 1), ("r1", "a", 1), ("r1", nil, nil),
        ]
        for (e, x) in zip(r.out, expected) {
            #expect(R.text(e[attribute: "correlationid"]) == "s-1")
            #expect(R.text(e[attribute: "causationid"]) == x.cause, "\(e.type)")
            #expect(R.text(e[attribute: "sagastep"]) == x.step, "\(e.type)")
            #expect(R.int(e[attribute: "sagaattempt"]) == x.attempt, "\(e.type)")
            #expect(e.source == "weir://s")
            #expect(R.text(e[attribute: "datacontenttype"]) == "application/json")
            #expect(e.data?["id"] == "k1")
        }
        #expect(Set(r.out.map(\.id)).count == r.out.count, "ids are unique")
        let again = try R.run(R.threeSteps(), events)
        #expect(again.out.map(\.id) == r.out.map(\.id), "ids are deterministic")
    }

    /// "A reply belongs to the instance whose id it echoes in correlationid (a participant written
    /// as a RULE echoes it)": two instances answered by RULE participants, each completes with its
    /// own key.
    @Test func aReplyBelongsToTheInstanceWhoseIdItEchoes() throws {
        let rules = R.threeSteps() + """
        RULE pa ON 'a.do' EMIT 'a.ok' { id: data.id }
        RULE pb ON 'b.do' EMIT 'b.ok' { id: data.id }
        RULE pc ON 'c.do' EMIT 'c.ok' { id: data.id }
        """
        let r = try R.run(rules, [R.event("o1", "o.placed", 0, ["id": "k1"]), R.event("o2", "o.placed", 5, ["id": "k2"])])
        #expect(R.brief(r.out) == [
            "a.do s-1 @0", "a.ok s-1 @0", "b.do s-1 @0", "b.ok s-1 @0", "c.do s-1 @0", "c.ok s-1 @0", "s.done s-1 @0",
            "a.do s-2 @5", "a.ok s-2 @5", "b.do s-2 @5", "b.ok s-2 @5", "c.do s-2 @5", "c.ok s-2 @5", "s.done s-2 @5",
        ])
        #expect(R.ofType("s.done", r.out).map { $0.data?["id"] } == ["k1", "k2"])
        #expect(r.statistics.sagasCompleted == 2)
        #expect(r.statistics.sagaTimersPending == 0)
    }

    /// A reply carrying another live instance's id goes to that instance only.
    @Test func aReplyWithAnotherInstancesIdMovesOnlyThatInstance() throws {
        let r = try R.run(R.threeSteps(), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("o2", "o.placed", 0, ["id": "k2"]),
            R.event("r", "a.ok", 1_000, correlation: "s-2"),
        ], flush: false)
        #expect(R.brief(r.out) == ["a.do s-1 @0", "a.do s-2 @0", "b.do s-2 @1000"])
        #expect(r.instance("s-1")?.history == ["started", "sent a#1"])
    }

    /// "A reply without it is matched by the optional WHERE of its AWAIT or FAIL ON (which may use
    /// the saga's aliases), while that step is waiting."
    @Test func aReplyWithoutCorrelationIsMatchedByTheWhereOfItsAwaitOrFailOn() throws {
        let r = try R.run(R.threeSteps(awaitWhere: true), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("o2", "o.placed", 0, ["id": "k2"]),
            R.event("r2", "a.ok", 1_000, ["id": "k2"]),
            R.event("n1", "a.no", 2_000, ["id": "k1"]),
            // b of k2 waits, a of k2 no longer: this one fits nothing.
            R.event("r2-again", "a.ok", 3_000, ["id": "k2"]),
        ], flush: false)
        #expect(R.brief(r.out) == ["a.do s-1 @0", "a.do s-2 @0", "b.do s-2 @1000", "s.failed s-1 @2000"])
        #expect(r.instance("s-2")?.history == ["started", "sent a#1", "step-completed a#1", "sent b#1"])
        #expect(r.statistics.unmatchedReplies == 1)
    }

    /// "A reply with neither matches no instance and is counted as unmatched": no correlationid
    /// (or one naming no instance) and an AWAIT without WHERE.
    @Test
    func aReplyWithNeitherCorrelationNorWhereIsUnmatched() throws {
        let r = try R.run(R.threeSteps(), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r", "a.ok", 1_000),
            R.event("r-foreign", "a.ok", 2_000, correlation: "c-9"),
        ], flush: false)
        #expect(R.brief(r.out) == ["a.do s-1 @0"])
        #expect(r.statistics.unmatchedReplies == 2)
    }

    /// A reply that no instance's WHERE accepts is unmatched, counted, and changes nothing.
    @Test func aReplyNoWhereAcceptsIsUnmatchedAndCounted() throws {
        let r = try R.run(R.threeSteps(awaitWhere: true), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r", "a.ok", 1_000, ["id": "nobody"]),
            R.event("q", "a.ok", 1_500, ["id": "nobody"], correlation: "s-77"),
        ], flush: false)
        #expect(R.brief(r.out) == ["a.do s-1 @0"])
        #expect(r.statistics.unmatchedReplies == 2)
        #expect(r.instance("s-1")?.history == ["started", "sent a#1"])
    }

    /// "The first matching reply wins; duplicates ... are recorded in the instance history and
    /// change nothing."
    @Test func theFirstMatchingReplyWinsADuplicateIsRecordedAndChangesNothing() throws {
        let r = try R.run(R.threeSteps(), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 1_000, correlation: "s-1"),
            R.event("r1-dup", "a.ok", 1_100, correlation: "s-1"),
            R.event("n1-dup", "a.no", 1_200, correlation: "s-1"),
        ], flush: false)
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @1000"])
        #expect(r.instance("s-1")?.history == ["started", "sent a#1", "step-completed a#1", "sent b#1", "reply-ignored", "reply-ignored"])
        #expect(r.statistics.ignoredReplies == 2)
    }

    /// "Replies to old attempts are recorded and change nothing": `sagaattempt` on the reply names
    /// an earlier attempt; `sagastep` an earlier step.
    @Test func aReplyToAnOldAttemptOrAnEarlierStepIsRecordedAndChangesNothing() throws {
        let r = try R.run(R.threeSteps(retryB: "RETRY 2 EVERY 1s"), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 0, correlation: "s-1"),
            R.event("n1", "b.no", 1_000, correlation: "s-1", step: "b", attempt: 1),
            // the retry goes out at 2s (the watermark passes it at 2.5s): attempt 2 waits
            R.event("old", "b.ok", 2_500, correlation: "s-1", step: "b", attempt: 1),
            R.event("earlier", "b.ok", 2_600, correlation: "s-1", step: "a", attempt: 1),
            R.event("ok", "b.ok", 2_700, correlation: "s-1", step: "b", attempt: 2),
        ], flush: false)
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @0", "b.do s-1 @2000", "c.do s-1 @2700"])
        #expect(R.int(r.out[2][attribute: "sagaattempt"]) == 2)
        #expect(r.instance("s-1")?.history == [
            "started", "sent a#1", "step-completed a#1", "sent b#1", "attempt-failed b#1", "retry-scheduled b#2", "sent b#2",
            "reply-ignored b#1", "reply-ignored a#1", "step-completed b#2", "sent c#1",
        ])
        #expect(r.statistics.ignoredReplies == 2)
    }

    /// A reply echoing an instance that has ended is ignored: never handed to another instance
    /// waiting on the same AWAIT (here one without WHERE).
    @Test
    func aReplyToAnEndedInstanceIsNotTakenByAnother() throws {
        let r = try R.run(R.threeSteps(), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("n1", "a.no", 100, correlation: "s-1"),
            R.event("o2", "o.placed", 200, ["id": "k2"]),
            R.event("dup", "a.ok", 300, correlation: "s-1"),
        ], flush: false)
        #expect(R.brief(r.out) == ["a.do s-1 @0", "s.failed s-1 @100", "a.do s-2 @200"])
        #expect(r.instance("s-2")?.history == ["started", "sent a#1"])
        #expect(r.statistics.ignoredReplies == 1)
    }

    /// A reply to an old attempt binds nothing: the next command's causationid is still the last
    /// event bound to the instance (here the decline), not the stale reply.
    @Test
    func aStaleReplyIsNotTheCauseOfTheNextCommand() throws {
        let r = try R.run(R.threeSteps(retryB: "RETRY 2 EVERY 1s"), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 0, correlation: "s-1"),
            R.event("n1", "b.no", 1_000, correlation: "s-1", step: "b", attempt: 1),
            R.event("old", "b.ok", 2_500, correlation: "s-1", step: "b", attempt: 1),
            // attempt 2 (sent at 2s) times out at 12s; attempt 3 goes out at 13s
        ])
        let third = try #require(R.ofType("b.do", r.out).last)
        #expect(R.int(third[attribute: "sagaattempt"]) == 3)
        #expect(R.text(third[attribute: "causationid"]) == "n1")
    }

    /// A reply for an instance that has ended is counted as ignored and publishes nothing.
    @Test func nothingIsPublishedAfterTheTerminalState() throws {
        let r = try R.run(R.threeSteps(), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("n1", "a.no", 1_000, correlation: "s-1"),
            R.event("r1", "a.ok", 2_000, correlation: "s-1"),
            R.event("r2", "b.ok", 3_000, correlation: "s-1"),
        ])
        #expect(R.brief(r.out) == ["a.do s-1 @0", "s.failed s-1 @1000"])
        #expect(r.statistics.ignoredReplies == 2)
        #expect(r.statistics.unmatchedReplies == 0)
        #expect(r.instance("s-1")?.state == "compensated")
    }

    // MARK: - Failure, timeout, retry

    /// "A step fails on a FAIL ON reply": failure at every step k compensates steps k-1 ... 1 in
    /// reverse order, not k, then ON FAILURE once with error.kind failure.
    @Test(arguments: 0..<3) func aFailOnReplyAtEveryStepCompensatesTheCompletedStepsInReverse(_ k: Int) throws {
        let names = ["a", "b", "c"]
        var events = [R.event("o1", "o.placed", 0, ["id": "k1"])]
        for i in 0..<k { events.append(R.event("r\(i)", "\(names[i]).ok", Int64(i + 1) * 1000, correlation: "s-1")) }
        let failAt = Int64(k + 1) * 1000
        events.append(R.event("no", "\(names[k]).no", failAt, correlation: "s-1"))
        let r = try R.run(R.threeSteps(), events)
        var expected = (0...k).map { "\(names[$0]).do s-1 @\($0 * 1000)" }
        expected += (0..<k).reversed().map { "\(names[$0]).undo s-1 @\(failAt)" }
        expected.append("s.failed s-1 @\(failAt)")
        #expect(R.brief(r.out) == expected)
        let failed = try #require(r.out.last)
        #expect(failed.data?["kind"] == "failure")
        #expect(failed.data?["step"] == .string(names[k]))
        #expect(failed.data?["attempt"] == 1)
        #expect(failed.data?["message"] == .string("'\(names[k]).no' received"))
        #expect(r.instance("s-1")?.state == "compensated")
        #expect(r.statistics.sagasCompensated == 1)
        #expect(r.statistics.sagaTimersPending == 0)
        #expect(r.statistics.sagasWaiting == 0)
    }

    /// "A step fails ... on its WITHIN timeout": the deadline is inclusive. A reply at exactly the
    /// deadline wins; one 1 ms later finds the step timed out (the timer fires first, at its due
    /// time), and is late. The timed-out step is compensated with the completed ones.
    @Test(arguments: 0..<3, [0, 1] as [Int64])
    func aTimeoutAtEveryStepAtTheBoundaryInstant(_ k: Int, _ lateBy: Int64) throws {
        let names = ["a", "b", "c"]
        var events = [R.event("o1", "o.placed", 0, ["id": "k1"])]
        for i in 0..<k { events.append(R.event("r\(i)", "\(names[i]).ok", 0, correlation: "s-1")) }
        events.append(R.event("boundary", "\(names[k]).ok", 10_000 + lateBy, correlation: "s-1"))
        let r = try R.run(R.threeSteps(), events, flush: false)
        let sent = (0...k).map { "\(names[$0]).do s-1 @0" }
        if lateBy == 0 {
            let next = k < 2 ? ["\(names[k + 1]).do s-1 @10000"] : ["s.done s-1 @10000"]
            #expect(R.brief(r.out) == sent + next)
            #expect(r.statistics.ignoredReplies == 0)
        } else {
            #expect(R.brief(r.out) == sent + (0...k).reversed().map { "\(names[$0]).undo s-1 @10000" } + ["s.failed s-1 @10000"])
            let failed = try #require(r.out.last)
            #expect(failed.data?["kind"] == "timeout")
            #expect(failed.data?["step"] == .string(names[k]))
            #expect(failed.data?["message"] == .string("no reply to '\(names[k])' within 10000ms"))
            #expect(r.statistics.ignoredReplies == 1, "the reply after the timeout is late")
            #expect(r.instance("s-1")?.state == "compensated")
        }
    }

    /// A late reply to a step whose timeout ended the saga is recorded in the instance history.
    @Test
    func aLateReplyAfterTheTimeoutIsRecordedInTheHistory() throws {
        let r = try R.run(R.threeSteps(), [R.event("o1", "o.placed", 0, ["id": "k1"]), R.event("late", "a.ok", 10_001, correlation: "s-1")])
        #expect(r.instance("s-1")?.history.last == "reply-ignored")
    }

    /// "Timers are cancellable": a reply 1 ms before the deadline cancels it; passing the deadline
    /// later changes nothing.
    @Test func aReplyCancelsItsTimer() throws {
        let r = try R.run(R.threeSteps(), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 9_999, correlation: "s-1"),
            R.event("other", "unrelated", 15_000),
        ], flush: false)
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @9999"])
        #expect(r.statistics.sagaTimersPending == 1, "only b's timer")
        #expect(r.instance("s-1")?.history == ["started", "sent a#1", "step-completed a#1", "sent b#1"])
    }

    /// "RETRY n EVERY d BACKOFF f MAX m sends the command again up to n more times, waiting d,
    /// d*f, d*f^2 ... (capped at m) after each failure": a participant that always declines; the
    /// attempts go out at 0, 1s, 3s, 6s (3s cap), 9s; then compensation (b itself failed on FAIL
    /// ON: not compensated) and ON FAILURE with the last attempt.
    @Test func theRetryScheduleBacksOffAndIsCappedByMax() throws {
        let rules = R.threeSteps(retryB: "RETRY 4 EVERY 1s BACKOFF 2 MAX 3s") + """
        RULE pa ON 'a.do' EMIT 'a.ok' { id: data.id }
        RULE pb ON 'b.do' EMIT 'b.no' { id: data.id }
        """
        let r = try R.run(rules, [R.event("o1", "o.placed", 0, ["id": "k1"])])
        let commands = R.ofType("b.do", r.out)
        #expect(commands.map(R.offset) == [0, 1_000, 3_000, 6_000, 9_000])
        #expect(commands.map { R.int($0[attribute: "sagaattempt"]) } == [1, 2, 3, 4, 5])
        #expect(R.brief(r.out.filter { !$0.type.hasPrefix("b.") && $0.type != "a.ok" }) == ["a.do s-1 @0", "a.undo s-1 @9000", "s.failed s-1 @9000"])
        #expect(r.out.last?.data?["attempt"] == 5)
        #expect(r.out.last?.data?["kind"] == "failure")
        // Every retry's decline is caused by that attempt's command.
        for (command, decline) in zip(commands, R.ofType("b.no", r.out)) {
            #expect(R.text(decline[attribute: "causationid"]) == command.id)
        }
    }

    /// A participant that declines the first attempts then accepts: the saga completes.
    @Test func aRetriedStepThatSucceedsCompletesTheSaga() throws {
        let rules = R.threeSteps(retryB: "RETRY 3 EVERY 1s BACKOFF 2") + """
        RULE pa ON 'a.do' EMIT 'a.ok' { id: data.id }
        RULE pb_declines ON 'b.do' WHERE sagaattempt < 3 EMIT 'b.no' { id: data.id }
        RULE pb_accepts ON 'b.do' WHERE sagaattempt >= 3 EMIT 'b.ok' { id: data.id }
        RULE pc ON 'c.do' EMIT 'c.ok' { id: data.id }
        """
        let r = try R.run(rules, [R.event("o1", "o.placed", 0, ["id": "k1"])])
        #expect(R.ofType("b.do", r.out).map(R.offset) == [0, 1_000, 3_000])
        #expect(R.brief(r.out.suffix(3)) == ["c.do s-1 @3000", "c.ok s-1 @3000", "s.done s-1 @3000"])
        #expect(r.statistics.sagasCompleted == 1)
    }

    /// "During a backoff no attempt is waiting, so a reply that arrives then is late."
    @Test func aReplyDuringABackoffIsLate() throws {
        let r = try R.run(R.threeSteps(retryB: "RETRY 1 EVERY 1s"), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 0, correlation: "s-1"),
            R.event("n1", "b.no", 1_000, correlation: "s-1"),
            R.event("during", "b.ok", 1_500, correlation: "s-1"),
            R.event("after", "b.ok", 2_500, correlation: "s-1"),
        ], flush: false)
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @0", "b.do s-1 @2000", "c.do s-1 @2500"])
        #expect(r.statistics.ignoredReplies == 1)
        let history = try #require(r.instance("s-1")?.history)
        #expect(history.firstIndex(of: "reply-ignored")! < history.firstIndex(of: "sent b#2")!)
    }

    // MARK: - Compensation

    /// "The completed steps, and a step that failed by timing out, are compensated in reverse
    /// order; a step that failed on a FAIL ON reply is not compensated"; "A COMPENSATE without its
    /// own AWAIT is done once it is published": back to back; steps without COMPENSATE and
    /// steps without AWAIT (done once sent) are handled.
    @Test func compensationSkipsStepsWithoutCompensateAndDoesStepsWithoutAwaitOnceSent() throws {
        let rules = """
        SAGA s
          START ON 'o.placed' AS o
          KEY o.data.id
          STEP a
            SEND 'a.do' { id: o.data.id }
            AWAIT 'a.ok' WITHIN 10s
            COMPENSATE 'a.undo' { id: o.data.id }
          STEP notify
            SEND 'n.do' { id: o.data.id }
            COMPENSATE 'n.undo' { id: o.data.id }
          STEP log
            SEND 'l.do' { id: o.data.id }
            AWAIT 'l.ok' WITHIN 10s
          STEP b
            SEND 'b.do' { id: o.data.id }
            AWAIT 'b.ok' WITHIN 10s
            COMPENSATE 'b.undo' { id: o.data.id }
          ON FAILURE EMIT 's.failed' { step: error.step, kind: error.kind }
        """
        let r = try R.run(rules, [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 1_000, correlation: "s-1"),
            R.event("r2", "l.ok", 2_000, correlation: "s-1"),
        ])
        #expect(R.brief(r.out) == [
            "a.do s-1 @0", "n.do s-1 @1000", "l.do s-1 @1000", "b.do s-1 @2000",
            "b.undo s-1 @12000", "n.undo s-1 @12000", "a.undo s-1 @12000", "s.failed s-1 @12000",
        ])
    }

    /// "One with AWAIT 'type' WITHIN d waits for that confirmation": the next compensation goes
    /// out only once the previous one is confirmed.
    @Test func aCompensationWithAwaitWaitsForItsConfirmation() throws {
        let r = try R.run(R.threeSteps(confirm: "5s"), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 1_000, correlation: "s-1"),
            R.event("r2", "b.ok", 2_000, correlation: "s-1"),
            R.event("n3", "c.no", 3_000, correlation: "s-1"),
            R.event("u2", "b.undone", 4_000, correlation: "s-1"),
            R.event("u1", "a.undone", 5_000, correlation: "s-1"),
        ])
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @1000", "c.do s-1 @2000", "b.undo s-1 @3000", "a.undo s-1 @4000", "s.failed s-1 @5000"])
        #expect(r.instance("s-1")?.state == "compensated")
        #expect(r.instance("s-1")?.history.suffix(5) == ["compensation-sent b", "compensation-confirmed b", "compensation-sent a", "compensation-confirmed a", "compensated"])
        #expect(r.statistics.sagasCompensated == 1)
        #expect(r.statistics.sagaTimersPending == 0)
    }

    /// "A compensation that cannot be ... confirmed ends the saga in compensation_failed,
    /// reported, never swallowed", and ON FAILURE still runs once.
    @Test func aCompensationNotConfirmedInTimeEndsInCompensationFailed() throws {
        let r = try R.run(R.threeSteps(confirm: "5s"), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 1_000, correlation: "s-1"),
            R.event("r2", "b.ok", 2_000, correlation: "s-1"),
            R.event("n3", "c.no", 3_000, correlation: "s-1"),
            R.event("late", "b.undone", 8_001, correlation: "s-1"),
        ])
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @1000", "c.do s-1 @2000", "b.undo s-1 @3000", "s.failed s-1 @8000"])
        #expect(r.out.last?.data?["kind"] == "failure")
        #expect(r.out.last?.data?["step"] == "c")
        #expect(r.instance("s-1")?.state == "compensation_failed")
        #expect(r.instance("s-1")?.history.contains("compensation-failed b") == true)
        #expect(r.statistics.sagasCompensationFailed == 1)
        #expect(r.statistics.sagasCompensated == 0)
        #expect(r.statistics.ignoredReplies == 1)
    }

    /// A confirmation at exactly the compensation's deadline still counts.
    @Test func aConfirmationAtItsDeadlineCounts() throws {
        let r = try R.run(R.threeSteps(confirm: "5s"), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 1_000, correlation: "s-1"),
            R.event("n2", "b.no", 2_000, correlation: "s-1"),
            R.event("u1", "a.undone", 7_000, correlation: "s-1"),
        ])
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @1000", "a.undo s-1 @2000", "s.failed s-1 @7000"])
        #expect(r.instance("s-1")?.state == "compensated")
    }

    // MARK: - The saga's TIMEOUT

    /// "TIMEOUT bounds the whole saga, counted from its start: when it passes, the step waiting
    /// then fails as if it had timed out (it is compensated with the completed steps), with
    /// error.kind = deadline and no retry."
    @Test func theSagaTimeoutFailsTheWaitingStepWithoutRetry() throws {
        let r = try R.run(R.threeSteps(timeout: "15s", retryB: "RETRY 3 EVERY 1s"), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 8_000, correlation: "s-1"),
            R.event("late", "b.ok", 15_001, correlation: "s-1"),
        ])
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @8000", "b.undo s-1 @15000", "a.undo s-1 @15000", "s.failed s-1 @15000"])
        #expect(r.out.last?.data?["kind"] == "deadline")
        #expect(r.out.last?.data?["step"] == "b")
        #expect(r.out.last?.data?["attempt"] == 1)
        #expect(r.statistics.sagaTimersPending == 0)
        #expect(r.statistics.ignoredReplies == 1)
    }

    /// The deadline passing during a backoff fails the saga too (no further attempt).
    @Test func theSagaTimeoutDuringABackoffFailsWithoutAnotherAttempt() throws {
        let r = try R.run(R.threeSteps(timeout: "5s", retryB: "RETRY 3 EVERY 10s"), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 1_000, correlation: "s-1"),
            R.event("n1", "b.no", 2_000, correlation: "s-1"),
        ])
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @1000", "a.undo s-1 @5000", "s.failed s-1 @5000"])
        #expect(r.out.last?.data?["kind"] == "deadline")
    }

    /// "A deadline during compensation is recorded only."
    @Test func aDeadlineDuringCompensationIsRecordedOnly() throws {
        let r = try R.run(R.threeSteps(timeout: "15s", confirm: "5s"), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("r1", "a.ok", 10_000, correlation: "s-1"),
            R.event("r2", "b.ok", 11_000, correlation: "s-1"),
            R.event("n3", "c.no", 12_000, correlation: "s-1"),
            R.event("u2", "b.undone", 16_000, correlation: "s-1"),
            R.event("u1", "a.undone", 16_500, correlation: "s-1"),
        ])
        #expect(R.brief(r.out) == [
            "a.do s-1 @0", "b.do s-1 @10000", "c.do s-1 @11000", "b.undo s-1 @12000", "a.undo s-1 @16000", "s.failed s-1 @16500",
        ])
        #expect(r.out.last?.data?["kind"] == "failure")
        let history = try #require(r.instance("s-1")?.history)
        #expect(history.contains("deadline-during-compensation"))
        #expect(r.instance("s-1")?.state == "compensated")
    }

    // MARK: - Terminal states and branches

    /// "ON COMPLETE / ON FAILURE run exactly once", first branch whose WHEN holds, with
    /// error.message, error.kind, error.step, error.attempt.
    @Test func onFailureRunsOnceTheFirstBranchWhoseWhenHolds() throws {
        let rules = """
        SAGA s
          START ON 'o.placed' AS o
          KEY o.data.id
          STEP a
            SEND 'a.do' { id: o.data.id }
            AWAIT 'a.ok' WITHIN 1s
            FAIL ON 'a.no'
          ON COMPLETE EMIT 'done.big' { id: o.data.id } WHEN o.data.n > 10
          ON COMPLETE EMIT 'done.small' { id: o.data.id }
          ON FAILURE EMIT 'failed.timeout' { m: error.message, k: error.kind, s: error.step, a: error.attempt } WHEN error.kind = 'timeout'
          ON FAILURE EMIT 'failed.other' { m: error.message, k: error.kind, s: error.step, a: error.attempt }
        """
        let r = try R.run(rules, [
            R.event("o1", "o.placed", 0, ["id": "k1", "n": 20]),
            R.event("o2", "o.placed", 0, ["id": "k2", "n": 1]),
            R.event("o3", "o.placed", 0, ["id": "k3"]),
            R.event("o4", "o.placed", 0, ["id": "k4"]),
            R.event("r1", "a.ok", 100, correlation: "s-1"),
            R.event("r2", "a.ok", 100, correlation: "s-2"),
            R.event("n3", "a.no", 100, correlation: "s-3"),
        ])
        #expect(R.brief(r.out.filter { $0.type != "a.do" }) == [
            "done.big s-1 @100", "done.small s-2 @100", "failed.other s-3 @100", "failed.timeout s-4 @1000",
        ])
        #expect(r.out.first { $0.type == "failed.timeout" }?.data == ["m": "no reply to 'a' within 1000ms", "k": "timeout", "s": "a", "a": 1])
        #expect(r.out.first { $0.type == "failed.other" }?.data == ["m": "'a.no' received", "k": "failure", "s": "a", "a": 1])
        #expect(r.statistics.sagasCompleted == 2)
        #expect(r.statistics.sagasCompensated == 2)
    }

    /// "Every transition is recorded before its commands are published": each command of a run
    /// has its history entry (sent / compensation-sent), one for one.
    @Test func everyCommandHasItsHistoryEntry() throws {
        let rules = R.threeSteps(retryB: "RETRY 2 EVERY 1s") + """
        RULE pa ON 'a.do' EMIT 'a.ok' { id: data.id }
        RULE pb ON 'b.do' EMIT 'b.no' { id: data.id }
        """
        let r = try R.run(rules, [R.event("o1", "o.placed", 0, ["id": "k1"])])
        let history = try #require(r.instance("s-1")?.history)
        #expect(r.out.filter { $0.type.hasSuffix(".do") }.count == history.filter { $0.hasPrefix("sent ") }.count)
        #expect(r.out.filter { $0.type.hasSuffix(".undo") }.count == history.filter { $0.hasPrefix("compensation-sent") }.count)
        #expect(history.last == "compensated")
    }

    // MARK: - Time

    /// At the end of a finite input the pending deadlines fire (unless told not to).
    @Test func theEndOfInputFiresPendingDeadlinesUnlessToldNot() throws {
        let events = [R.event("o1", "o.placed", 0, ["id": "k1"])]
        let flushed = try R.run(R.threeSteps(), events)
        #expect(R.brief(flushed.out) == ["a.do s-1 @0", "a.undo s-1 @10000", "s.failed s-1 @10000"])
        #expect(flushed.statistics.sagaTimersPending == 0)
        let held = try R.run(R.threeSteps(), events, flush: false)
        #expect(R.brief(held.out) == ["a.do s-1 @0"])
        #expect(held.statistics.sagasWaiting == 1)
        #expect(held.statistics.sagaTimersPending == 1)
        #expect(held.instance("s-1")?.state == "waiting")
    }

    /// With a lateness, a deadline fires only once the watermark (largest time minus the
    /// lateness) passes it: a reply read after a later event, but at exactly the deadline, wins;
    /// 1 ms later it finds the step timed out.
    @Test func aReplyAtTheDeadlineReadLateWithinTheLatenessWins() throws {
        let r = try R.run(R.threeSteps(), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("later", "unrelated", 14_000),
            R.event("r1", "a.ok", 10_000, correlation: "s-1"),
        ], lateness: 5_000)
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @10000", "b.undo s-1 @20000", "a.undo s-1 @20000", "s.failed s-1 @20000"])
        #expect(r.late.isEmpty)
        let past = try R.run(R.threeSteps(), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("later", "unrelated", 15_001),
            R.event("r1", "a.ok", 10_001, correlation: "s-1"),
        ], lateness: 5_000)
        #expect(R.brief(past.out) == ["a.do s-1 @0", "a.undo s-1 @10000", "s.failed s-1 @10000"])
        #expect(past.late.isEmpty)
        #expect(past.statistics.ignoredReplies == 1)
    }

    /// Without the end-of-input flush, events still held for reordering are processed all the
    /// same (only the deadlines stay pending): nothing read is dropped silently.
    @Test
    func heldEventsAreProcessedWithoutTheFlush() throws {
        let r = try R.run(R.threeSteps(), [
            R.event("o1", "o.placed", 0, ["id": "k1"]),
            R.event("later", "unrelated", 4_000),
            R.event("r1", "a.ok", 1_000, correlation: "s-1"),
        ], lateness: 5_000, flush: false)
        #expect(R.brief(r.out) == ["a.do s-1 @0", "b.do s-1 @1000"])
    }

    /// Events out of order within the allowed lateness are put back in time order: a reply read
    /// before its start gives the same output as the ordered input.
    @Test func eventsOutOfOrderWithinTheLatenessAreReordered() throws {
        let ordered = [
            R.event("o1", "o.placed", 1_000, ["id": "k1"]),
            R.event("r1", "a.ok", 2_000, correlation: "s-1"),
            R.event("r2", "b.ok", 3_000, correlation: "s-1"),
            R.event("r3", "c.ok", 4_000, correlation: "s-1"),
        ]
        let shuffled = [ordered[1], ordered[0], ordered[3], ordered[2]]
        let a = try R.run(R.threeSteps(), ordered)
        let b = try R.run(R.threeSteps(), shuffled, lateness: 5_000)
        #expect(R.brief(a.out) == ["a.do s-1 @1000", "b.do s-1 @2000", "c.do s-1 @3000", "s.done s-1 @4000"])
        #expect(b.out.map(\.jsonText) == a.out.map(\.jsonText))
        #expect(b.late.isEmpty)
        // Without the lateness, the reply read first matches nothing and the start is late.
        let c = try R.run(R.threeSteps(), shuffled)
        #expect(c.late == ["o1", "r2"])
        #expect(c.statistics.unmatchedReplies == 2, "r1, then r3 for an instance that never started")
    }
}
