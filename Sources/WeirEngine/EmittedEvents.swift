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
        data: JSONValue, saga: SagaStamp? = nil
    ) -> Event {
        var attributes = JSONObject()
        if let time { attributes["time"] = .string(EventTimeText.format(time)) }
        attributes["datacontenttype"] = "application/json"
        if let correlationId { attributes["correlationid"] = .string(correlationId) }
        if let saga {
            attributes["sagastep"] = .string(saga.step)
            attributes["sagaattempt"] = .int(Int64(saga.attempt))
        }
        attributes["causationid"] = .string(causationId.isEmpty ? id : causationId)
        do {
            return try Event(id: id, source: source, type: type.isEmpty ? "weir.emitted" : type, attributes: attributes, data: data)
        } catch {
            // Unreachable: every attribute above is valid. Keep the event rather than trap.
            return try! Event(id: id, source: source, type: "weir.emitted")
        }
    }
}

/// An event the engine emitted, before it is packed: written straight to JSON for the output
/// (`write(to:)`, the same bytes as its packed `Event` writes), packed only when a declaration
/// listens to it or a caller asks (`event`).
package struct EmittedEvent: Sendable {
    package var type: String
    package var id: String
    package var source: String
    package var time: EventTime?
    package var correlationId: String?
    package var causationId: String
    package var data: JSONValue
    /// A saga's command: its step and attempt (`sagastep`, `sagaattempt`).
    package var saga: SagaStamp?

    /// The owned CloudEvent.
    package var event: Event {
        EmittedEvents.make(
            type: type, id: id, source: source, time: time, correlationId: correlationId, causationId: causationId, data: data,
            saga: saga)
    }

    /// Writes the event as one JSON object, attributes in the order `event` has them.
    package func write(to writer: inout JSONWriter) {
        writer.append("{\"specversion\":\"1.0\",\"id\":")
        Self.writeString(id, to: &writer)
        writer.append(",\"source\":")
        Self.writeString(source, to: &writer)
        writer.append(",\"type\":")
        Self.writeString(type.isEmpty ? "weir.emitted" : type, to: &writer)
        if let time {
            writer.append(",\"time\":")
            EventTimeText.write(time, quotedTo: &writer)
        }
        writer.append(",\"datacontenttype\":\"application/json\"")
        if let correlationId {
            writer.append(",\"correlationid\":")
            Self.writeString(correlationId, to: &writer)
        }
        if let saga {
            writer.append(",\"sagastep\":")
            Self.writeString(saga.step, to: &writer)
            writer.append(",\"sagaattempt\":")
            writer.writeInteger(Int64(saga.attempt))
        }
        writer.append(",\"causationid\":")
        Self.writeString(causationId.isEmpty ? id : causationId, to: &writer)
        switch data {
        case .null:
            break
        case .object(let object):
            // The usual template: one level of fields, written without the general walk.
            writer.append(",\"data\":{")
            var first = true
            for (key, value) in object.fields {
                if !first { writer.bytes.append(UInt8(ascii: ",")) }
                first = false
                Self.writeString(key, to: &writer)
                writer.bytes.append(UInt8(ascii: ":"))
                switch value {
                case .bool(let b): writer.append(b ? "true" : "false")
                case .int(let i): writer.writeInteger(i)
                case .double(let d): writer.writeDouble(d)
                case .string(let text): Self.writeString(text, to: &writer)
                default: writer.write(value)
                }
            }
            writer.bytes.append(UInt8(ascii: "}"))
        default:
            writer.append(",\"data\":")
            writer.write(data)
        }
        writer.append("}")
    }

    /// A JSON string: copied in one piece when nothing in it needs escaping (the usual case:
    /// ids, names, types, keys), else escaped by the writer.
    @inline(__always)
    static func writeString(_ value: String, to writer: inout JSONWriter) {
        var value = value
        value.withUTF8 { utf8 in
            for c in utf8 where c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") {
                writer.writeString(utf8: utf8)
                return
            }
            writer.bytes.append(UInt8(ascii: "\""))
            writer.bytes.append(contentsOf: utf8)
            writer.bytes.append(UInt8(ascii: "\""))
        }
    }
}

/// The extension attributes a saga stamps on its commands: which step and attempt they are, so
/// that a reply echoing them (with the saga id as its `correlationid`) finds its way back.
package struct SagaStamp: Sendable, Hashable {
    package var step: String
    package var attempt: Int
}
