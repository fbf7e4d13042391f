import WeirCore

extension EventBus {
    /// Subscribes a handler: the bus calls it with each matching event in publish order, one
    /// event at a time (the next waits until this one is handled or dead-lettered). A handler
    /// that throws is called again per `retry`, after the policy's wait (through the bus's
    /// `sleep`); when the attempts run out the event is dead-lettered with the last error.
    ///
    /// ```swift
    /// try await bus.subscribe(to: "payment.requested", retry: .exponential(attempts: 3, initial: TimeSpan(milliseconds: 100))) { event in
    ///     try await charge(event)
    /// }
    /// ```
    ///
    /// The parameters are those of `subscribe(to:where:buffer:overflow:)`; the buffer holds the
    /// events waiting for the handler. Returns the subscription's identity (for `cancel`).
    @discardableResult
    public func subscribe(
        to typePattern: String, where filter: EventFilter? = nil, buffer: Int = 1024, overflow: OverflowPolicy = .wait,
        retry: RetryPolicy = .none, handler: @escaping @Sendable (Event) async throws -> Void
    ) throws(BusError) -> SubscriptionID {
        let subscription = try subscribe(to: typePattern, where: filter, buffer: buffer, overflow: overflow)
        let loop = HandlerLoop(bus: self, subscription: subscription, retry: retry, sleep: sleep, handler: handler)
        handlerTasks[subscription.id] = Task.detached { await loop.run() }
        return subscription.id
    }

    /// Counts an attempt after the first.
    func countRetry(_ id: SubscriptionID) {
        update(id) { $0.counters.retries += 1 }
    }
}

/// Feeds a handler its subscription's events, retrying and dead-lettering per its policy.
struct HandlerLoop: Sendable {
    let bus: EventBus
    let subscription: Subscription
    let retry: RetryPolicy
    let sleep: EventBus.Sleep
    let handler: @Sendable (Event) async throws -> Void

    /// Until the subscription ends (an overflow error ends it too: its event is dead-lettered).
    func run() async {
        var events = subscription.makeAsyncIterator()
        while let event = try? await events.next() {
            await handle(event)
        }
    }

    private func handle(_ event: Event) async {
        var attempt = 1
        while true {
            do {
                try await handler(event)
                return
            } catch {
                guard attempt < retry.maxAttempts else {
                    await bus.deadLetter(event, subscription: subscription.id, reason: .handlerFailed, attempts: attempt, lastError: error)
                    return
                }
                let waited: Bool
                do {
                    try await sleep(retry.delay(afterAttempt: attempt))
                    waited = !Task.isCancelled
                } catch {
                    waited = false
                }
                guard waited else {
                    await bus.deadLetter(event, subscription: subscription.id, reason: .cancelledWhileRetrying, attempts: attempt, lastError: error)
                    return
                }
                attempt += 1
                await bus.countRetry(subscription.id)
            }
        }
    }
}
