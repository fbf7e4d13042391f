import WeirCEP
import WeirCore

/// Builds the CloudEvents the engine emits (LANGUAGE.md section 1): `specversion` 1.0, the
/// run's deterministic `id`, `source` `weir://<declaration>`, `time` the event time of the
/// cause (or the due time of the timer that emitted it) as RFC 3339 UTC with milliseconds,
/// `datacontenttype` `application/json`, the cause's `correlationid` carried over, and
/// `causationid` the cause's id.
enum EmittedEvents {
    static func make(
        type: String, id: String, source: String, time: EventTime?, correlationId: String?, causationId: String,
        data: JSONValue
    ) -> Event {
        var attributes = JSONObject()
        if let time { attributes["time"] = .string(Timestamp(milliseconds: time).rfc3339) }
        attributes["datacontenttype"] = "application/json"
        if let correlationId { attributes["correlationid"] = .string(correlationId) }
        attributes["causationid"] = .string(causationId.isEmpty ? id : causationId)
        do {
            return try Event(id: id, source: source, type: type.isEmpty ? "weir.emitted" : type, attributes: attributes, data: data)
        } catch {
            // Unreachable: every attribute above is valid. Keep the event rather than trap.
            return try! Event(id: id, source: source, type: "weir.emitted")
        }
    }
}
