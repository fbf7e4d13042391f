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
        var builder = PackedBuilder()
        return pack(using: &builder)
    }

    /// `event`, packed straight from the fields (they make a valid event by construction, so
    /// nothing is checked or searched) in `builder`'s words, which the engine reuses from one
    /// event to the next: the event's own storage is its one allocation.
    package func pack(using builder: inout PackedBuilder) -> Event {
        builder.words.removeAll(keepingCapacity: true)
        guard let time else { return pack(using: &builder, timeText: nil) }
        // A year past 9999 has no four-digit form: the general path writes it as `event` did.
        return EventTimeText.withText(time) { pack(using: &builder, timeText: $0) } ?? generalEvent
    }

    private func pack(using builder: inout PackedBuilder, timeText: UnsafeBufferPointer<UInt8>?) -> Event {
        func words(_ key: StaticString) -> Int { PackedCursor.stringWords(key.utf8CodeUnitCount) }
        func words(_ text: String) -> Int { PackedCursor.stringWords(text.utf8.count) }
        let causation = causationId.isEmpty ? id : causationId
        // The payload in the same piece when it is the usual object of scalars.
        var flatData: Int?
        if case .object(let object) = data { flatData = PackedCursor.flatWords(object) }
        var count = 2 + words("specversion") + words("1.0") + words("id") + words(id) + words("source") + words(source)
        count += words("type") + (type.isEmpty ? words("weir.emitted") : words(type))
        count += words("datacontenttype") + words("application/json") + words("causationid") + words(causation)
        if let timeText { count += words("time") + PackedCursor.stringWords(timeText.count) }
        if let correlationId { count += words("correlationid") + words(correlationId) }
        if let saga { count += words("sagastep") + words(saga.step) + words("sagaattempt") + 2 }
        if let flatData { count += words("data") + flatData }
        var fields = 6
        var typeOffset = 0
        var timeOffset = -1
        var dataOffset = -1
        builder.appendInPlace(words: count) { out in
            out.putWord(7)   // the root object's header and body size, set by `end` below
            out.putWord(0)
            out.putString("specversion" as StaticString)
            out.putString("1.0" as StaticString)
            out.putString("id" as StaticString)
            out.putString(id)
            out.putString("source" as StaticString)
            out.putString(source)
            out.putString("type" as StaticString)
            typeOffset = out.offset
            if type.isEmpty { out.putString("weir.emitted" as StaticString) } else { out.putString(type) }
            if let timeText {
                out.putString("time" as StaticString)
                timeOffset = out.offset
                out.putString(timeText)
                fields += 1
            }
            out.putString("datacontenttype" as StaticString)
            out.putString("application/json" as StaticString)
            if let correlationId {
                out.putString("correlationid" as StaticString)
                out.putString(correlationId)
                fields += 1
            }
            if let saga {
                out.putString("sagastep" as StaticString)
                out.putString(saga.step)
                out.putString("sagaattempt" as StaticString)
                out.putInteger(Int64(saga.attempt))
                fields += 2
            }
            out.putString("causationid" as StaticString)
            out.putString(causation)
            guard let flatData, case .object(let object) = data else { return }
            out.putString("data" as StaticString)
            dataOffset = out.offset
            out.putFlat(object, words: flatData)
            fields += 1
        }
        if flatData == nil, data != .null {
            builder.append("data" as StaticString)
            dataOffset = builder.words.count
            builder.append(data)
            fields += 1
        }
        builder.end(0, count: fields)
        return Event(packed: PackedJSON(builder: builder), dataOffset: dataOffset, typeOffset: typeOffset, timeOffset: timeOffset,
                     milliseconds: time)
    }

    /// `event` through `Event`'s checked initialiser (for times whose year is past 9999).
    private var generalEvent: Event {
        EmittedEvents.make(
            type: type, id: id, source: source, time: time, correlationId: correlationId, causationId: causationId, data: data,
            saga: saga)
    }

    /// Writes the event as one JSON object, attributes in the order `event` has them: in one
    /// piece reserved beforehand (`JSONWriter.appendInPlace`), the payload too when it is the
    /// usual object of scalars.
    package func write(to writer: inout JSONWriter) {
        let flatData = Self.flatBound(data)
        var bound = 256   // the attribute names, punctuation and `sagaattempt`
        bound += ByteCursor.quotedBound(id.utf8.count) + ByteCursor.quotedBound(source.utf8.count)
        let causation = causationId.isEmpty ? id : causationId
        bound += ByteCursor.quotedBound(max(type.utf8.count, 12)) + ByteCursor.quotedBound(causation.utf8.count)
        if let correlationId { bound += ByteCursor.quotedBound(correlationId.utf8.count) }
        if let saga { bound += ByteCursor.quotedBound(saga.step.utf8.count) }
        bound += flatData ?? 0
        writer.appendInPlace(maximum: bound) { out in
            out.put("{\"specversion\":\"1.0\",\"id\":")
            out.putString(id)
            out.put(",\"source\":")
            out.putString(source)
            out.put(",\"type\":")
            if type.isEmpty { out.put("\"weir.emitted\"") } else { out.putString(type) }
            if let time {
                out.put(",\"time\":")
                // At most 64 bytes (within the 256 above): beyond year 9999 the general form.
                let written: Void? = EventTimeText.withText(time) { text in
                    out.put(UInt8(ascii: "\""))
                    out.put(text)
                    out.put(UInt8(ascii: "\""))
                }
                if written == nil {
                    var text = Timestamp(milliseconds: time).rfc3339
                    text.withUTF8 { out.putString(utf8: UnsafeBufferPointer(rebasing: $0.prefix(60))) }
                }
            }
            out.put(",\"datacontenttype\":\"application/json\"")
            if let correlationId {
                out.put(",\"correlationid\":")
                out.putString(correlationId)
            }
            if let saga {
                out.put(",\"sagastep\":")
                out.putString(saga.step)
                out.put(",\"sagaattempt\":")
                out.putInteger(Int64(saga.attempt))
            }
            out.put(",\"causationid\":")
            out.putString(causation)
            guard flatData != nil, case .object(let object) = data else { return }
            out.put(",\"data\":{")
            for i in object.keys.indices {
                if i > 0 { out.put(UInt8(ascii: ",")) }
                out.putString(object.keys[i])
                out.put(UInt8(ascii: ":"))
                switch object.values[i] {
                case .null: out.put("null")
                case .bool(let b): out.put(b ? "true" : "false")
                case .int(let n): out.putInteger(n)
                case .double(let d): out.putDouble(d)
                case .string(let text): out.putString(text)
                case .array, .object: break   // not flat: not here
                }
            }
            out.put("}}")
        }
        guard flatData == nil else { return }
        if case .null = data {} else {
            writer.append(",\"data\":")
            writer.write(data)
        }
        writer.append("}")
    }

    /// The most bytes `,"data":{...}}` takes when `data` is an object of scalars (the usual
    /// template), nil for any other payload (written by the general walk).
    private static func flatBound(_ data: JSONValue) -> Int? {
        guard case .object(let object) = data else { return nil }
        var bound = 12
        for i in object.keys.indices {
            bound += ByteCursor.quotedBound(object.keys[i].utf8.count) + 2
            switch object.values[i] {
            case .null, .bool: bound += 5
            case .int: bound += ByteCursor.integerBound
            case .double: bound += ByteCursor.doubleBound
            case .string(let text): bound += ByteCursor.quotedBound(text.utf8.count)
            case .array, .object: return nil
            }
        }
        return bound
    }
}

/// The extension attributes a saga stamps on its commands: which step and attempt they are, so
/// that a reply echoing them (with the saga id as its `correlationid`) finds its way back.
package struct SagaStamp: Sendable, Hashable {
    package var step: String
    package var attempt: Int
}
