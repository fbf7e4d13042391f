import Testing
import Weir

/// Handlers: retried per policy with waits through the injected sleep (no real sleeping),
/// then dead-lettered with the failure.
@Suite struct RetryTests {
    static let start = Timestamp(rfc3339: "2026-01-01T10:00:00Z")!

    @Test func failingHandlerIsRetriedThenDeadLetteredWithTheLastError() async throws {
        let clock = ManualClock(now: Self.start)
        let waits = Recorder<Int64>()
        let bus = EventBus(clock: clock, sleep: recordingSleep(clock, into: waits))
        let attempts = AttemptCounter()
        let id = try await bus.subscribe(to: "payment.*", retry: .fixed(attempts: 3, every: TimeSpan(milliseconds: 500))) { event in
            throw HandlerFailure(attempt: await attempts.next(event.id))
        }
        let letters = await bus.deadLetterStream()
        await bus.publish(event("payment.requested", id: "p1"))
        await bus.close()

        let letter = try #require(await bus.deadLetters.first)
        #expect(await bus.deadLetters.count == 1)
        #expect(letter.event.id == "p1")
        #expect(letter.subscription == id)
        #expect(letter.reason == .handlerFailed)
        #expect(letter.attempts == 3)
        #expect(letter.lastError as? HandlerFailure == HandlerFailure(attempt: 3))
        #expect(letter.time == Self.start.adding(milliseconds: 1000))
        #expect(letter.message == "the handler failed 3 times, the attempts its retry policy allows: attempt 3 failed")
        #expect(await waits.values == [500, 500])
        var streamed: [String] = []
        for await letter in letters { streamed.append(letter.event.id) }
        #expect(streamed == ["p1"])

        let counters = await bus.counters
        #expect(counters.retries == 2)
        #expect(counters.deadLettered == 1)
        #expect(counters.subscriptions[id]!.delivered == 1)
    }

    @Test func handlerThatRecoversIsNotDeadLettered() async throws {
        let clock = ManualClock(now: Self.start)
        let waits = Recorder<Int64>()
        let bus = EventBus(clock: clock, sleep: recordingSleep(clock, into: waits))
        let attempts = AttemptCounter()
        let handled = Recorder<String>()
        try await bus.subscribe(to: "*", retry: .fixed(attempts: 5, every: TimeSpan(milliseconds: 10))) { event in
            let attempt = await attempts.next(event.id)
            if attempt < 3 { throw HandlerFailure(attempt: attempt) }
            await handled.append("\(event.id)@\(attempt)")
        }
        await bus.publish([event("t", id: "a"), event("t", id: "b")])
        await bus.close()
        #expect(await handled.values == ["a@3", "b@3"])
        #expect(await bus.deadLetters.isEmpty)
        #expect(await bus.counters.retries == 4)
        #expect(await waits.values == [10, 10, 10, 10])
    }

    /// With no retry policy a handler is called once.
    @Test func defaultIsOneAttempt() async throws {
        let bus = EventBus(sleep: { _ in Issue.record("slept") })
        try await bus.subscribe(to: "*") { _ in throw HandlerFailure(attempt: 1) }
        await bus.publish(event("t", id: "x"))
        await bus.close()
        #expect(await bus.deadLetters.map(\.attempts) == [1])
        #expect(await bus.deadLetters.first?.message == "the handler failed once, the attempts its retry policy allows: attempt 1 failed")
        #expect(await bus.counters.retries == 0)
    }

    @Test func exponentialBackoffScheduleIsExactAndCapped() async throws {
        let clock = ManualClock(now: Self.start)
        let waits = Recorder<Int64>()
        let bus = EventBus(clock: clock, sleep: recordingSleep(clock, into: waits))
        let policy = RetryPolicy.exponential(attempts: 5, initial: TimeSpan(milliseconds: 100), factor: 2, max: TimeSpan(milliseconds: 250))
        try await bus.subscribe(to: "*", retry: policy) { _ in throw HandlerFailure(attempt: 0) }
        await bus.publish(event("t", id: "x"))
        await bus.close()
        #expect(await waits.values == [100, 200, 250, 250])
        #expect(await bus.deadLetters.first?.attempts == 5)
        #expect(await bus.deadLetters.first?.time == Self.start.adding(milliseconds: 800))
    }

    @Test func retryPolicyDelays() {
        let policy = RetryPolicy(maxAttempts: 10, interval: TimeSpan(milliseconds: 1000), backoffRate: 1.5)
        #expect((1...4).map { policy.delay(afterAttempt: $0).milliseconds } == [1000, 1500, 2250, 3375])
        #expect(RetryPolicy(maxAttempts: 0, interval: TimeSpan(milliseconds: -5)).maxAttempts == 1)
        #expect(RetryPolicy.exponential(attempts: 100, initial: TimeSpan(milliseconds: 1), factor: 10).delay(afterAttempt: 90).milliseconds == Int64.max / 2)
    }

    /// A handler's events are handled one at a time, in publish order, retries included.
    @Test func handlerSeesEventsInOrderEvenWhenRetrying() async throws {
        let clock = ManualClock(now: Self.start)
        let bus = EventBus(clock: clock, sleep: recordingSleep(clock, into: Recorder<Int64>()))
        let attempts = AttemptCounter()
        let calls = Recorder<String>()
        try await bus.subscribe(to: "*", buffer: 4, retry: .fixed(attempts: 2, every: TimeSpan(milliseconds: 1))) { event in
            let attempt = await attempts.next(event.id)
            await calls.append("\(event.id)#\(attempt)")
            if Int(event.id)! % 3 == 0 && attempt == 1 { throw HandlerFailure(attempt: attempt) }
        }
        await bus.publish((0..<10).map { event("t", id: "\($0)") })
        await bus.close()
        let expected = (0..<10).flatMap { $0 % 3 == 0 ? ["\($0)#1", "\($0)#2"] : ["\($0)#1"] }
        #expect(await calls.values == expected)
    }

    /// Cancelled while waiting to retry: the event is dead-lettered, not lost in silence.
    @Test func cancelDuringRetryDeadLettersTheEvent() async throws {
        let clock = ManualClock(now: Self.start)
        let gate = Gate()
        let bus = EventBus(clock: clock, sleep: { _ in
            await gate.arrive()
            let (never, keep) = AsyncStream<Void>.makeStream()
            for await _ in never {}  // ends only when the task is cancelled
            keep.finish()
            throw CancellationError()
        })
        let id = try await bus.subscribe(to: "*", retry: .fixed(attempts: 3, every: TimeSpan(milliseconds: 5))) { _ in
            throw HandlerFailure(attempt: 1)
        }
        await bus.publish(event("t", id: "x"))
        await gate.arrived()
        await bus.cancel(id)
        await bus.close()
        let letter = try #require(await bus.deadLetters.first)
        #expect(letter.reason == .cancelledWhileRetrying)
        #expect(letter.attempts == 1)
        #expect(letter.lastError as? HandlerFailure == HandlerFailure(attempt: 1))
    }
}

/// Lets a test wait until another task has reached a point.
actor Gate {
    private var reached = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func arrive() {
        reached = true
        for waiter in waiting { waiter.resume() }
        waiting.removeAll()
    }

    func arrived() async {
        if reached { return }
        await withCheckedContinuation { waiting.append($0) }
    }
}
