import WeirCEP
import WeirCompiler
import WeirCore
import WeirSyntax

/// The PATTERN matcher: each event goes to the runs of its partition in start order, then may
/// start a run of its own; runs that complete emit in start order; timers end runs whose
/// windows have passed (completing an absence, or expiring them).
extension RuleEngineCore {
    /// How one run took one event.
    private enum Outcome {
        case ignored
        case bound
        case completed
        /// A negated step's event, or a `NEXT` that can no longer be met.
        case ended(String)
        /// `THEN ANY`: the run stays as it was and a copy moves on (and may complete).
        case forked(PatternRun, completes: Bool)
    }

    mutating func match<E: EngineInput>(
        _ d: Int, _ p: PatternRuntime, _ event: E, mask: UInt64, time: EventTime?, depth: Int, chain: [Int32], tracing: Bool
    ) {
        guard let time else {
            statistics.declarations[d].untimed += 1
            if tracing { trace?.note(d, "no 'time' and no watermark yet: no run can take it") }
            return
        }
        // Its partition.
        var keyValue = Val.bool(true)
        if let partitionBy = p.partitionBy {
            keyValue = event.evaluate(partitionBy)
            if case .error(let kind) = keyValue {
                if kind != .missingAttribute { statistics.declarations[d].countError(kind, in: partitionBy.program.clause) }
                statistics.declarations[d].unpartitioned += 1
                if tracing { trace?.note(d, "PARTITION BY is \(kind == .missingAttribute ? "missing" : "an error (\(kind))"): the event is in no partition") }
                return
            }
        }
        let existing = p.partitionBy == nil ? patterns[d].findPartition(GroupKey.all) : patterns[d].findPartition(keyValue)
        // A WHERE that reads no slot is the same for every run: evaluated once.
        var verdicts = Verdicts()
        var completed: [PatternRun] = []
        var slot = existing
        if let slot {
            // Taken out of the state while it changes, then put back: the runs stay in start
            // order (a fork right after its parent), changed in place.
            var runs = patterns[d].takeRuns(slot)
            var kept = 0
            var forks: [(after: Int, run: PatternRun)] = []
            for i in runs.indices {
                // Most runs cannot use most events: they only learn that one went by (NEXT).
                let here = p.steps[runs[i].step]
                if mask & (runs[i].count < here.max ? here.relevant : here.relevantWhenFull) == 0, !tracing {
                    runs[i].broken = true
                    if here.chainHasNext, !Self.canStillAct(runs[i], p) {
                        statistics.declarations[d].runsRejected += 1
                        patterns[d].live -= 1
                        endRun(runs[i], d, tracing: false, "'NEXT' needed this event")
                        continue
                    }
                    if kept != i { runs.swapAt(kept, i) }
                    kept += 1
                    continue
                }
                let before = runs[i].deadline
                switch advance(&runs[i], d, p, event, time: time, mask: mask, verdicts: &verdicts, tracing: tracing) {
                case .ignored:
                    if kept != i { runs.swapAt(kept, i) }
                    kept += 1
                case .bound:
                    statistics.declarations[d].runsAdvanced += 1
                    runs[i].depth = Swift.max(runs[i].depth, depth + 1)
                    reschedule(&runs[i], d, p, slot: slot, was: before)
                    if kept != i { runs.swapAt(kept, i) }
                    kept += 1
                case .completed:
                    statistics.declarations[d].runsAdvanced += 1
                    patterns[d].live -= 1
                    completed.append(runs[i])
                case .ended(let why):
                    statistics.declarations[d].runsRejected += 1
                    patterns[d].live -= 1
                    endRun(runs[i], d, tracing: tracing, why)
                case .forked(var fork, let completes):
                    fork.depth = Swift.max(fork.depth, depth + 1)
                    statistics.declarations[d].runsAdvanced += 1
                    statistics.declarations[d].runsStarted += 1
                    if kept != i { runs.swapAt(kept, i) }
                    kept += 1
                    if completes { completed.append(fork) } else { forks.append((kept, fork)) }
                }
            }
            runs.removeLast(runs.count - kept)
            if !forks.isEmpty {
                insertForks(forks, into: &runs, d, p, slot: slot, tracing: tracing)
                runs.sort { ($0.origin, $0.id) < ($1.origin, $1.id) }
            }
            patterns[d].runs[Int(slot)] = runs
        }
        // The event may start a run of its own (not after a match that skips past it).
        let skipPast = p.plan.skipPastLastEvent && !completed.isEmpty
        if mask & 1 != 0, !skipPast, stepHolds(0, d, p, event, slots: p.initialSlots, verdicts: &verdicts, tracing: tracing, runId: nil) {
            let partitionKey = p.partitionBy == nil ? GroupKey.all : (GroupKey(keyValue) ?? .missing)
            let s = slot ?? patterns[d].partition(for: partitionKey)
            slot = s
            nextRunId += 1
            var run = PatternRun(
                id: nextRunId, origin: nextRunId, step: 0, count: 0, start: time, anchor: time, last: time, lastId: "", lastCorrelation: nil,
                slots: p.initialSlots, accumulators: p.initialAccumulators)
            run.depth = depth + 1
            bind(&run, 0, d, p, event, time: time)
            statistics.declarations[d].runsStarted += 1
            if tracing {
                let partition = p.partitionBy == nil ? "" : " in partition \(Tracer.show(keyValue))"
                trace?.note(d, "run \(run.id) started by '\(p.plan.steps[0].alias)'\(partition)")
            }
            if Self.completesNow(run, p) {
                completed.append(run)
            } else {
                var runs = patterns[d].takeRuns(s)
                if admit(d, p, slot: s, runs: &runs, tracing: tracing) {
                    reschedule(&run, d, p, slot: s, was: nil)
                    runs.append(run)
                    patterns[d].live += 1
                    patterns[d].order.append((run.id, s))
                } else if tracing {
                    trace?.note(d, "run \(run.id) not kept")
                }
                patterns[d].runs[Int(s)] = runs
            }
        }
        if !completed.isEmpty {
            // In start order: the order their first events arrived (a fork after its origin's
            // earlier forks).
            if completed.count > 1 { completed.sort { ($0.origin, $0.id) < ($1.origin, $1.id) } }
            for (n, run) in completed.enumerated() {
                if n > 0 && p.plan.skipPastLastEvent {
                    statistics.declarations[d].runsDiscarded += 1
                    continue
                }
                complete(run, d, p, time: time, depth: depth + 1, chain: chain, tracing: tracing)
            }
            if p.plan.skipPastLastEvent, let slot { discardAll(d, slot: slot, tracing: tracing) }
        }
        if let slot { settle(d, slot: slot) }
        if tracing, existing == nil, slot == nil {
            let partition = p.partitionBy == nil ? "" : " in partition \(Tracer.show(keyValue))"
            let why = mask & 1 == 0 ? "it is not a '\(p.plan.steps[0].alias)' event" : "'\(p.plan.steps[0].alias)' did not hold"
            trace?.note(d, "no live run\(partition), and the event starts none: \(why)")
        }
    }

    /// Puts the runs `THEN ANY` forked right after their parents (`after`: how many runs
    /// precede them), within the caps: under `drop-oldest` the oldest runs make room, under
    /// `refuse-new` the forks past the cap are not kept, under `fail` the run stops.
    private mutating func insertForks(
        _ forks: [(after: Int, run: PatternRun)], into runs: inout [PatternRun], _ d: Int, _ p: PatternRuntime, slot: Int32,
        tracing: Bool
    ) {
        let cap = Swift.min(p.plan.maxRuns ?? Int.max, options.maxRuns)
        var admitted = forks
        var excess = runs.count + forks.count - cap
        // The pattern's cap over all partitions counts the other partitions' runs too.
        let globalExcess = patterns[d].live + forks.count - options.maxRuns
        if excess > 0 || globalExcess > 0 {
            switch options.overload {
            case .refuseNew:
                let room = Swift.max(0, Swift.min(cap - runs.count, options.maxRuns - patterns[d].live))
                statistics.declarations[d].runsRefused += forks.count - Swift.min(room, forks.count)
                if tracing { trace?.note(d, "\(forks.count - Swift.min(room, forks.count)) forked runs refused: a cap on live runs") }
                admitted = Array(forks.prefix(room))
                excess = 0
            case .fail:
                failure = failure ?? "PATTERN \(plan.declarations[d].name): a cap on live runs was reached (overload policy 'fail')"
                admitted = []
                excess = 0
            case .dropOldest:
                // Drop from other partitions first for the global cap, then from this one.
                var other = globalExcess - Swift.max(0, excess)
                while other > 0, dropOldestElsewhere(d, except: slot, tracing: tracing) { other -= 1 }
                excess = Swift.max(excess, 0) + Swift.max(other, 0)
            }
        }
        var merged: [PatternRun] = []
        merged.reserveCapacity(runs.count + admitted.count)
        var next = 0
        for (i, run) in runs.enumerated() {
            merged.append(run)
            while next < admitted.count, admitted[next].after == i + 1 {
                var fork = admitted[next].run
                next += 1
                reschedule(&fork, d, p, slot: slot, was: nil)
                merged.append(fork)
                patterns[d].live += 1
                patterns[d].order.append((fork.id, slot))
            }
        }
        if excess > 0 {
            // The oldest runs of the partition make room (in start order: the front).
            let dropped = Swift.min(excess, merged.count)
            for run in merged.prefix(dropped) {
                statistics.declarations[d].runsDropped += 1
                endRun(run, d, tracing: tracing, "dropped: a cap on live runs was reached")
            }
            patterns[d].live -= dropped
            merged.removeFirst(dropped)
        }
        runs = merged
    }

    /// Ends the pattern's oldest live run outside partition `slot`; false when there is none.
    private mutating func dropOldestElsewhere(_ d: Int, except slot: Int32, tracing: Bool) -> Bool {
        while patterns[d].orderHead < patterns[d].order.count {
            let (id, s) = patterns[d].order[patterns[d].orderHead]
            patterns[d].orderHead += 1
            guard s != slot, Int(s) < patterns[d].runs.count,
                  let i = patterns[d].runs[Int(s)].firstIndex(where: { $0.id == id }) else { continue }
            let run = patterns[d].runs[Int(s)].remove(at: i)
            patterns[d].live -= 1
            statistics.declarations[d].runsDropped += 1
            endRun(run, d, tracing: tracing, "dropped: \(options.maxRuns) live runs")
            patterns[d].releaseIfEmpty(s)
            return true
        }
        return false
    }

    /// Offers the event to one run.
    private mutating func advance<E: EngineInput>(
        _ run: inout PatternRun, _ d: Int, _ p: PatternRuntime, _ event: E, time: EventTime, mask: UInt64,
        verdicts: inout Verdicts, tracing: Bool
    ) -> Outcome {
        let here = p.steps[run.step]
        let withinWhole = p.plan.within.map { time - run.start <= $0 } ?? true
        if run.count >= here.plan.min {
            for k in here.negations where mask & (1 << UInt64(k & 63)) != 0 {
                let step = p.steps[k]
                guard withinWhole, step.plan.within.map({ time - run.last <= $0 }) ?? true else { continue }
                if Self.refreshed(&run, for: k, p), stepHolds(k, d, p, event, slots: run.slots, verdicts: &verdicts, tracing: tracing, runId: run.id) {
                    return .ended("'\(step.plan.alias)' (negated) occurred")
                }
            }
        }
        // Greedy: another iteration of the current step first.
        if run.count < here.max, mask & (1 << UInt64(run.step & 63)) != 0, withinWhole,
           here.plan.within.map({ time - run.anchor <= $0 }) ?? true,
           Self.refreshed(&run, for: run.step, p), stepHolds(run.step, d, p, event, slots: run.slots, verdicts: &verdicts, tracing: tracing, runId: run.id) {
            bind(&run, run.step, d, p, event, time: time)
            if tracing { trace?.note(d, "run \(run.id): '\(here.plan.alias)' bound its event \(run.count)") }
            return Self.completesNow(run, p) ? .completed : .bound
        }
        if run.count >= here.plan.min {
            for j in here.chain where mask & (1 << UInt64(j & 63)) != 0 {
                let step = p.steps[j]
                if step.plan.kind == .next && run.broken { continue }
                guard withinWhole, step.plan.within.map({ time - run.last <= $0 }) ?? true else {
                    if tracing { trace?.note(d, "run \(run.id): '\(step.plan.alias)' is past its WITHIN") }
                    continue
                }
                guard Self.refreshed(&run, for: j, p), stepHolds(j, d, p, event, slots: run.slots, verdicts: &verdicts, tracing: tracing, runId: run.id) else { continue }
                if step.plan.kind == .thenAny {
                    var fork = run
                    nextRunId += 1
                    fork.id = nextRunId
                    moveOn(&fork, to: j, d, p, event, time: time)
                    if tracing { trace?.note(d, "run \(run.id) forked run \(fork.id) at '\(step.plan.alias)' (THEN ANY)") }
                    // The original did not bind the event: for NEXT, one went by.
                    run.broken = true
                    return .forked(fork, completes: Self.completesNow(fork, p))
                }
                moveOn(&run, to: j, d, p, event, time: time)
                if tracing { trace?.note(d, "run \(run.id) advanced to '\(step.plan.alias)'") }
                return Self.completesNow(run, p) ? .completed : .bound
            }
        }
        run.broken = true
        if !Self.canStillAct(run, p) { return .ended("'NEXT' needed this event") }
        if tracing { trace?.note(d, "run \(run.id) ignored the event: \(Self.waitingFor(run, p))") }
        return .ignored
    }

    /// What a run waits for, for `--trace`: `waiting for 'tx' ('transaction.initiated')`.
    private static func waitingFor(_ run: PatternRun, _ p: PatternRuntime) -> String {
        let here = p.steps[run.step]
        var wanted: [String] = []
        if run.count < here.max { wanted.append("another '\(here.plan.alias)'") }
        if run.count >= here.plan.min {
            wanted += here.chain.map { "'\(p.steps[$0].plan.alias)' (\(p.steps[$0].plan.type.dumpText))" }
        }
        if wanted.isEmpty { return "it has bound '\(here.plan.alias)' and waits for its deadline" }
        return "it waits for " + wanted.joined(separator: " or ")
    }

    /// Binds the event as the first of step `j`.
    private mutating func moveOn<E: EngineInput>(
        _ run: inout PatternRun, to j: Int, _ d: Int, _ p: PatternRuntime, _ event: E, time: EventTime
    ) {
        run.anchor = run.last
        run.step = j
        run.count = 0
        bind(&run, j, d, p, event, time: time)
    }

    /// Records the event in the run: its captures, its time and identity.
    private mutating func bind<E: EngineInput>(_ run: inout PatternRun, _ j: Int, _ d: Int, _ p: PatternRuntime, _ event: E, time: EventTime) {
        run.count += 1
        run.last = time
        run.broken = false
        for capture in p.steps[j].captures {
            let value = capture.argument.map { captured($0, event, d) } ?? .bool(true)
            let a = p.accumulatorOfSlot[capture.slot]
            if a >= 0 {
                run.accumulators[a].add(value)
                // A collected list is copied into its slot only when read (`refreshed`): copying
                // it on every event bound would cost the square of its length.
                if capture.function == .collect {
                    run.collectStale = true
                } else {
                    run.slots[capture.slot] = run.accumulators[a].value
                }
            } else {
                run.slots[capture.slot] = value
            }
        }
        run.lastId = event.eventId
        run.lastCorrelation = event.correlationId
    }

    /// Brings the run's collected lists into their slots when step `k`'s WHERE reads one.
    /// Always true (it reads as a step of a condition chain).
    @inline(__always)
    private static func refreshed(_ run: inout PatternRun, for k: Int, _ p: PatternRuntime) -> Bool {
        if run.collectStale, p.steps[k].filterReadsCollect { Self.refresh(&run, p: p) }
        return true
    }

    /// Copies every collected list into its slot.
    private static func refresh(_ run: inout PatternRun, p: PatternRuntime) {
        for slot in p.collectSlots { run.slots[slot] = run.accumulators[p.accumulatorOfSlot[slot]].value }
        run.collectStale = false
    }

    /// Whether step `k`'s type-matched event passes its WHERE for a run with these slots.
    private mutating func stepHolds<E: EngineInput>(
        _ k: Int, _ d: Int, _ p: PatternRuntime, _ event: E, slots: [Val], verdicts: inout Verdicts, tracing: Bool, runId: Int?
    ) -> Bool {
        let step = p.steps[k]
        guard let filter = step.filter else { return true }
        if !step.filterReadsSlots, let known = verdicts[k] { return known }
        let (holds, error) = slots.withUnsafeBufferPointer { event.test(filter, slots: $0) }
        if let error { statistics.declarations[d].countError(error, in: filter.program.clause) }
        if !step.filterReadsSlots { verdicts[k] = holds }
        if tracing {
            trace?.stepCondition(d, step.plan.alias, runId: runId, filter.program, event, holds: holds, error: error)
        }
        return holds
    }

    /// Whether the run is complete as soon as it binds: its step is the last, at its maximum.
    private static func completesNow(_ run: PatternRun, _ p: PatternRuntime) -> Bool {
        let here = p.steps[run.step]
        return here.isLast && run.count >= here.max
    }

    /// Whether the run completes (rather than expires) when its timer fires: every step after
    /// its current one is optional or negated, and the current one has its minimum.
    private static func completesAtDeadline(_ run: PatternRun, _ p: PatternRuntime) -> Bool {
        let here = p.steps[run.step]
        return here.completesHere && run.count >= here.plan.min
    }

    /// Whether anything can still happen to the run (a `NEXT` it can no longer meet ends it).
    private static func canStillAct(_ run: PatternRun, _ p: PatternRuntime) -> Bool {
        let here = p.steps[run.step]
        if run.count < here.max || Self.completesAtDeadline(run, p) { return true }
        return here.chain.contains { p.steps[$0].plan.kind != .next }
    }

    /// The instant after which the run can do nothing more: the latest of its possible
    /// moves' windows, bounded by the whole-match window; nil when nothing bounds it.
    private static func deadline(_ run: PatternRun, _ p: PatternRuntime) -> EventTime? {
        let here = p.steps[run.step]
        var latest: EventTime?
        var unbounded = false
        func consider(_ within: Int64?, from: EventTime) {
            guard let within else { unbounded = true; return }
            let (due, overflow) = from.addingReportingOverflow(within)
            latest = Swift.max(latest ?? .min, overflow ? .max : due)
        }
        if run.count < here.max { consider(here.plan.within, from: run.anchor) }
        if run.count >= here.plan.min {
            for j in here.chain { consider(p.steps[j].plan.within, from: run.last) }
            if here.completesHere {
                for k in here.negations { consider(p.steps[k].plan.within, from: run.last) }
            }
        }
        let whole = p.plan.within.map { run.start.addingReportingOverflow($0).overflow ? EventTime.max : run.start + $0 }
        if unbounded || latest == nil { return whole }
        return Swift.min(latest!, whole ?? .max)
    }

    /// Schedules (or moves) the run's timer to its deadline.
    private mutating func reschedule(_ run: inout PatternRun, _ d: Int, _ p: PatternRuntime, slot: Int32, was: EventTime?) {
        let due = Self.deadline(run, p)
        run.deadline = due
        guard due != was || was == nil else { return }
        guard let due else {
            _ = scheduler.timers.cancel(key: run.id)
            return
        }
        _ = scheduler.timers.schedule(.pattern(declaration: Int32(d), run: run.id, partition: slot), due: due, key: run.id)
        if due < dueFloor { dueFloor = due }
    }

    /// Checks the caps before a run joins `runs` (the partition's): with room, true; otherwise
    /// the overload policy decides.
    private mutating func admit(_ d: Int, _ p: PatternRuntime, slot: Int32, runs: inout [PatternRun], tracing: Bool) -> Bool {
        if let cap = p.plan.maxRuns, runs.count >= cap {
            switch options.overload {
            case .dropOldest:
                let oldest = runs.removeFirst()
                patterns[d].live -= 1
                statistics.declarations[d].runsDropped += 1
                endRun(oldest, d, tracing: tracing, "dropped: MAX RUNS \(cap) reached in its partition")
            case .refuseNew:
                statistics.declarations[d].runsRefused += 1
                if tracing { trace?.note(d, "new run refused: MAX RUNS \(cap) reached in its partition") }
                return false
            case .fail:
                failure = failure ?? "PATTERN \(plan.declarations[d].name): MAX RUNS \(cap) reached in a partition (overload policy 'fail')"
                return false
            }
        }
        if patterns[d].live >= options.maxRuns {
            switch options.overload {
            case .dropOldest:
                if !dropOldest(d, except: slot, runs: &runs, tracing: tracing) { return false }
            case .refuseNew:
                statistics.declarations[d].runsRefused += 1
                if tracing { trace?.note(d, "new run refused: \(options.maxRuns) live runs") }
                return false
            case .fail:
                failure = failure ?? "PATTERN \(plan.declarations[d].name): \(options.maxRuns) live runs (overload policy 'fail')"
                return false
            }
        }
        return true
    }

    /// Ends the pattern's oldest live run (`runs` is partition `slot`'s, taken out).
    private mutating func dropOldest(_ d: Int, except slot: Int32, runs: inout [PatternRun], tracing: Bool) -> Bool {
        while patterns[d].orderHead < patterns[d].order.count {
            let (id, s) = patterns[d].order[patterns[d].orderHead]
            patterns[d].orderHead += 1
            if s == slot {
                guard let i = runs.firstIndex(where: { $0.id == id }) else { continue }
                let run = runs.remove(at: i)
                patterns[d].live -= 1
                statistics.declarations[d].runsDropped += 1
                endRun(run, d, tracing: tracing, "dropped: \(options.maxRuns) live runs")
                return true
            }
            guard Int(s) < patterns[d].runs.count, let i = patterns[d].runs[Int(s)].firstIndex(where: { $0.id == id }) else { continue }
            let run = patterns[d].runs[Int(s)].remove(at: i)
            patterns[d].live -= 1
            statistics.declarations[d].runsDropped += 1
            endRun(run, d, tracing: tracing, "dropped: \(options.maxRuns) live runs")
            patterns[d].releaseIfEmpty(s)
            return true
        }
        return false
    }

    /// A run leaves without a match: its timer goes.
    private mutating func endRun(_ run: PatternRun, _ d: Int, tracing: Bool, _ why: String) {
        if run.deadline != nil { _ = scheduler.timers.cancel(key: run.id) }
        if tracing { trace?.note(d, "run \(run.id) ended: \(why)") }
    }

    /// A run completed: its timer goes and its EMIT branches are tried.
    private mutating func complete(_ run: PatternRun, _ d: Int, _ p: PatternRuntime, time: EventTime, depth: Int, chain: [Int32], tracing: Bool) {
        if run.deadline != nil { _ = scheduler.timers.cancel(key: run.id) }
        statistics.declarations[d].runsCompleted += 1
        statistics.declarations[d].matched += 1
        if tracing { trace?.note(d, "run \(run.id) matched") }
        emitBranches(p.emits, all: p.plan.emitAll, run, d, p, time: time, depth: depth, chain: chain, tracing: tracing)
    }

    /// A run's EMIT or ON TIMEOUT EMIT branches, its collected lists brought into their slots.
    private mutating func emitBranches(
        _ branches: [EmitRuntime], all: Bool, _ run: PatternRun, _ d: Int, _ p: PatternRuntime, time: EventTime, depth: Int,
        chain: [Int32], tracing: Bool
    ) {
        var run = run
        if run.collectStale { Self.refresh(&run, p: p) }
        emitBranches(branches, all: all, slots: run.slots, d, causation: run.lastId, correlation: run.lastCorrelation,
                     time: time, depth: depth, chain: chain, tracing: tracing)
    }

    /// `AFTER MATCH SKIP PAST LAST EVENT`: every other run of the partition goes.
    private mutating func discardAll(_ d: Int, slot: Int32, tracing: Bool) {
        let runs = patterns[d].takeRuns(slot)
        patterns[d].live -= runs.count
        for run in runs {
            statistics.declarations[d].runsDiscarded += 1
            endRun(run, d, tracing: tracing, "discarded (AFTER MATCH SKIP PAST LAST EVENT)")
        }
    }

    /// Recounts the live runs after a partition changed, and frees it when empty.
    private mutating func settle(_ d: Int, slot: Int32) {
        patterns[d].releaseIfEmpty(slot)
        patterns[d].peak = Swift.max(patterns[d].peak, patterns[d].live)
        patterns[d].compactOrder()
    }

    /// A run's timer came due: the run completes (an absence, or optional steps left) or expires.
    mutating func firePattern(_ d: Int, run id: Int, partition slot: Int32, due: EventTime) {
        guard case .pattern(let p) = runtimes[d], slot >= 0, Int(slot) < patterns[d].runs.count else { return }
        var runs = patterns[d].runs[Int(slot)]
        guard let i = runs.firstIndex(where: { $0.id == id }) else { return }
        var run = runs.remove(at: i)
        patterns[d].runs[Int(slot)] = runs
        patterns[d].live -= 1
        run.deadline = nil
        let tracing = trace != nil
        if Self.completesAtDeadline(run, p) {
            if tracing { trace?.timer("run \(run.id) of \(plan.declarations[d].name) completes at its deadline \(Timestamp(milliseconds: due).rfc3339)") }
            complete(run, d, p, time: due, depth: run.depth, chain: [], tracing: tracing)
            if p.plan.skipPastLastEvent { discardAll(d, slot: slot, tracing: tracing) }
        } else {
            statistics.declarations[d].runsExpired += 1
            if tracing {
                trace?.timer("run \(run.id) of \(plan.declarations[d].name) expired at \(Timestamp(milliseconds: due).rfc3339), its windows passed: \(Self.waitingFor(run, p))")
            }
            if !p.onTimeout.isEmpty {
                let before = statistics.declarations[d].emitted
                emitBranches(p.onTimeout, all: false, run, d, p, time: due, depth: run.depth, chain: [], tracing: tracing)
                if statistics.declarations[d].emitted > before { statistics.declarations[d].runsTimedOut += 1 }
            }
        }
        settle(d, slot: slot)
    }
}

extension RuleEngineCore {
    /// EMIT branches read from slots alone (a PATTERN's match or timeout, a saga's outcome): in
    /// written order, the first whose WHEN holds emits (every one that holds with `all`).
    mutating func emitBranches(
        _ branches: [EmitRuntime], all: Bool, slots: [Val], _ d: Int, causation: String, correlation: String?,
        time: EventTime, depth: Int, chain: [Int32], tracing: Bool
    ) {
        slots.withUnsafeBufferPointer { slots in
            for branch in branches {
                if let when = branch.when {
                    let value = when.evaluate(slots: slots)
                    if let error = value.errorKind { statistics.declarations[d].countError(error, in: when.program.clause) }
                    guard case .bool(true) = value else { continue }
                }
                let fields = branch.data.evaluateFields(slots: slots)
                countFieldErrors(fields, d, tracing: tracing)
                emit(branch.type, data: .object(fields.object), from: d, id: causation, correlation: correlation,
                     time: time, depth: depth, chain: chain, tracing: tracing, listened: branch.listened)
                if !all { break }
            }
        }
    }

    /// The value an event gives a slot (a PATTERN capture, a saga alias read): evaluated,
    /// its error counted, and owned (a string borrowed from the parser's document is copied).
    mutating func captured<E: EngineInput>(_ argument: Clause, _ event: E, _ d: Int) -> Val {
        let value = event.evaluate(argument)
        if case .error(let kind) = value, kind != .missingAttribute {
            statistics.declarations[d].countError(kind, in: argument.program.clause)
        }
        if case .raw = value { return value.json.map { Val($0, narrow: false) } ?? value }
        return value
    }
}

/// The verdicts of the WHERE clauses that read no slot, for one event: each is evaluated once,
/// whatever the number of runs.
struct Verdicts {
    private var known: UInt64 = 0
    private var holds: UInt64 = 0

    subscript(step: Int) -> Bool? {
        get { known & (1 << UInt64(step & 63)) == 0 ? nil : holds & (1 << UInt64(step & 63)) != 0 }
        set {
            let bit: UInt64 = 1 << UInt64(step & 63)
            known |= bit
            if newValue == true { holds |= bit } else { holds &= ~bit }
        }
    }
}

extension Val {
    /// The error kind, when this is an error other than missing.
    var errorKind: EvaluationErrorKind? {
        if case .error(let kind) = self, kind != .missingAttribute { return kind }
        return nil
    }
}
