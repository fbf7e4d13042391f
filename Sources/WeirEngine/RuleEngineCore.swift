import WeirCEP
import WeirCompiler
import WeirCore
import WeirSyntax

/// How a run keeps time and bounds derivation.
package struct EngineOptions: Sendable {
    /// Event time from each event's `time` attribute (the default), or the wall clock read at
    /// arrival (processing time).
    package enum TimeMode: Sendable {
        case event
        case processing(any Clock)
    }

    package var time: TimeMode = .event
    /// How far behind the largest event time seen an event may be and still count (ms).
    package var lateness: Int64 = 0
    /// The longest chain of derived events: an event past it is not published.
    package var maxDerivation = 32
    /// The most live runs of one PATTERN, all partitions together.
    package var maxRuns = 1_000_000
    /// What happens when a new run would pass `maxRuns` or a pattern's `MAX RUNS`.
    package var overload = OverloadPolicy.dropOldest
    /// Keep ended saga instances (their final state and history) for inspection.
    package var keepEndedSagas = false

    package init() {}
}

/// A timer of the run: an open window's end, a PATTERN run's deadline, or a saga instance's timer.
enum TimerPayload: Sendable, Codable, Hashable {
    case window(declaration: Int32, ref: WindowRef)
    /// A PATTERN run's deadline (keyed by the run's id), with its partition's slot (a slot
    /// freed and reused meanwhile holds no run with this id: the timer then does nothing).
    case pattern(declaration: Int32, run: Int, partition: Int32)
    /// A saga instance's timer (keyed by instance, step and attempt).
    case saga(declaration: Int32, instance: Int, timer: SagaMachine.Timer)
}

/// An event held for reordering (within the lateness), owned; `line` is its input line.
struct HeldEvent: Sendable {
    var event: Event
    var line: Int?
}

/// A derived event waiting in the feedback queue.
struct Derived {
    var event: Event
    var time: EventTime?
    /// 1 for an event emitted because of an input event (or a timer), and so on.
    var depth: Int
    /// The declarations that emitted each link of the chain, oldest first.
    var chain: [Int32]
}

/// What the engine hands its caller after each step (`takeOutputs(into:)`).
package struct EngineOutputs {
    package var emitted: [EmittedEvent] = []
    package var late: [LateEvent] = []
    package var tracer: Tracer?
    package init() {}
}

/// An input event later than the watermark: the caller writes it to the late output.
package struct LateEvent: Sendable {
    package var event: Event
    package var line: Int?
    package var time: EventTime
    package var watermark: EventTime
}

/// The rule-set runtime: offers each event to the declarations listening to its type, in
/// declaration order; keeps windows, timers and the event-time clock; drains the feedback
/// queue of derived events after each cause; and collects what it emits, in emission order,
/// for the caller to take (`takeEmitted()`), so that the engine does no I/O.
///
/// A value type with mutating methods, so that the hot path makes no dynamic exclusivity
/// checks (a class's stored properties would each need one per access). Not thread-safe: one
/// engine per stream, driven from one task at a time.
package struct RuleEngineCore {
    package let plan: RuleSetPlan
    package let options: EngineOptions
    /// Each declaration's plan, held by reference so that the hot path copies none of it.
    let runtimes: [DeclarationRuntime]
    /// Each declaration's `source` for the events it emits: `weir://<name>`.
    private let sources: [String]
    private var index: TypeIndex
    /// Internal (not private) so that `snapshot()` can read it.
    var scheduler: EventTimeScheduler<HeldEvent, Int, TimerPayload>
    /// No timer is due while the watermark is at or before this instant (the earliest timer's
    /// due, or less): lets `runDue()` return at once when nothing can be due. Lowered by every
    /// timer scheduled, recomputed after each `runDue()` loop.
    var dueFloor: EventTime = .min
    /// Each PATTERN's runs by partition (an empty placeholder for other declarations).
    var patterns: [PatternState]
    /// Each SAGA's instances (an empty placeholder for other declarations).
    var sagas: [SagaState]
    /// The id of the last run started (ids are unique in the engine, in creation order).
    var nextRunId = 0
    /// Set when a cap was reached under the overload policy `fail`: the caller stops the run.
    package internal(set) var failure: String? {
        didSet { hasOutputs = true }
    }
    /// Each declaration's window store; an inert placeholder where `windowed` is false (a
    /// non-optional element is changed in place, where an optional one is copied out and back).
    private var stores: [WindowStore]
    /// Whether each declaration has a window store of its own.
    private let windowed: [Bool]
    private(set) var ids: EventIdGenerator
    private var queue: [Derived] = []
    private var packer = EventPacker()
    /// Where the events fed back are packed (`EmittedEvent.pack(using:)`), reused.
    private var emittedWords = PackedBuilder(capacity: 128)
    /// The date of the last input `time` read (most events share it with the one before).
    private var dates = EventTimeText.DateMemo()
    /// Reused by `process`: the values of an AGGREGATE's distinct aggregate arguments.
    private var argumentValues: [Val] = []
    /// Reused by `process`: the windows an event opened, to schedule.
    private var openedScratch: [(WindowRef, EventTime)] = []
    private var queueHead = 0
    /// Events emitted since the caller last took them, in emission order.
    private var emitted: [EmittedEvent] = []
    private var late: [LateEvent] = []
    package internal(set) var statistics: EngineStatistics
    /// Derivation chains cut at the limit: the chain (as names) and how many events it dropped.
    package private(set) var derivationDrops: [(chain: [String], count: Int)] = []
    private var dropIndex: [[Int32]: Int] = [:]
    /// Trace lines, when tracing (`trace` is set).
    package var trace: Tracer? {
        didSet { hasOutputs = hasOutputs || trace != nil }
    }
    /// Whether `takeOutputs(into:)` has anything to hand over: read once per event by the
    /// caller, so a stored flag rather than a call.
    package private(set) var hasOutputs = false

    package init(plan: RuleSetPlan, options: EngineOptions = EngineOptions()) {
        self.plan = plan
        self.options = options
        var index = TypeIndex(plan.declarations.map(\.on), steps: plan.declarations.map { declaration in
            guard case .pattern(let p) = declaration.kind else { return [] }
            return p.steps.map(\.type)
        })
        runtimes = plan.declarations.map { DeclarationRuntime($0) { !index.listeners(of: $0).isEmpty } }
        self.index = index
        sources = plan.declarations.map { "weir://" + $0.name }
        scheduler = EventTimeScheduler(lateness: options.lateness)
        let stores = plan.declarations.map { declaration -> WindowStore? in
            // The checker refuses an invalid WINDOW; a plan built otherwise leaves it inert.
            guard case .aggregate(let a) = declaration.kind, a.window.spec.problem == nil else { return nil }
            return WindowStore(spec: a.window.spec, functions: a.aggregates.map(\.function.runtime))
        }
        windowed = stores.map { $0 != nil }
        self.stores = stores.map { $0 ?? RuleEngineCore.noStore }
        ids = EventIdGenerator(declarations: plan.declarations.map(\.name))
        statistics = EngineStatistics(declarations: plan.declarations.map(\.name))
        for (d, declaration) in plan.declarations.enumerated() {
            switch declaration.kind {
            case .rule: statistics.declarations[d].kind = "RULE"
            case .aggregate: statistics.declarations[d].kind = "AGGREGATE"
            case .pattern: statistics.declarations[d].kind = "PATTERN"
            case .saga: statistics.declarations[d].kind = "SAGA"
            }
        }
        patterns = runtimes.map { runtime in
            guard case .pattern = runtime else { return PatternState() }
            return PatternState()
        }
        sagas = runtimes.map { _ in SagaState() }
    }

    /// Continues a run from its snapshot (the same rules, the same options), replacing this
    /// engine's state.
    package mutating func restore(_ snapshot: EngineSnapshot) throws(SnapshotMismatch) {
        let names = plan.declarations.map(\.name)
        guard snapshot.declarations == names, snapshot.stores.count == stores.count else {
            throw SnapshotMismatch(expected: names, found: snapshot.declarations)
        }
        // Same names are not enough: each window store must be this plan's (window and aggregates),
        // and every timer must name one of them.
        for (mine, theirs) in zip(storeStates, snapshot.stores) {
            guard mine?.spec == theirs?.spec, mine?.functions == theirs?.functions else {
                throw SnapshotMismatch(expected: names, found: snapshot.declarations, reason: "the windows or aggregates differ")
            }
        }
        guard snapshot.sagas.count == runtimes.count else {
            throw SnapshotMismatch(expected: names, found: snapshot.declarations, reason: "the sagas differ")
        }
        for (runtime, saved) in zip(runtimes, snapshot.sagas) {
            guard case .saga(let s) = runtime else {
                guard saved == nil else { throw SnapshotMismatch(expected: names, found: snapshot.declarations, reason: "the sagas differ") }
                continue
            }
            let fits = saved.map { saved in
                (saved.live + saved.ended).allSatisfy {
                    $0.machine.definition == s.definition && $0.slots.count == s.plan.slotCount && $0.machine.isConsistent
                        && $0.number >= 1 && $0.number <= saved.nextNumber
                } && Set(saved.live.map(\.number)).count == saved.live.count
            }
            guard fits == true else {
                throw SnapshotMismatch(expected: names, found: snapshot.declarations, reason: "the saga's steps or slots differ")
            }
        }
        guard snapshot.patterns.count == runtimes.count else {
            throw SnapshotMismatch(expected: names, found: snapshot.declarations, reason: "the patterns differ")
        }
        for (runtime, saved) in zip(runtimes, snapshot.patterns) {
            guard case .pattern(let p) = runtime else {
                guard saved == nil else { throw SnapshotMismatch(expected: names, found: snapshot.declarations, reason: "the patterns differ") }
                continue
            }
            // Every run must fit this pattern's steps, slots and accumulators.
            let slots = saved?.partitions.map(\.slot) ?? []
            guard Set(slots).count == slots.count, slots.allSatisfy({ $0 >= 0 && $0 < 1 << 30 }) else {
                throw SnapshotMismatch(expected: names, found: snapshot.declarations, reason: "the pattern's partitions are not distinct")
            }
            let fits = saved?.partitions.allSatisfy { partition in
                partition.runs.allSatisfy { run in
                    run.step >= 0 && run.step < p.steps.count && run.slots.count == p.plan.slotCount
                        && run.accumulators.map(\.function) == p.initialAccumulators.map(\.function)
                }
            }
            guard fits == true else {
                throw SnapshotMismatch(expected: names, found: snapshot.declarations, reason: "the pattern's steps or slots differ")
            }
        }
        guard snapshot.scheduler.timers.payloads.allSatisfy({ payload in
            switch payload {
            case .window(let d, _): return d >= 0 && Int(d) < stores.count && windowed[Int(d)]
            case .pattern(let d, _, _):
                guard d >= 0, Int(d) < runtimes.count, case .pattern = runtimes[Int(d)] else { return false }
                return true
            case .saga(let d, _, _):
                guard d >= 0, Int(d) < runtimes.count, case .saga = runtimes[Int(d)] else { return false }
                return true
            }
        }) else {
            throw SnapshotMismatch(expected: names, found: snapshot.declarations, reason: "a timer names no window store or pattern")
        }
        scheduler = snapshot.scheduler
        dueFloor = .min
        stores = snapshot.stores.map { $0 ?? RuleEngineCore.noStore }
        ids = snapshot.ids
        statistics = snapshot.statistics
        for (d, saved) in snapshot.patterns.enumerated() {
            if let saved { patterns[d].restore(saved) }
        }
        nextRunId = snapshot.nextRunId
        for (d, saved) in snapshot.sagas.enumerated() {
            if let saved { sagas[d] = SagaState(restoring: saved) }
        }
        failure = nil
        hasOutputs = !emitted.isEmpty || !late.isEmpty || trace != nil
    }

    /// The window stores as a snapshot holds them (nil for a declaration without windows).
    var storeStates: [WindowStore?] { zip(stores, windowed).map { $1 ? $0 : nil } }

    /// The placeholder store of a declaration without windows (never used).
    private static let noStore = WindowStore(spec: .tumbling(size: 1), functions: [])

    /// The watermark (`EventTime.min` before any event).
    package var watermark: EventTime { scheduler.watermark }

    // MARK: - Input

    /// Why an input event was not processed.
    package enum Rejection: Error, Sendable, Hashable {
        /// Its `time` is not an RFC 3339 timestamp.
        case invalidTime(String)
    }

    /// Offers an input event being ingested (read in place: nothing is copied unless the event
    /// must be held for reordering). `line` is its input line, for messages.
    package mutating func offer(document: DocumentView, line: Int?) throws(Rejection) {
        try offerInput(document, line: line)
    }

    /// Offers an owned input event.
    package mutating func offer(event: Event, line: Int? = nil) throws(Rejection) {
        try offerInput(event, line: line)
    }

    private mutating func offerInput<E: EngineInput>(_ input: E, line: Int?) throws(Rejection) {
        let time: EventTime?
        switch options.time {
        case .processing(let clock):
            let now = clock.now.eventTime
            scheduler.events.advance(to: now)
            time = now
        case .event:
            switch input.eventTime(dates: &dates) {
            case .at(let t): time = t
            case .absent: time = scheduler.events.tracker.untimedEventTime
            case .invalid: throw .invalidTime(input.timeText ?? String(describing: input.owned()[attribute: "time"] ?? .null))
            }
        }
        if let time, scheduler.events.tracker.isLate(time) {
            statistics.late += 1
            late.append(LateEvent(event: own(input), line: line, time: time, watermark: watermark))
            hasOutputs = true
            trace?.late(input, line: line, time: time, watermark: watermark)
            return
        }
        statistics.eventsIn += 1
        guard let time, options.lateness > 0 else {
            // Nothing to reorder: move the clock, fire what it passed, process in place.
            if let time { scheduler.events.advance(to: time) }
            runDue()
            process(input, time: time, line: line, depth: 0, chain: [])
            drain()
            return
        }
        scheduler.events.insert(HeldEvent(event: own(input), line: line), at: time)
        runDue()
    }

    /// An owned copy of an input event: a document is packed with the engine's reusable packer
    /// (one allocation).
    private mutating func own<E: EngineInput>(_ input: E) -> Event {
        if let document = input as? DocumentView { return packer.event(from: document) }
        return input.owned()
    }

    /// Moves the watermark to `time` (processing-time idle advance, or an embedder's explicit
    /// advance) and fires every timer it passes.
    package mutating func advance(to time: EventTime) {
        scheduler.events.advance(to: time)
        runDue()
    }

    /// In processing-time mode, moves the watermark to the clock's time.
    package mutating func advanceToClock() {
        if case .processing(let clock) = options.time { advance(to: clock.now.eventTime) }
    }

    /// End of a finite input: with `flush`, the watermark moves past every deadline, so held
    /// events are processed and every open window fires.
    package mutating func finish(flush: Bool) {
        if flush {
            scheduler.flush()
        } else if let latest = scheduler.events.tracker.maxEventTime {
            // Without the flush, the watermark still reaches the latest event time seen, so the
            // events held for reordering are processed (none is lost), and only the deadlines
            // after it stay pending.
            scheduler.events.advance(to: latest)
        }
        runDue()
    }

    /// The events emitted since the last call, in emission order.
    package mutating func takeEmitted() -> [EmittedEvent] {
        defer {
            emitted.removeAll(keepingCapacity: true)
            hasOutputs = !late.isEmpty || trace != nil
        }
        return emitted
    }

    /// Moves what waits for the caller (emitted and late events) into `outputs`, reusing its
    /// storage; false, touching nothing, when there is nothing and no tracer.
    package mutating func takeOutputs(into outputs: inout EngineOutputs) -> Bool {
        guard !emitted.isEmpty || !late.isEmpty || trace != nil || failure != nil else { return false }
        hasOutputs = trace != nil
        outputs.emitted.removeAll(keepingCapacity: true)
        outputs.late.removeAll(keepingCapacity: true)
        swap(&outputs.emitted, &emitted)
        swap(&outputs.late, &late)
        outputs.tracer = trace
        return true
    }

    /// The late input events since the last call.
    package mutating func takeLate() -> [LateEvent] {
        guard !late.isEmpty else { return [] }
        defer {
            late.removeAll(keepingCapacity: true)
            hasOutputs = !emitted.isEmpty || trace != nil
        }
        return late
    }

    /// Refreshes the window counts of `statistics` and returns them.
    package func currentStatistics() -> EngineStatistics {
        var statistics = self.statistics
        for (d, store) in stores.enumerated() {
            guard windowed[d] else { continue }
            statistics.declarations[d].openWindows = store.openCount
            statistics.declarations[d].peakOpenWindows = store.peakOpenCount
        }
        for (d, runtime) in runtimes.enumerated() {
            guard case .pattern(let p) = runtime else { continue }
            statistics.declarations[d].liveRuns = patterns[d].live
            statistics.declarations[d].peakRuns = patterns[d].peak
            statistics.declarations[d].partitions = patterns[d].partitions.count
            statistics.declarations[d].bytesPerRun = PatternRun.fixedBytes(slots: p.plan.slotCount, accumulators: p.initialAccumulators.count)
        }
        for (d, runtime) in runtimes.enumerated() {
            guard case .saga = runtime else { continue }
            statistics.declarations[d].sagasWaiting = sagas[d].live.count
            statistics.declarations[d].sagaTimersPending = sagas[d].timersPending
        }
        return statistics
    }

    // MARK: - The event-time loop

    /// Processes the held events and fires the timers the watermark has reached, interleaved
    /// by time; drains the feedback queue after each.
    private mutating func runDue() {
        // The common case: no held event and no timer due yet.
        if scheduler.watermark <= dueFloor, scheduler.events.isEmpty { return }
        defer { dueFloor = scheduler.timers.nextDue() ?? .max }
        while let step = scheduler.next() {
            switch step {
            case .event(let time, let held):
                process(held.event, time: time, line: held.line, depth: 0, chain: [])
            case .timer(let timer):
                fire(timer)
            }
            drain()
        }
    }

    private mutating func drain() {
        guard !queue.isEmpty else { return }
        while queueHead < queue.count {
            let next = queue[queueHead]
            queueHead += 1
            process(next.event, time: next.time, line: nil, depth: next.depth, chain: next.chain)
        }
        queue.removeAll(keepingCapacity: true)
        queueHead = 0
    }

    // MARK: - Declarations

    private mutating func process<E: EngineInput>(_ event: E, time: EventTime?, line: Int?, depth: Int, chain: [Int32]) {
        let listenerCount = event.withTypeBytes { index.lookUp(typeBytes: $0) }
        if listenerCount == 0 {
            // A type no declaration listens to costs the lookup above, unless tracing.
            if let trace, trace.begin(event, line: line, depth: depth) {
                trace.unheard(event)
                trace.end()
            }
            return
        }
        let tracing = trace?.begin(event, line: line, depth: depth) ?? false
        for k in 0..<listenerCount {
            let d = index.listener(k)
            statistics.declarations[d].eventsIn += 1
            switch runtimes[d] {
            case .rule(let rule):
                guard passes(rule.filter, event, d, tracing: tracing) else { continue }
                statistics.declarations[d].matched += 1
                var emittedAny = false
                for (b, branch) in rule.emits.enumerated() {
                    guard passes(branch.when, event, d, tracing: tracing, branch: b + 1) else { continue }
                    let fields = event.evaluateFields(branch.data)
                    countFieldErrors(fields, d, tracing: tracing)
                    emit(branch.type, data: .object(fields.object), from: d, id: event.eventId, correlation: event.correlationId,
                         time: time, depth: depth + 1, chain: chain, tracing: tracing, listened: branch.listened)
                    emittedAny = true
                    if !rule.emitAll { break }
                }
                if tracing, !emittedAny, !rule.emits.isEmpty { trace?.note(d, "no EMIT branch held") }
            case .aggregate(let aggregate):
                guard windowed[d], passes(aggregate.filter, event, d, tracing: tracing) else { continue }
                statistics.declarations[d].matched += 1
                guard let time else {
                    statistics.declarations[d].untimed += 1
                    if tracing { trace?.note(d, "no 'time' and no watermark yet: no window can take it") }
                    continue
                }
                // The GROUP BY value (`.all` without one): a string is looked up in place.
                var groupValue = Val.error(.missingAttribute)
                if aggregate.groupBy != nil {
                    // Borrowed, not retained (the plan outlives the call): a retain and its
                    // release are two atomic operations per event.
                    unowned(unsafe) let groupBy = aggregate.groupBy!
                    groupValue = event.evaluate(groupBy)
                    if case .error(let kind) = groupValue, kind != .missingAttribute {
                        statistics.declarations[d].countError(kind, in: groupBy.program.clause)
                        if tracing { trace?.note(d, "GROUP BY failed (\(kind)): event skipped") }
                        continue
                    }
                }
                // The store is changed in place; the windows it opens are scheduled after.
                var opened = openedScratch
                openedScratch = []
                if aggregate.groupBy == nil {
                    stores[d].route(group: .all, time: time) { ref, due in opened.append((ref, due)) }
                } else {
                    stores[d].route(groupValue: groupValue, time: time) { ref, due in opened.append((ref, due)) }
                }
                for (ref, due) in opened {
                    _ = scheduler.timers.schedule(.window(declaration: Int32(d), ref: ref), due: due)
                    if due < dueFloor { dueFloor = due }
                }
                if !opened.isEmpty { opened.removeAll(keepingCapacity: true) }
                openedScratch = opened
                // Each distinct argument is evaluated once (`sum(x)` and `max(x)` share `x`).
                // (The array is overwritten in place, not emptied: only the first ones are read.)
                for a in aggregate.distinctArguments.indices {
                    unowned(unsafe) let argument = aggregate.distinctArguments[a]
                    let value = event.evaluate(argument)
                    if case .error(let kind) = value, kind != .missingAttribute {
                        statistics.declarations[d].countError(kind, in: argument.program.clause)
                    }
                    if a < argumentValues.count { argumentValues[a] = value } else { argumentValues.append(value) }
                }
                stores[d].accumulate(argumentValues, argumentSlots: aggregate.argumentSlots)
                event.withIdentity { id, correlation in stores[d].setCause(id: id, correlationId: correlation, depth: depth) }
                if tracing {
                    let group = aggregate.groupBy == nil ? GroupKey.all : GroupKey(groupValue) ?? .missing
                    trace?.note(d, "added to its windows (group \(group.value.text ?? group.value.json.map { "\($0)" } ?? "missing"))")
                }
            case .pattern(let pattern):
                match(d, pattern, event, mask: index.listenerMask(k), time: time, depth: depth, chain: chain, tracing: tracing)
            case .saga(let s):
                saga(d, s, event, time: time, depth: depth, chain: chain, tracing: tracing)
            }
        }
        if tracing { trace?.end() }
    }

    /// Whether a condition (WHERE, or the WHEN of EMIT branch `branch`) accepts the event,
    /// absent meaning yes; counts and traces an error.
    @inline(__always)
    private mutating func passes<E: EngineInput>(
        _ condition: Clause?, _ event: E, _ d: Int, tracing: Bool, branch: Int? = nil
    ) -> Bool {
        guard let condition else { return true }
        let (holds, error) = event.test(condition)
        if let error { statistics.declarations[d].countError(error, in: condition.program.clause) }
        if tracing { trace?.condition(d, condition.program, event, holds: holds, error: error, branch: branch) }
        return holds
    }

    /// Counts (and traces) the EMIT fields left out because their evaluation failed.
    mutating func countFieldErrors(_ fields: Program.FieldsResult, _ d: Int, tracing: Bool) {
        guard !fields.errors.isEmpty else { return }
        for (field, error) in fields.errors {
            statistics.declarations[d].countError(error, in: "EMIT")
            if tracing { trace?.note(d, "EMIT field '\(field)' left out (\(error) error)") }
        }
    }

    /// A window's timer came due: fire the window (HAVING, then EMIT at the window's end).
    private mutating func fire(_ timer: TimerQueue<Int, TimerPayload>.Timer) {
        if case .pattern(let d, let run, let partition) = timer.payload {
            firePattern(Int(d), run: run, partition: partition, due: timer.due)
            return
        }
        if case .saga(let d, let instance, let sagaTimer) = timer.payload {
            fireSaga(Int(d), instance: instance, timer: sagaTimer, due: timer.due)
            return
        }
        guard case .window(let declarationIndex, let ref) = timer.payload else { return }
        let d = Int(declarationIndex)
        guard case .aggregate(let aggregate) = runtimes[d], windowed[d] else { return }
        var rescheduled: (WindowRef, EventTime)?
        let fired = stores[d].fire(ref, due: timer.due) { ref, due in rescheduled = (ref, due) }
        if let (ref, due) = rescheduled {
            _ = scheduler.timers.schedule(.window(declaration: declarationIndex, ref: ref), due: due)
            if due < dueFloor { dueFloor = due }
        }
        guard let fired else { return }
        statistics.declarations[d].windowsFired += 1
        let results = fired.accumulators.map(\.value)
        let context = FireContext(
            key: fired.group.value, windowStart: fired.window.start, windowEnd: fired.window.end, aggregates: results)
        if let having = aggregate.having {
            let (holds, error) = having.program.test(context)
            if let error { statistics.declarations[d].countError(error, in: having.program.clause) }
            trace?.window(d, fired, holds: holds, error: error)
            guard holds else {
                statistics.declarations[d].windowsRejected += 1
                return
            }
        } else {
            trace?.window(d, fired, holds: true, error: nil)
        }
        if let when = aggregate.emit.when {
            let (holds, error) = when.program.test(context)
            if let error { statistics.declarations[d].countError(error, in: when.program.clause) }
            guard holds else { return }
        }
        let fields = aggregate.emit.data.program.evaluateFields(context)
        countFieldErrors(fields, d, tracing: trace != nil)
        // One derivation further than the deepest event of the window: a window whose output
        // feeds a window again is bounded by --max-derivation.
        emit(aggregate.emit.type, data: .object(fields.object), from: d, id: fired.lastEventId, correlation: fired.lastCorrelationId,
             time: fired.window.end, depth: fired.depth + 1, chain: [], tracing: trace != nil, listened: aggregate.emit.listened)
    }

    // MARK: - Emitting

    mutating func emit(
        _ type: String, data: Val, from d: Int, id causationId: String, correlation: String?,
        time: EventTime?, depth: Int, chain: [Int32], tracing: Bool, listened: Bool? = nil, saga: SagaStamp? = nil
    ) {
        guard depth <= options.maxDerivation else {
            let chain = chain + [Int32(d)]
            statistics.derivationLimitDrops += 1
            if let known = dropIndex[chain] {
                derivationDrops[known].count += 1
            } else {
                dropIndex[chain] = derivationDrops.count
                derivationDrops.append((chain.map { plan.declarations[Int($0)].name }, 1))
            }
            if tracing { trace?.note(d, "'\(type)' not published: derivation limit \(options.maxDerivation) reached") }
            return
        }
        let id = ids.next(for: d)
        let record = EmittedEvent(
            type: type, id: id, source: sources[d], time: time, correlationId: correlation,
            causationId: causationId.isEmpty ? id : causationId, data: data.json ?? .object(JSONObject()), saga: saga)
        statistics.emitted += 1
        statistics.declarations[d].emitted += 1
        if tracing { trace?.note(d, "emitted '\(type)' \(id)") }
        // Only an event some declaration listens to is packed and fed back.
        if listened ?? !index.listeners(of: type).isEmpty || tracing {
            queue.append(Derived(event: record.pack(using: &emittedWords), time: time, depth: depth, chain: chain + [Int32(d)]))
        }
        emitted.append(record)
        hasOutputs = true
    }
}

/// A declaration's plan behind a reference: switching over it copies one pointer.
enum DeclarationRuntime {
    case rule(RuleRuntime)
    case aggregate(AggregateRuntime)
    case pattern(PatternRuntime)
    case saga(SagaRuntime)

    init(_ plan: DeclarationPlan, listened: (String) -> Bool) {
        switch plan.kind {
        case .rule(let r): self = .rule(RuleRuntime(r, listened: listened))
        case .aggregate(let a): self = .aggregate(AggregateRuntime(a, listened: listened))
        case .pattern(let p): self = .pattern(PatternRuntime(p, listened: listened))
        case .saga(let s): self = .saga(SagaRuntime(s, name: plan.name, listened: listened))
        }
    }
}

/// A compiled clause behind a reference, so that using it copies nothing: evaluate through the
/// methods below, which read `program` in place (a `Program` copied out at a call site retains
/// and releases each of its closures and arrays).
final class Clause {
    let program: Program
    init(_ program: Program) { self.program = program }
    init?(_ program: Program?) {
        guard let program else { return nil }
        self.program = program
    }

    func evaluateFields(slots: UnsafeBufferPointer<Val>) -> Program.FieldsResult { program.evaluateFields(slots: slots) }
    func evaluate(slots: UnsafeBufferPointer<Val>) -> Val { program.evaluate(slots: slots) }
    func test(_ document: DocumentView) -> (Bool, EvaluationErrorKind?) { program.test(document) }
    func test(_ event: Event) -> (Bool, EvaluationErrorKind?) { program.test(event) }
    func test(_ document: DocumentView, slots: UnsafeBufferPointer<Val>) -> (Bool, EvaluationErrorKind?) { program.test(document, slots: slots) }
    func test(_ event: Event, slots: UnsafeBufferPointer<Val>) -> (Bool, EvaluationErrorKind?) { program.test(event, slots: slots) }
    func evaluate(_ document: DocumentView) -> Val { program.evaluate(document) }
    func evaluate(_ event: Event) -> Val { program.evaluate(event) }
    func evaluate(_ document: DocumentView, slots: UnsafeBufferPointer<Val>) -> Val { program.evaluate(document, slots: slots) }
    func evaluate(_ event: Event, slots: UnsafeBufferPointer<Val>) -> Val { program.evaluate(event, slots: slots) }
    func evaluateFields(_ document: DocumentView) -> Program.FieldsResult { program.evaluateFields(document) }
    func evaluateFields(_ event: Event) -> Program.FieldsResult { program.evaluateFields(event) }
}

final class EmitRuntime {
    let type: String
    let when: Clause?
    let data: Clause
    /// Whether some declaration listens to `type` (so that the event is fed back).
    let listened: Bool
    init(_ plan: EmitPlan, listened: (String) -> Bool) {
        type = plan.type
        when = Clause(plan.when)
        data = Clause(plan.data)
        self.listened = listened(plan.type)
    }
}

final class RuleRuntime {
    let filter: Clause?
    let emits: [EmitRuntime]
    let emitAll: Bool
    init(_ plan: RulePlan, listened: (String) -> Bool) {
        filter = Clause(plan.filter)
        emits = plan.emits.map { EmitRuntime($0, listened: listened) }
        emitAll = plan.emitAll
    }
}

final class AggregateRuntime {
    let filter: Clause?
    let groupBy: Clause?
    /// The distinct arguments (by source text), and for each aggregate the index of its
    /// argument among them (-1 for `count()`).
    let distinctArguments: [Clause]
    let argumentSlots: [Int]
    let having: Clause?
    let emit: EmitRuntime
    let plan: AggregatePlan
    init(_ plan: AggregatePlan, listened: (String) -> Bool) {
        filter = Clause(plan.filter)
        groupBy = Clause(plan.groupBy)
        var distinct: [Clause] = []
        var byText: [String: Int] = [:]
        argumentSlots = plan.aggregates.map { call in
            guard let argument = call.argument else { return -1 }
            let text = argument.source.slice(argument.range)
            if let known = byText[text] { return known }
            byText[text] = distinct.count
            distinct.append(Clause(argument))
            return distinct.count - 1
        }
        distinctArguments = distinct
        having = Clause(plan.having)
        emit = EmitRuntime(plan.emit, listened: listened)
        self.plan = plan
    }
}

extension AggregatePlan.Window {
    /// The runtime's form of the WINDOW clause.
    var spec: WindowSpec {
        switch self {
        case .tumbling(let size): return .tumbling(size: size)
        case .sliding(let size, let every): return .sliding(size: size, every: every)
        case .session(let gap): return .session(gap: gap)
        }
    }
}

extension AggregateCall.Function {
    /// The runtime's accumulator for this function.
    var runtime: AggregateFunction {
        switch self {
        case .count: return .count
        case .countValue: return .countValues
        case .sum: return .sum
        case .avg: return .avg
        case .min: return .min
        case .max: return .max
        case .first: return .first
        case .last: return .last
        case .collect: return .collect
        }
    }
}
