import WeirCore

extension EventBus {
    /// The dead letters so far, oldest first: the most recent `deadLetterLimit` of them (every
    /// one is counted in `counters`).
    public var deadLetters: [DeadLetter] { Array(deadLetterLog.elements) }

    /// The dead letters from now on, as they happen; the stream ends when the bus is closed.
    /// A reader that falls behind loses the oldest beyond `deadLetterLimit` (they stay counted).
    public func deadLetterStream() -> AsyncStream<DeadLetter> {
        let (stream, continuation) = AsyncStream.makeStream(of: DeadLetter.self, bufferingPolicy: .bufferingNewest(deadLetterLimit))
        if closed {
            continuation.finish()
        } else {
            lastWatcher += 1
            deadLetterWatchers[lastWatcher] = continuation
        }
        return stream
    }

    /// Records a dead letter: in the log, the subscription's counters and every stream.
    func deadLetter(_ event: Event, subscription id: SubscriptionID, reason: DeadLetter.Reason, attempts: Int, lastError: any Error) {
        let letter = DeadLetter(event: event, subscription: id, reason: reason, attempts: attempts, lastError: lastError, time: clock.now)
        update(id) { $0.counters.deadLettered += 1 }
        deadLetterLog.append(letter)
        if deadLetterLog.count > deadLetterLimit { _ = deadLetterLog.popFirst() }
        for (key, watcher) in deadLetterWatchers.sorted(by: { $0.key < $1.key }) {
            if case .terminated = watcher.yield(letter) { deadLetterWatchers[key] = nil }
        }
    }
}
