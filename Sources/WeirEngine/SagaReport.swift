import WeirCEP
import WeirCore

/// A saga instance as `weir run --sagas FILE` writes it and the library shows it: its saga,
/// id, key, state, failure and history.
package struct SagaInstanceReport: Sendable {
    package var saga: String
    package var id: String
    package var key: JSONValue
    /// `waiting`, `backing-off`, `compensating`, `completed`, `compensated`, `compensation_failed`.
    package var state: String
    package var failure: SagaMachine.Failure?
    package var history: [SagaMachine.Entry]

    /// One JSON object: `{"saga", "id", "key", "state", "error"?, "history": [...]}`.
    package var json: JSONValue {
        var object = JSONObject()
        object["saga"] = .string(saga)
        object["id"] = .string(id)
        object["key"] = key
        object["state"] = .string(state)
        if let failure {
            object["error"] = .object([
                "kind": .string(failure.kind.rawValue), "message": .string(failure.message), "step": .string(failure.step),
                "attempt": .int(Int64(failure.attempt)),
            ])
        }
        object["history"] = .array(history.map { entry in
            var e = JSONObject()
            e["time"] = .string(Timestamp(milliseconds: entry.time).rfc3339)
            e["what"] = .string(entry.what)
            if let step = entry.step { e["step"] = .string(step) }
            if let attempt = entry.attempt { e["attempt"] = .int(Int64(attempt)) }
            if let id = entry.eventId { e["event"] = .string(id) }
            if let detail = entry.detail { e["detail"] = .string(detail) }
            return .object(e)
        })
        return .object(object)
    }
}

extension SagaMachine.Phase {
    /// The state's name as reports show it.
    var name: String {
        switch self {
        case .waiting: return "waiting"
        case .backingOff: return "backing-off"
        case .compensating: return "compensating"
        case .completed: return "completed"
        case .compensated: return "compensated"
        case .compensationFailed: return "compensation_failed"
        }
    }
}

extension RuleEngineCore {
    /// Every saga instance, live and (when kept) ended, by saga in declaration order, then by
    /// start order.
    package func sagaInstances() -> [SagaInstanceReport] {
        var reports: [SagaInstanceReport] = []
        for (d, state) in sagas.enumerated() {
            let instances = (state.ended + state.live.values).sorted { $0.number < $1.number }
            for instance in instances {
                reports.append(SagaInstanceReport(
                    saga: plan.declarations[d].name, id: instance.id, key: instance.key.value.json ?? .null,
                    state: instance.machine.phase.name, failure: instance.machine.failure, history: instance.machine.history))
            }
        }
        return reports
    }
}
