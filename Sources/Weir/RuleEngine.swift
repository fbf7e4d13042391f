import Foundation
import WeirCEP
import WeirCompiler
import WeirEngine

/// Runs a `RuleSet` over a stream of events, event by event: what each event (and each timer
/// it passes) emits comes back in emission order, derived events included (they feed back into
/// the rules before the next input, LANGUAGE.md section 4).
///
/// ```swift
/// let engine = RuleEngine(rules: rules)                  // event time, no lateness
/// for event in events {
///     for out in try engine.process(event) { print(out.jsonText) }
/// }
/// for out in engine.finish() { print(out.jsonText) }     // end of input: windows fire
/// engine.statistics.declarations[0].emitted
/// ```
///
/// Time is the events' `time` (event time) unless a `clock` is given (processing time: each
/// event is timed on arrival; `advanceToClock()` fires what the clock passed). Not thread-safe:
/// one engine per stream, used from one task at a time.
public final class RuleEngine {
    var core: RuleEngineCore
    private var continuations: [AsyncStream<Event>.Continuation] = []
    private var finished = false

    /// - Parameters:
    ///   - lateness: how far behind the largest event time seen an event may arrive and still
    ///     count (events within it are put back in time order; later ones are late).
    ///   - maxDerivation: the longest chain of derived events (default 32).
    ///   - clock: nil for event time; a clock (`SystemClock()`, `ManualClock`) for processing time.
    ///   - maxRuns: the most live runs of one PATTERN, all its partitions together.
    ///   - overload: what happens when a new run would pass `maxRuns` or a pattern's `MAX RUNS`.
    ///   - keepEndedSagas: keep ended saga instances (state and history) for `sagaInstances`;
    ///     otherwise an instance is let go when it ends.
    public init(
        rules: RuleSet, lateness: TimeSpan = TimeSpan(milliseconds: 0), maxDerivation: Int = 32, clock: (any Clock)? = nil,
        maxRuns: Int = 1_000_000, overload: OverloadPolicy = .dropOldest, keepEndedSagas: Bool = false
    ) {
        var options = EngineOptions()
        options.lateness = max(0, lateness.milliseconds)
        options.maxDerivation = maxDerivation
        options.maxRuns = max(1, maxRuns)
        options.overload = overload
        options.keepEndedSagas = keepEndedSagas
        if let clock { options.time = .processing(clock) }
        core = RuleEngineCore(plan: rules.plan, options: options)
    }

    /// Why `process` refused an event.
    public enum Rejection: Error, Sendable, Hashable {
        /// Its `time` is not an RFC 3339 timestamp.
        case invalidTime(String)
        /// Its time is before the watermark: it was not processed.
        case late(time: Timestamp, watermark: Timestamp)
        /// A cap on live PATTERN runs was reached under the overload policy `fail`; the engine
        /// keeps refusing new runs.
        case overloaded(String)
    }

    /// Processes one event: returns what it emitted, after what the timers it passed emitted.
    /// - Throws: `Rejection` for an event with an unreadable `time`, or a late one.
    @discardableResult
    public func process(_ event: Event) throws(Rejection) -> [Event] {
        do {
            try core.offer(event: event)
        } catch {
            switch error {
            case .invalidTime(let text): throw .invalidTime(text)
            }
        }
        if let late = core.takeLate().first {
            throw .late(time: Timestamp(milliseconds: late.time), watermark: Timestamp(milliseconds: late.watermark))
        }
        if let failure = core.failure { throw .overloaded(failure) }
        return publish()
    }

    /// Moves the watermark to `time` and returns what the timers it passed emitted.
    @discardableResult
    public func advance(to time: Timestamp) -> [Event] {
        core.advance(to: time.eventTime)
        return publish()
    }

    /// Processing time: moves the watermark to the clock's time (idle advance).
    @discardableResult
    public func advanceToClock() -> [Event] {
        core.advanceToClock()
        return publish()
    }

    /// End of input: held events are processed and every open window fires (unless `flush` is
    /// false). Ends the `emittedEvents` streams.
    @discardableResult
    public func finish(flush: Bool = true) -> [Event] {
        core.finish(flush: flush)
        let last = publish()
        for continuation in continuations { continuation.finish() }
        continuations.removeAll()
        finished = true
        return last
    }

    /// Every event emitted from now on, as an `AsyncSequence` (ends at `finish()`; taken after
    /// it, it is empty).
    ///
    /// ```swift
    /// let stream = engine.emittedEvents
    /// Task { for await alert in stream { notify(alert) } }
    /// ```
    public var emittedEvents: AsyncStream<Event> {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .unbounded)
        // After `finish()` nothing more is emitted: the stream ends at once.
        if finished { continuation.finish() } else { continuations.append(continuation) }
        return stream
    }

    /// Counters: events in, late, emitted; per declaration events in, matched, emitted, errors
    /// by clause and kind, windows open and fired.
    public var statistics: EngineStatistics { core.currentStatistics() }

    /// The event-time watermark (nil before any event).
    public var watermark: Timestamp? { core.watermark == .min ? nil : Timestamp(milliseconds: core.watermark) }

    private func publish() -> [Event] {
        let events = core.takeEmitted().map(\.event)
        for continuation in continuations {
            for event in events { continuation.yield(event) }
        }
        return events
    }
}

extension RuleEngine {
    /// The run's state between two events, as JSON bytes: the event-time clock, the events held
    /// for reordering, the pending timers, every open window and its aggregates, the id counters
    /// and the statistics. Restore it with `init(rules:restoring:...)` to go on elsewhere.
    public func snapshot() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [UInt8](try encoder.encode(core.snapshot()))
    }

    /// An engine that continues the run a `snapshot()` was taken of, with the same rules and
    /// the same options.
    /// - Throws: when the bytes are not a snapshot, or one of other rules.
    public convenience init(
        rules: RuleSet, restoring snapshot: [UInt8], lateness: TimeSpan = TimeSpan(milliseconds: 0), maxDerivation: Int = 32,
        clock: (any Clock)? = nil, maxRuns: Int = 1_000_000, overload: OverloadPolicy = .dropOldest, keepEndedSagas: Bool = false
    ) throws {
        self.init(rules: rules, lateness: lateness, maxDerivation: maxDerivation, clock: clock, maxRuns: maxRuns, overload: overload,
                  keepEndedSagas: keepEndedSagas)
        let state = try JSONDecoder().decode(EngineSnapshot.self, from: Data(snapshot))
        try core.restore(state)
    }
}
