import WeirCEP
import WeirCompiler
import WeirCore
import WeirSyntax

/// The saga coordinator: routes each event to the instance it starts or answers, feeds it to
/// that instance's state machine, and performs the actions the machine returns, in order:
/// commands published with the saga id as `correlationid` and `sagastep` / `sagaattempt`,
/// timers keyed by (instance, step, attempt), ON COMPLETE and ON FAILURE emitted once.
extension RuleEngineCore {
    mutating func saga<E: EngineInput>(_ d: Int, _ s: SagaRuntime, _ event: E, time: EventTime?, depth: Int, chain: [Int32], tracing: Bool) {
        guard let time else {
            statistics.declarations[d].untimed += 1
            if tracing { trace?.note(d, "no 'time' and no watermark yet: no saga can take it") }
            return
        }
        let type = event.eventType
        let isReply = s.steps.contains { step in
            step.awaiting?.type.matches(type) == true || step.failOn.contains { $0.type.matches(type) }
                || step.compensateAwait?.type.matches(type) == true
        }
        // What the saga emits in answer to this event is one derivation further, as a RULE's is.
        if isReply { answer(d, s, event, time: time, depth: depth + 1, chain: chain, tracing: tracing) }
        if s.plan.start.type.matches(type) { start(d, s, event, time: time, depth: depth + 1, chain: chain, tracing: tracing) }
    }

    // MARK: - Starting

    private mutating func start<E: EngineInput>(_ d: Int, _ s: SagaRuntime, _ event: E, time: EventTime, depth: Int, chain: [Int32], tracing: Bool) {
        var slots = s.initialSlots
        capture(s.startCaptures, event, into: &slots, d)
        if let filter = s.startFilter {
            let (holds, error) = slots.withUnsafeBufferPointer { event.test(filter, slots: $0) }
            if let error { statistics.declarations[d].countError(error, in: "START WHERE") }
            if tracing { trace?.note(d, "START WHERE \(holds)") }
            guard holds else { return }
        }
        let keyValue = slots.withUnsafeBufferPointer { event.evaluate(s.key, slots: $0) }
        guard let key = GroupKey(keyValue), key != .missing else {
            if case .error(let kind) = keyValue, kind != .missingAttribute { statistics.declarations[d].countError(kind, in: "KEY") }
            statistics.declarations[d].sagasWithoutKey += 1
            if tracing { trace?.note(d, "KEY is missing or failed: no instance started") }
            return
        }
        if let live = sagas[d].byKey[key] {
            // One instance per key: a second start is recorded, not started again.
            sagas[d].live[live]?.machine.note(time, "duplicate-start", eventId: event.eventId)
            statistics.declarations[d].duplicateStarts += 1
            if tracing { trace?.note(d, "instance \(sagas[d].live[live]?.id ?? "") already runs for this KEY: duplicate start recorded") }
            return
        }
        sagas[d].nextNumber += 1
        let number = sagas[d].nextNumber
        let id = "\(s.name)-\(number)"
        let (machine, actions) = SagaMachine.start(s.definition, at: time, eventId: event.eventId)
        let instance = SagaInstance(id: id, number: number, key: key, machine: machine, slots: slots, lastEventId: event.eventId,
                                    depth: depth)
        sagas[d].byKey[key] = number
        sagas[d].byId[id] = number
        sagas[d].order.append(number)
        statistics.declarations[d].sagasStarted += 1
        statistics.declarations[d].matched += 1
        perform(actions, d, s, instance, time: time, depth: depth, chain: chain, tracing: tracing, historyFrom: 0)
    }

    // MARK: - Replies

    /// Routes a reply: by the saga id it echoes in `correlationid` (and `sagastep` /
    /// `sagaattempt`), else to the first instance (in start order) whose waiting step's AWAIT or
    /// FAIL ON WHERE accepts it.
    private mutating func answer<E: EngineInput>(_ d: Int, _ s: SagaRuntime, _ event: E, time: EventTime, depth: Int, chain: [Int32], tracing: Bool) {
        if let correlation = event.correlationId, let number = sagas[d].byId[correlation] {
            if !offer(d, s, number, event, time: time, depth: depth, chain: chain, tracing: tracing, correlated: true) {
                statistics.declarations[d].ignoredReplies += 1
            }
            return
        }
        // A reply to an instance that has ended is late: recorded in its history (when the
        // engine keeps ended instances), never offered to another instance.
        if let correlation = event.correlationId, isEndedId(d, s, correlation) {
            statistics.declarations[d].ignoredReplies += 1
            if let i = sagas[d].ended.lastIndex(where: { $0.id == correlation }) {
                sagas[d].ended[i].machine.note(time, "reply-ignored", eventId: event.eventId, detail: "the saga has ended")
            }
            if tracing { trace?.note(d, "a reply to \(correlation), which has ended: ignored") }
            return
        }
        for number in sagas[d].liveInStartOrder() {
            if offer(d, s, number, event, time: time, depth: depth, chain: chain, tracing: tracing, correlated: false) { return }
        }
        statistics.declarations[d].unmatchedReplies += 1
        if tracing { trace?.note(d, "no instance waits for this reply: unmatched") }
    }

    /// Whether `id` names an instance of this saga that has ended (ids are `<saga>-<n>`).
    private func isEndedId(_ d: Int, _ s: SagaRuntime, _ id: String) -> Bool {
        guard id.hasPrefix(s.name + "-"), let n = Int(id.dropFirst(s.name.count + 1)) else { return false }
        return n >= 1 && n <= sagas[d].nextNumber && sagas[d].live[n] == nil
    }

    /// Offers a reply to one instance; false when it is not for that instance (uncorrelated and
    /// no WHERE of its waiting step accepts it). A correlated reply is always taken: if it fits
    /// nothing waiting, the machine records it as ignored.
    private mutating func offer<E: EngineInput>(
        _ d: Int, _ s: SagaRuntime, _ number: Int, _ event: E, time: EventTime, depth: Int, chain: [Int32], tracing: Bool, correlated: Bool
    ) -> Bool {
        // Taken out of the table while it changes (put back, or ended, by `perform`): a copy
        // would share the history's storage with the table, and each entry added would copy it.
        guard var instance = sagas[d].live.removeValue(forKey: number) else { return false }
        let type = event.eventType
        let historyBefore = instance.machine.history.count
        var actions: [SagaMachine.Action]?
        let address = correlated ? self.address(event, s, waiting: instance.machine.phase) : nil
        switch instance.machine.phase {
        case .waiting(let step, let attempt) where address == nil || address?.step == step:
            let st = s.steps[step]
            // Without the instance's id, only a WHERE can tell that a reply is its own.
            if let awaiting = st.awaiting, awaiting.type.matches(type), correlated || awaiting.filter != nil,
               holds(awaiting.filter, event, instance.slots, d, tracing) {
                // A reply to another attempt is stale: it binds nothing (the machine records it).
                if address?.attempt.map({ $0 == attempt }) ?? true { capture(awaiting.captures, event, into: &instance.slots, d) }
                actions = instance.machine.reply(success: true, to: address, at: time, eventId: event.eventId)
            } else if st.failOn.contains(where: {
                $0.type.matches(type) && (correlated || $0.filter != nil) && holds($0.filter, event, instance.slots, d, tracing)
            }) {
                actions = instance.machine.reply(success: false, failure: "'\(type)' received", to: address, at: time, eventId: event.eventId)
            }
        case .compensating(let position):
            let step = instance.machine.compensations[position]
            if let confirm = s.steps[step].compensateAwait, confirm.type.matches(type), correlated || confirm.filter != nil,
               holds(confirm.filter, event, instance.slots, d, tracing) {
                actions = instance.machine.confirmation(step: step, at: time, eventId: event.eventId)
            }
        default:
            break
        }
        if actions == nil {
            guard correlated else {
                sagas[d].live[number] = instance
                return false
            }
            // Correlated but fitting nothing waiting: a duplicate, late or stale reply, recorded.
            _ = instance.machine.reply(success: true, to: address ?? .init(step: -1, attempt: nil), at: time, eventId: event.eventId)
            statistics.declarations[d].ignoredReplies += 1
            sagas[d].live[number] = instance
            if tracing { trace?.note(d, "instance \(instance.id): reply ignored (\(instance.machine.history.last?.detail ?? ""))") }
            return true
        }
        // Only a reply the machine took is the cause of what follows; an ignored one is recorded only.
        if !actions!.isEmpty {
            instance.lastEventId = event.eventId
            instance.depth = max(instance.depth, depth)
        }
        if actions!.isEmpty { statistics.declarations[d].ignoredReplies += 1 }
        perform(actions!, d, s, instance, time: time, depth: depth, chain: chain, tracing: tracing, historyFrom: historyBefore)
        return true
    }

    /// `sagastep` / `sagaattempt` of a reply, when it carries them (an attempt alone addresses
    /// the step waiting now).
    private func address<E: EngineInput>(_ event: E, _ s: SagaRuntime, waiting phase: SagaMachine.Phase) -> SagaMachine.Address? {
        var attempt: Int?
        switch event.attribute(s.attemptPath) {
        case .int(let a): attempt = Int(a)
        case .long(let a): attempt = Int(exactly: a)
        default: attempt = nil
        }
        if let name = event.attribute(s.stepPath).text {
            // A step this saga does not have: an address nothing waits at.
            return .init(step: s.steps.firstIndex(where: { $0.name == name }) ?? -1, attempt: attempt)
        }
        guard let attempt else { return nil }
        switch phase {
        case .waiting(let step, _), .backingOff(let step, _): return .init(step: step, attempt: attempt)
        default: return nil
        }
    }

    private mutating func holds<E: EngineInput>(_ filter: Clause?, _ event: E, _ slots: [Val], _ d: Int, _ tracing: Bool) -> Bool {
        guard let filter else { return true }
        let (holds, error) = slots.withUnsafeBufferPointer { event.test(filter, slots: $0) }
        if let error { statistics.declarations[d].countError(error, in: "WHERE") }
        return holds
    }

    private mutating func capture<E: EngineInput>(_ captures: [(slot: Int, argument: Clause?)], _ event: E, into slots: inout [Val], _ d: Int) {
        for capture in captures {
            guard let argument = capture.argument else { continue }
            slots[capture.slot] = captured(argument, event, d)
        }
    }

    // MARK: - Timers

    /// A saga timer came due.
    mutating func fireSaga(_ d: Int, instance number: Int, timer: SagaMachine.Timer, due: EventTime) {
        guard case .saga(let s) = runtimes[d] else { return }
        sagas[d].timersPending -= 1
        guard var instance = sagas[d].live.removeValue(forKey: number) else { return }
        let before = instance.machine.history.count
        let actions = instance.machine.timer(timer, at: due)
        let depth = instance.depth
        perform(actions, d, s, instance, time: due, depth: depth, chain: [], tracing: trace != nil, historyFrom: before)
    }

    static func timerKey(_ number: Int, _ timer: SagaMachine.Timer) -> Int {
        let code: Int
        switch timer {
        case .reply(let step, let attempt): code = 0 + 4 * (min(step, 1023) + 1024 * min(attempt, 1023))
        case .backoff(let step, let attempt): code = 1 + 4 * (min(step, 1023) + 1024 * min(attempt, 1023))
        case .confirmation(let step): code = 2 + 4 * min(step, 1023)
        case .deadline: code = 3
        }
        return number << 22 | code
    }

    // MARK: - Actions

    /// Performs what the machine returned, in order, for `instance` (out of the table), which it
    /// then puts back, or ends; traces the history entries from `historyFrom` on.
    private mutating func perform(
        _ actions: [SagaMachine.Action], _ d: Int, _ s: SagaRuntime, _ instance: consuming SagaInstance, time: EventTime, depth: Int,
        chain: [Int32], tracing: Bool, historyFrom: Int
    ) {
        let number = instance.number
        if tracing {
            for entry in instance.machine.history[historyFrom...] {
                var text = "instance \(instance.id): \(entry.what)"
                if let step = entry.step { text += " '\(step)'" }
                if let attempt = entry.attempt { text += " attempt \(attempt)" }
                if let detail = entry.detail { text += " (\(detail))" }
                if trace?.isTracingEvent == true { trace?.note(d, text) } else { trace?.timer(text) }
            }
        }
        var ended = false
        for action in actions {
            switch action {
            case .send(let step, let attempt):
                command(s.steps[step].send, instance, d, stamp: SagaStamp(step: s.steps[step].name, attempt: attempt),
                        time: time, depth: depth, chain: chain, tracing: tracing)
            case .compensate(let step):
                if let compensate = s.steps[step].compensate {
                    command(compensate, instance, d, stamp: SagaStamp(step: s.steps[step].name, attempt: 1),
                            time: time, depth: depth, chain: chain, tracing: tracing)
                }
            case .schedule(let timer, let due):
                let key = Self.timerKey(number, timer)
                if !scheduler.timers.isScheduled(key: key) { sagas[d].timersPending += 1 }
                _ = scheduler.timers.schedule(.saga(declaration: Int32(d), instance: number, timer: timer), due: due, key: key)
                if due < dueFloor { dueFloor = due }
            case .cancel(let timer):
                if scheduler.timers.cancel(key: Self.timerKey(number, timer)) { sagas[d].timersPending -= 1 }
            case .complete:
                statistics.declarations[d].sagasCompleted += 1
                branches(s.onComplete, instance, d, time: time, depth: depth, chain: chain, tracing: tracing)
                ended = true
            case .fail(let failure):
                instance.slots[0] = .string(failure.message)
                instance.slots[1] = .string(failure.kind.rawValue)
                instance.slots[2] = .string(failure.step)
                instance.slots[3] = .long(Int64(failure.attempt))
                if instance.machine.phase == .compensationFailed {
                    statistics.declarations[d].sagasCompensationFailed += 1
                } else {
                    statistics.declarations[d].sagasCompensated += 1
                }
                branches(s.onFailure, instance, d, time: time, depth: depth, chain: chain, tracing: tracing)
                ended = true
            }
        }
        if ended || instance.machine.phase.isTerminal {
            sagas[d].live[number] = nil
            sagas[d].byKey[instance.key] = nil
            sagas[d].byId[instance.id] = nil
            if options.keepEndedSagas { sagas[d].ended.append(instance) }
        } else {
            sagas[d].live[number] = instance
        }
    }

    /// Publishes a command (or compensation) with the saga's stamps.
    private mutating func command(
        _ send: EmitRuntime, _ instance: SagaInstance, _ d: Int, stamp: SagaStamp, time: EventTime, depth: Int, chain: [Int32], tracing: Bool
    ) {
        let fields = instance.slots.withUnsafeBufferPointer { send.data.evaluateFields(slots: $0) }
        countFieldErrors(fields, d, tracing: tracing)
        emit(send.type, data: .object(fields.object), from: d, id: instance.lastEventId, correlation: instance.id,
             time: time, depth: depth, chain: chain, tracing: tracing, listened: send.listened, saga: stamp)
    }

    /// ON COMPLETE or ON FAILURE: the first branch whose WHEN holds emits.
    private mutating func branches(
        _ branches: [EmitRuntime], _ instance: SagaInstance, _ d: Int, time: EventTime, depth: Int, chain: [Int32], tracing: Bool
    ) {
        emitBranches(branches, all: false, slots: instance.slots, d, causation: instance.lastEventId, correlation: instance.id,
                     time: time, depth: depth, chain: chain, tracing: tracing)
    }
}
