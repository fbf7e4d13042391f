import WeirCEP
import WeirCore
import WeirIngest

/// The state of a run between two events: the event-time clock and the held events, the
/// pending timers, every open window with its aggregates, the id counters and the statistics.
/// `Codable`, so that it can be saved and restored into a new engine running the same rules
/// (the milestone test checks that the output is then the same as an uninterrupted run's).
package struct EngineSnapshot: Codable, Sendable {
    /// The declarations' names, checked on restore.
    var declarations: [String]
    var scheduler: EventTimeScheduler<HeldEvent, Int, TimerPayload>
    var stores: [WindowStore?]
    var ids: EventIdGenerator
    var statistics: EngineStatistics
    /// Each PATTERN's runs (nil for other declarations), and the last run id given.
    var patterns: [PatternSnapshot?]
    var nextRunId: Int
    /// Each SAGA's instances (nil for other declarations).
    var sagas: [SagaSnapshot?]
}

extension HeldEvent: Codable {
    private enum CodingKeys: String, CodingKey { case event, line }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .event)
        event = try EventReader.parseEvent(text, limits: IngestLimits())
        line = try container.decodeIfPresent(Int.self, forKey: .line)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.jsonText, forKey: .event)
        try container.encodeIfPresent(line, forKey: .line)
    }
}

/// A snapshot taken from other rules.
package struct SnapshotMismatch: Error, Sendable, CustomStringConvertible {
    package let expected: [String]
    package let found: [String]
    package var reason: String? = nil
    package var description: String {
        if let reason { return "the snapshot does not fit these rules: \(reason)" }
        return "the snapshot is of declarations \(found), not \(expected)"
    }
}

extension RuleEngineCore {
    /// The run's state now (between two events).
    package func snapshot() -> EngineSnapshot {
        EngineSnapshot(
            declarations: plan.declarations.map(\.name), scheduler: scheduler, stores: storeStates, ids: ids,
            statistics: currentStatistics(),
            patterns: zip(runtimes, patterns).map { runtime, state in
                guard case .pattern = runtime else { return nil }
                return state.snapshot
            },
            nextRunId: nextRunId,
            sagas: zip(runtimes, sagas).map { runtime, state in
                guard case .saga = runtime else { return nil }
                return state.snapshot
            })
    }
}
