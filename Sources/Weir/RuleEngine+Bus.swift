import WeirBus

extension RuleEngine {
    /// Runs the engine on a bus: every event published on it whose type matches `typePattern`
    /// is processed (rules, aggregates, patterns, sagas), and every event the engine emits is
    /// published on it, in emission order, so that other subscribers (services, other engines)
    /// see the commands, alerts and outcomes, and answer through the bus.
    ///
    /// Events the engine emitted itself (their `source` is one of its declarations',
    /// `weir://<name>`) are not delivered back to it: the engine already fed them to its
    /// declarations (LANGUAGE.md section 4). Returns when the subscription ends (the bus is
    /// closed, or the task is cancelled); then the engine's watermark stays where it is (call
    /// `finish()` to flush). A late event or one with an unreadable `time` is skipped and
    /// counted in `statistics`, as in `process`.
    ///
    /// - Throws: `BusError` when the subscription cannot be made or fails; `Rejection.overloaded`
    ///   when a cap on PATTERN runs is reached under the overload policy `fail`.
    /// `subscribed` is called once the engine's subscription exists: events published from then
    /// on reach it.
    public func run(
        on bus: EventBus, typePattern: String = "*", buffer: Int = 1024, subscribed: (@Sendable () -> Void)? = nil
    ) async throws {
        let own = Set(declarationSources)
        // The bus does not even queue the engine's own events for it: with a full buffer, a
        // publish waiting on its own subscriber would never end.
        let notOwn = EventFilter { !own.contains($0.source) }
        let subscription = try await bus.subscribe(to: typePattern, where: notOwn, buffer: buffer, overflow: .wait)
        subscribed?()
        for try await event in subscription {
            let emitted: [Event]
            switch Result(catching: { () throws(Rejection) in try process(event) }) {
            case .success(let events): emitted = events
            case .failure(.overloaded(let why)): throw Rejection.overloaded(why)
            case .failure: continue
            }
            if !emitted.isEmpty { await bus.publish(emitted) }
        }
    }

    /// The `source` of the events each declaration emits.
    var declarationSources: [String] { core.plan.declarations.map { "weir://" + $0.name } }
}
