import Testing
import WeirTestSupport
@testable import WeirCEP

/// The saga state machine with no bus and no clock (issue 12, item 2): each semantic bullet of
/// LANGUAGE.md's SAGA section that the machine decides, and random interleavings checked
/// against the invariants every saga must keep.
@Suite struct SagaMachineTests {
    typealias M = SagaMachine

    /// Three steps, each awaiting its reply within 30s and compensated without confirmation.
    static func threeSteps(retry: SagaDefinition.Retry? = nil, timeout: Int64? = nil, confirm: Bool = false) -> SagaDefinition {
        SagaDefinition(steps: ["reserve", "charge", "ship"].map { name in
            SagaDefinition.Step(name: name, awaitsReply: true, within: 30_000, retry: name == "charge" ? retry : nil,
                                compensation: .init(awaitsConfirmation: confirm, within: confirm ? 10_000 : nil))
        }, timeout: timeout)
    }

    @Test func theHappyPathSendsEachStepThenCompletes() {
        var (m, actions) = M.start(Self.threeSteps(timeout: 300_000), at: 0, eventId: "o1")
        #expect(actions == [.schedule(.deadline, due: 300_000), .send(step: 0, attempt: 1), .schedule(.reply(step: 0, attempt: 1), due: 30_000)])
        #expect(m.reply(success: true, at: 1_000, eventId: "r0") == [
            .cancel(.reply(step: 0, attempt: 1)), .send(step: 1, attempt: 1), .schedule(.reply(step: 1, attempt: 1), due: 31_000)])
        _ = m.reply(success: true, at: 2_000, eventId: "r1")
        #expect(m.reply(success: true, at: 3_000, eventId: "r2") == [.cancel(.reply(step: 2, attempt: 1)), .cancel(.deadline), .complete])
        #expect(m.phase == .completed)
        #expect(m.completedSteps == [0, 1, 2])
        #expect(m.history.map(\.what) == ["started", "sent", "step-completed", "sent", "step-completed", "sent", "step-completed", "completed"])
    }

    /// A FAIL ON reply at step k: the steps before it are compensated in reverse order, not k.
    @Test(arguments: 0..<3) func aFailureAtEveryStepCompensatesTheCompletedOnesInReverse(_ k: Int) {
        var (m, _) = M.start(Self.threeSteps(), at: 0, eventId: "o1")
        for i in 0..<k { _ = m.reply(success: true, at: Int64(i + 1) * 1000, eventId: "r\(i)") }
        let actions = m.reply(success: false, failure: "declined", at: 10_000, eventId: "bad")
        let compensated = actions.compactMap { if case .compensate(let s) = $0 { return s } else { return nil } }
        #expect(compensated == Array((0..<k).reversed()))
        #expect(actions.last == .fail(.init(kind: .failure, message: "declined", step: ["reserve", "charge", "ship"][k], attempt: 1)))
        #expect(m.phase == .compensated)
    }

    /// A step that times out may have acted: it is compensated too, first. The deadline is
    /// inclusive: the timer fires at its due time, after any reply at that instant.
    @Test(arguments: 0..<3) func aTimeoutAtEveryStepCompensatesItToo(_ k: Int) {
        var (m, _) = M.start(Self.threeSteps(), at: 0, eventId: "o1")
        for i in 0..<k { _ = m.reply(success: true, at: 0, eventId: "r\(i)") }
        let actions = m.timer(.reply(step: k, attempt: 1), at: 30_000)
        let compensated = actions.compactMap { if case .compensate(let s) = $0 { return s } else { return nil } }
        #expect(compensated == Array((0...k).reversed()))
        if case .fail(let f)? = actions.last { #expect(f.kind == .timeout) } else { Issue.record("no ON FAILURE: \(actions)") }
    }

    /// RETRY 3 EVERY 1s BACKOFF 2 MAX 3s: waits 1s, 2s, then 3s (capped); the fourth failure fails the saga.
    @Test func theRetryScheduleBacksOffAndIsCapped() {
        var (m, _) = M.start(Self.threeSteps(retry: .init(count: 3, every: 1000, backoff: 2, max: 3000)), at: 0, eventId: "o1")
        _ = m.reply(success: true, at: 0, eventId: "r0")
        var now: Int64 = 0
        var waits: [Int64] = []
        for attempt in 1...3 {
            let actions = m.reply(success: false, failure: "declined", at: now, eventId: "d\(attempt)")
            guard case .schedule(.backoff(1, attempt), let due)? = actions.last else {
                Issue.record("attempt \(attempt): \(actions)")
                return
            }
            waits.append(due - now)
            // A reply during the backoff is late: no attempt is waiting.
            #expect(m.reply(success: true, at: due - 1, eventId: "late").isEmpty)
            #expect(m.timer(.backoff(step: 1, attempt: attempt), at: due).contains(.send(step: 1, attempt: attempt + 1)))
            now = due
        }
        #expect(waits == [1000, 2000, 3000])
        let last = m.reply(success: false, failure: "declined", at: now, eventId: "d4")
        #expect(last.contains(.compensate(step: 0)))
        if case .fail(let f)? = last.last { #expect(f.attempt == 4) } else { Issue.record("\(last)") }
        #expect(m.history.filter { $0.what == "reply-ignored" }.count == 3)
    }

    @Test func repliesToOtherAttemptsAndDuplicatesChangeNothing() {
        var (m, _) = M.start(Self.threeSteps(retry: .init(count: 1, every: 1000)), at: 0, eventId: "o1")
        _ = m.reply(success: true, to: .init(step: 0, attempt: 1), at: 0, eventId: "r0")
        // A duplicate of step 0's reply, while step 1 waits.
        #expect(m.reply(success: true, to: .init(step: 0, attempt: 1), at: 1, eventId: "r0-again").isEmpty)
        _ = m.reply(success: false, failure: "x", at: 2, eventId: "d1")
        _ = m.timer(.backoff(step: 1, attempt: 1), at: 1002)
        // Attempt 2 waits: a reply to attempt 1 is stale, and so is attempt 1's reply timer.
        #expect(m.reply(success: true, to: .init(step: 1, attempt: 1), at: 1003, eventId: "old").isEmpty)
        #expect(m.timer(.reply(step: 1, attempt: 1), at: 30_000).isEmpty)
        #expect(m.phase == .waiting(step: 1, attempt: 2))
        #expect(!m.reply(success: true, to: .init(step: 1, attempt: 2), at: 1004, eventId: "new").isEmpty)
        #expect(m.phase == .waiting(step: 2, attempt: 1))
    }

    /// TIMEOUT bounds the saga: the waiting step fails with kind `deadline`, without retry, and is
    /// compensated; a deadline during compensation is only recorded.
    @Test func theSagaDeadlineFailsTheWaitingStepWithoutRetry() {
        var (m, _) = M.start(Self.threeSteps(retry: .init(count: 5, every: 1000), timeout: 60_000, confirm: true), at: 0, eventId: "o1")
        _ = m.reply(success: true, at: 10, eventId: "r0")
        let actions = m.timer(.deadline, at: 60_000)
        #expect(actions.contains(.compensate(step: 1)))
        #expect(m.failure?.kind == .deadline)
        #expect(m.phase == .compensating(position: 0))
        // Already past the deadline: a second deadline (it cannot be scheduled twice, but a
        // restored timer could) is recorded only.
        #expect(m.timer(.deadline, at: 60_001).isEmpty)
        #expect(m.history.last?.what == "deadline-during-compensation")
    }

    /// A compensation that is not confirmed in time ends the saga in compensationFailed, and
    /// ON FAILURE still runs exactly once.
    @Test func anUnconfirmedCompensationIsReportedNotSwallowed() {
        var (m, _) = M.start(Self.threeSteps(confirm: true), at: 0, eventId: "o1")
        _ = m.reply(success: true, at: 0, eventId: "r0")
        _ = m.reply(success: true, at: 0, eventId: "r1")
        var actions = m.reply(success: false, failure: "no truck", at: 5, eventId: "bad")
        #expect(actions.contains(.compensate(step: 1)))
        #expect(!actions.contains(.compensate(step: 0)))
        actions = m.confirmation(step: 1, at: 6, eventId: "c1")
        #expect(actions.contains(.compensate(step: 0)))
        actions = m.timer(.confirmation(step: 0), at: 10_006)
        #expect(m.phase == .compensationFailed)
        #expect(actions.filter { if case .fail = $0 { return true } else { return false } }.count == 1)
        // Nothing after the end.
        #expect(m.confirmation(step: 0, at: 20_000, eventId: "late").isEmpty)
        #expect(m.reply(success: true, at: 20_000, eventId: "late").isEmpty)
    }

    /// A step without AWAIT is done once its command is sent: the next goes out at once.
    @Test func aStepWithoutAwaitIsDoneOnceSent() {
        let definition = SagaDefinition(steps: [
            .init(name: "notify", awaitsReply: false, within: nil), .init(name: "charge", awaitsReply: true, within: nil),
        ], timeout: nil)
        let (m, actions) = M.start(definition, at: 0, eventId: "o1")
        #expect(actions == [.send(step: 0, attempt: 1), .send(step: 1, attempt: 1)])
        #expect(m.phase == .waiting(step: 1, attempt: 1))
    }

    /// Random interleavings of replies, failures, confirmations and timers (stale ones
    /// included): every saga ends exactly once (one ON COMPLETE or one ON FAILURE, nothing
    /// after it), compensates each step at most once, only steps it completed or that timed
    /// out, in the reverse order of completion, and records before it acts.
    @Test func randomInterleavingsKeepTheInvariants() {
        var g = SplitMix64(seed: 12)
        for _ in 0..<3000 {
            let stepCount = 1 + Int(g.next() % 4)
            let definition = SagaDefinition(steps: (0..<stepCount).map { i in
                SagaDefinition.Step(
                    name: "s\(i)", awaitsReply: g.next() % 5 != 0, within: g.next() % 3 == 0 ? nil : 1000,
                    retry: g.next() % 2 == 0 ? .init(count: Int(g.next() % 3), every: 100, backoff: 2) : nil,
                    compensation: g.next() % 4 == 0 ? nil : .init(awaitsConfirmation: g.next() % 2 == 0, within: 500))
            }, timeout: g.next() % 2 == 0 ? 5000 : nil)
            var (m, all) = M.start(definition, at: 0, eventId: "start")
            var now: Int64 = 0
            var ended = all.contains(.complete)
            for _ in 0..<40 {
                now += Int64(g.next() % 400)
                let step = Int(g.next() % UInt64(stepCount))
                let attempt = 1 + Int(g.next() % 3)
                let before = m.history.count
                let actions: [M.Action]
                switch g.next() % 6 {
                case 0: actions = m.reply(success: true, at: now, eventId: "ok")
                case 1: actions = m.reply(success: g.next() % 2 == 0, to: .init(step: step, attempt: attempt), at: now, eventId: "addr")
                case 2: actions = m.reply(success: false, failure: "no", at: now, eventId: "fail")
                case 3: actions = m.confirmation(step: step, at: now, eventId: "conf")
                case 4: actions = m.timer([.reply(step: step, attempt: attempt), .backoff(step: step, attempt: attempt),
                                           .confirmation(step: step), .deadline][Int(g.next() % 4)], at: now)
                default: actions = m.timer(.deadline, at: now)
                }
                if ended { #expect(actions.isEmpty, "acted after its end: \(actions)") }
                if !actions.isEmpty { #expect(m.history.count > before, "acted without recording") }
                all += actions
                if actions.contains(.complete) || actions.contains(where: { if case .fail = $0 { return true } else { return false } }) {
                    ended = true
                }
            }
            let outcomes = all.filter { if case .fail = $0 { return true }; return $0 == .complete }
            #expect(outcomes.count <= 1)
            #expect(outcomes.isEmpty == !m.phase.isTerminal, "phase \(m.phase), outcomes \(outcomes)")
            let compensated = all.compactMap { if case .compensate(let s) = $0 { return s } else { return nil } }
            #expect(Set(compensated).count == compensated.count, "a step compensated twice: \(compensated)")
            // In the reverse order of completion (a timed-out step, compensated first, is the latest).
            let completedOrder = m.completedSteps.filter { compensated.contains($0) }
            #expect(Array(compensated.filter { m.completedSteps.contains($0) }.reversed()) == completedOrder)
            if m.phase == .completed { #expect(compensated.isEmpty) }
        }
    }
}
