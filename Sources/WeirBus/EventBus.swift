import WeirCore
import WeirSyntax

/// An in-memory publish/subscribe bus for CloudEvents: subscribe by event type (`'order.created'`,
/// `'order.*'`, `'*'`) with an optional filter, as an `AsyncSequence` or with a handler.
///
/// ```swift
/// let bus = EventBus()
/// let orders = try await bus.subscribe(to: "order.*", buffer: 256, overflow: .wait)
/// Task { for try await event in orders { print(event.type) } }
/// await bus.publish(event)
/// ```
///
/// - Every subscriber receives the events it matches in the order they were published.
///   Publishes are served one at a time, in the order they reach the bus: a batch is never
///   interleaved with another publish, and a publish waiting for a slow `.wait` subscriber
///   holds back the publishes after it.
/// - Each subscription has a bounded buffer and declares what happens when it is full
///   (`OverflowPolicy`: wait, drop the oldest, fail); all of it is counted (`counters`).
/// - A handler that throws is retried per its `RetryPolicy`, then its event is dead-lettered
///   (`deadLetters`, `deadLetterStream()`).
/// - Duplicates (same `source` and `id`) are suppressed within the `Deduplication` window.
/// - The bus reads time only through its injected clock (the deduplication window, dead
///   letters' times) and waits between retries only through its injected `sleep`: with a
///   `ManualClock` and a `sleep` that advances it, a run is deterministic and never sleeps.
///
/// A subscription receives events until it is cancelled or the bus is closed: one nobody
/// reads fills its buffer and then, with `.wait`, holds back every publish. Cancelling the task
/// that iterates a subscription cancels the subscription.
public actor EventBus {
    /// How the bus waits between a handler's attempts (the default sleeps the task).
    public typealias Sleep = @Sendable (TimeSpan) async throws -> Void

    let clock: any Clock
    let sleep: Sleep
    let deadLetterLimit: Int
    private var duplicates: DuplicateWindow
    var subscribers: [SubscriptionID: SubscriberState] = [:]
    /// The active subscriptions, in the order they were made: the order events are offered.
    var order: [SubscriptionID] = []
    private var lastID = 0
    private var published = 0
    private var duplicatesSuppressed = 0
    private var publishedAfterClose = 0
    private(set) var closed = false
    /// Whether a publish is being served; the publishes waiting for their turn, in arrival order.
    private var publishing = false
    private var turns: [CheckedContinuation<Void, Never>] = []
    /// Callers of `publishWaitingForTurn()`.
    private var turnWatchers: [CheckedContinuation<Void, Never>] = []
    var handlerTasks: [SubscriptionID: Task<Void, Never>] = [:]
    var deadLetterLog = Ring<DeadLetter>()
    var deadLetterWatchers: [Int: AsyncStream<DeadLetter>.Continuation] = [:]
    var lastWatcher = 0

    /// A bus.
    ///
    /// - Parameters:
    ///   - clock: the bus's only source of time (the deduplication window, dead letters' times).
    ///   - deduplication: which repeated (`source`, `id`) pairs are suppressed (none by default).
    ///   - deadLetterLimit: how many dead letters `deadLetters` keeps (the most recent; all are counted).
    ///   - sleep: waits between a handler's attempts; tests pass one that advances a `ManualClock`.
    public init(
        clock: any Clock = SystemClock(), deduplication: Deduplication = .off, deadLetterLimit: Int = 10_000,
        sleep: @escaping Sleep = { span in try await Task.sleep(nanoseconds: UInt64(max(0, span.milliseconds)) * 1_000_000) }
    ) {
        self.clock = clock
        self.sleep = sleep
        self.deadLetterLimit = max(1, deadLetterLimit)
        duplicates = DuplicateWindow(deduplication)
    }

    // MARK: Subscribing

    /// Subscribes to the events whose type matches `typePattern` and, when given, `filter`:
    /// the subscription is an `AsyncSequence` of them, in publish order.
    ///
    /// - Parameters:
    ///   - typePattern: `'order.created'` (exactly), `'order.*'` (`order.` and one or more
    ///     further segments: `order.a.b`, never `order`), or `'*'` (every type).
    ///   - filter: which of those events to receive (the `Weir` module adds an overload taking
    ///     an expression such as `"data.total > 100"`).
    ///   - buffer: how many events may wait for the subscriber (at least 1).
    ///   - overflow: what happens when an event matches while the buffer is full.
    /// - Throws: `BusError.invalidTypePattern`, `.invalidBuffer`, or `.closed`.
    public func subscribe(
        to typePattern: String, where filter: EventFilter? = nil, buffer: Int = 1024, overflow: OverflowPolicy = .wait
    ) throws(BusError) -> Subscription {
        try subscribe(to: [EventTypePattern.parse(busPattern: typePattern)], text: typePattern, where: filter, buffer: buffer, overflow: overflow)
    }

    /// Subscribes to events of any of `patterns` (as a declaration's `ON` clause lists them).
    package func subscribe(
        to patterns: [EventTypePattern], text: String, where filter: EventFilter?, buffer: Int, overflow: OverflowPolicy
    ) throws(BusError) -> Subscription {
        guard !closed else { throw .closed }
        guard buffer >= 1 else { throw .invalidBuffer(buffer) }
        lastID += 1
        let id = SubscriptionID(rawValue: lastID)
        subscribers[id] = SubscriberState(patterns: patterns, text: text, filter: filter, capacity: buffer, overflow: overflow)
        order.append(id)
        return Subscription(id: id, bus: self)
    }

    /// Ends a subscription now: its consumer sees the end of the sequence, its buffered events
    /// are discarded (counted in `discarded`), its handler is cancelled. Cancelling an ended
    /// subscription discards what it still buffers.
    public func cancel(_ id: SubscriptionID) {
        guard let state = subscribers[id], state.counters.state != .cancelled else { return }
        update(id) { state in
            state.counters.state = .cancelled
            state.counters.discarded += state.buffer.count
            state.buffer.removeAll()
            state.pendingError = nil
            state.wakeAll()
        }
        order.removeAll { $0 == id }
        handlerTasks[id]?.cancel()
    }

    /// Closes the bus: every subscription delivers what it has buffered and then ends, every
    /// handler finishes its buffered events (with their retries), then this returns, and the
    /// dead-letter streams end. Later publishes reach no one (`publishedAfterClose`) and later
    /// subscriptions are refused.
    public func close() async {
        if !closed {
            closed = true
            for id in order {
                update(id) { state in
                    state.counters.state = .finished
                    state.wakeAll()
                }
            }
            order.removeAll()
        }
        for id in handlerTasks.keys.sorted() {
            await handlerTasks[id]?.value
        }
        for watcher in deadLetterWatchers.values { watcher.finish() }
        deadLetterWatchers.removeAll()
    }

    // MARK: Publishing

    /// Publishes an event to every subscription it matches, unless it is a duplicate. Returns
    /// once it is in every matching buffer (or handed over, dropped, or refused per policy):
    /// with `.wait`, only when the slow subscribers have made room.
    public func publish(_ event: Event) async {
        await takeTurn()
        await route(event)
        passTurn()
    }

    /// Publishes events in order, with no other publish between them.
    public func publish(_ events: some Sequence<Event> & Sendable) async {
        await takeTurn()
        for event in events { await route(event) }
        passTurn()
    }

    private func takeTurn() async {
        if publishing {
            await withCheckedContinuation { turn in
                turns.append(turn)
                releaseWatchers(of: nil)
            }
        } else {
            publishing = true
        }
    }

    private func passTurn() {
        if turns.isEmpty {
            publishing = false
        } else {
            turns.removeFirst().resume()
        }
    }

    private func route(_ event: Event) async {
        guard !closed else {
            publishedAfterClose += 1
            return
        }
        published += 1
        if duplicates.isDuplicate(event, now: clock.now) {
            duplicatesSuppressed += 1
            return
        }
        for id in order { await offer(event, to: id) }
    }

    /// Puts `event` in the subscription's buffer (or in its waiting consumer's hands), per its
    /// overflow policy when the buffer is full.
    private func offer(_ event: Event, to id: SubscriptionID) async {
        guard let state = subscribers[id], state.isActive, state.accepts(event) else { return }
        if state.buffer.count >= state.capacity {
            switch state.overflow {
            case .dropOldest:
                update(id) { state in
                    _ = state.buffer.popFirst()
                    state.counters.dropped += 1
                }
            case .fail:
                fail(id, over: event)
                return
            case .wait:
                update(id) { $0.counters.waits += 1 }
                repeat {
                    await withCheckedContinuation { waiter in
                        update(id) { state in
                            state.roomWaiters.append(waiter)
                            for watcher in state.waitWatchers { watcher.resume() }
                            state.waitWatchers.removeAll()
                        }
                    }
                } while subscribers[id]!.isActive && subscribers[id]!.buffer.count >= state.capacity
                guard subscribers[id]!.isActive else {
                    update(id) { $0.counters.discarded += 1 }
                    return
                }
            }
        }
        update(id) { state in
            if state.consumers.isEmpty {
                state.buffer.append(event)
            } else {
                state.counters.delivered += 1
                state.consumers.removeFirst().resume(returning: event)
            }
        }
    }

    /// Ends a `.fail` subscription that fell behind, dead-lettering the event that did not fit.
    private func fail(_ id: SubscriptionID, over event: Event) {
        let error = BusError.overflow(id, capacity: subscribers[id]!.capacity)
        update(id) { state in
            state.counters.state = .failed
            state.pendingError = error
            state.wakeAll()
        }
        order.removeAll { $0 == id }
        deadLetter(event, subscription: id, reason: .subscriberOverflow, attempts: 0, lastError: error)
    }

    // MARK: Consuming

    /// The subscription's next event, waiting for one; nil once it has ended.
    func next(_ id: SubscriptionID) async throws(BusError) -> Event? {
        while true {
            guard subscribers[id] != nil else { return nil }
            if let event = update(id, { state -> Event? in
                guard let event = state.buffer.popFirst() else { return nil }
                state.counters.delivered += 1
                if !state.roomWaiters.isEmpty { state.roomWaiters.removeFirst().resume() }
                return event
            }) {
                return event
            }
            if let error = subscribers[id]!.pendingError {
                update(id) { $0.pendingError = nil }
                throw error
            }
            guard subscribers[id]!.isActive else { return nil }
            if Task.isCancelled {
                cancel(id)
                return nil
            }
            let handed = await withTaskCancellationHandler {
                await withCheckedContinuation { subscribers[id]!.consumers.append($0) }
            } onCancel: {
                Task { await self.cancel(id) }
            }
            if let handed { return handed }
        }
    }

    /// Returns once a publisher is waiting for room in the subscription's buffer (`.wait`), the
    /// subscription has ended, or the calling task is cancelled: lets a test observe
    /// backpressure without timing it.
    package func publisherWaiting(on id: SubscriptionID) async {
        guard let state = subscribers[id], state.isActive, state.roomWaiters.isEmpty, !Task.isCancelled else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { watcher in subscribers[id]!.waitWatchers.append(watcher) }
        } onCancel: {
            Task { await self.releaseWatchers(of: id) }
        }
    }

    /// Returns once a publish is waiting for its turn behind another, or the calling task is
    /// cancelled: lets a test order publishes without timing them.
    package func publishWaitingForTurn() async {
        guard turns.isEmpty, !Task.isCancelled else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { turnWatchers.append($0) }
        } onCancel: {
            Task { await self.releaseWatchers(of: nil) }
        }
    }

    /// Resumes the watchers of a subscription (or, for nil, of the turns).
    private func releaseWatchers(of id: SubscriptionID?) {
        if let id {
            update(id) { state in
                for watcher in state.waitWatchers { watcher.resume() }
                state.waitWatchers.removeAll()
            }
        } else {
            for watcher in turnWatchers { watcher.resume() }
            turnWatchers.removeAll()
        }
    }

    // MARK: Reading

    /// What the bus has done so far: published, duplicates, and per subscription delivered,
    /// buffered, dropped, waits, retries, dead-lettered (totals are sums over subscriptions).
    public var counters: BusCounters {
        var counters = BusCounters()
        counters.published = published
        counters.duplicatesSuppressed = duplicatesSuppressed
        counters.deduplicationEvictions = duplicates.evictions
        counters.publishedAfterClose = publishedAfterClose
        for (id, state) in subscribers {
            var each = state.counters
            each.buffered = state.buffer.count
            counters.subscriptions[id] = each
        }
        return counters
    }

    /// Mutates a subscription's state in place (no copy of its buffer).
    @discardableResult
    func update<R>(_ id: SubscriptionID, _ body: (inout SubscriberState) -> R) -> R {
        body(&subscribers[id]!)
    }
}
