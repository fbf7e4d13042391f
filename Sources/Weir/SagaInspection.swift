import WeirCEP
import WeirEngine

/// A saga instance as the engine shows it: which saga, its id (the `correlationid` of its
/// commands), its KEY, its state, why it failed, and its append-only history.
public struct SagaRecord: Sendable, Hashable {
    /// The SAGA declaration's name.
    public let saga: String
    /// `<saga>-<n>`.
    public let id: String
    /// The KEY value.
    public let key: JSONValue
    /// `waiting`, `backing-off`, `compensating`, `completed`, `compensated` or `compensation_failed`.
    public let state: String
    /// Set when the saga failed.
    public let error: SagaError?
    public let history: [SagaHistoryEntry]

    /// Every state that ends an instance.
    public var isEnded: Bool { ["completed", "compensated", "compensation_failed"].contains(state) }

    /// The instance as one JSON object (what `weir run --sagas` writes).
    public let json: JSONValue
}

/// Why a saga failed (`error.*` in ON FAILURE).
public struct SagaError: Sendable, Hashable {
    /// `failure` (a FAIL ON reply), `timeout` (a step's WITHIN) or `deadline` (the saga's TIMEOUT).
    public let kind: String
    public let message: String
    public let step: String
    public let attempt: Int
}

/// One transition of a saga instance.
public struct SagaHistoryEntry: Sendable, Hashable {
    public let time: Timestamp
    /// `started`, `sent`, `step-completed`, `attempt-failed`, `retry-scheduled`, `failed`,
    /// `compensation-sent`, `compensation-confirmed`, `compensated`, `compensation-failed`,
    /// `completed`, `duplicate-start`, `reply-ignored`, `deadline-during-compensation`.
    public let what: String
    public let step: String?
    public let attempt: Int?
    /// The event that caused it, if any.
    public let eventId: String?
    public let detail: String?
}

extension SagaRecord {
    init(_ report: SagaInstanceReport) {
        saga = report.saga
        id = report.id
        key = report.key
        state = report.state
        error = report.failure.map { SagaError(kind: $0.kind.rawValue, message: $0.message, step: $0.step, attempt: $0.attempt) }
        history = report.history.map {
            SagaHistoryEntry(time: Timestamp(milliseconds: $0.time), what: $0.what, step: $0.step, attempt: $0.attempt,
                             eventId: $0.eventId, detail: $0.detail)
        }
        json = report.json
    }
}

extension RuleEngine {
    /// Every saga instance: the live ones, and the ended ones when the engine keeps them
    /// (`keepEndedSagas`), by saga then start order.
    public var sagaInstances: [SagaRecord] { core.sagaInstances().map(SagaRecord.init) }

    /// The instance with this id (`<saga>-<n>`), if the engine holds it.
    public func sagaInstance(id: String) -> SagaRecord? { sagaInstances.first { $0.id == id } }

    /// The instances of saga `saga` with this KEY (at most one live; the ended ones before it).
    public func sagaInstances(saga: String, key: JSONValue) -> [SagaRecord] {
        sagaInstances.filter { $0.saga == saga && $0.key == key }
    }
}
